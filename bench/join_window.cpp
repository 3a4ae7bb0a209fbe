// Joins and windows beside DuckDB (issue 3's benchmark): a 60M-row fact table joined with a
// 1.5M-row dimension and aggregated by a dimension attribute, once as a broadcast hash join and
// once as a shuffled hash join; and row_number() over 10M rows in 1,000 partitions. The same
// queries bench/duckdb_peer.py runs (tasks join_broadcast, join_shuffle, window_row_number):
//   fact(id, dim_id = id * 7919 % 1500000, amount = id % 100), dim(dim_id, category = dim_id % 50)
//   SELECT count(*), sum(n), sum(s) FROM (SELECT category, count(*) n, sum(amount) s
//     FROM fact JOIN dim USING (dim_id) GROUP BY category)
//   SELECT count(*), sum(rn) FROM (SELECT row_number() OVER (PARTITION BY id % 1000 ORDER BY id) rn FROM w)
// Results are consumed inside the engine; checksum= must equal DuckDB's.
// Usage: join_window [fact_rows] [dim_rows] [window_rows] [runs]
#include <ember/ember.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

using namespace ember;
using namespace ember::functions;

namespace {

template <class Body>
double best_of(int runs, Body&& body) {
  double best = 1e100;
  for (int r = 0; r < runs; ++r) {
    auto start = std::chrono::steady_clock::now();
    body();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t fact_rows = argc > 1 ? std::atoll(argv[1]) : 60'000'000;
  const int64_t dim_rows = argc > 2 ? std::atoll(argv[2]) : 1'500'000;
  const int64_t window_rows = argc > 3 ? std::atoll(argv[3]) : 10'000'000;
  const int runs = argc > 4 ? std::atoi(argv[4]) : 3;
  for (int threads : {1, 2}) {
    auto spark = Session::builder().master("local[" + std::to_string(threads) + "]").get_or_create();
    spark.conf().set("spark.ui.showConsoleProgress", "false");
    auto fact = spark.range(fact_rows).select(col("id"), ((col("id") * 7919) % dim_rows).alias("dim_id"),
                                              (col("id") % 100).alias("amount"));
    auto dim = spark.range(dim_rows).select(col("id").alias("dim_id"), (col("id") % 50).alias("category"));
    auto join_query = [&] {
      return fact.join(dim, "dim_id")
          .group_by("category")
          .agg(count("*").alias("n"), sum("amount").alias("s"))
          .agg(count("*"), sum("n"), sum("s"));
    };
    for (const char* task : {"join_broadcast", "join_shuffle"}) {
      bool broadcast = std::string(task) == "join_broadcast";
      spark.conf().set("spark.sql.autoBroadcastJoinThreshold", broadcast ? "1g" : "-1");
      std::string plan = join_query().explain_string();
      const char* expect = broadcast ? "BroadcastHashJoin" : "ShuffledHashJoin";
      if (plan.find(expect) == std::string::npos) {
        std::fprintf(stderr, "%s: expected %s in\n%s\n", task, expect, plan.c_str());
        return 1;
      }
      int64_t groups = 0, joined = 0, checksum = 0;
      double secs = best_of(runs, [&] {
        auto r = join_query().collect();
        groups = r[0][0].as_int64();
        joined = r[0][1].as_int64();
        checksum = r[0][2].as_int64();
      });
      std::printf("peer=ember task=%s seconds=%.4f rows=%lld rows_per_s=%.0f threads=%d groups=%lld joined=%lld checksum=%lld\n",
                  task, secs, static_cast<long long>(fact_rows), static_cast<double>(fact_rows) / secs, threads,
                  static_cast<long long>(groups), static_cast<long long>(joined), static_cast<long long>(checksum));
      std::fflush(stdout);
    }
    auto window_query = [&] {
      return spark.range(window_rows)
          .with_column("rn", row_number().over(Window::partition_by((col("id") % 1000).alias("g")).order_by("id")))
          .agg(count("*"), sum("rn"));
    };
    int64_t rows = 0, checksum = 0;
    double secs = best_of(runs, [&] {
      auto r = window_query().collect();
      rows = r[0][0].as_int64();
      checksum = r[0][1].as_int64();
    });
    std::printf("peer=ember task=window_row_number seconds=%.4f rows=%lld rows_per_s=%.0f threads=%d checksum=%lld\n", secs,
                static_cast<long long>(rows), static_cast<double>(window_rows) / secs, threads,
                static_cast<long long>(checksum));
    std::fflush(stdout);
    spark.stop();  // the next get_or_create() starts a session with the new thread count
  }
  std::printf("# reproduce: ./build/join_window %lld %lld %lld %d\n", static_cast<long long>(fact_rows),
              static_cast<long long>(dim_rows), static_cast<long long>(window_rows), runs);
  return 0;
}
