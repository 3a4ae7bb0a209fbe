#include "ember/optimizer/cost/source_statistics.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string_view>

#include "ember/io/parquet/parquet_options.h"
#include "ember/io/parquet/parquet_reader.h"

namespace ember {

namespace {

// Bounds merge by value order; statistics are only ever merged between values of one type.
bool less_than(const Value& a, const Value& b) {
  switch (a.type().id()) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kDate:
    case TypeId::kTimestamp: return a.as_int64() < b.as_int64();
    case TypeId::kFloat:
    case TypeId::kDouble: return a.as_double() < b.as_double();
    case TypeId::kDecimal: return a.as_decimal() < b.as_decimal();
    case TypeId::kString:
    case TypeId::kBinary: return std::string_view(a.as_string()) < std::string_view(b.as_string());
    case TypeId::kBoolean: return !a.as_bool() && b.as_bool();
    default: return false;
  }
}

// Per column, while merging row groups: a bound stays known only if every row group had one.
struct ColumnAccumulator {
  std::optional<Value> min, max;
  bool bounds_known = true;
  double nulls = 0;
  bool nulls_known = true;
  double distinct = 0;  // the largest per-chunk count: a lower bound of the column's
  bool distinct_seen = false;
};

void merge_chunk(ColumnAccumulator& acc, const ParquetColumnStatistics& s) {
  if (s.min && s.max && acc.bounds_known) {
    if (!acc.min || less_than(*s.min, *acc.min)) acc.min = s.min;
    if (!acc.max || less_than(*acc.max, *s.max)) acc.max = s.max;
  } else if (s.num_values > 0 && !(s.null_count && *s.null_count == s.num_values)) {
    acc.bounds_known = false;  // a chunk with values but no bounds: the column's are unknown
  }
  if (s.null_count) acc.nulls += static_cast<double>(*s.null_count);
  else acc.nulls_known = false;
  if (s.distinct_count) {
    acc.distinct = std::max(acc.distinct, static_cast<double>(*s.distinct_count));
    acc.distinct_seen = true;
  }
}

void parquet_statistics(const DataSource& src, SourceStatistics& out) {
  const int data_columns = static_cast<int>(src.schema.size()) - src.partition_columns;
  std::vector<ColumnAccumulator> acc(static_cast<size_t>(data_columns));
  const ParquetReadOptions options = ParquetReadOptions::parse(src.options);
  double rows = 0;
  for (const auto& file : src.files) {
    auto reader = ParquetFileReader::open(file.first, options);
    rows += static_cast<double>(reader->num_rows());
    // Source fields by position in this file (files of one source may order columns differently).
    std::vector<int> in_file(static_cast<size_t>(data_columns), -1);
    for (int c = 0; c < data_columns; ++c) {
      const Field& f = src.schema.field(static_cast<size_t>(c));
      int i = reader->schema().index_of(f.name);
      if (i >= 0 && reader->schema().field(static_cast<size_t>(i)).type == f.type)
        in_file[static_cast<size_t>(c)] = i;
    }
    for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
      ParquetRowGroupInfo info = reader->row_group(rg);
      for (int c = 0; c < data_columns; ++c) {
        ColumnAccumulator& a = acc[static_cast<size_t>(c)];
        if (in_file[static_cast<size_t>(c)] < 0) {
          a.bounds_known = false;  // the column is missing from this file: all nulls here
          a.nulls += static_cast<double>(info.num_rows);
          continue;
        }
        merge_chunk(a, info.columns[static_cast<size_t>(in_file[static_cast<size_t>(c)])]);
      }
    }
  }
  out.row_count = rows;
  for (int c = 0; c < data_columns; ++c) {
    const ColumnAccumulator& a = acc[static_cast<size_t>(c)];
    ColumnStat& s = out.columns[static_cast<size_t>(c)];
    if (a.bounds_known && a.min && a.max) {
      s.min = a.min;
      s.max = a.max;
    }
    if (a.nulls_known) s.null_count = a.nulls;
    if (a.distinct_seen) s.distinct_count = a.distinct;
  }
}

