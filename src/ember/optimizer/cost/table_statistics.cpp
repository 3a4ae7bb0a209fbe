#include "ember/optimizer/cost/table_statistics.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "ember/types/decimal.h"
#include "ember/types/temporal.h"
#include "ember/types/value_format.h"

namespace ember {

namespace {

std::optional<int64_t> parse_int64(const std::string& s) {
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size()) return std::nullopt;
  return static_cast<int64_t>(v);
}

}  // namespace

const ColumnStat* TableStatistics::column(const std::string& name) const {
  auto it = columns.find(to_lower(name));
  return it == columns.end() ? nullptr : &it->second;
}

std::string TableStatistics::simple_string() const {
  std::string s = std::to_string(size_in_bytes) + " bytes";
  if (row_count) s += ", " + std::to_string(*row_count) + " rows";
  return s;
}

bool analyzable_column_type(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kDate:
    case TypeId::kTimestamp: return true;
    default: return false;
  }
}

int64_t default_column_size(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
    case TypeId::kByte: return 1;
    case TypeId::kShort: return 2;
    case TypeId::kInt:
    case TypeId::kFloat:
    case TypeId::kDate: return 4;
    case TypeId::kDecimal: return type.precision() <= 18 ? 8 : 16;
    case TypeId::kString: return 20;
    case TypeId::kBinary: return 100;
    default: return 8;
  }
}

std::string external_stat_value(const Value& v) {
  switch (v.type().id()) {
    case TypeId::kDate: return format_date(static_cast<int32_t>(v.as_int64()));
    case TypeId::kTimestamp: {
      // Spark 4 formats with "yyyy-MM-dd HH:mm:ss.SSSSSS Z" in UTC, whatever the session zone.
      constexpr int64_t kMicrosPerDay = 86400LL * 1000000;
      const int64_t micros = v.as_int64();
      int64_t days = micros / kMicrosPerDay, rest = micros % kMicrosPerDay;
      if (rest < 0) {
        rest += kMicrosPerDay;
        --days;
      }
      const int64_t secs = rest / 1000000;
      char time[32];
      std::snprintf(time, sizeof time, " %02lld:%02lld:%02lld.%06lld", static_cast<long long>(secs / 3600),
                    static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                    static_cast<long long>(rest % 1000000));
      return format_date(static_cast<int32_t>(days)) + time + " +0000";
    }
    case TypeId::kFloat: return format_float(static_cast<float>(v.as_double()));
    case TypeId::kDouble: return format_double(v.as_double());
    case TypeId::kDecimal: return format_decimal(v.as_decimal(), v.type().scale());
    case TypeId::kBoolean: return v.as_bool() ? "true" : "false";
    default: return v.to_string();
  }
}

std::string encode_stat_value(const Value& v) {
  switch (v.type().id()) {
    case TypeId::kBoolean: return v.as_bool() ? "true" : "false";
    case TypeId::kFloat:
    case TypeId::kDouble: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", v.as_double());
      return buf;
    }
    case TypeId::kDecimal: return format_decimal(v.as_decimal(), 0);
    default: return std::to_string(v.as_int64());
  }
}

std::optional<Value> decode_stat_value(const std::string& text, const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      if (text == "true" || text == "false") return Value::boolean(text == "true");
      return std::nullopt;
    case TypeId::kFloat:
    case TypeId::kDouble: {
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
      return type.id() == TypeId::kFloat ? Value::float32(static_cast<float>(d)) : Value::float64(d);
    }
    case TypeId::kDecimal: {
      auto unscaled = parse_decimal(text, 38, 0);
      if (!unscaled || !decimal_fits(*unscaled, type.precision())) return std::nullopt;
      return Value::decimal(*unscaled, type.precision(), type.scale());
    }
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kDate:
    case TypeId::kTimestamp: {
      auto x = parse_int64(text);
      if (!x) return std::nullopt;
      switch (type.id()) {
        case TypeId::kByte: return Value::byte(static_cast<int8_t>(*x));
        case TypeId::kShort: return Value::short_(static_cast<int16_t>(*x));
        case TypeId::kInt: return Value::int32(static_cast<int32_t>(*x));
        case TypeId::kLong: return Value::int64(*x);
        case TypeId::kDate: return Value::date(static_cast<int32_t>(*x));
        default: return Value::timestamp(*x);
      }
    }
    default: return std::nullopt;
  }
}

}  // namespace ember
