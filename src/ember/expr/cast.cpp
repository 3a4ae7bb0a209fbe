#include "ember/expr/cast.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "ember/common/error.h"
#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/decimal.h"
#include "ember/types/interval.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"
#include "ember/types/value_format.h"

namespace ember {

bool can_cast(const DataType& from, const DataType& to, bool ansi) {
  if (from == to || from.id() == TypeId::kNull) return true;
  if (to.id() == TypeId::kNull) return false;
  if (from.is_nested() || to.is_nested()) {
    // Spark's Cast: an array casts to an array whose element it can cast to, a map to a map whose
    // key and value it can cast to, a struct to a struct of as many fields, field by field; and
    // any of them to a string.
    if (from.id() == TypeId::kArray && to.id() == TypeId::kArray)
      return can_cast(from.element_type(), to.element_type(), ansi);
    if (from.id() == TypeId::kMap && to.id() == TypeId::kMap)
      return can_cast(from.key_type(), to.key_type(), ansi) &&
             can_cast(from.value_type(), to.value_type(), ansi);
    if (from.id() == TypeId::kStruct && to.id() == TypeId::kStruct) {
      if (from.fields().size() != to.fields().size()) return false;
      for (size_t k = 0; k < from.fields().size(); ++k) {
        if (!can_cast(from.fields()[k].type, to.fields()[k].type, ansi)) return false;
      }
      return true;
    }
    return from.is_nested() && to.id() == TypeId::kString;
  }
  if (to.id() == TypeId::kString) return true;
  // Between interval types of one kind (Spark keeps the fields the target type has).
  if (from.is_interval() || to.is_interval()) return from.id() == to.id();
  const TypeId f = from.id(), t = to.id();
  const bool f_str = f == TypeId::kString;
  switch (t) {
    case TypeId::kBinary: return f_str || (!ansi && from.is_integral());
    case TypeId::kBoolean:
      return f_str || from.is_numeric() || (!ansi && from.is_temporal());
    case TypeId::kTimestamp:
      return f_str || f == TypeId::kDate || from.is_numeric() || (!ansi && f == TypeId::kBoolean);
    case TypeId::kDate: return f_str || f == TypeId::kTimestamp;
    default: break;
  }
  if (to.is_numeric()) {
    return f_str || from.is_numeric() || f == TypeId::kBoolean || f == TypeId::kTimestamp ||
           (!ansi && f == TypeId::kDate);
  }
  return false;
}

bool can_cast(const DataType& from, const DataType& to) { return can_cast(from, to, false); }

namespace {

using fn::sql_type;

const TimeZone& zone_of(const EvalContext& ctx) { return ctx.time_zone ? *ctx.time_zone : *TimeZone::utc(); }

// Spark's toSQLValue: how an error message prints a value (Literal.sql).
std::string sql_value(const Value& v) {
  if (v.is_null()) return "NULL";
  switch (v.type().id()) {
    case TypeId::kString: {
      std::string out = "'";
      for (char c : v.as_string()) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
      }
      return out + "'";
    }
    case TypeId::kByte: return v.to_string() + "Y";
    case TypeId::kShort: return v.to_string() + "S";
    case TypeId::kLong: return v.to_string() + "L";
    case TypeId::kDouble: {
      double d = v.as_double();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return v.to_string() + "D";
    }
    case TypeId::kFloat: return "CAST(" + v.to_string() + " AS FLOAT)";
    case TypeId::kDecimal: return v.to_string() + "BD";
    case TypeId::kDate: return "DATE '" + v.to_string() + "'";
    case TypeId::kTimestamp: return "TIMESTAMP '" + v.to_string() + "'";
    default: return v.to_string();
  }
}

// Raises (ANSI) the error for row i of `in`, which failed to cast to `to`.
struct CastErrors {
  const Vector& in;
  const DataType& to;

