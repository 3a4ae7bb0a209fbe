// More math functions: greatest, least (NULLs skipped; arguments widened to their common type as
// Spark's findWiderCommonType; NaN above every other number, as Spark orders doubles) and pmod
// (the positive remainder, with '%''s coercion; a zero divisor is DIVIDE_BY_ZERO under ANSI, NULL
// otherwise). pow/power, exp, log/ln/log10/log2, bround and sign/signum are in math_functions.cpp.
#include <cmath>
#include <limits>

#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"
#include "ember/types/decimal.h"

namespace ember {

namespace {

using namespace fn;

// ---- greatest / least --------------------------------------------------------------------------

DataType common_type(const char* fn, const std::vector<DataType>& args, bool ansi) {
  DataType t = DataType::null();
  for (const auto& a : args) {
    auto w = wider_type(t, a, ansi);
    if (!w) {
      std::string list;
      for (size_t k = 0; k < args.size(); ++k) list += (k ? ", \"" : "\"") + sql_type(args[k]) + "\"";
      throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
                  std::string("Cannot resolve \"") + fn + "\" due to data type mismatch: Input to `" + fn +
                      "` should all be the same type, but it's [" + list + "].");
    }
    t = *w;
  }
  return t;
}

// Spark's ordering of doubles: NaN is the largest value; -0.0 equals 0.0.
template <class T>
inline bool greater(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return !std::isnan(b);
    if (std::isnan(b)) return false;
  }
  return a > b;
}

template <bool kGreatest>
VectorPtr extreme(const DataType& t, const std::vector<VectorPtr>& v, size_t n) {
  if (t.id() == TypeId::kNull) return Vector::make_null(t, n);
  // Which argument wins each row (-1: every argument is NULL).
  std::vector<int32_t> winner(n, -1);
  if (t.is_string_like()) {
    for (size_t k = 0; k < v.size(); ++k) {
      const Vector& a = *v[k];
      if (is_const_null(a)) continue;
      for (size_t i = 0; i < n; ++i) {
        if (a.is_null(i)) continue;
        int32_t w = winner[i];
        if (w < 0) {
          winner[i] = static_cast<int32_t>(k);
          continue;
        }
        int c = a.string_at(i).compare(v[static_cast<size_t>(w)]->string_at(i));
        if (kGreatest ? c > 0 : c < 0) winner[i] = static_cast<int32_t>(k);
      }
    }
    std::vector<uint32_t> rows(n);
    for (size_t i = 0; i < n; ++i) rows[i] = static_cast<uint32_t>(i);
    return assemble(t, v, winner.data(), rows.data(), n);
  }
  auto out = Vector::make(t, n);
  dispatch_physical(t, [&](auto tag) {
    using T = decltype(tag);
    T* o = out->values<T>();
    for (size_t k = 0; k < v.size(); ++k) {
      const Vector& a = *v[k];
      if (is_const_null(a)) continue;
      const uint8_t* valid = a.is_constant() ? nullptr : a.validity();
      for (size_t i = 0; i < n; ++i) {
        if (valid && !bit_is_set(valid, i)) continue;
        T x = value_at<T>(a, i);
        if (winner[i] < 0 || (kGreatest ? greater(x, o[i]) : greater(o[i], x))) {
          o[i] = x;
          winner[i] = static_cast<int32_t>(k);
        }
      }
    }
    for (size_t i = 0; i < n; ++i) {
      if (winner[i] < 0) {
        o[i] = T{};
        out->set_null(i);
      }
    }
    return 0;
  });
  return out;
}

template <bool kGreatest>
BoundFunction bind_extreme(const std::vector<DataType>& args, const BindContext& ctx) {
  const char* name = kGreatest ? "greatest" : "least";
  DataType t = common_type(name, args, ctx.ansi);
  require_flat_type(t, kGreatest ? "compute greatest of" : "compute least of");
  auto kernel = make_kernel([t](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return extreme<kGreatest>(t, v, n);
  });
  return bound(t, std::vector<DataType>(args.size(), t), kernel, /*accepts_constants=*/true);
}

