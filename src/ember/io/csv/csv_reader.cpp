#include "ember/io/csv/csv_reader.h"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>

#include "ember/common/error.h"
#include "ember/io/bad_records.h"
#include "ember/io/csv/csv_scanner.h"
#include "ember/io/csv/csv_values.h"
#include "ember/types/decimal.h"
#include "ember/types/json_text.h"
#include "ember/types/temporal.h"

namespace ember {

using csv_internal::FieldRef;
using csv_internal::kFieldLengthMask;
using csv_internal::kFieldMissing;
using csv_internal::kFieldQuoted;
using csv_internal::kFieldUnescaped;
using csv_internal::RecordResult;
using csv_internal::Scanner;

std::vector<CsvSplit> plan_csv_splits(const std::vector<FileInfo>& files, const CsvOptions& options,
                                      int64_t max_split_bytes) {
  std::vector<CsvSplit> splits;
  if (max_split_bytes <= 0) max_split_bytes = int64_t{128} << 20;
  for (const FileInfo& f : files) {
    if (f.size <= 0) continue;
    if (options.multi_line || f.size <= max_split_bytes) {
      splits.push_back({f.path, 0, f.size, f.size});
      continue;
    }
    // Hadoop's rule: the last piece may be up to 10% larger rather than leaving a sliver.
    int64_t start = 0;
    while (f.size - start > max_split_bytes + max_split_bytes / 10) {
      splits.push_back({f.path, start, max_split_bytes, f.size});
      start += max_split_bytes;
    }
    splits.push_back({f.path, start, f.size - start, f.size});
  }
  return splits;
}

void check_csv_split_continuity(const std::string& path, int64_t previous_record_end,
                                int64_t next_record_start) {
  if (previous_record_end == next_record_start) return;
  int64_t at = std::min(previous_record_end, next_record_start);
  int64_t line = csv_internal::line_number_at(path, at);
  throw_error(ErrorKind::kMalformedInput, "MALFORMED_RECORD_IN_PARSING",
              "Malformed CSV record in file " + path + ", line " + std::to_string(line) +
                  ": a quoted field contains a line break where the file was split for parallel "
                  "reading, so its records cannot be read line by line; use option multiLine=true");
}

namespace {

// Index of the corrupt-record column in `schema` (exact name, as Spark's getFieldIndex), or -1.
int corrupt_record_index(const Schema& schema, const CsvOptions& options) {
  for (size_t i = 0; i < schema.size(); ++i) {
    if (schema.field(i).name == options.column_name_of_corrupt_record) return static_cast<int>(i);
  }
  return -1;
}

Schema without_column(const Schema& schema, int index) {
  if (index < 0) return schema;
  std::vector<Field> fields = schema.fields();
  fields.erase(fields.begin() + index);
  return Schema(std::move(fields));
}

}  // namespace

void check_corrupt_record_column(const Schema& schema, const CsvOptions& options) {
  int c = corrupt_record_index(schema, options);
  if (c < 0 || schema.field(static_cast<size_t>(c)).type.id() == TypeId::kString) return;
  throw_error(ErrorKind::kAnalysis, "INVALID_CORRUPT_RECORD_TYPE",
              "The column `" + options.column_name_of_corrupt_record +
                  "` for corrupt records must have the nullable STRING type, but got " +
                  schema.field(static_cast<size_t>(c)).type.sql_string() + ".");
}

namespace {

enum class Kind : uint8_t {
  kNull, kBoolean, kByte, kShort, kInt, kLong, kFloat, kDouble, kDecimal, kString, kBinary,
  kDate, kTimestamp
};

Kind kind_of(const DataType& t) {
  switch (t.id()) {
    case TypeId::kNull: return Kind::kNull;
    case TypeId::kBoolean: return Kind::kBoolean;
    case TypeId::kByte: return Kind::kByte;
    case TypeId::kShort: return Kind::kShort;
    case TypeId::kInt: return Kind::kInt;
    case TypeId::kLong: return Kind::kLong;
    case TypeId::kFloat: return Kind::kFloat;
    case TypeId::kDouble: return Kind::kDouble;
    case TypeId::kDecimal: return Kind::kDecimal;
    case TypeId::kString: return Kind::kString;
    case TypeId::kBinary: return Kind::kBinary;
    case TypeId::kDate: return Kind::kDate;
    case TypeId::kTimestamp: return Kind::kTimestamp;
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kStruct:
    case TypeId::kYearMonthInterval:
    case TypeId::kDayTimeInterval:
      // DataFrameReader rejects such a schema, naming the column, before any file is read.
      throw_error(ErrorKind::kAnalysis, "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE",
                  "The CSV datasource doesn't support the type \"" + t.sql_string() + "\".");
  }
  return Kind::kString;
}

// Routes the fields of one record into per-column arrays for the projected columns only.
struct BatchSink {
  const int32_t* slot_of_column;
  uint32_t num_columns;
  FieldRef* const* slots;
  uint32_t row = 0;
  void field(uint32_t index, FieldRef f) {
    if (index < num_columns) {
      int32_t s = slot_of_column[index];
      if (s >= 0) slots[s][row] = f;
    }
  }
};

struct NullSink {
  void field(uint32_t, FieldRef) {}
};

enum class Problem : uint8_t { kNone, kFieldCount, kUnterminatedQuote, kBadValue };

}  // namespace

struct CsvSplitReader::Impl {
  CsvSplit split;
  int corrupt_index;  // in the schema the reader was given; -1 when it has no corrupt-record column
  Schema schema;      // the columns the file holds (the given schema without the corrupt column)
  std::vector<int> projection;
  CsvOptions options;
  const TimeZone* tz;
  Scanner scanner;

