#include "ember/io/json/json_reader.h"

#include <algorithm>
#include <exception>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <simdjson.h>

#include "ember/common/error.h"
#include "ember/io/bad_records.h"
#include "ember/io/csv/csv_scanner.h"
#include "ember/types/decimal.h"
#include "ember/types/temporal.h"
#include "ember/types/value.h"

namespace ember {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// The bytes of the records that start in [start, end) of a file, followed by simdjson's padding
// (the parser reads a little past the end of what it parses).
struct SplitText {
  std::vector<char> bytes;  // text + SIMDJSON_PADDING zero bytes
  size_t length = 0;        // text bytes
  size_t first = 0;         // where the first owned record starts
  int64_t offset = 0;       // file offset of bytes[0]
};

SplitText read_split(const std::string& path, int64_t start, int64_t end, bool whole_file) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_error(ErrorKind::kIo, "cannot open JSON file " + path);
  SplitText t;
  // One byte before the split tells whether a line starts exactly at `start`.
  t.offset = start > 0 ? start - 1 : 0;
  in.seekg(t.offset);
  // Read straight into the padded buffer (one copy of the split in memory).
  std::vector<char>& bytes = t.bytes;
  bytes.resize(static_cast<size_t>(end - t.offset) + simdjson::SIMDJSON_PADDING);
  in.read(bytes.data(), end - t.offset);
  size_t length = static_cast<size_t>(in.gcount());
  if (!whole_file && length > 0 && bytes[length - 1] != '\n') {
    // The last owned line continues past the split end: read on to its newline.
    constexpr size_t kChunk = 1 << 16;
    for (;;) {
      bytes.resize(length + kChunk + simdjson::SIMDJSON_PADDING);
      in.read(bytes.data() + length, kChunk);
      auto got = static_cast<size_t>(in.gcount());
      if (got == 0) break;
      const char* nl = static_cast<const char*>(std::memchr(bytes.data() + length, '\n', got));
      length += nl ? static_cast<size_t>(nl - (bytes.data() + length)) + 1 : got;
      if (nl) break;
    }
  }
  bytes.resize(length + simdjson::SIMDJSON_PADDING);
  std::memset(bytes.data() + length, 0, simdjson::SIMDJSON_PADDING);
  if (start > 0) {
    const char* nl = static_cast<const char*>(std::memchr(bytes.data(), '\n', length));
    t.first = nl ? static_cast<size_t>(nl - bytes.data()) + 1 : length;
  } else if (length >= 3 && std::memcmp(bytes.data(), "\xEF\xBB\xBF", 3) == 0) {
    t.first = 3;  // a UTF-8 byte order mark
  }
  t.length = length;
  return t;
}

// The array or object an element is known to be (checked by the caller), held by value: a range
// for over a temporary simdjson_result would dangle.
simdjson::dom::array as_array(const element& e) {
  simdjson::dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) a = {};
  return a;
}
simdjson::dom::object as_object(const element& e) {
  simdjson::dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) o = {};
  return o;
}

bool blank(const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') return false;
  }
  return true;
}

// Calls fn(pointer, length, offset in text) for every non-blank record: each line, or the whole
// text with multiLine. Lines that start at or past `limit` belong to the next split.
template <class Fn>
void for_each_record(const SplitText& t, size_t limit, bool multi_line, Fn&& fn) {
  const char* base = t.bytes.data();
  if (multi_line) {
    if (!blank(base + t.first, t.length - t.first)) fn(base + t.first, t.length - t.first, t.first);
    return;
  }
  size_t pos = t.first;
  while (pos < t.length && pos < limit) {
    const char* nl = static_cast<const char*>(std::memchr(base + pos, '\n', t.length - pos));
    size_t stop = nl ? static_cast<size_t>(nl - base) : t.length;
    size_t len = stop - pos;
    if (len > 0 && base[pos + len - 1] == '\r') --len;
    if (!blank(base + pos, len)) fn(base + pos, len, pos);
    pos = stop + 1;
  }
}

