// CSV read throughput: reads every column of a mixed CSV file with typed columns, forcing every
// field to be parsed (sum/max over each column), with 1 and 2 executor threads.
// Usage: csv_read <file.csv> [runs]      (bench/run_benchmarks.sh runs it beside DuckDB)
#include <ember/ember.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

using namespace ember;
using namespace ember::functions;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <file.csv> [runs]\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  const char* schema =
      "id BIGINT, customer STRING, region STRING, amount DOUBLE, quantity INT, order_date DATE, flag BOOLEAN, note STRING";
  for (int threads : {1, 2}) {
    auto spark = Session::builder().master("local[" + std::to_string(threads) + "]").get_or_create();
    spark.conf().set("spark.ui.showConsoleProgress", "false");
    double best = 1e100;
    int64_t rows = 0;
    for (int r = 0; r < runs; ++r) {
      auto start = std::chrono::steady_clock::now();
      auto df = spark.read().option("header", "true").schema(schema).csv(path);
      auto result = df.agg(count("*"), sum("id"), max("customer"), max("region"), sum("amount"), sum("quantity"),
                           max("order_date"), max("flag"), max("note"))
                        .collect();
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      rows = result[0][0].as_int64();
      best = std::min(best, secs);
    }
    std::printf("peer=ember task=csv_read seconds=%.4f rows=%lld mb=%.1f mb_per_s=%.1f threads=%d\n", best,
                static_cast<long long>(rows), mb, mb / best, threads);
    spark.stop();  // the next get_or_create() then starts a session with the new thread count
  }
  std::printf("# reproduce: ./build/csv_read %s %d\n", path.c_str(), runs);
  return 0;
}