bool compressed(const std::string& path) {
  for (std::string_view ext : {".gz", ".bz2", ".zst", ".lz4", ".snappy", ".deflate", ".xz", ".zip"}) {
    if (path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0)
      return true;
  }
  return false;
}

// Lines of text sources: the first file's first 64 KiB tells the bytes per line.
void text_line_statistics(const DataSource& src, bool header, SourceStatistics& out) {
  constexpr size_t kSampleBytes = 64 * 1024;
  double total_bytes = 0;
  for (const auto& f : src.files) {
    if (compressed(f.first)) return;  // the on-disk size says little about the row count
    total_bytes += static_cast<double>(f.second);
  }
  if (src.files.empty()) {
    out.row_count = 0;
    return;
  }
  std::ifstream in(src.files[0].first, std::ios::binary);
  if (!in) return;
  std::string sample(kSampleBytes, '\0');
  in.read(sample.data(), static_cast<std::streamsize>(sample.size()));
  sample.resize(static_cast<size_t>(in.gcount()));
  if (sample.empty()) return;
  double lines = static_cast<double>(std::count(sample.begin(), sample.end(), '\n'));
  const bool whole_file = static_cast<int64_t>(sample.size()) >= src.files[0].second;
  if (whole_file && sample.back() != '\n') lines += 1;  // a last line without a newline
  if (lines <= 0) lines = 1;                            // one line longer than the sample
  const double header_lines = header ? static_cast<double>(src.files.size()) : 0;
  const double estimated = total_bytes * lines / static_cast<double>(sample.size());
  out.row_count = std::max(0.0, estimated - header_lines);
}

// Partition columns: one value per file, so their bounds and distinct counts are exact.
void partition_statistics(const DataSource& src, SourceStatistics& out) {
  const size_t data_columns = src.schema.size() - static_cast<size_t>(src.partition_columns);
  for (size_t k = 0; k < static_cast<size_t>(src.partition_columns); ++k) {
    ColumnStat& s = out.columns[data_columns + k];
    std::set<std::string> distinct;
    bool has_null = false;
    for (const auto& values : src.file_partition_values) {
      if (k >= values.size()) continue;
      const Value& v = values[k];
      if (v.is_null()) {
        has_null = true;
        continue;
      }
      distinct.insert(v.to_string());
      if (!s.min || less_than(v, *s.min)) s.min = v;
      if (!s.max || less_than(*s.max, v)) s.max = v;
    }
    s.distinct_count = static_cast<double>(distinct.size());
    if (!has_null) s.null_count = 0;
  }
}

std::shared_ptr<const SourceStatistics> compute(const DataSource& src) {
  auto out = std::make_shared<SourceStatistics>();
  out->columns.resize(src.schema.size());
  try {
    switch (src.kind) {
      case SourceKind::kParquet: parquet_statistics(src, *out); break;
      case SourceKind::kCsv: {
        auto h = src.options.find("header");
        text_line_statistics(src, h != src.options.end() && to_lower(h->second) == "true", *out);
        break;
      }
      case SourceKind::kJson: text_line_statistics(src, false, *out); break;
      default: break;
    }
    if (src.partition_columns > 0) partition_statistics(src, *out);
  } catch (const std::exception&) {
    // Unreadable data: planning goes on without statistics; the scan reports the problem.
    out = std::make_shared<SourceStatistics>();
    out->columns.resize(src.schema.size());
  }
  return out;
}

}  // namespace

std::shared_ptr<const SourceStatistics> file_source_statistics(
    const std::shared_ptr<const DataSource>& source) {
  // Keyed by the source object (weakly, so a dropped DataFrame frees its entry): sources are
  // immutable once read() returns.
  static std::mutex mu;
  static std::map<std::weak_ptr<const DataSource>, std::shared_ptr<const SourceStatistics>,
                  std::owner_less<std::weak_ptr<const DataSource>>>
      cache;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(source);
    if (it != cache.end()) return it->second;
  }
  auto stats = compute(*source);  // outside the lock: may read many footers
  std::lock_guard<std::mutex> lock(mu);
  for (auto it = cache.begin(); it != cache.end();) {
    it = it->first.expired() ? cache.erase(it) : std::next(it);
  }
  cache.emplace(source, stats);
  return stats;
}

}  // namespace ember