  [[noreturn]] void invalid(size_t i) const {
    throw_error(ErrorKind::kCast, "CAST_INVALID_INPUT",
                "The value " + sql_value(in.value_at(i)) + " of the type \"" + sql_type(in.type()) +
                    "\" cannot be cast to \"" + sql_type(to) +
                    "\" because it is malformed. Correct the value as per the syntax, or change its target "
                    "type. Use `try_cast` to tolerate malformed input and return NULL instead. SQLSTATE: 22018");
  }
  [[noreturn]] void overflow(size_t i) const {
    if (to.id() == TypeId::kDecimal) {
      throw_error(ErrorKind::kCast, "NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION",
                  in.value_at(i).to_string() + " cannot be represented as Decimal(" +
                      std::to_string(to.precision()) + ", " + std::to_string(to.scale()) +
                      "). If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error, and "
                      "return NULL instead. SQLSTATE: 22003");
    }
    throw_error(ErrorKind::kCast, "CAST_OVERFLOW",
                "The value " + sql_value(in.value_at(i)) + " of the type \"" + sql_type(in.type()) +
                    "\" cannot be cast to \"" + sql_type(to) +
                    "\" due to an overflow. Use `try_cast` to tolerate overflow and return NULL instead. "
                    "SQLSTATE: 22003");
  }
};

// Applies op(i, out&) -> bool to every valid row; false means "cannot cast": an error under
// ANSI (`overflow` picks which), NULL otherwise.
template <class R, class Op>
VectorPtr map_rows(const Vector& in, const DataType& to, const EvalContext& ctx, bool overflow, Op op) {
  size_t n = in.size();
  auto out = Vector::make(to, n);
  R* o = out->values<R>();
  const uint8_t* iv = in.validity();
  uint8_t* v = nullptr;
  if (iv) {
    v = out->mutable_validity();
    std::memcpy(v, iv, bitmap_bytes(n));
  }
  CastErrors err{in, to};
  for (size_t i = 0; i < n; ++i) {
    if (v && !bit_is_set(v, i)) {
      o[i] = R{};
      continue;
    }
    if (!op(i, o[i])) {
      if (ctx.ansi) {
        if (overflow) err.overflow(i);
        err.invalid(i);
      }
      o[i] = R{};
      clear_bit(out->mutable_validity(), i);
      v = out->mutable_validity();
    }
  }
  return out;
}

template <class T>
constexpr bool kIsBool = std::is_same_v<T, uint8_t>;

// Numeric/boolean -> numeric/boolean (not decimal). False on overflow under ANSI; without ANSI
// Java's conversions: integral narrowing wraps, floating -> long/int saturates (NaN -> 0),
// floating -> short/byte goes through int then wraps.
template <class S, class D>
bool convert_number(S x, D& out, bool ansi) {
  if constexpr (kIsBool<D>) {
    out = x != 0;
  } else if constexpr (kIsBool<S>) {
    out = static_cast<D>(x ? 1 : 0);
  } else if constexpr (std::is_floating_point_v<D>) {
    out = static_cast<D>(x);
  } else if constexpr (std::is_floating_point_v<S>) {
    // D integral. The range test is on the truncated value, as Spark's ANSI cast does.
    double t = std::trunc(static_cast<double>(x));
    // [min, -min) is exactly the representable range; both bounds are powers of two, exact in double.
    constexpr double lo = static_cast<double>(std::numeric_limits<D>::min());
    if (!(t >= lo && t < -lo)) {
      if (ansi) return false;
      // Java: NaN -> 0, saturate to the long/int range; narrower types wrap from int.
      using Wide = std::conditional_t<sizeof(D) == 8, int64_t, int32_t>;
      Wide w;
      if (std::isnan(t)) w = 0;
      else if (t <= static_cast<double>(std::numeric_limits<Wide>::min())) w = std::numeric_limits<Wide>::min();
      else if (t >= -static_cast<double>(std::numeric_limits<Wide>::min())) w = std::numeric_limits<Wide>::max();
      else w = static_cast<Wide>(t);
      out = static_cast<D>(w);
      return true;
    }
    out = static_cast<D>(t);
  } else {
    // integral -> integral
    if (x < std::numeric_limits<D>::min() || x > std::numeric_limits<D>::max()) {
      if (ansi) return false;
    }
    out = static_cast<D>(x);  // two's complement wrap, as Java's narrowing
  }
  return true;
}

template <class S>
VectorPtr cast_from_number(const VectorPtr& inp, const DataType& to, const EvalContext& ctx) {
  const Vector& in = *inp;
  const S* x = in.values<S>();
  const bool ansi = ctx.ansi;
  if (to.id() == TypeId::kDecimal) {
    const int p = to.precision(), s = to.scale();
    return map_rows<int128_t>(in, to, ctx, true, [&](size_t i, int128_t& o) {
      if constexpr (std::is_floating_point_v<S>) {
        auto d = decimal_from_double(static_cast<double>(x[i]), p, s);
        if (!d) return false;
        o = *d;
        return true;
      } else {
        int128_t v = static_cast<int128_t>(kIsBool<S> ? (x[i] ? 1 : 0) : x[i]);
        if (s > 0 && __builtin_mul_overflow(v, pow10_int128(s), &v)) return false;
        o = v;
        return decimal_fits(v, p);
      }
    });
  }
  return fn::dispatch_physical(to, [&](auto d) -> VectorPtr {
    using D = decltype(d);
    if constexpr (std::is_same_v<D, int128_t>) {
      return nullptr;  // handled above
    } else {
      // Widening casts cannot fail: a plain loop the compiler vectorises.
      constexpr bool lossless =
          std::is_floating_point_v<D> || kIsBool<D> || kIsBool<S> ||
          (std::is_integral_v<S> && std::is_integral_v<D> && sizeof(D) >= sizeof(S));
      if constexpr (lossless) {
        return fn::unary_map<S, D, true>(inp, in.size(), to, [&](S v) {
                                           D o;
                                           convert_number<S, D>(v, o, ansi);
                                           return o;
                                         });
      } else {
        return map_rows<D>(in, to, ctx, true, [&](size_t i, D& o) { return convert_number<S, D>(x[i], o, ansi); });
      }
    }
  });
}

VectorPtr cast_from_decimal(const Vector& in, const DataType& to, const EvalContext& ctx) {
  const int128_t* x = in.values<int128_t>();
  const int fs = in.type().scale();
  const bool ansi = ctx.ansi;
  if (to.id() == TypeId::kDecimal) {
    return map_rows<int128_t>(in, to, ctx, true, [&](size_t i, int128_t& o) {
      auto r = decimal_rescale(x[i], fs, to.scale(), to.precision());
      if (!r) return false;
      o = *r;
      return true;
    });
  }
  return fn::dispatch_physical(to, [&](auto d) -> VectorPtr {
    using D = decltype(d);
    if constexpr (std::is_same_v<D, int128_t>) {
      return nullptr;
    } else {
      return map_rows<D>(in, to, ctx, true, [&](size_t i, D& o) {
        if constexpr (kIsBool<D>) {
          o = x[i] != 0;
        } else if constexpr (std::is_floating_point_v<D>) {
          o = static_cast<D>(decimal_to_double(x[i], fs));
        } else {
          int128_t q = x[i] / pow10_int128(fs);  // truncates toward zero, as BigDecimal.longValue
          if (q < std::numeric_limits<D>::min() || q > std::numeric_limits<D>::max()) {
            if (ansi) return false;
          }
          o = static_cast<D>(q);
        }
        return true;
      });
    }
  });
}

// ---- strings -----------------------------------------------------------------------------------

std::string_view trim_all(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= 0x20) ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= 0x20) --e;
  return s.substr(b, e - b);
}

