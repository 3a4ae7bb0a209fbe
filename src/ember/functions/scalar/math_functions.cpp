// Math functions: abs, round/bround, floor, ceil/ceiling, sqrt, cbrt, exp, ln/log/log10/log2,
// pow/power, sign/signum, with Spark's result types (floor/ceil of double -> bigint, of
// decimal(p,s) -> decimal(p-s+1,0); round keeps the type, adjusting a decimal's precision/scale).
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"
#include "ember/types/decimal.h"

namespace ember {

namespace {

using namespace fn;

// Numeric parameters: numbers keep their type; strings and NULL become double (Spark's implicit
// cast to the default numeric type).
DataType numeric_param(const char* fn, int i, const DataType& t) {
  if (t.is_numeric()) return t;
  if (t.id() == TypeId::kString || t.id() == TypeId::kNull) return DataType::float64();
  throw_input_type(fn, i, "\"NUMERIC\"", t);
}

DataType double_param(const char* fn, int i, const DataType& t) {
  if (t.is_numeric() || t.id() == TypeId::kString || t.id() == TypeId::kNull) return DataType::float64();
  throw_input_type(fn, i, "\"DOUBLE\"", t);
}

// ---- abs ---------------------------------------------------------------------------------------

BoundFunction bind_abs(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = numeric_param("abs", 1, args[0]);
  const bool ansi = ctx.ansi;
  auto kernel = make_kernel([t, ansi](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return dispatch_physical(t, [&](auto tag) -> VectorPtr {
      using T = decltype(tag);
      if constexpr (std::is_floating_point_v<T>) {
        return unary_map<T, T, true>(v[0], n, t, [](T x) { return std::fabs(x); });
      } else if constexpr (std::is_same_v<T, int128_t>) {
        return unary_map<T, T, true>(v[0], n, t, [](T x) { return x < 0 ? -x : x; });
      } else if constexpr (!std::is_same_v<T, uint8_t>) {
        if (!ansi) {
          // Java: abs(MIN) is MIN.
          return unary_map<T, T, true>(v[0], n, t, [](T x) { return x < 0 ? static_cast<T>(std::make_unsigned_t<T>(0) - static_cast<std::make_unsigned_t<T>>(x)) : x; });
        }
        return unary_map<T, T>(v[0], n, t, [](T x) {
          if (x == std::numeric_limits<T>::min()) throw_arith_overflow(sizeof(T) == 8 ? "long overflow" : "integer overflow", "");
          return x < 0 ? static_cast<T>(-x) : x;
        });
      } else {
        return nullptr;
      }
    });
  });
  return bound(t, {t}, kernel);
}

// ---- round / bround ----------------------------------------------------------------------------

// Rounds the decimal digits of a double the way Spark does: through BigDecimal(Double.toString),
// i.e. the shortest decimal that reads back as x, so round(2.675, 2) is 2.68 as Spark returns.
template <bool kHalfEven>
double round_double(double x, int scale) {
  if (!std::isfinite(x) || x == 0) return x;
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  bool neg = sci[0] == '-';
  if (neg) sci.remove_prefix(1);
  size_t e_pos = sci.find('e');
  int exp10 = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  // value = 0.d1d2d3... * 10^(exp10 + 1); keep exp10 + 1 + scale digits.
  long keep = static_cast<long>(exp10) + 1 + scale;
  if (keep >= static_cast<long>(digits.size())) return x;
  if (keep < 0) return 0.0;
  int next = digits[static_cast<size_t>(keep)] - '0';
  bool up;
  if constexpr (kHalfEven) {
    bool rest_nonzero = digits.find_first_not_of('0', static_cast<size_t>(keep) + 1) != std::string::npos;
    int last = keep > 0 ? digits[static_cast<size_t>(keep) - 1] - '0' : 0;
    up = next > 5 || (next == 5 && (rest_nonzero || last % 2 == 1));
  } else {
    up = next >= 5;
  }
  std::string kept = digits.substr(0, static_cast<size_t>(keep));
  if (kept.empty()) kept = "0";
  if (up) {
    int k = static_cast<int>(kept.size()) - 1;
    while (k >= 0 && kept[static_cast<size_t>(k)] == '9') kept[static_cast<size_t>(k--)] = '0';
    if (k >= 0) ++kept[static_cast<size_t>(k)];
    else kept.insert(kept.begin(), '1'), ++exp10;  // carried into a new leading digit
  }
  // kept holds the digits of value * 10^scale (up to the carry's shift, folded into exp10).
  std::string text = (neg ? "-" : "") + kept + "e" + std::to_string(-scale);
  if (keep == 0 && !up) return 0.0;
  return std::strtod(text.c_str(), nullptr);
}

// HALF_UP / HALF_EVEN division of a decimal's unscaled value by 10^k.
template <bool kHalfEven>
int128_t round_unscaled(int128_t v, int k) {
  if (k <= 0) return v;
  if (k > 38) return 0;
  int128_t d = pow10_int128(k);
  int128_t q = v / d, r = v % d;
  int128_t ar = r < 0 ? -r : r;
  bool up;
  if constexpr (kHalfEven) up = ar * 2 > d || (ar * 2 == d && (q % 2 != 0));
  else up = ar * 2 >= d;
  if (up) q += v < 0 ? -1 : 1;
  return q;
}

template <bool kHalfEven>
BoundFunction bind_round(const std::vector<DataType>& args, const BindContext& ctx) {
  const char* name = kHalfEven ? "bround" : "round";
  DataType t = numeric_param(name, 1, args[0]);
  int scale = 0;
  if (args.size() > 1) {
    const auto& lit = ctx.literals.size() > 1 ? ctx.literals[1] : std::nullopt;
    if (!args[1].is_integral() || !lit || lit->is_null()) {
      throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
                  std::string("Cannot resolve \"") + name +
                      "\" due to data type mismatch: the input `scale` should be a foldable \"INT\" expression.");
    }
    scale = static_cast<int>(lit->as_int64());
  }
  DataType rt = t;
  if (t.id() == TypeId::kDecimal) {
    // RoundBase.dataType: one more integral digit for the carry; scale capped by the input's.
    int p = t.precision(), s = t.scale();
    int integral = p - s + 1;
    if (scale < 0) rt = DataType::decimal(std::min(std::max(integral, -scale + 1), kMaxDecimalPrecision), 0);
    else {
      int ns = std::min(s, scale);
      rt = DataType::decimal(std::min(integral + ns, kMaxDecimalPrecision), ns);
    }
  }
  std::vector<DataType> types{t};
  if (args.size() > 1) types.push_back(DataType::int32());
  auto kernel = make_kernel([t, rt, scale](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return dispatch_physical(t, [&](auto tag) -> VectorPtr {
      using T = decltype(tag);
      if constexpr (std::is_floating_point_v<T>) {
        return unary_map<T, T, true>(v[0], n, rt, [&](T x) {
          return static_cast<T>(round_double<kHalfEven>(static_cast<double>(x), scale));
        });
      } else if constexpr (std::is_same_v<T, int128_t>) {
        const int s = t.scale();
        return unary_map_nullable<int128_t, int128_t>(v[0], n, rt, [&](int128_t x, int128_t& o) {
          if (scale >= s) {
            o = x;
          } else if (scale >= 0) {
            o = round_unscaled<kHalfEven>(x, s - scale);
          } else {
            o = round_unscaled<kHalfEven>(x, s - scale);
            if (__builtin_mul_overflow(o, pow10_int128(std::min(-scale, 38)), &o)) return false;
          }
          return decimal_fits(o, rt.precision());  // an overflow is NULL, as Decimal.toPrecision
        });
      } else if constexpr (!std::is_same_v<T, uint8_t>) {
        if (scale >= 0) return v[0];
        return unary_map<T, T, true>(v[0], n, rt, [&](T x) {
          int128_t r = round_unscaled<kHalfEven>(x, -scale);
          if (-scale <= 38) r *= pow10_int128(-scale);
          return static_cast<T>(r);
        });
      } else {
        return nullptr;
      }
    });
  });
  return bound(rt, types, kernel, true);
}

// ---- floor / ceil ------------------------------------------------------------------------------

// Java's double -> long conversion: NaN is 0, out-of-range saturates.
inline int64_t java_to_long(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9.223372036854775807e18) return std::numeric_limits<int64_t>::max();
  if (d <= -9.223372036854775808e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

template <bool kCeil>
BoundFunction bind_floor_ceil(const std::vector<DataType>& args, const BindContext&) {
  const char* name = kCeil ? "ceil" : "floor";
  DataType t = numeric_param(name, 1, args[0]);
  if (t.id() == TypeId::kDecimal) {
    if (t.scale() == 0) {
      auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t, const EvalContext&) { return v[0]; });
      return bound(t, {t}, kernel);
    }
    DataType rt = DataType::decimal(std::min(t.precision() - t.scale() + 1, kMaxDecimalPrecision), 0);
    const int128_t d = pow10_int128(t.scale());
    auto kernel = make_kernel([rt, d](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
      return unary_map<int128_t, int128_t, true>(v[0], n, rt, [d](int128_t x) {
        int128_t q = x / d, r = x % d;
        if constexpr (kCeil) return r > 0 ? q + 1 : q;
        else return r < 0 ? q - 1 : q;
      });
    });
    return bound(rt, {t}, kernel);
  }
  if (t.is_integral()) {
    auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t, const EvalContext&) { return v[0]; });
    return bound(DataType::int64(), {DataType::int64()}, kernel);
  }
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return unary_map<double, int64_t, true>(v[0], n, DataType::int64(), [](double x) {
      return java_to_long(kCeil ? std::ceil(x) : std::floor(x));
    });
  });
  return bound(DataType::int64(), {DataType::float64()}, kernel);
}

