#pragma once
// A single typed value: literals in expressions, rows returned by collect(), partition values.
// Never used in a hot loop; vectors carry data in bulk.
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "ember/types/data_type.h"

namespace ember {

using int128_t = __int128;

class TimeZone;

class Value {
 public:
  Value() = default;  // NULL of type void
  static Value null(DataType type) {
    Value v;
    v.type_ = type;
    return v;
  }
  static Value boolean(bool b) { return Value(DataType::boolean(), Storage(b)); }
  static Value byte(int8_t x) { return Value(DataType::byte(), Storage(int64_t{x})); }
  static Value short_(int16_t x) { return Value(DataType::short_(), Storage(int64_t{x})); }
  static Value int32(int32_t x) { return Value(DataType::int32(), Storage(int64_t{x})); }
  static Value int64(int64_t x) { return Value(DataType::int64(), Storage(x)); }
  static Value float32(float x) { return Value(DataType::float32(), Storage(double{x})); }
  static Value float64(double x) { return Value(DataType::float64(), Storage(x)); }
  static Value decimal(int128_t unscaled, int precision, int scale) {
    return Value(DataType::decimal(precision, scale), Storage(unscaled));
  }
  static Value string(std::string s) { return Value(DataType::string(), Storage(std::move(s))); }
  static Value binary(std::string bytes) { return Value(DataType::binary(), Storage(std::move(bytes))); }
  static Value date(int32_t days) { return Value(DataType::date(), Storage(int64_t{days})); }
  static Value timestamp(int64_t micros) { return Value(DataType::timestamp(), Storage(micros)); }
  // `type` is the interval type (its fields say how the value prints).
  static Value year_month_interval(int32_t months, DataType type = DataType::year_month_interval()) {
    return Value(std::move(type), Storage(int64_t{months}));
  }
  static Value day_time_interval(int64_t micros, DataType type = DataType::day_time_interval()) {
    return Value(std::move(type), Storage(micros));
  }
  // An array of `element_type` values; each element is null or of that type (an internal error
  // otherwise).
  static Value array(DataType element_type, std::vector<Value> elements);
  // A map of `type` (a map type) with keys[i] -> values[i]; keys are non-null and distinct (the
  // functions that build maps enforce Spark's rules first), values null or of the value type.
  static Value map(DataType type, std::vector<Value> keys, std::vector<Value> values);
  // A struct of `type` (a struct type) with one value per field, in field order.
  static Value struct_(DataType type, std::vector<Value> fields);

  const DataType& type() const { return type_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }

  bool as_bool() const { return std::get<bool>(v_); }
  // Integral, date (days), timestamp (micros) and interval (months or micros) values.
  int64_t as_int64() const { return std::get<int64_t>(v_); }
  double as_double() const { return std::get<double>(v_); }
  int128_t as_decimal() const { return std::get<int128_t>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  // The elements of an array value.
  const std::vector<Value>& as_array() const { return *std::get<ArrayPtr>(v_); }
  // The keys and values of a map value (same length, in entry order).
  const std::vector<Value>& map_keys() const { return std::get<MapPtr>(v_)->first; }
  const std::vector<Value>& map_values() const { return std::get<MapPtr>(v_)->second; }
  // The field values of a struct value, in field order.
  const std::vector<Value>& as_struct() const { return *std::get<ArrayPtr>(v_); }

  // What show() prints for this value (Spark's ToPrettyString): "NULL" for null; arrays as
  // "[a, NULL, c]" (a null element prints NULL too, as Spark 3.5+ show() does), maps as
  // "{a -> 1, b -> NULL}", structs as "{1, x}". Timestamps are
  // shown in `tz` (the session time zone); the overload without one uses UTC.
  std::string to_string() const;
  std::string to_string(const TimeZone& tz) const;
  // The form explain() prints a literal in: Spark's Literal.toString, e.g. "null", "100" (no 'L'
  // suffix), "abc" (unquoted), "0x01FF" for binary, "2024-01-01" for a date.
  std::string to_sql_literal() const;
  std::string to_sql_literal(const TimeZone& tz) const;

  // Deep: arrays compare element by element.
  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  // Array elements are shared and immutable, so copying an array value is cheap.
  // Array elements and struct fields.
  using ArrayPtr = std::shared_ptr<const std::vector<Value>>;
  using MapPtr = std::shared_ptr<const std::pair<std::vector<Value>, std::vector<Value>>>;
  using Storage =
      std::variant<std::monostate, bool, int64_t, double, int128_t, std::string, ArrayPtr, MapPtr>;
  Value(DataType t, Storage v) : type_(t), v_(std::move(v)) {}
  DataType type_;
  Storage v_;
};

}  // namespace ember