// Spark's UTF8String.toLong: optional sign, digits, and an optional fraction of digits only,
// which is dropped. Out-of-range is malformed (CAST_INVALID_INPUT), as in Spark.
template <class T>
bool parse_integral(std::string_view s, T& out) {
  s = trim_all(s);
  if (s.empty()) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    ++i;
  }
  // Accumulate negatively so that the minimum value parses, as Java does.
  int64_t acc = 0;
  size_t digits = 0;
  constexpr int64_t lo = std::numeric_limits<T>::min();
  for (; i < s.size() && s[i] != '.'; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    if (acc < lo / 10) return false;
    acc *= 10;
    if (acc < lo + (c - '0')) return false;
    acc -= c - '0';
    ++digits;
  }
  if (i < s.size()) {  // '.'
    for (++i; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
    }
  }
  if (digits == 0) return false;
  if (!neg) {
    if (acc == lo) return false;
    acc = -acc;
  }
  out = static_cast<T>(acc);
  return true;
}

// Java's Double.parseDouble after trimming, plus Spark's special literals (inf, infinity, nan;
// any case, optional sign). A trailing d/D/f/F type suffix is accepted, as Java does.
bool parse_double(std::string_view s, double& out) {
  s = trim_all(s);
  if (s.empty()) return false;
  if (s.size() > 1 && (s.back() == 'd' || s.back() == 'D' || s.back() == 'f' || s.back() == 'F')) {
    s.remove_suffix(1);
  }
  bool neg = false;
  std::string_view body = s;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty() || body[0] == '+' || body[0] == '-') return false;
  char lower[10];
  if (body.size() <= 8) {
    for (size_t k = 0; k < body.size(); ++k) lower[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(body[k])));
    std::string_view l(lower, body.size());
    if (l == "inf" || l == "infinity") {
      out = neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
      return true;
    }
    if (l == "nan") {
      out = std::numeric_limits<double>::quiet_NaN();
      return true;
    }
  }
  // from_chars would also accept "inf"/"nan" spellings Java rejects; those were handled above,
  // so only digits may start the number here.
  if (!((body[0] >= '0' && body[0] <= '9') || body[0] == '.')) return false;
  double v;
  auto r = std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range) {
    // Overflow to infinity / underflow to zero, as Java does.
    v = std::strtod(std::string(body).c_str(), nullptr);
  } else if (r.ec != std::errc() || r.ptr != body.data() + body.size()) {
    return false;
  }
  out = neg ? -v : v;
  return true;
}