// ---- double -> double functions ----------------------------------------------------------------

enum class Unary { kSqrt, kCbrt, kExp, kLn, kLog10, kLog2, kSign };

template <Unary kFn>
BoundFunction bind_unary_double(const std::vector<DataType>& args, const BindContext&) {
  static constexpr const char* kNames[] = {"sqrt", "cbrt", "exp", "ln", "log10", "log2", "signum"};
  DataType t = double_param(kNames[static_cast<int>(kFn)], 1, args[0]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    if constexpr (kFn == Unary::kLn || kFn == Unary::kLog10 || kFn == Unary::kLog2) {
      // Spark's logarithms are NULL for x <= 0.
      return unary_map_nullable<double, double>(v[0], n, DataType::float64(), [](double x, double& o) {
        if (x <= 0) return false;
        o = kFn == Unary::kLn ? std::log(x) : kFn == Unary::kLog10 ? std::log10(x) : std::log2(x);
        return true;
      });
    } else {
      return unary_map<double, double, true>(v[0], n, DataType::float64(), [](double x) {
        if constexpr (kFn == Unary::kSqrt) return std::sqrt(x);
        else if constexpr (kFn == Unary::kCbrt) return std::cbrt(x);
        else if constexpr (kFn == Unary::kExp) return std::exp(x);
        else return std::isnan(x) ? x : x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0 * x;  // signum keeps -0.0
      });
    }
  });
  return bound(DataType::float64(), {t}, kernel, false,
               /*nullable=*/kFn == Unary::kLn || kFn == Unary::kLog10 || kFn == Unary::kLog2);
}