  // Distinct projected file columns; output column i is slot out_slot[i], or the corrupt-record
  // column when out_slot[i] is kCorruptSlot. When malformed records are reported (the corrupt
  // column is read, or badRecordsPath is set) every file column has a slot, as Spark turns column
  // pruning off then: a record is malformed whatever columns the query reads.
  static constexpr int kCorruptSlot = -1;
  std::vector<int> slot_column;
  std::vector<int> out_slot;
  std::vector<int32_t> slot_of_column;
  std::vector<std::vector<FieldRef>> slot_fields;
  std::vector<FieldRef*> slot_ptrs;
  std::vector<Kind> slot_kind;

  std::vector<int64_t> row_offset;
  std::vector<int64_t> row_end;
  std::vector<uint32_t> row_num_fields;
  std::vector<Problem> row_problem;
  std::vector<uint8_t> row_bad;  // per batch: a value failed to convert
  bool any_structural_problem = false;

  std::optional<DateTimePattern> date_pattern;
  std::optional<DateTimePattern> timestamp_pattern;
  bool null_value_empty;
  bool empty_read_is_null;

  int64_t rows = 0;
  bool done = false;

  // Malformed-record reporting (corrupt-record column, badRecordsPath).
  bool corrupt_projected = false;
  std::string bad_records_dir;
  std::unique_ptr<BadRecordsWriter> bad_records_out;
  int64_t bad_records = 0;
  int64_t line_cursor_offset = 0;  // a record start whose line number is known
  int64_t line_cursor_line = 1;
  bool line_cursor_valid = false;

