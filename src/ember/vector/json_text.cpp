#include "ember/vector/json_text.h"

#include <cmath>

#include "ember/common/error.h"
#include "ember/types/decimal.h"
#include "ember/types/interval.h"
#include "ember/types/temporal.h"
#include "ember/types/value_format.h"

namespace ember {

namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void append_base64(std::string& out, std::string_view bytes) {
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t w = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                       (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kBase64[(w >> s) & 63];
  }
  if (i < bytes.size()) {
    uint32_t w = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    const bool two = i + 1 < bytes.size();
    if (two) w |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    out += kBase64[(w >> 18) & 63];
    out += kBase64[(w >> 12) & 63];
    out += two ? kBase64[(w >> 6) & 63] : '=';
    out += '=';
  }
}

// Jackson writes NaN and the infinities as quoted strings (QUOTE_NON_NUMERIC_NUMBERS is on).
template <class F>
void append_floating(std::string& out, F x) {
  const bool quote = !std::isfinite(x);
  if (quote) out += '"';
  if constexpr (std::is_same_v<F, float>) append_float(out, x);
  else append_double(out, x);
  if (quote) out += '"';
}

// The timestamp pattern of Spark's JSON options (timestampFormat's default).
const DateTimePattern& json_timestamp_pattern() {
  static const DateTimePattern pattern = DateTimePattern::compile("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  return pattern;
}

// A map key as a JSON field name: Spark writes the key's internal value's toString, so dates are
// day numbers and timestamps microseconds there (JacksonGenerator.writeMapData).
void append_map_key(std::string& out, const Vector& keys, size_t k) {
  const DataType& t = keys.type();
  switch (t.id()) {
    case TypeId::kString: append_json_string(out, keys.string_at(k), true); return;
    case TypeId::kBoolean: out += keys.values<uint8_t>()[k] ? "\"true\"" : "\"false\""; return;
    case TypeId::kByte: out += '"' + std::to_string(keys.values<int8_t>()[k]) + '"'; return;
    case TypeId::kShort: out += '"' + std::to_string(keys.values<int16_t>()[k]) + '"'; return;
    case TypeId::kInt:
    case TypeId::kDate: out += '"' + std::to_string(keys.values<int32_t>()[k]) + '"'; return;
    case TypeId::kLong:
    case TypeId::kTimestamp: out += '"' + std::to_string(keys.values<int64_t>()[k]) + '"'; return;
    case TypeId::kFloat:
      out += '"';
      append_float(out, keys.values<float>()[k]);
      out += '"';
      return;
    case TypeId::kDouble:
      out += '"';
      append_double(out, keys.values<double>()[k]);
      out += '"';
      return;
    default: {
      std::string text = keys.value_at(k).to_string();
      append_json_string(out, text, true);
      return;
    }
  }
}

}  // namespace

void append_json_value(std::string& out, const Vector& v, size_t row, const TimeZone& tz) {
  if (v.is_null(row)) {
    out += "null";
    return;
  }
  const size_t i = v.is_constant() ? 0 : row;
  const DataType& t = v.type();
  switch (t.id()) {
    case TypeId::kNull: out += "null"; return;
    case TypeId::kBoolean: out += v.values<uint8_t>()[i] ? "true" : "false"; return;
    case TypeId::kByte: out += std::to_string(v.values<int8_t>()[i]); return;
    case TypeId::kShort: out += std::to_string(v.values<int16_t>()[i]); return;
    case TypeId::kInt: out += std::to_string(v.values<int32_t>()[i]); return;
    case TypeId::kLong: out += std::to_string(v.values<int64_t>()[i]); return;
    case TypeId::kFloat: append_floating(out, v.values<float>()[i]); return;
    case TypeId::kDouble: append_floating(out, v.values<double>()[i]); return;
    case TypeId::kDecimal:
      // Jackson writes java.math.BigDecimal.toString(), which Value's literal form is.
      out += Value::decimal(v.values<int128_t>()[i], t.precision(), t.scale()).to_sql_literal();
      return;
    case TypeId::kString: append_json_string(out, v.string_at(i), true); return;
    case TypeId::kBinary:
      out += '"';
      append_base64(out, v.string_at(i));
      out += '"';
      return;
    case TypeId::kDate:
      out += '"';
      append_date(out, v.values<int32_t>()[i]);
      out += '"';
      return;
    case TypeId::kTimestamp:
      append_json_string(out, json_timestamp_pattern().format_timestamp(v.values<int64_t>()[i], tz), true);
      return;
    case TypeId::kYearMonthInterval:
    case TypeId::kDayTimeInterval:
      // As Spark's JacksonGenerator: the interval's SQL text as a string.
      append_json_string(out,
                         format_interval(t, t.id() == TypeId::kYearMonthInterval ? v.values<int32_t>()[i]
                                                                                 : v.values<int64_t>()[i]),
                         true);
      return;
    case TypeId::kArray: {
      out += '[';
      const Vector& child = *v.child();
      const size_t b = v.array_offset(i), n = v.array_size(i);
      for (size_t k = b; k < b + n; ++k) {
        if (k > b) out += ',';
        append_json_value(out, child, k, tz);
      }
      out += ']';
      return;
    }
    case TypeId::kMap: {
      out += '{';
      const Vector& keys = *v.map_keys();
      const Vector& values = *v.map_values();
      const size_t b = v.array_offset(i), n = v.array_size(i);
      for (size_t k = b; k < b + n; ++k) {
        if (k > b) out += ',';
        append_map_key(out, keys, k);
        out += ':';
        append_json_value(out, values, k, tz);
      }
      out += '}';
      return;
    }
    case TypeId::kStruct: {
      out += '{';
      bool first = true;
      for (size_t f = 0; f < v.num_fields(); ++f) {
        const Vector& field = *v.field(f);
        if (field.is_null(i)) continue;  // ignoreNullFields
        if (!first) out += ',';
        first = false;
        append_json_string(out, t.fields()[f].name, true);
        out += ':';
        append_json_value(out, field, i, tz);
      }
      out += '}';
      return;
    }
  }
  throw_internal(__FILE__, __LINE__, "JSON text of " + t.simple_string());
}

}  // namespace ember
