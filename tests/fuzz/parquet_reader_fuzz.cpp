// libFuzzer target for ember's Parquet reader: every input is taken as a whole Parquet file and
// read the way a scan reads one — footer and schema, row-group and column statistics, the page
// index, all columns of every row group, then row ranges through the offset index, then column by
// column at selected rows as a filtering scan reads, with a last pass that projects each column
// alone. The reader must reject a bad file with an EmberError that
// is not an internal error; anything else (a crash, a sanitizer report, another exception, a hang,
// an allocation past libFuzzer's -malloc_limit_mb) is a finding.
//
// Built only with -DEMBER_FUZZ=ON and clang (see CMakeLists.txt and `./dev.sh fuzz`). The reader
// opens files by path, so each input is written to one memfd that is reopened through
// /proc/self/fd: no disk traffic and no change to the reader for the fuzzer's sake.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "ember/common/error.h"
#include "ember/io/parquet/parquet_reader.h"

namespace {

// Values are materialised for the first rows of each batch only: enough to walk offsets, validity
// and nested shapes the decoders produced, without making large inputs slow.
constexpr size_t kRowsToTouch = 64;

const std::string& input_path() {
  static const std::string path = [] {
    int fd = memfd_create("parquet_fuzz_input", 0);
    if (fd < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    return "/proc/self/fd/" + std::to_string(fd);
  }();
  return path;
}

void write_input(const uint8_t* data, size_t size) {
  static const int fd = std::stoi(input_path().substr(input_path().rfind('/') + 1));
  if (ftruncate(fd, 0) != 0 || (size > 0 && pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))) {
    std::perror("memfd write");
    std::abort();
  }
}

void drain(ember::ParquetRowGroupReader& rows) {
  ember::Batch batch;
  while (rows.next(batch)) {
    for (size_t c = 0; c < batch.num_columns(); ++c) {
      const auto& column = batch.column(c);
      if (column->size() != batch.num_rows) std::abort();  // a reader bug, not bad input
      size_t n = batch.num_rows < kRowsToTouch ? batch.num_rows : kRowsToTouch;
      for (size_t i = 0; i < n; ++i) (void)column->value_at(i).to_string();
    }
  }
}

// The way a scan with pushed filters reads (late materialisation): per batch, the first column
// whole, the others only at every third row, and every fourth batch skipped in all but the first.
void drain_selected(ember::ParquetRowGroupReader& rows, size_t columns) {
  std::vector<uint32_t> sel;
  for (int batch = 0;; ++batch) {
    const size_t n = rows.start_batch();
    if (n == 0) return;
    if (columns > 0) {
      if (rows.read_column(0, n)->size() != n) std::abort();
    }
    sel.clear();
    for (size_t i = 0; i < n; i += 3) sel.push_back(static_cast<uint32_t>(i));
    for (size_t c = 1; c < columns; ++c) {
      if (batch % 4 == 3) {
        rows.skip_column(c, n);
        continue;
      }
      auto v = rows.read_column_selected(c, n, sel.data(), sel.size());
      if (v->size() != sel.size()) std::abort();  // a reader bug, not bad input
      size_t touch = sel.size() < kRowsToTouch ? sel.size() : kRowsToTouch;
      for (size_t i = 0; i < touch; ++i) (void)v->value_at(i).to_string();
    }
    rows.finish_batch(n);
  }
}

void read_everything(const std::string& path) {
  ember::ParquetReadOptions options;
  options.batch_size = 1000;
  auto reader = ember::ParquetFileReader::open(path, options);
  const ember::Schema& schema = reader->schema();
  (void)reader->key_value("org.apache.spark.sql.parquet.row.metadata");
  (void)reader->created_by();
  std::vector<int> all(schema.size());
  for (size_t c = 0; c < all.size(); ++c) all[c] = static_cast<int>(c);
  for (int g = 0; g < reader->num_row_groups(); ++g) {
    ember::ParquetRowGroupInfo info = reader->row_group(g);
    for (size_t c = 0; c < schema.size(); ++c) (void)reader->page_statistics(g, static_cast<int>(c));
    drain(*reader->row_group_reader(g, all));
    // Row ranges make flat chunks read page by page through the offset index.
    if (info.num_rows > 2) {
      int64_t mid = info.num_rows / 2;
      drain(*reader->row_group_reader(g, all, {{0, 1}, {mid, mid + 1}, {info.num_rows - 1, info.num_rows}}));
    }
    drain(*reader->row_group_reader(g, {}));  // count(*): row counts only
    drain_selected(*reader->row_group_reader(g, all), all.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  write_input(data, size);
  try {
    read_everything(input_path());
  } catch (const ember::EmberError& e) {
    if (e.kind() == ember::ErrorKind::kInternal) {
      std::fprintf(stderr, "internal error on bad input: %s\n", e.what());
      std::abort();
    }
  }
  return 0;
}