std::string record_location(const std::string& path, int64_t file_offset, bool multi_line) {
  if (multi_line) return "file " + path;
  return "file " + path + ", line " + std::to_string(csv_internal::line_number_at(path, file_offset));
}

[[noreturn]] void fail_fast(const std::string& path, int64_t file_offset, bool multi_line,
                            const std::string& why) {
  throw_error(ErrorKind::kMalformedInput, "MALFORMED_RECORD_IN_PARSING",
              "Malformed JSON record in " + record_location(path, file_offset, multi_line) + ": " + why +
                  ". Parse mode: FAILFAST; use mode PERMISSIVE or DROPMALFORMED to read past it");
}

// --- inference (Spark's JsonInferSchema) ---

DataType merge_types(const DataType& a, const DataType& b);

DataType sorted_struct(std::vector<Field> fields) {
  std::stable_sort(fields.begin(), fields.end(),
                   [](const Field& x, const Field& y) { return x.name < y.name; });
  // Duplicate keys in one object merge into one field.
  std::vector<Field> out;
  for (auto& f : fields) {
    if (!out.empty() && out.back().name == f.name) out.back().type = merge_types(out.back().type, f.type);
    else out.push_back(std::move(f));
  }
  return DataType::struct_(std::move(out));
}

DataType infer_value(const element& e, bool primitives_as_string) {
  switch (e.type()) {
    case element_type::NULL_VALUE: return DataType::null();
    case element_type::BOOL: return primitives_as_string ? DataType::string() : DataType::boolean();
    case element_type::INT64: return primitives_as_string ? DataType::string() : DataType::int64();
    // Past bigint Jackson reports a BigInteger, which Spark types as the decimal that holds it.
    case element_type::UINT64:
      return primitives_as_string
                 ? DataType::string()
                 : (e.get_uint64().value_unsafe() > uint64_t(std::numeric_limits<int64_t>::max())
                        ? DataType::decimal(20, 0)
                        : DataType::int64());
    case element_type::DOUBLE: return primitives_as_string ? DataType::string() : DataType::float64();
    case element_type::STRING: return DataType::string();
    case element_type::ARRAY: {
      DataType elem = DataType::null();
      for (element x : as_array(e)) elem = merge_types(elem, infer_value(x, primitives_as_string));
      return DataType::array(elem, true);
    }
    case element_type::OBJECT: {
      std::vector<Field> fields;
      for (auto kv : as_object(e)) {
        fields.push_back(Field{std::string(kv.key), infer_value(kv.value, primitives_as_string), true});
      }
      return sorted_struct(std::move(fields));
    }
  }
  return DataType::string();
}

DataType merge_types(const DataType& a, const DataType& b) {
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (a.id() == TypeId::kStruct && b.id() == TypeId::kStruct) {
    std::vector<Field> fields = a.fields();
    for (const Field& f : b.fields()) fields.push_back(f);
    return sorted_struct(std::move(fields));
  }
  if (a.id() == TypeId::kArray && b.id() == TypeId::kArray) {
    return DataType::array(merge_types(a.element_type(), b.element_type()), true);
  }
  if (a == b) return a;
  auto decimal_of = [](const DataType& t) { return t.id() == TypeId::kLong ? DataType::decimal(20, 0) : t; };
  const bool a_num = a.id() == TypeId::kLong || a.id() == TypeId::kDouble || a.id() == TypeId::kDecimal;
  const bool b_num = b.id() == TypeId::kLong || b.id() == TypeId::kDouble || b.id() == TypeId::kDecimal;
  if (a_num && b_num) {
    if (a.id() == TypeId::kDouble || b.id() == TypeId::kDouble) return DataType::float64();
    DataType x = decimal_of(a), y = decimal_of(b);
    int scale = std::max(x.scale(), y.scale());
    int range = std::max(x.precision() - x.scale(), y.precision() - y.scale());
    if (range + scale > kMaxDecimalPrecision) return DataType::float64();
    return DataType::decimal(range + scale, scale);
  }
  return DataType::string();  // any other conflict
}

