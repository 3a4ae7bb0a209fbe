#include "ember/io/csv/csv_schema_inference.h"

#include <algorithm>
#include <optional>
#include <string>

#include "ember/common/error.h"
#include "ember/io/csv/csv_scanner.h"
#include "ember/io/csv/csv_values.h"
#include "ember/types/temporal.h"

namespace ember {

using csv_internal::FieldRef;
using csv_internal::kFieldLengthMask;
using csv_internal::kFieldQuoted;
using csv_internal::kFieldUnescaped;
using csv_internal::RecordResult;
using csv_internal::Scanner;

namespace {

// Collects every field of a record.
struct RowSink {
  std::vector<FieldRef> fields;
  void field(uint32_t index, FieldRef f) {
    if (fields.size() <= index) fields.resize(index + 1);
    fields[index] = f;
  }
};

// The text univocity hands Spark for a field (before the nullValue comparison).
std::string_view field_text(const Scanner& scanner, FieldRef f, const CsvOptions& options) {
  uint32_t len = f.length_and_flags & kFieldLengthMask;
  if (len == 0) {
    if (f.length_and_flags & kFieldQuoted) return options.empty_value_in_read();
    return options.null_value;
  }
  const char* p = (f.length_and_flags & kFieldUnescaped) ? scanner.side().data() + f.offset
                                                          : scanner.base() + f.offset;
  return {p, len};
}

bool is_lenient_date_format(const std::string& f) {
  return f == "yyyy-MM-dd" || f == "yyyy-M-d" || f == "yyyy-M-dd" || f == "yyyy-MM-d" ||
         f == "yyyy-MM" || f == "yyyy-M" || f == "yyyy";
}

class TypeInferrer {
 public:
  TypeInferrer(const CsvOptions& options, const TimeZone& tz)
      : options_(options),
        tz_(tz),
        date_pattern_(DateTimePattern::compile(options.date_format)) {
    if (!options.timestamp_format.empty()) timestamp_pattern_ = DateTimePattern::compile(options.timestamp_format);
  }

  // Spark's CSVInferSchema.inferField.
  DataType infer_field(const DataType& so_far, std::string_view field) const {
    if (field.empty() || field == options_.null_value) return so_far;
    DataType found;
    switch (so_far.id()) {
      case TypeId::kNull:
      case TypeId::kInt: found = try_int(field); break;
      case TypeId::kLong: found = try_long(field); break;
      case TypeId::kDecimal: found = try_decimal(field); break;
      case TypeId::kDouble: found = try_double(field); break;
      case TypeId::kDate: found = try_date(field); break;
      case TypeId::kTimestamp: found = try_timestamp(field); break;
      case TypeId::kBoolean: found = try_boolean(field); break;
      default: return DataType::string();
    }
    return csv_merge_inferred_types(so_far, found, options_);
  }

