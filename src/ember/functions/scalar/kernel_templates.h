#pragma once
// Building blocks shared by the scalar function files (not a public header).
//
// Every kernel does one type dispatch per call and then runs a tight loop over raw arrays.
// Result validity is the AND of the argument bitmaps, computed bytewise up front; loops only
// look at validity when an operation can fail (ANSI overflow checks must not fire on the garbage
// that sits under a null row) or can itself produce a null.
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "ember/common/error.h"
#include "ember/functions/function.h"
#include "ember/functions/registry.h"
#include "ember/types/coercion.h"
#include "ember/vector/vector.h"

namespace ember::fn {

// ----------------------------------------------------------------------------------------------
// Kernels from lambdas. The callable must be stateless or immutable: kernels are shared by every
// task (see ScalarKernel).
template <class F>
class LambdaKernel final : public ScalarKernel {
 public:
  explicit LambdaKernel(F f) : f_(std::move(f)) {}
  VectorPtr eval(const std::vector<VectorPtr>& args, size_t n, const EvalContext& ctx) const override {
    return f_(args, n, ctx);
  }

 private:
  F f_;
};

template <class F>
std::shared_ptr<const ScalarKernel> make_kernel(F f) {
  return std::make_shared<LambdaKernel<F>>(std::move(f));
}

inline BoundFunction bound(DataType result, std::vector<DataType> args, std::shared_ptr<const ScalarKernel> k,
                           bool accepts_constants = false, bool nullable = true) {
  BoundFunction b;
  b.result_type = result;
  b.arg_types = std::move(args);
  b.kernel = std::move(k);
  b.accepts_constants = accepts_constants;
  b.nullable = nullable;
  return b;
}

// As bound(), for a function that may be computed per dictionary entry (BoundFunction::per_value).
inline BoundFunction per_value(BoundFunction b) {
  b.per_value = true;
  return b;
}

// ----------------------------------------------------------------------------------------------
// Errors worded as Spark words them.

// Spark's toSQLType: "INT", "DECIMAL(10,2)".
inline std::string sql_type(const DataType& t) { return t.sql_string(); }

inline const char* ordinal(int i) {
  static const char* const kNames[] = {"first", "second",  "third",  "fourth", "fifth",
                                       "sixth", "seventh", "eighth", "ninth",  "tenth"};
  return i >= 1 && i <= 10 ? kNames[i - 1] : "next";
}

// The analyzer appends ` (in "<call>")`, so the message names the function, not the call.
[[noreturn]] inline void throw_input_type(const std::string& fn, int param, const std::string& required,
                                          const DataType& actual) {
  throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
              "Cannot resolve \"" + fn + "\" due to data type mismatch: The " + ordinal(param) +
                  " parameter requires the " + required + " type, however it has the type \"" +
                  sql_type(actual) + "\".");
}

// Argument checks of the string functions: the type an argument is cast to, or Spark's
// UNEXPECTED_INPUT_TYPE error naming the parameter. Arrays never pass as strings or ints.
inline DataType string_param(const char* fn, int i, const DataType& t, bool ansi) {
  if (!can_implicit_cast(t, DataType::string(), ansi) || t.is_nested())
    throw_input_type(fn, i, "\"STRING\"", t);
  return DataType::string();
}

inline DataType int_param(const char* fn, int i, const DataType& t, bool ansi) {
  if (!can_implicit_cast(t, DataType::int32(), ansi) || t.id() == TypeId::kBoolean || t.is_nested()) {
    throw_input_type(fn, i, "\"INT\"", t);
  }
  return DataType::int32();
}

[[noreturn]] inline void throw_mismatch(const std::string& fn, const std::string& detail) {
  throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES",
              "Cannot resolve \"" + fn + "\" due to data type mismatch: " + detail + ".");
}

constexpr const char* kAnsiHint =
    "If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.";

// `what` is "integer overflow" / "long overflow"; `try_fn` is e.g. "try_add" (empty: no hint).
[[noreturn]] inline void throw_arith_overflow(const std::string& what, const char* try_fn) {
  std::string alt = try_fn && *try_fn
                        ? std::string(" Use '") + try_fn + "' to tolerate overflow and return NULL instead."
                        : std::string();
  throw_error(ErrorKind::kArithmetic, "ARITHMETIC_OVERFLOW",
              what + "." + alt + " " + kAnsiHint + " SQLSTATE: 22003");
}