// Spark's StringUtils.isTrueString / isFalseString.
bool parse_boolean(std::string_view s, uint8_t& out) {
  s = trim_all(s);
  if (s.size() > 5) return false;
  char l[5];
  for (size_t k = 0; k < s.size(); ++k) l[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[k])));
  std::string_view v(l, s.size());
  if (v == "t" || v == "true" || v == "y" || v == "yes" || v == "1") {
    out = 1;
    return true;
  }
  if (v == "f" || v == "false" || v == "n" || v == "no" || v == "0") {
    out = 0;
    return true;
  }
  return false;
}

VectorPtr cast_from_string(const Vector& in, const DataType& to, const EvalContext& ctx) {
  switch (to.id()) {
    case TypeId::kBinary: {
      auto out = Vector::make(to, in.size());
      out->reserve_chars(fn::total_chars(in));
      for (size_t i = 0; i < in.size(); ++i) {
        if (in.is_null(i)) out->set_null_string(i);
        else out->set_string(i, in.string_at(i));
      }
      return out;
    }
    case TypeId::kBoolean:
      return map_rows<uint8_t>(in, to, ctx, false, [&](size_t i, uint8_t& o) { return parse_boolean(in.string_at(i), o); });
    case TypeId::kByte:
      return map_rows<int8_t>(in, to, ctx, false, [&](size_t i, int8_t& o) { return parse_integral(in.string_at(i), o); });
    case TypeId::kShort:
      return map_rows<int16_t>(in, to, ctx, false, [&](size_t i, int16_t& o) { return parse_integral(in.string_at(i), o); });
    case TypeId::kInt:
      return map_rows<int32_t>(in, to, ctx, false, [&](size_t i, int32_t& o) { return parse_integral(in.string_at(i), o); });
    case TypeId::kLong:
      return map_rows<int64_t>(in, to, ctx, false, [&](size_t i, int64_t& o) { return parse_integral(in.string_at(i), o); });
    case TypeId::kFloat:
      return map_rows<float>(in, to, ctx, false, [&](size_t i, float& o) {
        double d;
        if (!parse_double(in.string_at(i), d)) return false;
        o = static_cast<float>(d);
        return true;
      });
    case TypeId::kDouble:
      return map_rows<double>(in, to, ctx, false, [&](size_t i, double& o) { return parse_double(in.string_at(i), o); });
    case TypeId::kDecimal: {
      // A well-formed number that does not fit is an overflow, not malformed input; try the
      // target first (the common case), and classify only failures.
      size_t n = in.size();
      auto out = Vector::make(to, n);
      int128_t* o = out->values<int128_t>();
      CastErrors err{in, to};
      for (size_t i = 0; i < n; ++i) {
        o[i] = 0;
        if (in.is_null(i)) {
          out->set_null(i);
          continue;
        }
        std::string_view s = in.string_at(i);
        auto d = parse_decimal(s, to.precision(), to.scale());
        if (d) {
          o[i] = *d;
          continue;
        }
        if (ctx.ansi) {
          double probe;
          if (parse_double(s, probe) && std::isfinite(probe)) err.overflow(i);
          err.invalid(i);
        }
        out->set_null(i);
      }
      return out;
    }
    case TypeId::kDate:
      return map_rows<int32_t>(in, to, ctx, false, [&](size_t i, int32_t& o) {
        auto d = parse_date(in.string_at(i));
        if (!d) return false;
        o = *d;
        return true;
      });
    case TypeId::kTimestamp: {
      const TimeZone& tz = zone_of(ctx);
      return map_rows<int64_t>(in, to, ctx, false, [&](size_t i, int64_t& o) {
        auto t = parse_timestamp(in.string_at(i), tz);
        if (!t) return false;
        o = *t;
        return true;
      });
    }
    default: break;
  }
  throw_internal(__FILE__, __LINE__, "unsupported cast from string to " + to.simple_string());
}