// log(x) is ln(x); log(base, x) is ln(x) / ln(base), NULL for a non-positive base or x.
BoundFunction bind_log(const std::vector<DataType>& args, const BindContext& ctx) {
  if (args.size() == 1) return bind_unary_double<Unary::kLn>(args, ctx);
  DataType b = double_param("log", 1, args[0]);
  DataType x = double_param("log", 2, args[1]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return binary_map_nullable<double, double, double>(v[0], v[1], n, DataType::float64(),
                                                       [](double base, double x, double& o) {
                                                         if (base <= 0 || x <= 0) return false;
                                                         o = std::log(x) / std::log(base);
                                                         return true;
                                                       });
  });
  return bound(DataType::float64(), {b, x}, kernel, true);
}

BoundFunction bind_pow(const std::vector<DataType>& args, const BindContext&) {
  DataType a = double_param("pow", 1, args[0]);
  DataType b = double_param("pow", 2, args[1]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return binary_map<double, double, double, true>(v[0], v[1], n, DataType::float64(),
                                                    [](double x, double y) { return std::pow(x, y); });
  });
  return bound(DataType::float64(), {a, b}, kernel, true);
}

}  // namespace

void register_math_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"abs", 1, 1, &bind_abs});
  r.add(FunctionDef{"round", 1, 2, &bind_round<false>});
  r.add(FunctionDef{"bround", 1, 2, &bind_round<true>});
  r.add(FunctionDef{"floor", 1, 1, &bind_floor_ceil<false>});
  r.add(FunctionDef{"ceil", 1, 1, &bind_floor_ceil<true>});
  r.add(FunctionDef{"sqrt", 1, 1, &bind_unary_double<Unary::kSqrt>});
  r.add(FunctionDef{"cbrt", 1, 1, &bind_unary_double<Unary::kCbrt>});
  r.add(FunctionDef{"exp", 1, 1, &bind_unary_double<Unary::kExp>});
  r.add(FunctionDef{"ln", 1, 1, &bind_unary_double<Unary::kLn>});
  r.add(FunctionDef{"log10", 1, 1, &bind_unary_double<Unary::kLog10>});
  r.add(FunctionDef{"log2", 1, 1, &bind_unary_double<Unary::kLog2>});
  r.add(FunctionDef{"log", 1, 2, &bind_log});
  r.add(FunctionDef{"pow", 2, 2, &bind_pow});
  r.add(FunctionDef{"signum", 1, 1, &bind_unary_double<Unary::kSign>});
  r.add_alias("ceiling", "ceil");
  r.add_alias("power", "pow");
  r.add_alias("sign", "signum");
}

}  // namespace ember
