#include "ember/types/value.h"

#include "ember/common/error.h"
#include "ember/types/decimal.h"
#include "ember/types/interval.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"
#include "ember/types/value_format.h"

namespace ember {

namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

// java.math.BigDecimal.toString, which Spark's Decimal.toString (and so Literal.toString) uses:
// plain unless the scale is negative or the adjusted exponent is below -6, where it switches to
// scientific notation ("0E-10", "1.5E-8").
std::string big_decimal_to_string(int128_t unscaled, int scale) {
  std::string digits = format_decimal(unscaled < 0 ? -unscaled : unscaled, 0);
  int64_t adjusted = -int64_t{scale} + static_cast<int64_t>(digits.size()) - 1;
  if (scale >= 0 && adjusted >= -6) return format_decimal(unscaled, scale);
  std::string out = unscaled < 0 ? "-" : "";
  out += digits[0];
  if (digits.size() > 1) {
    out += '.';
    out.append(digits, 1, std::string::npos);
  }
  out += 'E';
  if (adjusted >= 0) out += '+';
  out += std::to_string(adjusted);
  return out;
}

}  // namespace

Value Value::array(DataType element_type, std::vector<Value> elements) {
  for (const Value& e : elements) {
    EMBER_CHECK(e.is_null() || e.type() == element_type, "array element of type " + e.type().simple_string() +
                                                             " in array<" + element_type.simple_string() +
                                                             ">");
  }
  return Value(DataType::array(std::move(element_type)),
               Storage(std::make_shared<const std::vector<Value>>(std::move(elements))));
}

Value Value::map(DataType type, std::vector<Value> keys, std::vector<Value> values) {
  EMBER_CHECK(type.id() == TypeId::kMap && keys.size() == values.size(), "malformed map value");
  for (size_t i = 0; i < keys.size(); ++i) {
    EMBER_CHECK(!keys[i].is_null() && keys[i].type() == type.key_type(),
                "bad map key in " + type.simple_string());
    EMBER_CHECK(values[i].is_null() || values[i].type() == type.value_type(),
                "map value of type " + values[i].type().simple_string() + " in " + type.simple_string());
  }
  return Value(std::move(type),
               Storage(std::make_shared<const std::pair<std::vector<Value>, std::vector<Value>>>(
                   std::move(keys), std::move(values))));
}

Value Value::struct_(DataType type, std::vector<Value> fields) {
  EMBER_CHECK(type.id() == TypeId::kStruct && type.fields().size() == fields.size(),
              "malformed struct value");
  for (size_t i = 0; i < fields.size(); ++i) {
    EMBER_CHECK(fields[i].is_null() || fields[i].type() == type.fields()[i].type,
                "struct field of type " + fields[i].type().simple_string() + " in " + type.simple_string());
  }
  return Value(std::move(type), Storage(std::make_shared<const std::vector<Value>>(std::move(fields))));
}

bool operator==(const Value& a, const Value& b) {
  if (a.type_ != b.type_) return false;
  if (a.v_.index() != b.v_.index()) return false;
  if (const auto* x = std::get_if<Value::ArrayPtr>(&a.v_)) {
    const auto& y = std::get<Value::ArrayPtr>(b.v_);
    return x->get() == y.get() || **x == *y;
  }
  if (const auto* x = std::get_if<Value::MapPtr>(&a.v_)) {
    const auto& y = std::get<Value::MapPtr>(b.v_);
    return x->get() == y.get() || **x == *y;
  }
  return a.v_ == b.v_;
}

std::string Value::to_string() const { return to_string(*TimeZone::utc()); }