VectorPtr cast_to_string(const VectorPtr& in, const DataType& to, const EvalContext& ctx) {
  const Vector& v = *in;
  const size_t n = v.size();
  const TypeId f = v.type().id();
  if (v.type().is_string_like()) {
    auto out = Vector::make(to, n);
    out->reserve_chars(fn::total_chars(v));
    for (size_t i = 0; i < n; ++i) {
      if (v.is_null(i)) out->set_null_string(i);
      else out->set_string(i, v.string_at(i));
    }
    return out;
  }
  const TimeZone& tz = zone_of(ctx);
  const int scale = v.type().scale();
  size_t width = f == TypeId::kTimestamp ? 26 : f == TypeId::kDecimal ? 40 : 12;
  return fn::string_map({in}, n, to, n * width, [&](size_t i, std::string& s) {
    switch (f) {
      case TypeId::kBoolean: s += v.values<uint8_t>()[i] ? "true" : "false"; break;
      case TypeId::kByte: s += std::to_string(v.values<int8_t>()[i]); break;
      case TypeId::kShort: s += std::to_string(v.values<int16_t>()[i]); break;
      case TypeId::kInt:
      case TypeId::kLong: {
        char buf[24];
        int64_t x = f == TypeId::kInt ? v.values<int32_t>()[i] : v.values<int64_t>()[i];
        auto r = std::to_chars(buf, buf + sizeof buf, x);
        s.append(buf, r.ptr);
        break;
      }
      case TypeId::kFloat: append_float(s, v.values<float>()[i]); break;
      case TypeId::kDouble: append_double(s, v.values<double>()[i]); break;
      case TypeId::kDecimal: append_decimal(s, v.values<int128_t>()[i], scale); break;
      case TypeId::kDate: append_date(s, v.values<int32_t>()[i]); break;
      case TypeId::kTimestamp: append_timestamp(s, v.values<int64_t>()[i], tz); break;
      case TypeId::kYearMonthInterval:
        append_year_month_interval(s, v.values<int32_t>()[i], v.type().start_field(), v.type().end_field());
        break;
      case TypeId::kDayTimeInterval:
        append_day_time_interval(s, v.values<int64_t>()[i], v.type().start_field(), v.type().end_field());
        break;
      default: break;
    }
    return true;
  });
}

// Spark (non-ANSI) casts an integral to binary as its big-endian two's complement bytes.
VectorPtr cast_integral_to_binary(const Vector& in, const DataType& to) {
  auto out = Vector::make(to, in.size());
  int width = in.type().fixed_width();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in.is_null(i)) {
      out->set_null_string(i);
      continue;
    }
    int64_t x = in.value_at(i).as_int64();
    char buf[8];
    for (int k = 0; k < width; ++k) buf[k] = static_cast<char>((x >> (8 * (width - 1 - k))) & 0xFF);
    out->set_string(i, std::string_view(buf, static_cast<size_t>(width)));
  }
  return out;
}

