// Nested Parquet throughput: reads every column of a Parquet file (any writer) through ember's
// reader, forcing the nested columns to be assembled (sizes of arrays and maps, a struct field),
// with 1 and 2 executor threads; optionally writes the file back with ember first.
// Usage: parquet_nested <file.parquet> [runs] [--write out_dir]
// Make an input with pyarrow, e.g. (2M rows: array<int>, struct<a:bigint,b:string>, map<string,int>):
//   .venv/bin/python -c "import pyarrow as pa, pyarrow.parquet as pq, random; r=random.Random(1);
//   n=2_000_000; pq.write_table(pa.table({'id': range(n), 'xs': [[r.randrange(99) for _ in
//   range(r.randrange(8))] for _ in range(n)], 's': [{'a': i, 'b': str(i % 977)} for i in range(n)], 'm':
//   pa.array([[('k%d' % (i % 7), i)] for i in range(n)], pa.map_(pa.string(), pa.int64()))}),
//   '/tmp/nested.parquet', row_group_size=250_000)"
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include <ember/ember.h>

using namespace ember;
using namespace ember::functions;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <file.parquet> [runs] [--write out_dir]\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const int runs = argc > 2 && argv[2][0] != '-' ? std::atoi(argv[2]) : 3;
  std::string write_dir;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--write") == 0) write_dir = argv[i + 1];
  }
  const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  for (int threads : {1, 2}) {
    auto spark = Session::builder().master("local[" + std::to_string(threads) + "]").get_or_create();
    spark.conf().set("spark.ui.showConsoleProgress", "false");
    double best = 1e100;
    int64_t rows = 0;
    std::string check;
    for (int r = 0; r < runs; ++r) {
      auto start = std::chrono::steady_clock::now();
      auto df = spark.read().parquet(path);
      auto result = df.agg(count("*"), sum(size(col("xs"))), sum(size(col("m"))), max(col("s.b"))).collect();
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      rows = result[0][0].as_int64();
      check = result[0].to_string();
      best = std::min(best, secs);
    }
    // The aggregates, to compare with a peer's answer over the same file.
    std::printf(
        "peer=ember task=parquet_nested_read seconds=%.4f rows=%lld mb=%.1f mb_per_s=%.1f threads=%d %s\n",
        best, static_cast<long long>(rows), mb, mb / best, threads, check.c_str());
    if (!write_dir.empty()) {
      auto start = std::chrono::steady_clock::now();
      spark.read().parquet(path).write().mode("overwrite").parquet(write_dir);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("peer=ember task=parquet_nested_read_write seconds=%.4f rows=%lld threads=%d\n", secs,
                  static_cast<long long>(rows), threads);
    }
  }
  return 0;
}