// ---- pmod --------------------------------------------------------------------------------------

// Spark's Pmod: r = a % n; r < 0 ? (r + n) % n : r (Java remainder semantics).
template <class T>
T pmod_value(T a, T n) {
  if constexpr (std::is_floating_point_v<T>) {
    T r = std::fmod(a, n);
    return r < 0 ? std::fmod(r + n, n) : r;
  } else {
    if constexpr (std::is_signed_v<T>) {
      if (n == -1) return 0;  // Java: MIN % -1 is 0
    }
    // Java promotes byte/short to int, so r + n never overflows for them; for int/long the sum
    // wraps as in Java.
    using W = std::conditional_t<(sizeof(T) < 4), int32_t, T>;
    W r = static_cast<W>(a) % static_cast<W>(n);
    if (r < 0) {
      using U = std::make_unsigned_t<W>;
      W s = static_cast<W>(static_cast<U>(r) + static_cast<U>(static_cast<W>(n)));
      if (static_cast<W>(n) == -1) return 0;
      r = s % static_cast<W>(n);
    }
    return static_cast<T>(r);
  }
}

BoundFunction bind_pmod(const std::vector<DataType>& args, const BindContext& ctx) {
  // The same operand coercion and result type as '%' (Spark types Pmod like Remainder).
  const FunctionDef* rem = FunctionRegistry::instance().find_scalar("%");
  BoundFunction base;
  try {
    base = rem->bind(args, ctx);
  } catch (const EmberError& e) {
    std::string msg = e.what();
    auto at = msg.find("\"%\"");
    if (at != std::string::npos) msg.replace(at, 3, "\"pmod\"");
    throw_error(e.kind(), e.error_class(), msg);
  }
  DataType t = base.arg_types[0];
  DataType rt = base.result_type;
  std::vector<DataType> types = base.arg_types;
  if (t.id() == TypeId::kDecimal) {
    // Both operands at one scale (decimal(max(p-s) + max(s), max(s))), so remainders line up.
    t = wider_decimal(base.arg_types[0], base.arg_types[1]);
    types = {t, t};
  }
  const bool ansi = ctx.ansi;
  auto kernel = make_kernel([t, rt, ansi](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return dispatch_physical(t, [&](auto tag) -> VectorPtr {
      using T = decltype(tag);
      if constexpr (std::is_same_v<T, uint8_t>) {
        return nullptr;
      } else if constexpr (std::is_same_v<T, int128_t>) {
        // Decimals share one scale (the analyzer casts both to it); the remainder fits rt.
        return binary_map_nullable<int128_t, int128_t, int128_t>(
            v[0], v[1], n, rt, [&](int128_t a, int128_t b, int128_t& o) {
              if (b == 0) {
                if (ansi) throw_divide_by_zero();
                return false;
              }
              int128_t r = a % b;
              if (r < 0) r = (r + b) % b;
              if (rt.scale() == t.scale()) {
                o = r;
                return true;
              }
              auto scaled = decimal_rescale(r, t.scale(), rt.scale(), rt.precision());
              if (!scaled) return false;
              o = *scaled;
              return true;
            });
      } else {
        return binary_map_nullable<T, T, T>(v[0], v[1], n, rt, [&](T a, T b, T& o) {
          if (b == 0) {
            if (ansi) throw_divide_by_zero();
            return false;
          }
          o = pmod_value(a, b);
          return true;
        });
      }
    });
  });
  return bound(rt, types, kernel, true);
}

}  // namespace

void register_math_extra_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"greatest", 2, -1, &bind_extreme<true>});
  r.add(FunctionDef{"least", 2, -1, &bind_extreme<false>});
  r.add(FunctionDef{"pmod", 2, 2, &bind_pmod});
}

}  // namespace ember