// Whether merging the type of `e` into `t` leaves `t` as it is: true for nearly every record once
// the schema has settled, which lets inference skip building a type per record.
bool fits(const element& e, const DataType& t, bool primitives_as_string) {
  if (t.id() == TypeId::kString) return true;  // string absorbs every conflict
  switch (e.type()) {
    case element_type::NULL_VALUE: return true;
    case element_type::BOOL: return !primitives_as_string && t.id() == TypeId::kBoolean;
    case element_type::INT64: return !primitives_as_string && (t.id() == TypeId::kLong || t.id() == TypeId::kDouble);
    case element_type::UINT64:
    case element_type::DOUBLE: return !primitives_as_string && t.id() == TypeId::kDouble;
    case element_type::STRING: return false;
    case element_type::ARRAY:
      if (t.id() != TypeId::kArray) return false;
      for (element x : as_array(e)) {
        if (!fits(x, t.element_type(), primitives_as_string)) return false;
      }
      return true;
    case element_type::OBJECT: {
      if (t.id() != TypeId::kStruct) return false;
      const auto& fields = t.fields();
      for (auto kv : as_object(e)) {
        // Fields are sorted by name: binary search.
        auto it = std::lower_bound(fields.begin(), fields.end(), kv.key,
                                   [](const Field& f, std::string_view k) { return std::string_view(f.name) < k; });
        if (it == fields.end() || it->name != kv.key || !fits(kv.value, it->type, primitives_as_string)) return false;
      }
      return true;
    }
  }
  return false;
}

// Spark's canonicalizeType: null-only types become string, empty structs disappear.
std::optional<DataType> canonicalize(const DataType& t) {
  switch (t.id()) {
    case TypeId::kNull: return DataType::string();
    case TypeId::kArray: {
      auto e = canonicalize(t.element_type());
      if (!e) return std::nullopt;
      return DataType::array(*e, true);
    }
    case TypeId::kStruct: {
      std::vector<Field> fields;
      for (const Field& f : t.fields()) {
        if (auto c = canonicalize(f.type)) fields.push_back(Field{f.name, *c, true});
      }
      if (fields.empty()) return std::nullopt;
      return DataType::struct_(std::move(fields));
    }
    default: return t;
  }
}

// --- conversion (Spark's JacksonParser) ---

bool parse_special_double(std::string_view s, double& out) {
  if (s == "NaN") out = std::numeric_limits<double>::quiet_NaN();
  else if (s == "Infinity" || s == "+Infinity" || s == "INF" || s == "+INF")
    out = std::numeric_limits<double>::infinity();
  else if (s == "-Infinity" || s == "-INF") out = -std::numeric_limits<double>::infinity();
  else return false;
  return true;
}

}  // namespace

std::vector<CsvSplit> plan_json_splits(const std::vector<FileInfo>& files, const JsonOptions& options,
                                       int64_t max_split_bytes) {
  CsvOptions split_rule;
  split_rule.multi_line = options.multi_line;
  return plan_csv_splits(files, split_rule, max_split_bytes);
}

