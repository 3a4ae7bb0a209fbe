#include "ember/types/coercion.h"

#include <algorithm>

namespace ember {

namespace {

// Spark's numericPrecedence: byte < short < int < long < float < double.
int numeric_rank(TypeId id) {
  switch (id) {
    case TypeId::kByte: return 0;
    case TypeId::kShort: return 1;
    case TypeId::kInt: return 2;
    case TypeId::kLong: return 3;
    case TypeId::kFloat: return 4;
    case TypeId::kDouble: return 5;
    default: return -1;
  }
}

// DecimalType.isWiderThan(integral): the decimal holds every value of the integral type.
bool decimal_holds(const DataType& d, const DataType& integral) {
  DataType need = decimal_for_integral(integral);
  return d.precision() - d.scale() >= need.precision() - need.scale() && d.scale() >= need.scale();
}

bool is_atomic(const DataType& t) { return t.id() != TypeId::kNull && !t.is_nested(); }

// Spark's findTypeForComplex: arrays meet element-wise, maps key- and value-wise, structs of the
// same field names field-wise, each by `rule`; the result may hold nulls when either side may.
template <class Rule>
std::optional<DataType> array_type_for(const DataType& a, const DataType& b, Rule rule) {
  if (a.id() != b.id()) return std::nullopt;
  switch (a.id()) {
    case TypeId::kArray: {
      auto element = rule(a.element_type(), b.element_type());
      if (!element) return std::nullopt;
      return DataType::array(*element, a.contains_null() || b.contains_null());
    }
    case TypeId::kMap: {
      auto key = rule(a.key_type(), b.key_type());
      auto value = rule(a.value_type(), b.value_type());
      if (!key || !value) return std::nullopt;
      return DataType::map(*key, *value, a.contains_null() || b.contains_null());
    }
    case TypeId::kStruct: {
      const auto& fa = a.fields();
      const auto& fb = b.fields();
      if (fa.size() != fb.size()) return std::nullopt;
      std::vector<Field> fields;
      for (size_t k = 0; k < fa.size(); ++k) {
        if (!equals_ignore_case(fa[k].name, fb[k].name)) return std::nullopt;
        auto t = rule(fa[k].type, fb[k].type);
        if (!t) return std::nullopt;
        fields.push_back(Field{fa[k].name, *t, fa[k].nullable || fb[k].nullable});
      }
      return DataType::struct_(std::move(fields));
    }
    default: return std::nullopt;
  }
}

std::optional<DataType> tightest_common(const DataType& a, const DataType& b, bool ansi) {
  if (a == b) {
    // Equal arrays may still differ in containsNull; the result holds nulls when either may.
    if (!a.is_nested()) return a;
    return array_type_for(a, b,
                          [](const DataType& x, const DataType&) { return std::optional<DataType>(x); });
  }
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (a.is_nested() || b.is_nested()) {
    return array_type_for(
        a, b, [ansi](const DataType& x, const DataType& y) { return tightest_common(x, y, ansi); });
  }
  if (a.is_integral() && b.id() == TypeId::kDecimal && decimal_holds(b, a)) return b;
  if (b.is_integral() && a.id() == TypeId::kDecimal && decimal_holds(a, b)) return a;
  int ra = numeric_rank(a.id()), rb = numeric_rank(b.id());
  if (ra >= 0 && rb >= 0) {
    DataType wider = ra >= rb ? a : b;
    // ANSI: integral meets float as double, so that no integral value loses precision.
    if (ansi && wider.id() == TypeId::kFloat) return DataType::float64();
    return wider;
  }
  if (a.is_temporal() && b.is_temporal()) return DataType::timestamp();
  // Intervals of one kind widen to the fields of both (INTERVAL DAY, INTERVAL HOUR TO SECOND ->
  // INTERVAL DAY TO SECOND), as Spark's TypeCoercion does.
  if (a.is_interval() && a.id() == b.id()) {
    const int from = std::min(a.start_field(), b.start_field()), to = std::max(a.end_field(), b.end_field());
    return a.id() == TypeId::kYearMonthInterval ? DataType::year_month_interval(from, to)
                                                : DataType::day_time_interval(from, to);
  }
  return std::nullopt;
}

std::optional<DataType> wider_for_decimal(const DataType& a, const DataType& b) {
  bool da = a.id() == TypeId::kDecimal, db = b.id() == TypeId::kDecimal;
  if (!da && !db) return std::nullopt;
  if (da && db) return wider_decimal(a, b);
  const DataType& other = da ? b : a;
  const DataType& dec = da ? a : b;
  if (other.is_integral()) return wider_decimal(decimal_for_integral(other), dec);
  if (other.is_floating()) return DataType::float64();
  return std::nullopt;
}

std::optional<DataType> wider_for_string(const DataType& a, const DataType& b, bool ansi) {
  if (b.id() == TypeId::kString && a.id() != TypeId::kString) return wider_for_string(b, a, ansi);
  if (a.id() != TypeId::kString) return std::nullopt;
  if (ansi) {
    if (b.is_integral()) return DataType::int64();
    if (b.is_floating() || b.id() == TypeId::kDecimal) return DataType::float64();
    if (is_atomic(b)) return b;
    return DataType::string();
  }
  // TypeCoercion.stringPromotion: everything but binary and boolean becomes a string.
  if (b.id() == TypeId::kBinary || b.id() == TypeId::kBoolean) return std::nullopt;
  return DataType::string();
}

}  // namespace

DataType wider_decimal(const DataType& a, const DataType& b) {
  int scale = std::max(a.scale(), b.scale());
  int range = std::max(a.precision() - a.scale(), b.precision() - b.scale());
  return DataType::decimal(std::min(range + scale, kMaxDecimalPrecision),
                           std::min(scale, kMaxDecimalPrecision));
}

std::optional<DataType> wider_type(const DataType& a, const DataType& b, bool ansi) {
  if (auto t = tightest_common(a, b, ansi)) return t;
  if (a.is_nested() || b.is_nested()) {
    return array_type_for(a, b,
                          [ansi](const DataType& x, const DataType& y) { return wider_type(x, y, ansi); });
  }
  if (auto t = wider_for_decimal(a, b)) return t;
  return wider_for_string(a, b, ansi);
}

std::optional<DataType> comparison_type(const DataType& a, const DataType& b, bool ansi) {
  if (a == b) return a;
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (a.is_nested() || b.is_nested()) return wider_type(a, b, ansi);
  bool sa = a.id() == TypeId::kString, sb = b.id() == TypeId::kString;
  if (sa || sb) {
    const DataType& other = sa ? b : a;
    if (ansi) return wider_for_string(a, b, true);
    // Non-ANSI PromoteStrings: the string side is cast to the other side's type.
    if (other.is_numeric() || other.is_temporal() || other.id() == TypeId::kBoolean ||
        other.id() == TypeId::kBinary) {
      return other;
    }
    return std::nullopt;
  }
  if (auto t = tightest_common(a, b, ansi)) return t;
  return wider_for_decimal(a, b);
}

bool can_implicit_cast(const DataType& from, const DataType& to, bool ansi) {
  if (from == to) return true;
  if (from.id() == TypeId::kNull) return true;
  if (to.id() == TypeId::kNull) return false;
  // Arrays cast implicitly only to arrays, element by element (TypeCoercion.implicitCast); maps
  // and structs only to an equal type; no atomic type converts to or from a nested one.
  if (from.is_nested() || to.is_nested()) {
    return from.id() == TypeId::kArray && to.id() == TypeId::kArray &&
           can_implicit_cast(from.element_type(), to.element_type(), ansi);
  }
  if (from.id() == TypeId::kString) return true;  // string to any atomic type
  if (from.is_numeric() && to.is_numeric()) return true;
  if (to.id() == TypeId::kString) return true;  // atomic to string
  if (from.is_temporal() && to.is_temporal()) return true;
  return false;
}

}  // namespace ember