  Impl(CsvSplit s, const Schema& given, std::vector<int> proj, CsvOptions o, const TimeZone& session_tz,
       std::string bad_dir)
      : split(std::move(s)),
        corrupt_index(corrupt_record_index(given, o)),
        schema(without_column(given, corrupt_index)),
        projection(std::move(proj)),
        options(std::move(o)),
        tz(options.time_zone.empty() ? &session_tz : TimeZone::find(options.time_zone)),
        scanner(split.path, split.start, split.start + split.length, options),
        bad_records_dir(options.bad_records_path.empty() ? std::string() : std::move(bad_dir)) {
    check_corrupt_record_column(given, options);
    if (!options.bad_records_path.empty() && bad_records_dir.empty()) {
      bad_records_dir = bad_records_directory(options.bad_records_path, 0);
    }
    slot_of_column.assign(schema.size(), -1);
    auto add_slot = [this](int c) {
      if (slot_of_column[static_cast<size_t>(c)] < 0) {
        slot_of_column[static_cast<size_t>(c)] = static_cast<int32_t>(slot_column.size());
        slot_column.push_back(c);
      }
      return slot_of_column[static_cast<size_t>(c)];
    };
    for (int c : projection) {
      if (c < 0 || static_cast<size_t>(c) >= given.size()) {
        throw_error(ErrorKind::kInternal, "CSV projection index " + std::to_string(c) + " out of range");
      }
      if (c == corrupt_index) {
        corrupt_projected = true;
        out_slot.push_back(kCorruptSlot);
        continue;
      }
      out_slot.push_back(add_slot(corrupt_index >= 0 && c > corrupt_index ? c - 1 : c));
    }
    if (reports_bad_records()) {
      for (size_t c = 0; c < schema.size(); ++c) add_slot(static_cast<int>(c));
    }
    slot_fields.resize(slot_column.size());
    for (size_t s = 0; s < slot_column.size(); ++s) {
      slot_fields[s].resize(kBatchSize);
      slot_ptrs.push_back(slot_fields[s].data());
      slot_kind.push_back(kind_of(schema.field(static_cast<size_t>(slot_column[s])).type));
    }
    row_offset.resize(kBatchSize);
    row_end.resize(kBatchSize);
    row_num_fields.resize(kBatchSize);
    row_problem.resize(kBatchSize);
    row_bad.resize(kBatchSize);
    if (options.date_format_set) date_pattern = DateTimePattern::compile(options.date_format);
    if (!options.timestamp_format.empty()) {
      timestamp_pattern = DateTimePattern::compile(options.timestamp_format);
    }
    null_value_empty = options.null_value.empty();
    empty_read_is_null = options.empty_value_in_read() == options.null_value;
    if (options.header && split.start == 0) {
      NullSink sink;
      RecordResult info{};
      scanner.next(sink, true, info);
      scanner.clear_side();
    }
  }

  bool reports_bad_records() const { return corrupt_projected || !bad_records_dir.empty(); }

  // The field's text, or nullopt when Spark reads it as null.
  std::optional<std::string_view> resolve(FieldRef f) const {
    uint32_t flags = f.length_and_flags;
    if (flags & kFieldMissing) return std::nullopt;
    uint32_t len = flags & kFieldLengthMask;
    if (len == 0) {
      // univocity returns nullValue for an empty unquoted field and emptyValue for "".
      if (!(flags & kFieldQuoted) || empty_read_is_null) return std::nullopt;
      return std::string_view(options.empty_value_in_read());
    }
    const char* p = (flags & kFieldUnescaped) ? scanner.side().data() + f.offset : scanner.base() + f.offset;
    std::string_view s(p, len);
    if (!null_value_empty && s == options.null_value) return std::nullopt;
    return s;
  }

  bool parse_date_text(std::string_view s, int32_t& days) const {
    if (date_pattern) {
      auto d = date_pattern->parse_date(s);
      if (!d) return false;
      days = *d;
      return true;
    }
    if (csv_internal::parse_iso_date_fast(s.data(), s.size(), days)) return true;
    auto d = parse_date(s);
    if (!d) return false;
    days = *d;
    return true;
  }

  bool parse_timestamp_text(std::string_view s, int64_t& micros) const {
    if (timestamp_pattern) {
      auto t = timestamp_pattern->parse_timestamp(s, *tz);
      if (!t) return false;
      micros = *t;
      return true;
    }
    if (csv_internal::parse_iso_timestamp_fast(s.data(), s.size(), *tz, micros)) return true;
    auto t = parse_timestamp(s, *tz);
    if (!t) return false;
    micros = *t;
    return true;
  }