// ---- date / timestamp --------------------------------------------------------------------------

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

VectorPtr cast_from_timestamp(const VectorPtr& inp, const DataType& to, const EvalContext& ctx) {
  const Vector& in = *inp;
  const int64_t* x = in.values<int64_t>();
  size_t n = in.size();
  switch (to.id()) {
    case TypeId::kDate: {
      const TimeZone& tz = zone_of(ctx);
      return fn::unary_map<int64_t, int32_t, true>(inp, n, to, [&](int64_t m) { return micros_to_days(m, tz); });
    }
    case TypeId::kBoolean:
      return fn::unary_map<int64_t, uint8_t, true>(inp, n, to, [](int64_t m) -> uint8_t { return m != 0; });
    case TypeId::kDouble:
    case TypeId::kFloat:
      return fn::dispatch_physical(to, [&](auto d) -> VectorPtr {
        using D = decltype(d);
        if constexpr (std::is_floating_point_v<D>) {
          return fn::unary_map<int64_t, D, true>(inp, n, to, [](int64_t m) {
            return static_cast<D>(static_cast<double>(m) / 1e6);
          });
        } else {
          return nullptr;
        }
      });
    case TypeId::kDecimal:
      // Spark goes through double; the exact micros with scale 6 lose nothing instead.
      return map_rows<int128_t>(in, to, ctx, true, [&](size_t i, int128_t& o) {
        auto r = decimal_rescale(x[i], 6, to.scale(), to.precision());
        if (!r) return false;
        o = *r;
        return true;
      });
    default: break;
  }
  // Integral: seconds, floored (Spark's timestamp -> long), then narrowed with overflow rules.
  auto secs = Vector::make(DataType::int64(), n);
  int64_t* s = secs->values<int64_t>();
  for (size_t i = 0; i < n; ++i) s[i] = floor_div(x[i], kMicrosPerSecond);
  if (in.may_have_nulls()) secs->set_validity_buffer(in.validity_buffer());
  if (to.id() == TypeId::kLong) return secs;
  return cast_from_number<int64_t>(secs, to, ctx);
}

VectorPtr number_to_timestamp(const Vector& in, const DataType& to, const EvalContext& ctx) {
  const DataType& from = in.type();
  return map_rows<int64_t>(in, to, ctx, true, [&](size_t i, int64_t& o) {
    switch (from.id()) {
      case TypeId::kBoolean: o = in.values<uint8_t>()[i] ? 1 : 0; return true;  // Spark: 1 microsecond
      case TypeId::kFloat:
      case TypeId::kDouble: {
        double d = from.id() == TypeId::kFloat ? in.values<float>()[i] : in.values<double>()[i];
        if (std::isnan(d) || std::isinf(d)) return false;
        double m = d * 1e6;
        if (!(m >= -9.223372036854775808e18 && m < 9.223372036854775808e18)) return false;
        o = static_cast<int64_t>(m);
        return true;
      }
      case TypeId::kDecimal: {
        auto r = decimal_rescale(in.values<int128_t>()[i], from.scale(), 6, 38);
        if (!r || *r < std::numeric_limits<int64_t>::min() || *r > std::numeric_limits<int64_t>::max()) return false;
        o = static_cast<int64_t>(*r);
        return true;
      }
      default: {
        int64_t sec = in.value_at(i).as_int64();
        if (__builtin_mul_overflow(sec, kMicrosPerSecond, &o)) {
          // Spark saturates seconds -> micros (Math.multiplyExact is not used here).
          o = sec < 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
        }
        return true;
      }
    }
  });
}

VectorPtr cast_flat(const VectorPtr& inp, const DataType& to, const EvalContext& ctx);

