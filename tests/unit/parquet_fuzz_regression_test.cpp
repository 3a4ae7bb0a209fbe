// Replays the Parquet fuzz target's inputs in the ordinary build: the seed corpus
// (tests/fuzz/corpus/parquet_reader/, files pyarrow and ember wrote) and every input the fuzzer
// found crashing (tests/fuzz/regressions/parquet_reader/, each named after what it broke). Each
// file must either read completely or fail with a user-facing EmberError naming the file — the
// property tests/fuzz/parquet_reader_fuzz.cpp checks under ASan/UBSan.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/io/parquet/parquet_reader.h"

#ifndef EMBER_FUZZ_DIR
#error "EMBER_FUZZ_DIR (tests/fuzz) is set by CMakeLists.txt for this file"
#endif

namespace ember {
namespace {

std::vector<std::filesystem::path> files_in(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(EMBER_FUZZ_DIR) + "/" + dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Reads like the fuzz target: statistics, page index, every row group whole and by row ranges.
void read_everything(const std::string& path) {
  auto reader = ParquetFileReader::open(path);
  std::vector<int> all(reader->schema().size());
  for (size_t c = 0; c < all.size(); ++c) all[c] = static_cast<int>(c);
  for (int g = 0; g < reader->num_row_groups(); ++g) {
    ParquetRowGroupInfo info = reader->row_group(g);
    for (size_t c = 0; c < all.size(); ++c) (void)reader->page_statistics(g, static_cast<int>(c));
    std::vector<std::vector<ParquetRowRange>> selections = {{{0, info.num_rows}}};
    if (info.num_rows > 2) selections.push_back({{0, 1}, {info.num_rows - 1, info.num_rows}});
    for (const auto& ranges : selections) {
      auto rows = reader->row_group_reader(g, all, ranges);
      Batch batch;
      while (rows->next(batch)) {
        for (size_t c = 0; c < batch.num_columns(); ++c) {
          ASSERT_EQ(batch.column(c)->size(), batch.num_rows);
          for (size_t i = 0; i < batch.num_rows; ++i) (void)batch.column(c)->value_at(i).to_string();
        }
      }
    }
  }
}

TEST(ParquetFuzzRegressionTest, SeedCorpusReadsCompletely) {
  auto seeds = files_in("corpus/parquet_reader");
  ASSERT_GE(seeds.size(), 10u);
  for (const auto& f : seeds) {
    SCOPED_TRACE(f.string());
    EXPECT_NO_THROW(read_everything(f.string()));
  }
}

TEST(ParquetFuzzRegressionTest, CrashingInputsFailCleanlyOrRead) {
  for (const auto& f : files_in("regressions/parquet_reader")) {
    SCOPED_TRACE(f.string());
    try {
      read_everything(f.string());
    } catch (const EmberError& e) {
      EXPECT_NE(e.kind(), ErrorKind::kInternal) << e.what();
      EXPECT_NE(std::string(e.what()).find(f.filename().string()), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace ember
