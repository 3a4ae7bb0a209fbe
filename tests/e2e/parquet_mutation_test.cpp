// Mutated Parquet files (issue 4, "Bad input"): a file ember wrote, with bytes overwritten at
// deterministic pseudo-random positions or cut short, must either read (a flipped value byte can
// still decode) or fail with an EmberError that names the file. Never a crash, never an internal
// error. Deterministic (a fixed seed), so a failure reproduces; the libFuzzer target is the
// open-ended version of the same check.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>
#include <unistd.h>

#include "ember/ember.h"

namespace ember {
namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(ParquetMutationTest, MutatedFilesReadOrFailNamingTheFile) {
  Session spark = Session::builder().master("local[2]").get_or_create();
  const fs::path dir = fs::temp_directory_path() / ("ember_parquet_mutation_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  spark
      .sql(
          "SELECT id, CAST(id % 7 AS INT) AS k, CONCAT('s', CAST(id % 13 AS STRING)) AS s, id / 3.0D AS d, "
          "CAST(id AS DECIMAL(12, 2)) AS dec, DATE_ADD(DATE'2024-01-01', CAST(id % 50 AS INT)) AS day, "
          "CASE WHEN id % 5 = 0 THEN NULL ELSE ARRAY(id, id + 1) END AS arr FROM range(2000)")
      .coalesce(1)
      .write()
      .option("rowGroupMaxRows", "500")
      .parquet((dir / "src").string());
  fs::path original;
  for (const auto& e : fs::directory_iterator(dir / "src")) {
    if (e.path().extension() == ".parquet") original = e.path();
  }
  ASSERT_FALSE(original.empty());
  const std::string good = read_bytes(original);
  const fs::path target = dir / "mutated.parquet";

  std::mt19937_64 rng(20261124);
  int read_ok = 0, failed_cleanly = 0;
  for (int round = 0; round < 1000; ++round) {
    std::string bytes = good;
    if (round % 10 == 9) {
      bytes.resize(rng() % bytes.size());  // truncated
    } else {
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] = static_cast<char>(rng() & 0xFF);
    }
    write_bytes(target, bytes);
    try {
      spark.read().parquet(target.string()).collect();
      ++read_ok;
    } catch (const EmberError& e) {
      EXPECT_TRUE(e.is_user_error()) << "round " << round << ": internal error: " << e.what();
      EXPECT_NE(std::string(e.what()).find("mutated.parquet"), std::string::npos)
          << "round " << round << ": " << e.what();
      ++failed_cleanly;
    }
  }
  EXPECT_GT(failed_cleanly, 0);
  std::printf("mutated files: %d read, %d failed cleanly\n", read_ok, failed_cleanly);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ember