Schema infer_json_schema(const std::vector<FileInfo>& files, const JsonOptions& options, int threads) {
  // Spark infers in a job over the input's splits; here one thread per core takes every
  // threads-th split, and the per-thread types merge at the end (merging is order-independent).
  int64_t total_bytes = 0;
  for (const FileInfo& f : files) total_bytes += std::max<int64_t>(0, f.size);
  threads = std::max(1, threads);
  const int64_t split_bytes = std::max<int64_t>(4LL << 20, total_bytes / threads);
  const std::vector<CsvSplit> splits = plan_json_splits(files, options, split_bytes);
  struct Partial {
    DataType root = DataType::struct_({});
    bool corrupt = false;
    size_t error_split = SIZE_MAX;  // the first split that failed (FAILFAST), and why
    std::exception_ptr error;
  };
  std::vector<Partial> partials(static_cast<size_t>(std::min<int64_t>(threads, std::max<size_t>(1, splits.size()))));
  auto work = [&](size_t w) {
    Partial& part = partials[w];
    simdjson::dom::parser parser;
    for (size_t k = w; k < splits.size(); k += partials.size()) {
      const CsvSplit& split = splits[k];
      try {
        SplitText text = read_split(split.path, split.start, split.start + split.length, options.multi_line);
        const size_t limit = static_cast<size_t>(split.start + split.length - text.offset);
        for_each_record(text, limit, options.multi_line, [&](const char* p, size_t n, size_t at) {
          element doc;
          std::string why;
          if (auto err = parser.parse(p, n, false).get(doc); err) {
            why = simdjson::error_message(err);
          } else if (doc.is_object()) {
            if (!fits(doc, part.root, options.primitives_as_string))
              part.root = merge_types(part.root, infer_value(doc, options.primitives_as_string));
            return;
          } else if (doc.is_array()) {
            for (element x : as_array(doc)) {
              if (!x.is_object()) {
                why = "an array record must hold objects";
                break;
              }
            }
            if (why.empty()) {
              for (element x : as_array(doc))
                part.root = merge_types(part.root, infer_value(x, options.primitives_as_string));
              return;
            }
          } else {
            why = "a record must be a JSON object";
          }
          // With badRecordsPath malformed records are left out, whatever the mode.
          if (!options.bad_records_path.empty()) return;
          if (options.mode == JsonOptions::Mode::kFailFast)
            fail_fast(split.path, text.offset + static_cast<int64_t>(at), options.multi_line, why);
          if (options.mode == JsonOptions::Mode::kPermissive) part.corrupt = true;
        });
      } catch (...) {
        part.error_split = k;
        part.error = std::current_exception();
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < partials.size(); ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& t : pool) t.join();
  DataType root = DataType::struct_({});
  bool corrupt = false;
  const Partial* failed = nullptr;
  for (const Partial& part : partials) {
    if (part.error && (failed == nullptr || part.error_split < failed->error_split)) failed = &part;
    root = merge_types(root, part.root);
    corrupt |= part.corrupt;
  }
  if (failed != nullptr) std::rethrow_exception(failed->error);
  std::vector<Field> fields;
  if (auto c = canonicalize(root)) fields = c->fields();
  if (corrupt) {
    bool present = std::any_of(fields.begin(), fields.end(), [&](const Field& x) {
      return x.name == options.column_name_of_corrupt_record;
    });
    if (!present) {
      fields.push_back(Field{options.column_name_of_corrupt_record, DataType::string(), true});
      std::stable_sort(fields.begin(), fields.end(),
                       [](const Field& x, const Field& y) { return x.name < y.name; });
    }
  }
  return Schema(std::move(fields));
}

namespace {

void check_readable(const DataType& type, const std::string& name) {
  switch (type.id()) {
    case TypeId::kBinary:
      throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                  "ember cannot read JSON into binary column '" + name + "' yet");
    case TypeId::kArray: check_readable(type.element_type(), name); break;
    case TypeId::kMap:
      if (type.key_type().id() != TypeId::kString) {
        throw_error(ErrorKind::kAnalysis, "INVALID_JSON_MAP_KEY_TYPE",
                    "Input schema " + type.sql_string() + " of column '" + name +
                        "' can only contain STRING as a key type for a MAP.");
      }
      check_readable(type.value_type(), name);
      break;
    case TypeId::kStruct:
      for (const Field& f : type.fields()) check_readable(f.type, name + "." + f.name);
      break;
    default: break;
  }
}

}  // namespace

void check_json_read_schema(const Schema& schema, const JsonOptions& options) {
  for (const Field& f : schema.fields()) {
    if (f.name == options.column_name_of_corrupt_record) {
      if (f.type.id() != TypeId::kString) {
        throw_error(ErrorKind::kAnalysis, "INVALID_CORRUPT_RECORD_TYPE",
                    "The column `" + f.name +
                        "` for corrupt records must have the nullable STRING type, but got " +
                        f.type.sql_string() + ".");
      }
      continue;
    }
    check_readable(f.type, f.name);
  }
}

struct JsonSplitReader::Impl {
  CsvSplit split;
  Schema schema;
  std::vector<int> projection;
  JsonOptions options;
  const TimeZone* tz;
  std::optional<DateTimePattern> date_pattern, timestamp_pattern;

  // Columns converted per record: the projected ones, or every column when the corrupt-record
  // column is read (a record is malformed when any of its fields is).
  std::vector<int> converted;
  int corrupt_column = -1;                               // index into schema, or -1
  std::unordered_map<std::string_view, size_t> slot_of;  // field name -> index into `converted`
  std::vector<const element*> slots;
  std::vector<element> slot_values;

  simdjson::dom::parser parser;
  SplitText text;
  bool loaded = false;
  size_t pos = 0;  // next unread byte of text (records are processed in order)
  bool done = false;
  int64_t bad = 0;
  std::string error;  // why the current record failed conversion

  std::unique_ptr<BadRecordsWriter> bad_records_out;  // with badRecordsPath
  int64_t line_cursor_pos = -1;                       // a text position whose line number is known
  int64_t line_cursor_line = 0;

  std::vector<VectorPtr> builders;  // one per `converted` column
  VectorPtr corrupt_builder;
  std::vector<uint32_t> kept;
  size_t rows = 0;
  bool any_dropped = false;

  Impl(CsvSplit s, Schema sc, std::vector<int> proj, JsonOptions o, const TimeZone& zone, std::string bad_dir)
      : split(std::move(s)),
        schema(std::move(sc)),
        projection(std::move(proj)),
        options(std::move(o)),
        tz(&zone) {
    if (!options.bad_records_path.empty()) {
      if (bad_dir.empty()) bad_dir = bad_records_directory(options.bad_records_path, 0);
      bad_records_out =
          std::make_unique<BadRecordsWriter>(std::move(bad_dir), split.path, split.start, options.bad_records_path);
    }
    if (!options.date_format.empty()) date_pattern = DateTimePattern::compile(options.date_format);
    if (!options.timestamp_format.empty())
      timestamp_pattern = DateTimePattern::compile(options.timestamp_format);
    corrupt_column = schema.index_of(options.column_name_of_corrupt_record);
    if (corrupt_column >= 0 &&
        schema.field(static_cast<size_t>(corrupt_column)).name != options.column_name_of_corrupt_record)
      corrupt_column = -1;
    bool corrupt_read = std::find(projection.begin(), projection.end(), corrupt_column) != projection.end();
    if (corrupt_column >= 0 && corrupt_read) {
      for (int c = 0; c < static_cast<int>(schema.size()); ++c) {
        if (c != corrupt_column) converted.push_back(c);
      }
    } else {
      for (int c : projection) {
        if (c != corrupt_column) converted.push_back(c);
      }
    }
    for (size_t k = 0; k < converted.size(); ++k)
      slot_of[schema.field(static_cast<size_t>(converted[k])).name] = k;
    slots.resize(converted.size());
    slot_values.resize(converted.size());
  }

  void start_batch() {
    builders.clear();
    for (int c : converted) builders.push_back(Vector::make(schema.field(static_cast<size_t>(c)).type, 0));
    corrupt_builder = Vector::make(DataType::string(), 0);
    kept.clear();
    rows = 0;
    any_dropped = false;
  }

  bool fail(Vector& out, size_t i, const std::string& why) {
    out.set_null_row(i);
    if (error.empty()) error = why;
    return false;
  }

  // Writes `e` (null when absent) as row i of `out` (appended, not yet set). false when the value
  // does not convert to `type`: row i is then null and `error` says why.
  bool write(Vector& out, size_t i, const DataType& type, const element* e, const std::string& name) {
    if (e == nullptr || e->is_null()) {
      out.set_null_row(i);
      return true;
    }
    const element_type et = e->type();
    auto mismatch = [&]() {
      return fail(
          out, i,
          "field '" + name + "' cannot be read as " + type.sql_string() + " from " + simdjson::minify(*e));
    };
    switch (type.id()) {
      case TypeId::kNull: out.set_null_row(i); return true;
      case TypeId::kBoolean:
        if (et != element_type::BOOL) return mismatch();
        out.values<uint8_t>()[i] = e->get_bool().value_unsafe() ? 1 : 0;
        return true;
      case TypeId::kByte:
      case TypeId::kShort:
      case TypeId::kInt:
      case TypeId::kLong: {
        if (et != element_type::INT64) return mismatch();
        int64_t v = e->get_int64().value_unsafe();
        switch (type.id()) {
          case TypeId::kByte:
            if (v < INT8_MIN || v > INT8_MAX) return mismatch();
            out.values<int8_t>()[i] = static_cast<int8_t>(v);
            break;
          case TypeId::kShort:
            if (v < INT16_MIN || v > INT16_MAX) return mismatch();
            out.values<int16_t>()[i] = static_cast<int16_t>(v);
            break;
          case TypeId::kInt:
            if (v < INT32_MIN || v > INT32_MAX) return mismatch();
            out.values<int32_t>()[i] = static_cast<int32_t>(v);
            break;
          default: out.values<int64_t>()[i] = v; break;
        }
        return true;
      }
      case TypeId::kFloat:
      case TypeId::kDouble: {
        double d = 0;
        if (et == element_type::INT64 || et == element_type::UINT64 || et == element_type::DOUBLE) {
          d = e->get_double().value_unsafe();
        } else if (et != element_type::STRING || !parse_special_double(e->get_string().value_unsafe(), d)) {
          return mismatch();
        }
        if (type.id() == TypeId::kFloat) out.values<float>()[i] = static_cast<float>(d);
        else out.values<double>()[i] = d;
        return true;
      }
      case TypeId::kDecimal: {
        std::optional<int128_t> v;
        if (et == element_type::INT64)
          v = decimal_rescale(e->get_int64().value_unsafe(), 0, type.scale(), type.precision());
        else if (et == element_type::UINT64)
          v = decimal_rescale(static_cast<int128_t>(e->get_uint64().value_unsafe()), 0, type.scale(),
                              type.precision());
        else if (et == element_type::DOUBLE)
          v = decimal_from_double(e->get_double().value_unsafe(), type.precision(), type.scale());
        else if (et == element_type::STRING)
          v = parse_decimal(e->get_string().value_unsafe(), type.precision(), type.scale());
        if (!v) return mismatch();
        out.values<int128_t>()[i] = *v;
        return true;
      }
      case TypeId::kString:
        // Spark keeps a non-string value's JSON text.
        if (et == element_type::STRING) out.set_string(i, e->get_string().value_unsafe());
        else out.set_string(i, simdjson::minify(*e));
        return true;
      case TypeId::kDate: {
        if (et != element_type::STRING) return mismatch();
        std::string_view s = e->get_string().value_unsafe();
        auto d = date_pattern ? date_pattern->parse_date(s) : parse_date(s);
        if (!d) return mismatch();
        out.values<int32_t>()[i] = *d;
        return true;
      }
      case TypeId::kTimestamp: {
        std::optional<int64_t> t;
        if (et == element_type::STRING) {
          std::string_view s = e->get_string().value_unsafe();
          t = timestamp_pattern ? timestamp_pattern->parse_timestamp(s, *tz) : parse_timestamp(s, *tz);
        } else if (et == element_type::INT64) {
          // Spark reads a number as seconds since the epoch.
          int64_t micros = 0;
          if (!__builtin_mul_overflow(e->get_int64().value_unsafe(), int64_t{1'000'000}, &micros)) t = micros;
        }
        if (!t) return mismatch();
        out.values<int64_t>()[i] = *t;
        return true;
      }
      case TypeId::kYearMonthInterval:
      case TypeId::kDayTimeInterval: return mismatch();  // ember reads no interval text yet
      case TypeId::kArray: {
        if (et != element_type::ARRAY) return mismatch();
        Vector& child = out.mutable_child();
        bool ok = true;
        for (element x : as_array(*e)) {
          size_t j = child.append_rows(1);
          ok &= write(child, j, type.element_type(), &x, name);
        }
        out.finish_array(i);
        return ok;
      }
      case TypeId::kMap: {
        if (et != element_type::OBJECT) return mismatch();
        Vector& entries = out.mutable_child();
        bool ok = true;
        for (auto kv : as_object(*e)) {
          size_t j = entries.append_rows(1);
          entries.mutable_field(0).set_string(j, kv.key);
          element v = kv.value;
          ok &= write(entries.mutable_field(1), j, type.value_type(), &v, name + "." + std::string(kv.key));
        }
        out.finish_array(i);
        return ok;
      }
      case TypeId::kStruct: {
        if (et != element_type::OBJECT) return mismatch();
        auto obj = as_object(*e);
        bool ok = true;
        const auto& fields = type.fields();
        for (size_t k = 0; k < fields.size(); ++k) {
          // The last occurrence of a key wins, as in Spark.
          std::optional<element> found;
          for (auto kv : obj) {
            if (kv.key == fields[k].name) found = kv.value;
          }
          ok &= write(out.mutable_field(k), i, fields[k].type, found ? &*found : nullptr,
                      name + "." + fields[k].name);
        }
        return ok;
      }
      case TypeId::kBinary: return mismatch();
    }
    return mismatch();
  }

  // One row from a JSON object; false when a field did not convert.
  bool append_object(const element& obj) {
    std::fill(slots.begin(), slots.end(), nullptr);
    for (auto kv : as_object(obj)) {
      auto it = slot_of.find(kv.key);
      if (it == slot_of.end()) continue;
      slot_values[it->second] = kv.value;
      slots[it->second] = &slot_values[it->second];  // the last occurrence of a key wins
    }
    bool ok = true;
    for (size_t k = 0; k < converted.size(); ++k) {
      Vector& v = *builders[k];
      ok &= write(v, v.append_rows(1), v.type(), slots[k],
                  schema.field(static_cast<size_t>(converted[k])).name);
    }
    return ok;
  }

  void append_null_row() {
    for (auto& b : builders) b->set_null_row(b->append_rows(1));
  }

  // Finishes one row: the corrupt-record text when it was malformed, and the mode's verdict.
  void end_row(bool ok, const char* p, size_t n, size_t at, const std::string& why) {
    if (ok) {
      corrupt_builder->append_null_string();
      kept.push_back(static_cast<uint32_t>(rows++));
      return;
    }
    ++bad;
    if (bad_records_out) {
      // Rejected records leave the result whatever the mode, as with CSV.
      bad_records_out->add(line_at(at), std::string_view(p, n), why);
      corrupt_builder->append_null_string();
      any_dropped = true;
      ++rows;
      return;
    }
    if (options.mode == JsonOptions::Mode::kFailFast)
      fail_fast(split.path, text.offset + static_cast<int64_t>(at), options.multi_line, why);
    corrupt_builder->append_string(std::string_view(p, n));
    if (options.mode == JsonOptions::Mode::kDropMalformed) any_dropped = true;
    else kept.push_back(static_cast<uint32_t>(rows));
    ++rows;
  }

  // The 1-based file line of text position `at`: counted from the file start once, then onwards
  // from the previous answer (records are visited in order).
  int64_t line_at(size_t at) {
    if (line_cursor_pos < 0) {
      line_cursor_pos = static_cast<int64_t>(text.first);
      line_cursor_line = csv_internal::line_number_at(split.path, text.offset + static_cast<int64_t>(text.first));
    }
    const char* base = text.bytes.data();
    for (auto i = static_cast<size_t>(line_cursor_pos); i < at; ++i) line_cursor_line += base[i] == '\n' ? 1 : 0;
    line_cursor_pos = static_cast<int64_t>(std::max(at, static_cast<size_t>(line_cursor_pos)));
    return line_cursor_line;
  }

  void process(const char* p, size_t n, size_t at) {
    element doc;
    error.clear();
    if (auto err = parser.parse(p, n, false).get(doc); err) {
      append_null_row();
      end_row(false, p, n, at, std::string("malformed JSON (") + simdjson::error_message(err) + ")");
      return;
    }
    if (doc.is_object()) {
      bool ok = append_object(doc);
      end_row(ok, p, n, at, error);
      return;
    }
    if (doc.is_array()) {
      auto arr = as_array(doc);
      bool all_objects = true;
      for (element x : arr) all_objects &= x.is_object();
      if (all_objects) {
        for (element x : arr) {
          error.clear();
          bool ok = append_object(x);
          end_row(ok, p, n, at, error);
        }
        return;
      }
    }
    append_null_row();
    end_row(false, p, n, at, "a record must be a JSON object (or an array of objects)");
  }

  bool next(Batch& out) {
    if (done) return false;
    if (!loaded) {
      text = read_split(split.path, split.start, split.start + split.length, options.multi_line);
      pos = text.first;
      loaded = true;
    }
    start_batch();
    // Records are handled a line at a time so a batch stops near kBatchSize rows.
    const size_t limit = static_cast<size_t>(split.start + split.length - text.offset);
    const char* base = text.bytes.data();
    if (options.multi_line) {
      for_each_record(text, text.length, true,
                      [&](const char* p, size_t n, size_t at) { process(p, n, at); });
      done = true;
    } else {
      while (rows < kBatchSize) {
        if (pos >= text.length || pos >= limit) {
          done = true;
          break;
        }
        const char* nl = static_cast<const char*>(std::memchr(base + pos, '\n', text.length - pos));
        size_t stop = nl ? static_cast<size_t>(nl - base) : text.length;
        size_t len = stop - pos;
        if (len > 0 && base[pos + len - 1] == '\r') --len;
        if (!blank(base + pos, len)) process(base + pos, len, pos);
        pos = stop + 1;
      }
    }
    if (bad_records_out) bad_records_out->flush();
    if (rows == 0) return !done ? next(out) : false;
    Batch b;
    b.num_rows = rows;
    for (int c : projection) {
      if (c == corrupt_column) {
        b.columns.push_back(corrupt_builder);
      } else {
        size_t k = static_cast<size_t>(std::find(converted.begin(), converted.end(), c) - converted.begin());
        b.columns.push_back(builders[k]);
      }
    }
    if (any_dropped) b = b.select(kept.data(), kept.size());
    if (b.num_rows == 0) return !done ? next(out) : false;
    out = std::move(b);
    return true;
  }
};

JsonSplitReader::JsonSplitReader(CsvSplit split, Schema file_schema, std::vector<int> projection,
                                 JsonOptions options, const TimeZone& tz, std::string bad_records_dir)
    : impl_(std::make_unique<Impl>(std::move(split), std::move(file_schema), std::move(projection),
                                   std::move(options), tz, std::move(bad_records_dir))) {}

JsonSplitReader::~JsonSplitReader() = default;

bool JsonSplitReader::next(Batch& out) { return impl_->next(out); }

int64_t JsonSplitReader::bad_records() const { return impl_->bad; }

}  // namespace ember