// The elements rows [0, size) of an array vector span, as a flat vector of their own.
VectorPtr array_elements(const Vector& in) {
  const int32_t* off = in.offsets();
  const auto begin = static_cast<size_t>(off[0]), end = static_cast<size_t>(off[in.size()]);
  if (begin == 0 && end == in.child()->size()) return in.child();
  std::vector<uint32_t> sel(end - begin);
  for (size_t k = 0; k < sel.size(); ++k) sel[k] = static_cast<uint32_t>(begin + k);
  return gather(*in.child(), sel.data(), sel.size());
}

// struct -> struct casts field by field (same validity); struct -> string is Spark's Cast:
// "{1, null}" (legacy castComplexTypesToString off).
VectorPtr cast_struct(const VectorPtr& inp, const DataType& to, const EvalContext& ctx) {
  const Vector& in = *inp;
  const size_t n = in.size();
  std::vector<uint32_t> head;
  auto field_rows = [&](size_t k) {
    // A truncated struct's fields may hold more rows than the struct.
    if (in.field(k)->size() == n) return flatten(in.field(k));
    if (head.empty()) {
      head.resize(n);
      for (size_t i = 0; i < n; ++i) head[i] = static_cast<uint32_t>(i);
    }
    return gather(*in.field(k), head.data(), n);
  };
  if (to.id() == TypeId::kStruct) {
    auto out = Vector::make(to, n);
    for (size_t k = 0; k < in.num_fields(); ++k)
      out->set_field(k, cast_flat(field_rows(k), to.fields()[k].type, ctx));
    if (in.may_have_nulls()) out->set_validity_buffer(in.validity_buffer());
    return out;
  }
  std::vector<VectorPtr> text;
  size_t bytes = 2 * n;
  for (size_t k = 0; k < in.num_fields(); ++k) {
    text.push_back(cast_flat(field_rows(k), DataType::string(), ctx));
    bytes += fn::total_chars(*text.back()) + 2 * n;
  }
  auto out = Vector::make(to, n);
  out->reserve_chars(bytes);
  std::string scratch;
  for (size_t i = 0; i < n; ++i) {
    if (in.is_null(i)) {
      out->set_null_string(i);
      continue;
    }
    scratch.assign("{");
    for (size_t k = 0; k < text.size(); ++k) {
      if (k > 0) scratch += ", ";
      if (text[k]->is_null(i)) scratch += "null";
      else scratch += text[k]->string_at(i);
    }
    scratch += '}';
    out->set_string(i, scratch);
  }
  return out;
}

// array -> array casts the elements (same offsets and validity); array -> string is Spark's
// Cast: "[a, b]" with "null" for a null element (legacy castComplexTypesToString off). Maps are
// arrays of entry structs, so map -> map casts the entries; map -> string is "{a -> 1, b -> null}".
VectorPtr cast_array(const VectorPtr& inp, const DataType& to, const EvalContext& ctx) {
  const Vector& in = *inp;
  const size_t n = in.size();
  VectorPtr elements = array_elements(in);
  const int32_t* off = in.offsets();
  const int32_t base = off[0];
  if (to.is_nested()) {
    auto out = Vector::make(to, n);
    int32_t* o = out->mutable_offsets();
    for (size_t i = 0; i <= n; ++i) o[i] = off[i] - base;
    if (in.may_have_nulls()) out->set_validity_buffer(in.validity_buffer());
    out->set_child(cast_flat(flatten(elements), to.element_type(), ctx));
    return out;
  }
  const bool is_map = in.type().id() == TypeId::kMap;
  VectorPtr text, values_text;
  if (is_map) {
    text = cast_flat(flatten(elements->field(0)), DataType::string(), ctx);
    values_text = cast_flat(flatten(elements->field(1)), DataType::string(), ctx);
  } else {
    text = cast_flat(flatten(elements), DataType::string(), ctx);
  }
  auto out = Vector::make(to, n);
  out->reserve_chars(fn::total_chars(*text) +
                     (values_text ? fn::total_chars(*values_text) + 4 * text->size() : 0) + 2 * n +
                     2 * text->size());
  std::string scratch;
  for (size_t i = 0; i < n; ++i) {
    if (in.is_null(i)) {
      out->set_null_string(i);
      continue;
    }
    scratch.assign(is_map ? "{" : "[");
    for (int32_t e = off[i] - base; e < off[i + 1] - base; ++e) {
      const auto k = static_cast<size_t>(e);
      if (e > off[i] - base) scratch += ", ";
      if (text->is_null(k)) scratch += "null";
      else scratch += text->string_at(k);
      if (!is_map) continue;
      scratch += " -> ";
      if (values_text->is_null(k)) scratch += "null";
      else scratch += values_text->string_at(k);
    }
    scratch += is_map ? '}' : ']';
    out->set_string(i, scratch);
  }
  return out;
}