std::string Value::to_string(const TimeZone& tz) const {
  if (is_null()) return "NULL";
  switch (type_.id()) {
    case TypeId::kNull: return "NULL";
    case TypeId::kBoolean: return as_bool() ? "true" : "false";
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong: return std::to_string(as_int64());
    case TypeId::kFloat: return format_float(static_cast<float>(as_double()));
    case TypeId::kDouble: return format_double(as_double());
    case TypeId::kDecimal: return format_decimal(as_decimal(), type_.scale());
    case TypeId::kString: return as_string();
    case TypeId::kBinary: {
      // Spark 4's show() prints binary as bracketed, space-separated uppercase hex bytes.
      const std::string& bytes = as_string();
      std::string out = "[";
      for (size_t i = 0; i < bytes.size(); ++i) {
        auto b = static_cast<unsigned char>(bytes[i]);
        if (i > 0) out += ' ';
        out += kHexDigits[b >> 4];
        out += kHexDigits[b & 0xF];
      }
      out += ']';
      return out;
    }
    case TypeId::kDate: return format_date(static_cast<int32_t>(as_int64()));
    case TypeId::kTimestamp: return format_timestamp(as_int64(), tz);
    case TypeId::kYearMonthInterval:
    case TypeId::kDayTimeInterval: return format_interval(type_, as_int64());
    case TypeId::kArray: {
      // Spark's ToStringBase for arrays: "[" elements joined by ", " "]"; is_null() elements print
      // as "NULL" through the recursive call.
      std::string out = "[";
      const std::vector<Value>& elements = as_array();
      for (size_t i = 0; i < elements.size(); ++i) {
        if (i > 0) out += ", ";
        out += elements[i].to_string(tz);
      }
      out += ']';
      return out;
    }
    case TypeId::kMap: {
      // ToStringBase for maps: "{k1 -> v1, k2 -> v2}".
      std::string out = "{";
      for (size_t i = 0; i < map_keys().size(); ++i) {
        if (i > 0) out += ", ";
        out += map_keys()[i].to_string(tz) + " -> " + map_values()[i].to_string(tz);
      }
      return out + "}";
    }
    case TypeId::kStruct: {
      // ToStringBase for structs: the field values only, "{1, x}".
      std::string out = "{";
      const std::vector<Value>& fields = as_struct();
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ", ";
        out += fields[i].to_string(tz);
      }
      return out + "}";
    }
  }
  return "NULL";
}

std::string Value::to_sql_literal() const { return to_sql_literal(*TimeZone::utc()); }

// We follow Literal.toString, which is what explain() prints inside plan nodes (e.g.
// "Filter (id#0L > 100)", "(name#1 = Alice)"), rather than Literal.sql ("100L", "'Alice'"),
// which only appears in generated SQL text and auto-generated column names.
std::string Value::to_sql_literal(const TimeZone& tz) const {
  if (is_null()) return "null";
  switch (type_.id()) {
    case TypeId::kBinary: {
      std::string out = "0x";
      for (char c : as_string()) {
        auto b = static_cast<unsigned char>(c);
        out += kHexDigits[b >> 4];
        out += kHexDigits[b & 0xF];
      }
      return out;
    }
    case TypeId::kDecimal: return big_decimal_to_string(as_decimal(), type_.scale());
    case TypeId::kArray: {
      std::string out = "[";
      const std::vector<Value>& elements = as_array();
      for (size_t i = 0; i < elements.size(); ++i) {
        if (i > 0) out += ", ";
        out += elements[i].to_sql_literal(tz);
      }
      return out + "]";
    }
    case TypeId::kMap: {
      // Literal.toString of a map: Spark's ArrayBasedMapData.toString, "keys: [..], values: [..]".
      std::string out = "keys: [";
      for (size_t i = 0; i < map_keys().size(); ++i)
        out += (i ? ", " : "") + map_keys()[i].to_sql_literal(tz);
      out += "], values: [";
      for (size_t i = 0; i < map_values().size(); ++i)
        out += (i ? ", " : "") + map_values()[i].to_sql_literal(tz);
      return out + "]";
    }
    case TypeId::kStruct: {
      // Literal.toString of a struct: GenericInternalRow's "[a,b]".
      std::string out = "[";
      const std::vector<Value>& fields = as_struct();
      for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + fields[i].to_sql_literal(tz);
      return out + "]";
    }
    default: return to_string(tz);
  }
}

}  // namespace ember
