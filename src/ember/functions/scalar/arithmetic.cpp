// Arithmetic: + - * / % div and unary minus ("negative"), with Spark's result types
// (DecimalPrecision with spark.sql.decimalOperations.allowPrecisionLoss=true), Java integer
// semantics without ANSI (wrap on overflow, NULL on division by zero) and Spark's errors with it.
#include <cmath>
#include <limits>

#include "ember/functions/scalar/interval_arithmetic.h"
#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"
#include "ember/types/decimal.h"

namespace ember {

namespace {

using namespace fn;

enum class Op { kAdd, kSub, kMul, kDiv, kRem, kIntDiv };

const char* symbol(Op op) {
  switch (op) {
    case Op::kAdd: return "+";
    case Op::kSub: return "-";
    case Op::kMul: return "*";
    case Op::kDiv: return "/";
    case Op::kRem: return "%";
    case Op::kIntDiv: return "div";
  }
  return "?";
}

const char* try_function(Op op) {
  switch (op) {
    case Op::kAdd: return "try_add";
    case Op::kSub: return "try_subtract";
    case Op::kMul: return "try_multiply";
    case Op::kDiv:
    case Op::kIntDiv: return "try_divide";
    case Op::kRem: return "try_mod";
  }
  return "";
}

// ---- 256-bit magnitudes -------------------------------------------------------------------------
// Decimal results are computed exactly before rounding to the result scale, as Spark's
// BigDecimal arithmetic does; the exact product or scaled dividend of two decimal(38) values
// needs up to 77 digits, so intermediates are 256-bit magnitudes with a separate sign.

using u128 = unsigned __int128;

struct U256 {
  uint64_t w[4] = {0, 0, 0, 0};  // little-endian limbs
};

U256 u256(u128 x) {
  U256 r;
  r.w[0] = static_cast<uint64_t>(x);
  r.w[1] = static_cast<uint64_t>(x >> 64);
  return r;
}

bool fits_u128(const U256& x) { return x.w[2] == 0 && x.w[3] == 0; }
u128 low_u128(const U256& x) { return (static_cast<u128>(x.w[1]) << 64) | x.w[0]; }

int cmp(const U256& a, const U256& b) {
  for (int k = 3; k >= 0; --k) {
    if (a.w[k] != b.w[k]) return a.w[k] < b.w[k] ? -1 : 1;
  }
  return 0;
}

U256 add(const U256& a, const U256& b) {
  U256 r;
  u128 carry = 0;
  for (int k = 0; k < 4; ++k) {
    u128 s = static_cast<u128>(a.w[k]) + b.w[k] + carry;
    r.w[k] = static_cast<uint64_t>(s);
    carry = s >> 64;
  }
  return r;
}

U256 sub(const U256& a, const U256& b) {  // a >= b
  U256 r;
  uint64_t borrow = 0;
  for (int k = 0; k < 4; ++k) {
    u128 d = static_cast<u128>(a.w[k]) - b.w[k] - borrow;
    r.w[k] = static_cast<uint64_t>(d);
    borrow = (d >> 64) ? 1 : 0;
  }
  return r;
}

U256 mul(u128 a, u128 b) {
  uint64_t x[2] = {static_cast<uint64_t>(a), static_cast<uint64_t>(a >> 64)};
  uint64_t y[2] = {static_cast<uint64_t>(b), static_cast<uint64_t>(b >> 64)};
  U256 r;
  for (int i = 0; i < 2; ++i) {
    u128 carry = 0;
    for (int j = 0; j < 2; ++j) {
      u128 t = static_cast<u128>(x[i]) * y[j] + r.w[i + j] + carry;
      r.w[i + j] = static_cast<uint64_t>(t);
      carry = t >> 64;
    }
    r.w[i + 2] = static_cast<uint64_t>(carry);
  }
  return r;
}

void mul_small(U256& x, uint64_t m) {
  u128 carry = 0;
  for (int k = 0; k < 4; ++k) {
    u128 t = static_cast<u128>(x.w[k]) * m + carry;
    x.w[k] = static_cast<uint64_t>(t);
    carry = t >> 64;
  }
}

uint64_t divmod_small(U256& x, uint64_t d) {
  u128 rem = 0;
  for (int k = 3; k >= 0; --k) {
    u128 cur = (rem << 64) | x.w[k];
    x.w[k] = static_cast<uint64_t>(cur / d);
    rem = cur % d;
  }
  return static_cast<uint64_t>(rem);
}

constexpr uint64_t kPow10_19 = 10'000'000'000'000'000'000ULL;

uint64_t pow10_u64(int k) {
  uint64_t r = 1;
  while (k-- > 0) r *= 10;
  return r;
}

void scale_up(U256& x, int k) {
  while (k > 0) {
    int m = k > 19 ? 19 : k;
    mul_small(x, m == 19 ? kPow10_19 : pow10_u64(m));
    k -= m;
  }
}

void truncate_down(U256& x, int k) {
  while (k > 0) {
    int m = k > 19 ? 19 : k;
    divmod_small(x, m == 19 ? kPow10_19 : pow10_u64(m));
    k -= m;
  }
}

// Divides by 10^k rounding HALF_UP (of the magnitude, i.e. away from zero).
void scale_down_half_up(U256& x, int k) {
  if (k <= 0) return;
  truncate_down(x, k - 1);
  if (divmod_small(x, 10) >= 5) x = add(x, u256(1));
}

// Long division of magnitudes (shift-subtract); q = n / d, returns n % d.
U256 divmod(const U256& n, const U256& d, U256& q) {
  q = U256{};
  U256 rem;
  for (int bit = 255; bit >= 0; --bit) {
    // rem = rem << 1 | bit
    for (int k = 3; k > 0; --k) rem.w[k] = (rem.w[k] << 1) | (rem.w[k - 1] >> 63);
    rem.w[0] = (rem.w[0] << 1) | ((n.w[bit / 64] >> (bit % 64)) & 1);
    if (cmp(rem, d) >= 0) {
      rem = sub(rem, d);
      q.w[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }
  return rem;
}

u128 magnitude(int128_t v) { return v < 0 ? u128{0} - static_cast<u128>(v) : static_cast<u128>(v); }

std::string u256_to_string(U256 x, bool neg, int scale) {
  std::string digits;
  U256 zero;
  do {
    digits += static_cast<char>('0' + divmod_small(x, 10));
  } while (cmp(x, zero) != 0);
  while (static_cast<int>(digits.size()) <= scale) digits += '0';
  std::string out = neg ? "-" : "";
  for (size_t k = digits.size(); k-- > 0;) {
    out += digits[k];
    if (scale > 0 && k == static_cast<size_t>(scale)) out += '.';
  }
  return out;
}

// Decimal result of `precision` digits from a signed magnitude; false when it does not fit.
bool to_decimal(const U256& mag, bool neg, int precision, int128_t& out) {
  if (!fits_u128(mag)) return false;
  u128 m = low_u128(mag);
  if (m >= static_cast<u128>(pow10_int128(precision))) return false;
  out = neg ? -static_cast<int128_t>(m) : static_cast<int128_t>(m);
  return true;
}

[[noreturn]] void throw_decimal_out_of_range(const U256& mag, bool neg, const DataType& t) {
  throw_error(ErrorKind::kArithmetic, "NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION",
              u256_to_string(mag, neg, t.scale()) + " cannot be represented as Decimal(" +
                  std::to_string(t.precision()) + ", " + std::to_string(t.scale()) +
                  "). If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error, and return "
                  "NULL instead. SQLSTATE: 22003");
}

// ---- result types ------------------------------------------------------------------------------

// DecimalType.adjustPrecisionScale: keep the integral digits, give up fraction digits (never
// below 6) when the exact type would exceed 38 digits.
DataType adjust_decimal(int p, int s) {
  if (p <= kMaxDecimalPrecision) return DataType::decimal(p, s);
  int int_digits = p - s;
  int min_scale = std::min(s, 6);
  int scale = std::max(kMaxDecimalPrecision - int_digits, min_scale);
  return DataType::decimal(kMaxDecimalPrecision, scale);
}

DataType decimal_result(Op op, const DataType& a, const DataType& b) {
  int p1 = a.precision(), s1 = a.scale(), p2 = b.precision(), s2 = b.scale();
  switch (op) {
    case Op::kAdd:
    case Op::kSub: {
      int s = std::max(s1, s2);
      return adjust_decimal(std::max(p1 - s1, p2 - s2) + s + 1, s);
    }
    case Op::kMul: return adjust_decimal(p1 + p2 + 1, s1 + s2);
    case Op::kDiv: {
      int s = std::max(6, s1 + p2 + 1);
      return adjust_decimal(p1 - s1 + s2 + s, s);
    }
    case Op::kRem: {
      int s = std::max(s1, s2);
      return adjust_decimal(std::min(p1 - s1, p2 - s2) + s, s);
    }
    case Op::kIntDiv: return DataType::int64();
  }
  return DataType::null();
}

struct Resolved {
  DataType left, right, result;
};

[[noreturn]] void wrong_type(Op op, const DataType& t) {
  throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE",
              std::string("Cannot resolve \"") + symbol(op) +
                  "\" due to data type mismatch: the binary operator requires the input type \"NUMERIC\", not \"" +
                  sql_type(t) + "\".");
}

// Spark's coercion for binary arithmetic: strings become numbers (ANSI: bigint against an
// integral, double otherwise; legacy: always double), NULL takes the other side's type, then
// the operands meet at their wider type (decimals stay separate: DecimalPrecision).
Resolved resolve(Op op, DataType a, DataType b, bool ansi) {
  auto is_ok = [](const DataType& t) {
    return t.is_numeric() || t.id() == TypeId::kString || t.id() == TypeId::kNull;
  };
  if (!is_ok(a)) wrong_type(op, a);
  if (!is_ok(b)) wrong_type(op, b);
  auto string_to = [&](const DataType& other) {
    if (ansi && other.is_integral()) return DataType::int64();
    return DataType::float64();
  };
  if (a.id() == TypeId::kString) a = string_to(b);
  if (b.id() == TypeId::kString) b = string_to(a);
  if (a.id() == TypeId::kNull && b.id() == TypeId::kNull) a = b = DataType::float64();
  if (a.id() == TypeId::kNull) a = b;
  if (b.id() == TypeId::kNull) b = a;

  bool da = a.id() == TypeId::kDecimal, db = b.id() == TypeId::kDecimal;
  if ((da || db) && (a.is_floating() || b.is_floating())) da = db = false, a = b = DataType::float64();
  if (da || db) {
    if (!da) a = decimal_for_integral(a);
    if (!db) b = decimal_for_integral(b);
    return {a, b, decimal_result(op, a, b)};
  }
  if (op == Op::kDiv) return {DataType::float64(), DataType::float64(), DataType::float64()};
  if (op == Op::kIntDiv) return {DataType::int64(), DataType::int64(), DataType::int64()};
  DataType w = *wider_type(a, b, ansi);
  return {w, w, w};
}

// ---- integral and floating kernels -------------------------------------------------------------

template <class T>
[[noreturn]] void integral_overflow(Op op, T x, T y) {
  if constexpr (sizeof(T) >= 4) {
    throw_arith_overflow(sizeof(T) == 4 ? "integer overflow" : "long overflow", try_function(op));
  } else {
    const char* suffix = sizeof(T) == 1 ? "Y" : "S";
    throw_error(ErrorKind::kArithmetic, "BINARY_ARITHMETIC_OVERFLOW",
                std::to_string(x) + suffix + " " + symbol(op) + " " + std::to_string(y) + suffix +
                    " caused overflow. Use `" + try_function(op) +
                    "` to ignore overflow problem and return NULL. SQLSTATE: 22003");
  }
}

template <class T>
VectorPtr integral_kernel(Op op, const VectorPtr& a, const VectorPtr& b, size_t n, const DataType& rt, bool ansi) {
  using U = std::make_unsigned_t<T>;
  // Without ANSI, Java wraps: unsigned arithmetic then back, which C++20 defines as modular.
  auto wrap_add = [](T x, T y) { return static_cast<T>(static_cast<U>(x) + static_cast<U>(y)); };
  auto wrap_sub = [](T x, T y) { return static_cast<T>(static_cast<U>(x) - static_cast<U>(y)); };
  auto wrap_mul = [](T x, T y) { return static_cast<T>(static_cast<U>(x) * static_cast<U>(y)); };
  switch (op) {
    case Op::kAdd:
      if (!ansi) return binary_map<T, T, T, true>(a, b, n, rt, wrap_add);
      return binary_map<T, T, T>(a, b, n, rt, [](T x, T y) {
        T r;
        if (__builtin_add_overflow(x, y, &r)) integral_overflow(Op::kAdd, x, y);
        return r;
      });
    case Op::kSub:
      if (!ansi) return binary_map<T, T, T, true>(a, b, n, rt, wrap_sub);
      return binary_map<T, T, T>(a, b, n, rt, [](T x, T y) {
        T r;
        if (__builtin_sub_overflow(x, y, &r)) integral_overflow(Op::kSub, x, y);
        return r;
      });
    case Op::kMul:
      if (!ansi) return binary_map<T, T, T, true>(a, b, n, rt, wrap_mul);
      return binary_map<T, T, T>(a, b, n, rt, [](T x, T y) {
        T r;
        if (__builtin_mul_overflow(x, y, &r)) integral_overflow(Op::kMul, x, y);
        return r;
      });
    case Op::kRem:
      return binary_map_nullable<T, T, T>(a, b, n, rt, [ansi](T x, T y, T& r) {
        if (y == 0) {
          if (ansi) throw_divide_by_zero();
          return false;
        }
        r = y == -1 ? T{0} : static_cast<T>(x % y);  // MIN % -1 is 0 in Java, UB in C++
        return true;
      });
    case Op::kIntDiv:
      return binary_map_nullable<T, T, T>(a, b, n, rt, [ansi](T x, T y, T& r) {
        if (y == 0) {
          if (ansi) throw_divide_by_zero();
          return false;
        }
        if (y == -1 && x == std::numeric_limits<T>::min()) {
          if (ansi) throw_arith_overflow("Overflow in integral divide", "try_divide");
          r = x;  // wraps, as Java's Long.MIN_VALUE / -1
          return true;
        }
        r = static_cast<T>(x / y);
        return true;
      });
    case Op::kDiv: break;
  }
  throw_internal(__FILE__, __LINE__, "integral division goes through double");
}

template <class T>
VectorPtr floating_kernel(Op op, const VectorPtr& a, const VectorPtr& b, size_t n, const DataType& rt, bool ansi) {
  switch (op) {
    case Op::kAdd: return binary_map<T, T, T, true>(a, b, n, rt, [](T x, T y) { return x + y; });
    case Op::kSub: return binary_map<T, T, T, true>(a, b, n, rt, [](T x, T y) { return x - y; });
    case Op::kMul: return binary_map<T, T, T, true>(a, b, n, rt, [](T x, T y) { return x * y; });
    case Op::kDiv:
      // Spark's Divide treats a zero divisor as an error / NULL for doubles too.
      return binary_map_nullable<T, T, T>(a, b, n, rt, [ansi](T x, T y, T& r) {
        if (y == 0) {
          if (ansi) throw_divide_by_zero();
          return false;
        }
        r = x / y;
        return true;
      });
    case Op::kRem:
      return binary_map_nullable<T, T, T>(a, b, n, rt, [ansi](T x, T y, T& r) {
        if (y == 0) {
          if (ansi) throw_divide_by_zero();
          return false;
        }
        r = std::fmod(x, y);
        return true;
      });
    case Op::kIntDiv: break;
  }
  throw_internal(__FILE__, __LINE__, "div on floating point");
}

// ---- decimal kernels ---------------------------------------------------------------------------

struct DecimalOp {
  Op op;
  int s1, s2;        // operand scales
  int p1, p2;        // operand precisions
  DataType result;
  bool ansi;

  // One row; false means NULL (overflow without ANSI or division by zero without ANSI).
  bool apply(int128_t x, int128_t y, int128_t& out) const {
    const int rs = result.scale(), rp = result.precision();
    bool nx = x < 0, ny = y < 0;
    u128 mx = magnitude(x), my = magnitude(y);
    switch (op) {
      case Op::kAdd:
      case Op::kSub: {
        if (op == Op::kSub) ny = !ny;
        int s = std::max(s1, s2);
        // Fast path: exact sum fits int128 and no rounding is needed.
        if (rs == s && std::max(p1 - s1, p2 - s2) + s + 1 <= 38) {
          int128_t ax = x * pow10_int128(s - s1), by = y * pow10_int128(s - s2);
          out = op == Op::kAdd ? ax + by : ax - by;
          return true;
        }
        U256 ax = u256(mx), by = u256(my);
        scale_up(ax, s - s1);
        scale_up(by, s - s2);
        U256 r;
        bool neg;
        if (nx == ny) {
          r = add(ax, by);
          neg = nx;
        } else if (cmp(ax, by) >= 0) {
          r = sub(ax, by);
          neg = nx;
        } else {
          r = sub(by, ax);
          neg = ny;
        }
        scale_down_half_up(r, s - rs);
        return finish(r, neg, out);
      }
      case Op::kMul: {
        if (rs == s1 + s2 && p1 + p2 <= 38) {
          out = x * y;
          return true;
        }
        // Both magnitudes below 2^63: the product fits 126 bits, so u128 arithmetic suffices (the
        // common case: decimal(15,2) * decimal(32,4) capped at precision 38 in TPC-H Q1).
        const int drop = s1 + s2 - rs;
        if (mx >> 63 == 0 && my >> 63 == 0 && drop >= 0 && drop <= 38) {
          u128 p = mx * my;
          if (drop > 0) {
            const auto unit = static_cast<u128>(pow10_int128(drop));
            u128 q = p / unit, rem = p % unit;
            if (rem >= unit - rem) ++q;  // HALF_UP: rem >= unit / 2, without overflow
            p = q;
          }
          if (p < static_cast<u128>(pow10_int128(rp))) {
            out = nx != ny ? -static_cast<int128_t>(p) : static_cast<int128_t>(p);
            return true;
          }
        }
        U256 r = mul(mx, my);
        scale_down_half_up(r, drop);
        return finish(r, nx != ny, out);
      }
      case Op::kDiv: {
        if (my == 0) {
          if (ansi) throw_divide_by_zero();
          return false;
        }
        // x / y at scale rs = mx * 10^(rs - s1 + s2) / my, rounded HALF_UP.
        int e = rs - s1 + s2;
        U256 num = u256(mx);
        if (e > 0) scale_up(num, e);
        U256 q;
        U256 rem = divmod(num, u256(my), q);
        if (e >= 0) {
          // HALF_UP: round up when the remainder is at least half the divisor.
          U256 twice = add(rem, rem);
          if (cmp(twice, u256(my)) >= 0) q = add(q, u256(1));
        } else {
          // floor(x/y) then HALF_UP by 10^-e: exact, as the rounding boundaries are integers.
          scale_down_half_up(q, -e);
        }
        return finish(q, nx != ny, out);
      }
      case Op::kRem: {
        if (my == 0) {
          if (ansi) throw_divide_by_zero();
          return false;
        }
        int s = std::max(s1, s2);
        U256 ax = u256(mx), by = u256(my), q;
        scale_up(ax, s - s1);
        scale_up(by, s - s2);
        U256 r = divmod(ax, by, q);
        scale_down_half_up(r, s - rs);
        return finish(r, nx, out);  // the sign of the dividend, as Java's %
      }
      case Op::kIntDiv: {
        if (my == 0) {
          if (ansi) throw_divide_by_zero();
          return false;
        }
        int s = std::max(s1, s2);
        U256 ax = u256(mx), by = u256(my), q;
        scale_up(ax, s - s1);
        scale_up(by, s - s2);
        divmod(ax, by, q);
        bool neg = nx != ny;
        if (!fits_u128(q) || low_u128(q) > static_cast<u128>(std::numeric_limits<int64_t>::max()) + (neg ? 1 : 0)) {
          if (ansi) throw_arith_overflow("Overflow in integral divide", "try_divide");
          return false;
        }
        int128_t v = static_cast<int128_t>(low_u128(q));
        out = neg ? -v : v;
        return true;
      }
    }
    (void)rp;
    return false;
  }

  bool finish(const U256& mag, bool neg, int128_t& out) const {
    if (to_decimal(mag, neg, result.precision(), out)) return true;
    if (ansi) throw_decimal_out_of_range(mag, neg, result);
    return false;
  }
};

VectorPtr decimal_kernel(const DecimalOp& d, const VectorPtr& a, const VectorPtr& b, size_t n) {
  // Decided once per batch: when the exact result always fits the result type (apply's own fast
  // paths), no row can overflow or need rounding, and the loop is one int128 expression per row.
  const int rs = d.result.scale();
  if (d.op == Op::kAdd || d.op == Op::kSub) {
    const int s = std::max(d.s1, d.s2);
    if (rs == s && std::max(d.p1 - d.s1, d.p2 - d.s2) + s + 1 <= 38) {
      const int128_t fx = pow10_int128(s - d.s1), fy = pow10_int128(s - d.s2);
      if (d.op == Op::kAdd) {
        return binary_map<int128_t, int128_t, int128_t>(a, b, n, d.result,
                                                         [fx, fy](int128_t x, int128_t y) { return x * fx + y * fy; });
      }
      return binary_map<int128_t, int128_t, int128_t>(a, b, n, d.result,
                                                       [fx, fy](int128_t x, int128_t y) { return x * fx - y * fy; });
    }
  }
  if (d.op == Op::kMul && rs == d.s1 + d.s2 && d.p1 + d.p2 <= 38) {
    return binary_map<int128_t, int128_t, int128_t>(a, b, n, d.result, [](int128_t x, int128_t y) { return x * y; });
  }
  if (d.op == Op::kIntDiv) {
    return binary_map_nullable<int128_t, int128_t, int64_t>(a, b, n, d.result, [&](int128_t x, int128_t y, int64_t& r) {
      int128_t q;
      if (!d.apply(x, y, q)) return false;
      r = static_cast<int64_t>(q);
      return true;
    });
  }
  return binary_map_nullable<int128_t, int128_t, int128_t>(
      a, b, n, d.result, [&](int128_t x, int128_t y, int128_t& r) { return d.apply(x, y, r); });
}

template <Op kOp>
BoundFunction bind_binary(const std::vector<DataType>& args, const BindContext& ctx) {
  if constexpr (kOp == Op::kAdd || kOp == Op::kSub) {
    if (auto f = bind_datetime_interval_arithmetic(kOp == Op::kAdd ? '+' : '-', args, ctx)) return *f;
  }
  Resolved r = resolve(kOp, args[0], args[1], ctx.ansi);
  const bool ansi = ctx.ansi;
  std::shared_ptr<const ScalarKernel> kernel;
  if (r.left.id() == TypeId::kDecimal) {
    DecimalOp d{kOp, r.left.scale(), r.right.scale(), r.left.precision(), r.right.precision(), r.result, ansi};
    kernel = make_kernel([d](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
      return decimal_kernel(d, v[0], v[1], n);
    });
  } else {
    DataType t = r.left;
    DataType rt = r.result;
    kernel = make_kernel([t, rt, ansi](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
      return dispatch_physical(t, [&](auto tag) -> VectorPtr {
        using T = decltype(tag);
        if constexpr (std::is_floating_point_v<T>) return floating_kernel<T>(kOp, v[0], v[1], n, rt, ansi);
        else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, uint8_t>)
          return integral_kernel<T>(kOp, v[0], v[1], n, rt, ansi);
        else throw_internal(__FILE__, __LINE__, "arithmetic on " + t.simple_string());
      });
    });
  }
  // Division and remainder yield NULL for a zero divisor without ANSI; overflow does too for
  // decimals. Plain integral +,-,* cannot introduce a NULL.
  bool nullable = !ansi || kOp == Op::kDiv || kOp == Op::kRem || kOp == Op::kIntDiv ||
                  r.result.id() == TypeId::kDecimal;
  return bound(r.result, {r.left, r.right}, kernel, /*accepts_constants=*/true, nullable);
}

BoundFunction bind_negative(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = args[0];
  if (t.is_interval()) return bind_interval_negative(t);
  if (t.id() == TypeId::kString || t.id() == TypeId::kNull) t = DataType::float64();
  if (!t.is_numeric()) throw_input_type("negative", 1, "(\"NUMERIC\" or \"INTERVAL\")", args[0]);
  const bool ansi = ctx.ansi;
  auto kernel = make_kernel([t, ansi](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return dispatch_physical(t, [&](auto tag) -> VectorPtr {
      using T = decltype(tag);
      if constexpr (std::is_floating_point_v<T> || std::is_same_v<T, int128_t>) {
        return unary_map<T, T, true>(v[0], n, t, [](T x) { return -x; });
      } else if constexpr (!std::is_same_v<T, uint8_t>) {
        using U = std::make_unsigned_t<T>;
        if (!ansi) return unary_map<T, T, true>(v[0], n, t, [](T x) { return static_cast<T>(U{0} - static_cast<U>(x)); });
        return unary_map<T, T>(v[0], n, t, [](T x) {
          if (x == std::numeric_limits<T>::min()) {
            throw_error(ErrorKind::kArithmetic, "ARITHMETIC_OVERFLOW",
                        "- " + std::to_string(x) + " caused overflow. " + std::string(kAnsiHint) + " SQLSTATE: 22003");
          }
          return static_cast<T>(-x);
        });
      } else {
        throw_internal(__FILE__, __LINE__, "negative of boolean");
      }
    });
  });
  return bound(t, {t}, kernel);
}

}  // namespace

void register_arithmetic_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"+", 2, 2, &bind_binary<Op::kAdd>});
  r.add(FunctionDef{"-", 2, 2, &bind_binary<Op::kSub>});
  r.add(FunctionDef{"*", 2, 2, &bind_binary<Op::kMul>});
  r.add(FunctionDef{"/", 2, 2, &bind_binary<Op::kDiv>});
  r.add(FunctionDef{"%", 2, 2, &bind_binary<Op::kRem>});
  r.add(FunctionDef{"div", 2, 2, &bind_binary<Op::kIntDiv>});
  r.add(FunctionDef{"negative", 1, 1, &bind_negative});
  r.add_alias("mod", "%");
}

}  // namespace ember