  // Parses one value into `out` (a pointer to the slot's element); false when malformed.
  bool parse_one(Kind kind, const DataType& type, std::string_view s, void* out) const {
    switch (kind) {
      case Kind::kNull: return true;
      case Kind::kBoolean: return csv_internal::parse_java_boolean(s.data(), s.size(), *static_cast<uint8_t*>(out));
      case Kind::kByte: return csv_internal::parse_java_integer(s.data(), s.size(), *static_cast<int8_t*>(out));
      case Kind::kShort: return csv_internal::parse_java_integer(s.data(), s.size(), *static_cast<int16_t*>(out));
      case Kind::kInt: return csv_internal::parse_java_integer(s.data(), s.size(), *static_cast<int32_t*>(out));
      case Kind::kLong: return csv_internal::parse_java_integer(s.data(), s.size(), *static_cast<int64_t*>(out));
      case Kind::kFloat: return csv_internal::parse_java_floating(s.data(), s.size(), options, *static_cast<float*>(out));
      case Kind::kDouble: return csv_internal::parse_java_floating(s.data(), s.size(), options, *static_cast<double*>(out));
      case Kind::kDecimal: {
        auto d = parse_decimal(s, type.precision(), type.scale());
        if (!d) return false;
        *static_cast<int128_t*>(out) = *d;
        return true;
      }
      case Kind::kDate: return parse_date_text(s, *static_cast<int32_t*>(out));
      case Kind::kTimestamp: return parse_timestamp_text(s, *static_cast<int64_t*>(out));
      case Kind::kString:
      case Kind::kBinary: return true;
    }
    return true;
  }

  template <class T, class Parse>
  void convert_fixed(Vector& v, const FieldRef* refs, size_t n, Parse&& parse) {
    T* out = v.values<T>();
    for (size_t r = 0; r < n; ++r) {
      std::optional<std::string_view> s = resolve(refs[r]);
      if (!s) {
        out[r] = T{};
        v.set_null(r);
        continue;
      }
      if (!parse(s->data(), s->size(), out[r])) {
        out[r] = T{};
        v.set_null(r);
        row_bad[r] = 1;
      }
    }
  }

  VectorPtr convert_slot(size_t s, size_t n) {
    const DataType& type = schema.field(static_cast<size_t>(slot_column[s])).type;
    const FieldRef* refs = slot_ptrs[s];
    auto v = Vector::make(type, n);
    switch (slot_kind[s]) {
      case Kind::kNull:
        return Vector::make_null(type, n);
      case Kind::kBoolean:
        convert_fixed<uint8_t>(*v, refs, n, [](const char* p, size_t len, uint8_t& o) {
          return csv_internal::parse_java_boolean(p, len, o);
        });
        break;
      case Kind::kByte:
        convert_fixed<int8_t>(*v, refs, n, [](const char* p, size_t len, int8_t& o) {
          return csv_internal::parse_java_integer(p, len, o);
        });
        break;
      case Kind::kShort:
        convert_fixed<int16_t>(*v, refs, n, [](const char* p, size_t len, int16_t& o) {
          return csv_internal::parse_java_integer(p, len, o);
        });
        break;
      case Kind::kInt:
        convert_fixed<int32_t>(*v, refs, n, [](const char* p, size_t len, int32_t& o) {
          return csv_internal::parse_java_integer(p, len, o);
        });
        break;
      case Kind::kLong:
        convert_fixed<int64_t>(*v, refs, n, [](const char* p, size_t len, int64_t& o) {
          return csv_internal::parse_java_integer(p, len, o);
        });
        break;
      case Kind::kFloat:
        convert_fixed<float>(*v, refs, n, [this](const char* p, size_t len, float& o) {
          return csv_internal::parse_java_floating(p, len, options, o);
        });
        break;
      case Kind::kDouble:
        convert_fixed<double>(*v, refs, n, [this](const char* p, size_t len, double& o) {
          return csv_internal::parse_java_floating(p, len, options, o);
        });
        break;
      case Kind::kDecimal: {
        int precision = type.precision(), scale = type.scale();
        convert_fixed<int128_t>(*v, refs, n, [precision, scale](const char* p, size_t len, int128_t& o) {
          auto d = parse_decimal(std::string_view(p, len), precision, scale);
          if (!d) return false;
          o = *d;
          return true;
        });
        break;
      }
      case Kind::kDate:
        convert_fixed<int32_t>(*v, refs, n, [this](const char* p, size_t len, int32_t& o) {
          return parse_date_text(std::string_view(p, len), o);
        });
        break;
      case Kind::kTimestamp:
        convert_fixed<int64_t>(*v, refs, n, [this](const char* p, size_t len, int64_t& o) {
          return parse_timestamp_text(std::string_view(p, len), o);
        });
        break;
      case Kind::kString:
      case Kind::kBinary:
        convert_strings(*v, refs, n);
        break;
    }
    return v;
  }

