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

// Reads every row group column by column as a filtering scan does (ParquetRowGroupReader's
// start_batch / read_column_selected / skip_column): the first column whole, the others at every
// third row, every fourth batch skipped. With `expect`, the selected values must be the rows of the
// whole read.
void read_selected(const std::string& path, bool expect) {
  ParquetReadOptions options;
  options.batch_size = 700;  // batches that end inside pages
  auto reader = ParquetFileReader::open(path, options);
  std::vector<int> all(reader->schema().size());
  for (size_t c = 0; c < all.size(); ++c) all[c] = static_cast<int>(c);
  for (int g = 0; g < reader->num_row_groups(); ++g) {
    auto whole = reader->row_group_reader(g, all);
    auto rows = reader->row_group_reader(g, all);
    std::vector<uint32_t> sel;
    Batch want;
    for (int batch = 0;; ++batch) {
      const size_t n = rows->start_batch();
      if (n == 0) break;
      ASSERT_TRUE(whole->next(want));
      ASSERT_EQ(want.num_rows, n);
      sel.clear();
      for (size_t i = 0; i < n; i += 3) sel.push_back(static_cast<uint32_t>(i));
      for (size_t c = 0; c < all.size(); ++c) {
        if (c > 0 && batch % 4 == 3) {
          rows->skip_column(c, n);
          continue;
        }
        VectorPtr got = c == 0 ? rows->read_column(c, n) : rows->read_column_selected(c, n, sel.data(), sel.size());
        ASSERT_EQ(got->size(), c == 0 ? n : sel.size());
        for (size_t i = 0; i < got->size(); ++i) {
          const std::string value = got->value_at(i).to_string();
          if (expect) {
            const size_t row = c == 0 ? i : sel[i];
            ASSERT_EQ(value, want.column(c)->value_at(row).to_string()) << "column " << c << " row " << row;
          }
        }
      }
      rows->finish_batch(n);
    }
  }
}

TEST(ParquetFuzzRegressionTest, SeedCorpusReadsCompletely) {
  auto seeds = files_in("corpus/parquet_reader");
  ASSERT_GE(seeds.size(), 10u);
  for (const auto& f : seeds) {
    SCOPED_TRACE(f.string());
    EXPECT_NO_THROW(read_everything(f.string()));
    read_selected(f.string(), true);
  }
}

TEST(ParquetFuzzRegressionTest, CrashingInputsFailCleanlyOrRead) {
  for (const auto& f : files_in("regressions/parquet_reader")) {
    SCOPED_TRACE(f.string());
    try {
      read_everything(f.string());
      read_selected(f.string(), false);
    } catch (const EmberError& e) {
      EXPECT_NE(e.kind(), ErrorKind::kInternal) << e.what();
      EXPECT_NE(std::string(e.what()).find(f.filename().string()), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace ember