[[noreturn]] inline void throw_divide_by_zero() {
  throw_error(ErrorKind::kArithmetic, "DIVIDE_BY_ZERO",
              std::string("Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL "
                          "instead. ") +
                  kAnsiHint + " SQLSTATE: 22012");
}

// ----------------------------------------------------------------------------------------------
// Argument access. A constant vector stores its value at index 0.

template <class T, bool kConst>
struct In {
  const T* p;
  T operator[](size_t i) const {
    if constexpr (kConst) return p[0];
    else return p[i];
  }
};

// Calls fn(In<A,ca>, In<B,cb>) with the constness of each argument known at compile time, so the
// loops the callee writes index plainly.
template <class A, class B, class Fn>
void dispatch2(const Vector& a, const Vector& b, Fn&& fn) {
  const A* pa = a.values<A>();
  const B* pb = b.values<B>();
  if (a.is_constant()) {
    if (b.is_constant()) fn(In<A, true>{pa}, In<B, true>{pb});
    else fn(In<A, true>{pa}, In<B, false>{pb});
  } else {
    if (b.is_constant()) fn(In<A, false>{pa}, In<B, true>{pb});
    else fn(In<A, false>{pa}, In<B, false>{pb});
  }
}

template <class T>
inline T value_at(const Vector& v, size_t i) {
  return v.values<T>()[v.is_constant() ? 0 : i];
}

inline bool is_const_null(const Vector& v) { return v.is_constant() && v.is_null(0); }

// out's validity := AND of the arguments' validity. Returns false when some argument is a null
// constant (the whole result is null). Leaves out without a bitmap when nothing is null.
inline bool and_validity(Vector& out, std::initializer_list<const Vector*> args, size_t n) {
  for (const Vector* a : args) {
    if (is_const_null(*a)) return false;
  }
  uint8_t* dst = nullptr;
  size_t bytes = bitmap_bytes(n);
  for (const Vector* a : args) {
    if (a->is_constant() || !a->may_have_nulls()) continue;
    const uint8_t* src = a->validity();
    if (!dst) {
      dst = out.mutable_validity();
      std::memcpy(dst, src, bytes);
    } else {
      for (size_t b = 0; b < bytes; ++b) dst[b] &= src[b];
    }
  }
  return true;
}

inline bool and_validity(Vector& out, const std::vector<VectorPtr>& args, size_t n) {
  for (const auto& a : args) {
    if (is_const_null(*a)) return false;
  }
  uint8_t* dst = nullptr;
  size_t bytes = bitmap_bytes(n);
  for (const auto& a : args) {
    if (a->is_constant() || !a->may_have_nulls()) continue;
    const uint8_t* src = a->validity();
    if (!dst) {
      dst = out.mutable_validity();
      std::memcpy(dst, src, bytes);
    } else {
      for (size_t b = 0; b < bytes; ++b) dst[b] &= src[b];
    }
  }
  return true;
}

// ----------------------------------------------------------------------------------------------
// Fixed-width maps.
//
// Op forms:
//   R op(A)/op(A, B)                 total (may throw, e.g. ANSI overflow): run on valid rows only
//                                    unless kTotal says it is safe to run on every row;
//   bool op(A, B, R& out)            may yield null: false clears the row's validity bit.

template <class A, class R, bool kTotal = false, class Op>
VectorPtr unary_map(const VectorPtr& a, size_t n, const DataType& rt, Op op) {
  if (is_const_null(*a)) return Vector::make_null(rt, n);
  auto out = Vector::make(rt, n);
  and_validity(*out, {a.get()}, n);
  R* o = out->values<R>();
  const uint8_t* v = out->validity();
  if (a->is_constant()) {
    R r = op(a->values<A>()[0]);
    for (size_t i = 0; i < n; ++i) o[i] = r;
    return out;
  }
  const A* x = a->values<A>();
  if (kTotal || !v) {
    for (size_t i = 0; i < n; ++i) o[i] = op(x[i]);
  } else {
    for (size_t i = 0; i < n; ++i) o[i] = bit_is_set(v, i) ? op(x[i]) : R{};
  }
  return out;
}