 private:
  DataType try_int(std::string_view s) const {
    int32_t v;
    if (csv_internal::parse_java_integer(s.data(), s.size(), v)) return DataType::int32();
    return try_long(s);
  }
  DataType try_long(std::string_view s) const {
    int64_t v;
    if (csv_internal::parse_java_integer(s.data(), s.size(), v)) return DataType::int64();
    return try_decimal(s);
  }
  // java.math.BigDecimal's syntax; Spark keeps only values with scale 0 (integers too big for a
  // long; negative scales are rejected by DecimalType) that fit 38 digits.
  DataType try_decimal(std::string_view s) const {
    size_t i = 0, n = s.size();
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::string digits;
    int fraction = 0;
    bool any = false, dot = false;
    for (; i < n; ++i) {
      char c = s[i];
      if (c >= '0' && c <= '9') {
        digits.push_back(c);
        any = true;
        if (dot) ++fraction;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
    }
    if (!any) return try_double(s);
    long exponent = 0;
    if (i < n) {
      if (s[i] != 'e' && s[i] != 'E') return try_double(s);
      ++i;
      int64_t e;
      if (!csv_internal::parse_java_integer(s.data() + i, n - i, e) || e > 1000000 || e < -1000000) {
        return try_double(s);
      }
      exponent = static_cast<long>(e);
    }
    long scale = fraction - exponent;
    if (scale != 0) return try_double(s);
    size_t first = digits.find_first_not_of('0');
    int precision = first == std::string::npos ? 1 : static_cast<int>(digits.size() - first);
    if (precision > kMaxDecimalPrecision) return try_double(s);
    return DataType::decimal(precision, 0);
  }
  DataType try_double(std::string_view s) const {
    double v;
    if (csv_internal::parse_java_floating(s.data(), s.size(), options_, v)) return DataType::float64();
    return options_.prefer_date ? try_date(s) : try_timestamp(s);
  }
  DataType try_date(std::string_view s) const {
    if (date_pattern_.parse_date(s)) return DataType::date();
    return try_timestamp(s);
  }
  DataType try_timestamp(std::string_view s) const {
    bool ok = timestamp_pattern_ ? timestamp_pattern_->parse_timestamp(s, tz_).has_value()
                                 : parse_timestamp(s, tz_).has_value();
    if (ok) return DataType::timestamp();
    return try_boolean(s);
  }
  DataType try_boolean(std::string_view s) const {
    uint8_t b;
    if (csv_internal::parse_java_boolean(s.data(), s.size(), b)) return DataType::boolean();
    return DataType::string();
  }

  const CsvOptions& options_;
  const TimeZone& tz_;
  DateTimePattern date_pattern_;
  std::optional<DateTimePattern> timestamp_pattern_;
};

// Spark's CSVUtils.makeSafeHeader.
std::vector<std::string> safe_header(const std::vector<std::string>& raw, const CsvOptions& options) {
  std::vector<std::string> lower;
  for (const auto& n : raw) lower.push_back(to_lower(n));
  std::vector<std::string> names;
  for (size_t i = 0; i < raw.size(); ++i) {
    const std::string& v = raw[i];
    if (v.empty() || v == options.null_value) {
      names.push_back("_c" + std::to_string(i));
    } else if (std::count(lower.begin(), lower.end(), lower[i]) > 1) {
      names.push_back(v + std::to_string(i));
    } else {
      names.push_back(v);
    }
  }
  return names;
}

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

DataType csv_merge_inferred_types(const DataType& a, const DataType& b, const CsvOptions& options) {
  if (a == b) return a;
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (a.id() == TypeId::kString || b.id() == TypeId::kString) return DataType::string();
  auto rank = [](TypeId id) {
    switch (id) {
      case TypeId::kInt: return 1;
      case TypeId::kLong: return 2;
      case TypeId::kDouble: return 3;
      default: return 0;
    }
  };
  if (rank(a.id()) && rank(b.id())) return rank(a.id()) > rank(b.id()) ? a : b;
  if (a.id() == TypeId::kDecimal || b.id() == TypeId::kDecimal) {
    if (a.id() == TypeId::kDouble || b.id() == TypeId::kDouble) return DataType::float64();
    DataType x = a.is_integral() ? decimal_for_integral(a) : a;
    DataType y = b.is_integral() ? decimal_for_integral(b) : b;
    if (x.id() != TypeId::kDecimal || y.id() != TypeId::kDecimal) return DataType::string();
    int scale = std::max(x.scale(), y.scale());
    int range = std::max(x.precision() - x.scale(), y.precision() - y.scale());
    if (range + scale > kMaxDecimalPrecision) return DataType::float64();
    return DataType::decimal(range + scale, scale);
  }
  bool date_ts = (a.id() == TypeId::kDate && b.id() == TypeId::kTimestamp) ||
                 (a.id() == TypeId::kTimestamp && b.id() == TypeId::kDate);
  if (date_ts) {
    // The lenient default timestamp parser reads such dates too; with a custom timestamp format
    // the dates would not parse, so Spark falls back to string.
    if (options.timestamp_format.empty() && is_lenient_date_format(options.date_format)) {
      return DataType::timestamp();
    }
    return DataType::string();
  }
  return DataType::string();
}

Schema infer_csv_schema(const std::vector<FileInfo>& files, const CsvOptions& options, const TimeZone& session_tz) {
  const TimeZone& tz = options.time_zone.empty() ? session_tz : *TimeZone::find(options.time_zone);
  std::optional<std::vector<std::string>> names;
  std::vector<DataType> types;
  TypeInferrer inferrer(options, tz);
  uint64_t row_index = 0;
  const uint64_t threshold = options.sampling_ratio >= 1.0
                                 ? UINT64_MAX
                                 : static_cast<uint64_t>(options.sampling_ratio * 18446744073709551615.0);
  bool sampled_any = false;
  for (const FileInfo& file : files) {
    if (file.size <= 0) continue;
    Scanner scanner(file.path, 0, file.size, options);
    RowSink sink;
    RecordResult info{};
    bool first_in_file = true;
    for (;;) {
      sink.fields.clear();
      scanner.clear_side();
      if (scanner.next(sink, true, info) != Scanner::Step::kRecord) break;
      sink.fields.resize(info.num_fields);
      if (!names) {
        std::vector<std::string> raw;
        for (FieldRef f : sink.fields) raw.emplace_back(field_text(scanner, f, options));
        if (options.header) {
          names = safe_header(raw, options);
        } else {
          std::vector<std::string> generated;
          for (size_t i = 0; i < raw.size(); ++i) generated.push_back("_c" + std::to_string(i));
          names = std::move(generated);
        }
        types.assign(names->size(), DataType::null());
        if (!options.infer_schema) break;
        if (options.header) {
          first_in_file = false;
          continue;
        }
      }
      if (options.header && first_in_file) {
        first_in_file = false;  // Spark drops the header line of every file
        continue;
      }
      first_in_file = false;
      // Deterministic sampling; the first row is always kept so a tiny ratio still sees data.
      uint64_t index = row_index++;
      if (threshold != UINT64_MAX && sampled_any && splitmix64(index) > threshold) continue;
      sampled_any = true;
      size_t width = std::min(types.size(), sink.fields.size());
      for (size_t c = 0; c < width; ++c) {
        if (types[c].id() == TypeId::kString) continue;
        types[c] = inferrer.infer_field(types[c], field_text(scanner, sink.fields[c], options));
      }
    }
    if (names && !options.infer_schema) break;
  }
  if (!names) {
    throw_error(ErrorKind::kAnalysis, "UNABLE_TO_INFER_SCHEMA",
                "Unable to infer schema for CSV. It must be specified manually.");
  }
  std::vector<Field> fields;
  for (size_t i = 0; i < names->size(); ++i) {
    DataType t = types[i];
    if (!options.infer_schema || t.id() == TypeId::kNull) t = DataType::string();
    fields.push_back(Field{(*names)[i], t, true});
  }
  return Schema(std::move(fields));
}

}  // namespace ember
