// Filter + group-by-sum over 50M generated rows, with low (1,000) and high (10,000,000) key
// cardinality: the same computation bench/duckdb_peer.py runs in DuckDB:
//   SELECT id % K AS k, sum(v) FROM (SELECT id, (id * 7) % 1000 AS v FROM range(N)) WHERE v > 10 GROUP BY k
// The grouped result is consumed inside the engine, as the peer does: the number of groups and the
// sum of the sums (checksum=, which must equal DuckDB's), so no aggregate can be pruned away.
// Usage: filter_group_by [rows] [runs]     (threads 1 and 2, like the DuckDB peer)
#include <chrono>
#include <cstdio>
#include <string>

#include <ember/ember.h>

using namespace ember;
using namespace ember::functions;

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 50'000'000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  for (int threads : {1, 2}) {
    auto spark = Session::builder().master("local[" + std::to_string(threads) + "]").get_or_create();
    spark.conf().set("spark.ui.showConsoleProgress", "false");
    for (int64_t keys : {int64_t{1000}, int64_t{10'000'000}}) {
      double best = 1e100;
      int64_t groups = 0;
      int64_t checksum = 0;
      for (int r = 0; r < runs; ++r) {
        auto start = std::chrono::steady_clock::now();
        auto df = spark.range(n)
                      .select((col("id") % keys).alias("k"), ((col("id") * 7) % 1000).alias("v"))
                      .filter(col("v") > 10)
                      .group_by("k")
                      .agg(sum("v").alias("s"));
        auto result = df.agg(count("*"), sum("s")).collect();
        groups = result[0][0].as_int64();
        checksum = result[0][1].as_int64();
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best = std::min(best, secs);
      }
      std::printf(
          "peer=ember task=%s seconds=%.4f rows=%lld groups=%lld checksum=%lld rows_per_s=%.0f threads=%d\n",
          keys == 1000 ? "group_by_low" : "group_by_high", best, static_cast<long long>(n),
          static_cast<long long>(groups), static_cast<long long>(checksum), static_cast<double>(n) / best,
          threads);
    }
    spark.stop();  // the next get_or_create() then starts a session with the new thread count
  }
  std::printf("# reproduce: ./build/filter_group_by %lld %d\n", static_cast<long long>(n), runs);
  return 0;
}