  void convert_strings(Vector& v, const FieldRef* refs, size_t n) {
    // Two passes: size the chars buffer once, then copy straight from the read buffer.
    std::vector<std::string_view> values(n);
    size_t total = 0;
    bool any_null = false;
    for (size_t r = 0; r < n; ++r) {
      std::optional<std::string_view> s = resolve(refs[r]);
      if (s) {
        values[r] = *s;
        total += s->size();
      } else {
        values[r] = std::string_view();
        any_null = true;
      }
    }
    if (total > static_cast<size_t>(INT32_MAX)) {
      throw_error(ErrorKind::kUnsupported, "a CSV string column batch exceeds 2 GiB");
    }
    Buffer& chars = *v.chars_buffer();
    chars.resize(total);
    char* dst = reinterpret_cast<char*>(chars.data());
    int32_t* offsets = v.mutable_offsets();
    size_t at = 0;
    offsets[0] = 0;
    for (size_t r = 0; r < n; ++r) {
      size_t len = values[r].size();
      if (len != 0) std::memcpy(dst + at, values[r].data(), len);
      at += len;
      offsets[r + 1] = static_cast<int32_t>(at);
    }
    if (any_null) {
      for (size_t r = 0; r < n; ++r) {
        if (values[r].data() == nullptr) v.set_null(r);
      }
    }
  }

  // Tokenizes up to kBatchSize records; returns how many.
  size_t tokenize_batch() {
    BatchSink sink{slot_of_column.data(), static_cast<uint32_t>(schema.size()), slot_ptrs.data(), 0};
    any_structural_problem = false;
    scanner.clear_side();
    const uint32_t width = static_cast<uint32_t>(schema.size());
    size_t n = 0;
    while (n < kBatchSize) {
      sink.row = static_cast<uint32_t>(n);
      RecordResult info{};
      Scanner::Step step = scanner.next(sink, n == 0, info);
      if (step == Scanner::Step::kEnd) {
        done = true;
        break;
      }
      if (step == Scanner::Step::kBlocked) break;
      row_offset[n] = scanner.last_record_offset();
      row_end[n] = scanner.record_end();
      row_num_fields[n] = info.num_fields;
      Problem problem = Problem::kNone;
      if (info.status == csv_internal::RecordStatus::kUnterminatedQuote) {
        problem = Problem::kUnterminatedQuote;
      } else if (info.num_fields != width) {
        problem = Problem::kFieldCount;
      }
      row_problem[n] = problem;
      if (problem != Problem::kNone) {
        any_structural_problem = true;
        for (size_t s = 0; s < slot_column.size(); ++s) {
          if (static_cast<uint32_t>(slot_column[s]) >= info.num_fields) {
            slot_ptrs[s][n] = FieldRef{0, kFieldMissing};
          }
        }
      }
      ++n;
    }
    return n;
  }

  std::string column_name(size_t file_column) const { return schema.field(file_column).name; }