VectorPtr cast_flat(const VectorPtr& inp, const DataType& to, const EvalContext& ctx) {
  const Vector& in = *inp;
  const DataType& from = in.type();
  const size_t n = in.size();
  if (from.id() == TypeId::kNull) return Vector::make_null(to, n);
  if (from.id() == TypeId::kStruct) return cast_struct(inp, to, ctx);
  if (from.is_nested()) return cast_array(inp, to, ctx);
  if (to.id() == TypeId::kString) return cast_to_string(inp, to, ctx);
  if (from.id() == TypeId::kString) return cast_from_string(in, to, ctx);
  if (to.id() == TypeId::kBinary && from.is_integral()) return cast_integral_to_binary(in, to);
  if (from.is_interval() && from.id() == to.id()) {
    // Fields below the target's end field are dropped (INTERVAL DAY TO SECOND -> INTERVAL DAY
    // keeps whole days), as Spark's Cast between day-time interval types.
    if (from.id() == TypeId::kYearMonthInterval) {
      const bool years = to.end_field() == kIntervalYear;
      return fn::unary_map<int32_t, int32_t, true>(inp, n, to,
                                                   [years](int32_t m) { return years ? m / 12 * 12 : m; });
    }
    static const int64_t kUnit[] = {kMicrosPerDay, 3600 * kMicrosPerSecond, 60 * kMicrosPerSecond, 1};
    const int64_t unit = kUnit[to.end_field()];
    return fn::unary_map<int64_t, int64_t, true>(inp, n, to, [unit](int64_t us) { return us / unit * unit; });
  }
  if (from.id() == TypeId::kTimestamp) return cast_from_timestamp(inp, to, ctx);
  if (from.id() == TypeId::kDate) {
    if (to.id() == TypeId::kTimestamp) {
      const TimeZone& tz = zone_of(ctx);
      return fn::unary_map<int32_t, int64_t, true>(inp, n, to, [&](int32_t d) { return days_to_micros(d, tz); });
    }
    // Legacy only (ANSI rejects these at analysis): a date is no number and no boolean.
    if (to.is_numeric() || to.id() == TypeId::kBoolean) return Vector::make_null(to, n);
  }
  if (to.id() == TypeId::kTimestamp && (from.is_numeric() || from.id() == TypeId::kBoolean)) {
    return number_to_timestamp(in, to, ctx);
  }
  if (from.id() == TypeId::kDecimal && (to.is_numeric() || to.id() == TypeId::kBoolean)) {
    return cast_from_decimal(in, to, ctx);
  }
  if ((from.is_numeric() || from.id() == TypeId::kBoolean) && (to.is_numeric() || to.id() == TypeId::kBoolean)) {
    return fn::dispatch_physical(from, [&](auto s) -> VectorPtr {
      using S = decltype(s);
      if constexpr (std::is_same_v<S, int128_t>) return nullptr;
      else return cast_from_number<S>(inp, to, ctx);
    });
  }
  throw_error(ErrorKind::kUnsupported, "cannot cast " + sql_type(from) + " to " + sql_type(to));
}

}  // namespace

VectorPtr cast_vector(const VectorPtr& in, const DataType& to, const EvalContext& ctx, const std::string& expr_sql) {
  if (in->type() == to) return in;
  if (in->is_constant()) {
    // Cast the one stored value; the result stands for as many rows as the input.
    VectorPtr one = Vector::from_values(in->type(), {in->value_at(0)});
    VectorPtr r = cast_flat(one, to, ctx);
    return Vector::make_constant(r->value_at(0), in->size());
  }
  return cast_flat(in, to, ctx);
}

}  // namespace ember