template <class A, class R, class Op>
VectorPtr unary_map_nullable(const VectorPtr& a, size_t n, const DataType& rt, Op op) {
  if (is_const_null(*a)) return Vector::make_null(rt, n);
  auto out = Vector::make(rt, n);
  and_validity(*out, {a.get()}, n);
  R* o = out->values<R>();
  uint8_t* v = out->mutable_validity();
  for (size_t i = 0; i < n; ++i) {
    if (!bit_is_set(v, i)) {
      o[i] = R{};
      continue;
    }
    if (!op(value_at<A>(*a, i), o[i])) clear_bit(v, i);
  }
  return out;
}

template <class A, class B, class R, bool kTotal = false, class Op>
VectorPtr binary_map(const VectorPtr& a, const VectorPtr& b, size_t n, const DataType& rt, Op op) {
  auto out = Vector::make(rt, n);
  if (!and_validity(*out, {a.get(), b.get()}, n)) return Vector::make_null(rt, n);
  R* o = out->values<R>();
  const uint8_t* v = out->validity();
  dispatch2<A, B>(*a, *b, [&](auto x, auto y) {
    if (kTotal || !v) {
      for (size_t i = 0; i < n; ++i) o[i] = op(x[i], y[i]);
    } else {
      for (size_t i = 0; i < n; ++i) o[i] = bit_is_set(v, i) ? op(x[i], y[i]) : R{};
    }
  });
  return out;
}

template <class A, class B, class R, class Op>
VectorPtr binary_map_nullable(const VectorPtr& a, const VectorPtr& b, size_t n, const DataType& rt, Op op) {
  auto out = Vector::make(rt, n);
  if (!and_validity(*out, {a.get(), b.get()}, n)) return Vector::make_null(rt, n);
  R* o = out->values<R>();
  uint8_t* v = out->mutable_validity();
  dispatch2<A, B>(*a, *b, [&](auto x, auto y) {
    for (size_t i = 0; i < n; ++i) {
      if (!bit_is_set(v, i)) {
        o[i] = R{};
        continue;
      }
      if (!op(x[i], y[i], o[i])) clear_bit(v, i);
    }
  });
  return out;
}

// ----------------------------------------------------------------------------------------------
// String results. `write(i, out)` appends row i's bytes to `out` (a scratch buffer reused across
// rows, so no allocation per row once it has grown) and returns false for a null row.

template <class Write>
VectorPtr string_map(const std::vector<VectorPtr>& args, size_t n, const DataType& rt, size_t reserve,
                     Write write) {
  auto out = Vector::make(rt, n);
  if (!and_validity(*out, args, n)) return Vector::make_null(rt, n);
  out->reserve_chars(reserve);
  const uint8_t* v = out->validity();
  std::string scratch;
  for (size_t i = 0; i < n; ++i) {
    if (v && !bit_is_set(v, i)) {
      out->set_string(i, {});
      continue;
    }
    scratch.clear();
    if (write(i, scratch)) {
      out->set_string(i, scratch);
    } else {
      out->set_null_string(i);
    }
  }
  return out;
}

// Total bytes of the string arguments (to reserve the output's chars once).
inline size_t total_chars(const Vector& v) {
  if (v.is_constant()) return v.string_at(0).size() * v.size();
  return static_cast<size_t>(v.offsets()[v.size()]);
}

// Spark's ordering equality (array_contains, map keys): NaN equals NaN, 0.0 equals -0.0.
template <class T>
inline bool same_value(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return a == b || (std::isnan(a) && std::isnan(b));
  else return a == b;
}

// Physical type dispatch: calls fn(T{}) with T the C++ storage type of `t`.
template <class Fn>
decltype(auto) dispatch_physical(const DataType& t, Fn&& fn) {
  switch (t.id()) {
    case TypeId::kBoolean: return fn(uint8_t{});
    case TypeId::kByte: return fn(int8_t{});
    case TypeId::kShort: return fn(int16_t{});
    case TypeId::kInt:
    case TypeId::kYearMonthInterval:
    case TypeId::kDate: return fn(int32_t{});
    case TypeId::kLong:
    case TypeId::kDayTimeInterval:
    case TypeId::kTimestamp: return fn(int64_t{});
    case TypeId::kFloat: return fn(float{});
    case TypeId::kDouble: return fn(double{});
    case TypeId::kDecimal: return fn(int128_t{});
    default: break;
  }
  throw_internal(__FILE__, __LINE__, "no fixed-width storage for " + t.simple_string());
}

// Number of UTF-8 characters (lead bytes) in s.
inline size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace ember::fn
