// Parquet scan and write throughput on a lineitem-shaped file: a Q1-like scan (7 columns, a
// date filter keeping ~98% of rows, two string group keys, decimal sums), a Q6-like scan (4
// columns, a selective date/decimal filter, one sum) and a write of the whole file back as SNAPPY
// Parquet, with 2 executor threads. bench/parquet_scan_peer.py runs the same three tasks in DuckDB
// and Polars over the same file and prints them side by side.
// Usage: parquet_scan <lineitem.parquet> [runs] [out_dir]
// EMBER_DICTIONARY_VECTORS=false reads with the reader option dictionaryVectors=false (strings
// copied per row), to compare with the dictionary-encoded path.
// Make the input with `./build/ember gen tpch --scale 1 --out /tmp/tpch-sf1` (6M rows).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <ember/ember.h>

using namespace ember;

namespace {

// The query texts of bench/tpch/queries (Q1 without its ORDER BY's effect on timing, Q6 as is);
// the peer script runs the same text.
const char* kQ1 =
    "select l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice), "
    "sum(l_extendedprice * (1 - l_discount)), sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)), "
    "avg(l_quantity), avg(l_extendedprice), avg(l_discount), count(*) from lineitem "
    "where l_shipdate <= date '1998-09-02' group by l_returnflag, l_linestatus "
    "order by l_returnflag, l_linestatus";
const char* kQ6 =
    "select sum(l_extendedprice * l_discount) from lineitem where l_shipdate >= date '1994-01-01' "
    "and l_shipdate < date '1995-01-01' and l_discount between 0.05 and 0.07 and l_quantity < 24";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <lineitem.parquet> [runs] [out_dir]\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  const std::string out_dir = argc > 3 ? argv[3] : "";
  const int threads = 2;
  auto spark = Session::builder().master("local[" + std::to_string(threads) + "]").get_or_create();
  spark.conf().set("spark.ui.showConsoleProgress", "false");
  const char* dictionary_vectors = std::getenv("EMBER_DICTIONARY_VECTORS");
  spark.read()
      .option("dictionaryVectors", dictionary_vectors ? dictionary_vectors : "true")
      .parquet(path)
      .create_or_replace_temp_view("lineitem");
  const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  const int64_t rows = spark.sql("select count(*) from lineitem").collect()[0][0].as_int64();
  auto time_best = [&](auto&& fn) {
    double best = 1e100;
    for (int r = 0; r < runs; ++r) {
      auto start = std::chrono::steady_clock::now();
      fn();
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
  };
  for (auto [task, text] : {std::pair{"parquet_q1", kQ1}, std::pair{"parquet_q6", kQ6}}) {
    std::string answer;
    double secs = time_best([&] {
      auto result = spark.sql(text).collect();
      answer = result.empty() ? "" : result.back().to_string();
    });
    std::printf("peer=ember task=%s seconds=%.4f rows=%lld mb=%.1f rows_per_s=%.0f threads=%d answer=%s\n",
                task, secs, static_cast<long long>(rows), mb, static_cast<double>(rows) / secs, threads,
                answer.c_str());
  }
  if (!out_dir.empty()) {
    double secs = time_best([&] { spark.read().parquet(path).write().mode("overwrite").parquet(out_dir); });
    std::printf("peer=ember task=parquet_write seconds=%.4f rows=%lld rows_per_s=%.0f threads=%d\n", secs,
                static_cast<long long>(rows), static_cast<double>(rows) / secs, threads);
  }
  return 0;
}