  // 1-based line of the record `row` of the current batch. Records come in file order, so the
  // count resumes from the previous answer and a split with many bad records reads its file once.
  int64_t line_of(size_t row) {
    int64_t offset = row_offset[row];
    int64_t line = line_cursor_valid && offset >= line_cursor_offset
                       ? csv_internal::line_number_at(split.path, offset, line_cursor_offset, line_cursor_line)
                       : csv_internal::line_number_at(split.path, offset);
    line_cursor_offset = offset;
    line_cursor_line = line;
    line_cursor_valid = true;
    return line;
  }

  // The record's text as it stands in the file, without its line terminator.
  std::string_view raw_record(size_t row) const {
    int64_t begin = row_offset[row] - scanner.buffer_offset();
    int64_t end = row_end[row] - scanner.buffer_offset();
    std::string_view text(scanner.base() + begin, static_cast<size_t>(end - begin));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    return text;
  }

  // What is wrong with record `row`, and the remedy FAILFAST suggests.
  std::pair<std::string, std::string> describe(size_t row) const {
    std::string what;
    std::string remedy = " (mode FAILFAST; use option mode=PERMISSIVE to read it as null)";
    if (row_problem[row] == Problem::kUnterminatedQuote) {
      what = "a quoted field is not closed before the end of the file";
      remedy = " (mode FAILFAST; use option mode=PERMISSIVE to read the rest of the file as the field)";
    } else if (row_problem[row] == Problem::kFieldCount) {
      what = "expected " + std::to_string(schema.size()) + " fields but found " +
             std::to_string(row_num_fields[row]);
      remedy = " (mode FAILFAST; use option mode=PERMISSIVE to pad with nulls or drop extra fields, "
               "or mode=DROPMALFORMED to skip the record)";
    } else {
      // The first projected column, in file order, whose value does not parse.
      std::vector<size_t> order(slot_column.size());
      for (size_t s = 0; s < order.size(); ++s) order[s] = s;
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return slot_column[a] < slot_column[b]; });
      for (size_t s : order) {
        std::optional<std::string_view> text = resolve(slot_ptrs[s][row]);
        if (!text) continue;
        const DataType& type = schema.field(static_cast<size_t>(slot_column[s])).type;
        alignas(16) unsigned char scratch[16];
        if (parse_one(slot_kind[s], type, *text, scratch)) continue;
        std::string shown(text->substr(0, 200));
        if (text->size() > 200) shown += "...";
        what = "cannot parse '" + shown + "' as " + type.simple_string() + " for column '" +
               column_name(static_cast<size_t>(slot_column[s])) + "'";
        break;
      }
      if (what.empty()) what = "a value does not match the schema";
    }
    return {what, remedy};
  }

  [[noreturn]] void fail(size_t row) {
    int64_t line = line_of(row);
    std::string where = "Malformed CSV record in file " + split.path + ", line " + std::to_string(line) + ": ";
    auto [what, remedy] = describe(row);
    std::string hint;
    if (split.start > 0 && !options.multi_line) {
      hint = "; if fields contain quoted line breaks, use option multiLine=true";
    }
    throw_error(ErrorKind::kMalformedInput, "MALFORMED_RECORD_IN_PARSING", where + what + remedy + hint);
  }

  bool is_bad(size_t r) const { return row_bad[r] || row_problem[r] != Problem::kNone; }

  int64_t count_bad(size_t n) const {
    int64_t c = 0;
    for (size_t r = 0; r < n; ++r) c += is_bad(r) ? 1 : 0;
    return c;
  }

  // The corrupt-record column of the batch: the raw record for malformed rows, null otherwise.
  VectorPtr corrupt_column(size_t n) {
    auto v = Vector::make(DataType::string(), n);
    std::vector<std::string_view> texts(n);
    size_t total = 0;
    for (size_t r = 0; r < n; ++r) {
      if (is_bad(r)) {
        texts[r] = raw_record(r);
        total += texts[r].size();
      }
    }
    Buffer& chars = *v->chars_buffer();
    chars.resize(total);
    char* dst = reinterpret_cast<char*>(chars.data());
    int32_t* offsets = v->mutable_offsets();
    size_t at = 0;
    offsets[0] = 0;
    for (size_t r = 0; r < n; ++r) {
      if (!texts[r].empty()) std::memcpy(dst + at, texts[r].data(), texts[r].size());
      at += texts[r].size();
      offsets[r + 1] = static_cast<int32_t>(at);
      if (!is_bad(r)) v->set_null(r);
    }
    return v;
  }

  // Appends one JSON line per malformed record of the batch to this split's bad-records file
  // (created, or truncated by a retried attempt, on the first one).
  void write_bad_records(size_t n) {
    if (!bad_records_out) {
      bad_records_out =
          std::make_unique<BadRecordsWriter>(bad_records_dir, split.path, split.start, options.bad_records_path);
    }
    for (size_t r = 0; r < n; ++r) {
      if (!is_bad(r)) continue;
      ++bad_records;
      bad_records_out->add(line_of(r), raw_record(r), describe(r).first);
    }
    bad_records_out->flush();
  }

  bool next(Batch& out) {
    while (!done) {
      size_t n = tokenize_batch();
      if (n == 0) continue;
      std::fill(row_bad.begin(), row_bad.begin() + static_cast<std::ptrdiff_t>(n), uint8_t{0});
      std::vector<VectorPtr> slot_vectors(slot_column.size());
      for (size_t s = 0; s < slot_column.size(); ++s) slot_vectors[s] = convert_slot(s, n);

      bool any_bad = any_structural_problem;
      if (!any_bad) {
        for (size_t r = 0; r < n; ++r) {
          if (row_bad[r]) { any_bad = true; break; }
        }
      }
      if (any_bad) {
        // badRecordsPath takes precedence over the mode, as in Databricks: the records go to the
        // files and are left out of the result.
        if (!bad_records_dir.empty()) {
          write_bad_records(n);
        } else if (options.mode == CsvOptions::Mode::kFailFast) {
          for (size_t r = 0; r < n; ++r) {
            if (is_bad(r)) fail(r);
          }
        } else {
          bad_records += count_bad(n);
        }
      }
      VectorPtr corrupt;
      if (corrupt_projected) corrupt = any_bad ? corrupt_column(n) : Vector::make_null(DataType::string(), n);
      if (any_bad && (options.mode == CsvOptions::Mode::kDropMalformed || !bad_records_dir.empty())) {
        SelectionVector keep;
        keep.reserve(n);
        for (size_t r = 0; r < n; ++r) {
          if (!is_bad(r)) keep.push_back(static_cast<uint32_t>(r));
        }
        if (keep.size() != n) {
          for (auto& v : slot_vectors) v = gather(*v, keep.data(), keep.size());
          if (corrupt) corrupt = gather(*corrupt, keep.data(), keep.size());
          n = keep.size();
        }
      }
      if (n == 0) continue;
      out.columns.clear();
      out.columns.reserve(out_slot.size());
      for (int s : out_slot) {
        out.columns.push_back(s == kCorruptSlot ? corrupt : slot_vectors[static_cast<size_t>(s)]);
      }
      out.num_rows = n;
      rows += static_cast<int64_t>(n);
      return true;
    }
    return false;
  }
};

CsvSplitReader::CsvSplitReader(CsvSplit split, Schema file_schema, std::vector<int> projection,
                               CsvOptions options, const TimeZone& tz, std::string bad_records_dir)
    : impl_(std::make_unique<Impl>(std::move(split), file_schema, std::move(projection), std::move(options), tz,
                                   std::move(bad_records_dir))) {}

CsvSplitReader::~CsvSplitReader() = default;

bool CsvSplitReader::next(Batch& out) { return impl_->next(out); }
int64_t CsvSplitReader::record_start() const { return impl_->scanner.record_start(); }
int64_t CsvSplitReader::record_end() const { return impl_->scanner.record_end(); }
int64_t CsvSplitReader::rows_read() const { return impl_->rows; }
int64_t CsvSplitReader::bytes_read() const { return impl_->scanner.bytes_read(); }
int64_t CsvSplitReader::bad_records() const { return impl_->bad_records; }

}  // namespace ember
