#pragma once
// Helpers shared by the aggregate function files in this directory (not a public header).
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "ember/common/error.h"
#include "ember/functions/function.h"
#include "ember/vector/value_order.h"
#include "ember/vector/vector.h"

namespace ember::agg {

template <class S>
inline S& state_at(uint8_t* const* rows, size_t i, size_t offset) {
  return *reinterpret_cast<S*>(rows[i] + offset);
}

// Is row i of v valid? Handles constant vectors (the contract promises flat arguments, but a
// literal argument such as count(1) is cheap to accept either way).
inline bool valid_at(const Vector& v, size_t i) { return !v.is_null(i); }

// 10^n as int128 for 0 <= n <= 38 (kept local so aggregates do not depend on decimal.cpp).
int128_t pow10(int n);
// |x| < 10^precision.
inline bool fits_precision(int128_t x, int precision) {
  int128_t lim = pow10(precision);
  return x < lim && x > -lim;
}

// Spark 4 error for integral sum overflow under ANSI mode.
[[noreturn]] void throw_long_overflow();
// Spark 4 error for decimal sum/avg overflow under ANSI mode.
[[noreturn]] void throw_decimal_overflow();
// An analysis error for an argument type the aggregate does not accept.
[[noreturn]] void throw_type_mismatch(const std::string& fn, const std::string& required,
                                      const DataType& actual);

// Spark's NaN-aware ordering for floats: NaN is larger than every other value, NaN == NaN.
template <class T>
inline bool order_less(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
    return a < b;
  } else {
    return a < b;
  }
}

// Sets out's row i to null; string vectors need an (empty) value written to keep offsets in order.
inline void write_null(Vector& out, size_t i) {
  if (out.type().is_string_like()) out.set_null_string(i);
  else out.set_null(i);
}

// write_intermediate replaces out[j] (out is resized to `total` columns) with a fresh flat vector
// of n rows of type t and returns it; fresh vectors keep string offsets and validity simple.
inline Vector& fresh_out(std::vector<VectorPtr>& out, size_t j, size_t total, const DataType& t, size_t n) {
  if (out.size() != total) out.resize(total);
  out[j] = Vector::make(t, n);
  return *out[j];
}

// How the value-holding aggregates (min, max, first, last) read, keep and write one value of a
// type. FixedOps<T> keeps the value inline; StringOps owns a heap copy of the bytes (the input
// batch is gone by the time the state is read), so its kernels need destroy().
template <class T>
struct FixedOps {
  using View = T;
  using Cell = T;
  static constexpr bool kOwnsMemory = false;
  static void init(Cell& c) { c = T{}; }
  static void destroy(Cell&) {}
  static View load(const Vector& v, size_t i) { return v.values<T>()[v.is_constant() ? 0 : i]; }
  static void store(Cell& c, View x) { c = x; }
  static View view(const Cell& c) { return c; }
  static void write(Vector& out, size_t i, View x) { out.values<T>()[i] = x; }
};

struct StringCell {
  char* data;
  uint32_t len;
  uint32_t cap;
};

struct StringOps {
  using View = std::string_view;
  using Cell = StringCell;
  static constexpr bool kOwnsMemory = true;
  static void init(Cell& c) { c = StringCell{nullptr, 0, 0}; }
  static void destroy(Cell& c) {
    std::free(c.data);
    c = StringCell{nullptr, 0, 0};
  }
  static View load(const Vector& v, size_t i) { return v.string_at(i); }
  static void store(Cell& c, View x) {
    if (x.size() > c.cap) {
      size_t cap = std::max<size_t>(x.size(), 16);
      char* fresh = static_cast<char*>(std::malloc(cap));
      if (fresh == nullptr) throw std::bad_alloc();
      std::free(c.data);
      c.data = fresh;
      c.cap = static_cast<uint32_t>(cap);
    }
    if (!x.empty()) std::memcpy(c.data, x.data(), x.size());
    c.len = static_cast<uint32_t>(x.size());
  }
  static View view(const Cell& c) { return View(c.data, c.len); }
  static void write(Vector& out, size_t i, View x) { out.set_string(i, x); }
};

// How min, max, first and last keep a value of a nested type (array, map, struct): a heap vector
// holding the one chosen row (Vector::append_from copies it with its elements and fields). Each
// store replaces the copy: once per group for first(), per improvement for min/max, per row for
// last(). Kernels write these values by appending rows to a fresh vector (strings and arrays fill
// in row order), so NestedOps has no per-row write.
struct NestedOps {
  using View = std::pair<const Vector*, size_t>;
  using Cell = Vector*;
  static constexpr bool kOwnsMemory = true;
  static void init(Cell& c) { c = nullptr; }
  static void destroy(Cell& c) {
    delete c;
    c = nullptr;
  }
  static View load(const Vector& v, size_t i) { return {&v, i}; }
  static void store(Cell& c, View x) {
    auto* fresh = new Vector(x.first->type(), 0);
    fresh->append_from(*x.first, x.second);
    delete c;
    c = fresh;
  }
  static View view(const Cell& c) { return {c, 0}; }
};

// Spark's ordering of nested values (vector/value_order.h) for min/max.
inline bool order_less(const NestedOps::View& a, const NestedOps::View& b) {
  return compare_values_at(*a.first, a.second, *b.first, b.second) < 0;
}

// Calls f(ops_tag) with the Ops type for `type`: K<FixedOps<T>> or K<StringOps>.
template <template <class> class K, class... Args>
std::shared_ptr<const AggregateKernel> make_for_type(const DataType& type, Args&&... args) {
  switch (type.id()) {
    case TypeId::kBoolean: return std::make_shared<K<FixedOps<uint8_t>>>(type, args...);
    case TypeId::kByte: return std::make_shared<K<FixedOps<int8_t>>>(type, args...);
    case TypeId::kShort: return std::make_shared<K<FixedOps<int16_t>>>(type, args...);
    case TypeId::kInt:
    case TypeId::kYearMonthInterval:
    case TypeId::kDate: return std::make_shared<K<FixedOps<int32_t>>>(type, args...);
    case TypeId::kLong:
    case TypeId::kDayTimeInterval:
    case TypeId::kTimestamp: return std::make_shared<K<FixedOps<int64_t>>>(type, args...);
    case TypeId::kFloat: return std::make_shared<K<FixedOps<float>>>(type, args...);
    case TypeId::kDouble: return std::make_shared<K<FixedOps<double>>>(type, args...);
    case TypeId::kDecimal: return std::make_shared<K<FixedOps<int128_t>>>(type, args...);
    case TypeId::kString:
    case TypeId::kBinary: return std::make_shared<K<StringOps>>(type, args...);
    case TypeId::kNull: return nullptr;
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kStruct: return std::make_shared<K<NestedOps>>(type, args...);
  }
  return nullptr;
}

// The kernel of an aggregate over NullType (e.g. max(NULL)): every group's result is null.
std::shared_ptr<const AggregateKernel> make_all_null_kernel();

// Kernels built by the aggregate files, used by register_aggregates.cpp.
std::shared_ptr<const AggregateKernel> make_count_kernel(size_t num_args);
// Bound sum / avg for a numeric (already coerced) input type.
BoundAggregate bind_sum_for(const DataType& input);
BoundAggregate bind_avg_for(const DataType& input);
std::shared_ptr<const AggregateKernel> make_min_max_kernel(const DataType& type, bool is_max);
std::shared_ptr<const AggregateKernel> make_first_last_kernel(const DataType& type, bool last,
                                                              bool ignore_nulls);
// Wraps `inner` (whose arguments are `arg_types`) so it sees each distinct argument tuple of a
// group once; rows with a null argument are skipped. count_only: the result is the number of
// distinct tuples (count(DISTINCT ...)), and `inner` may be null.
std::shared_ptr<const AggregateKernel> make_distinct_kernel(std::vector<DataType> arg_types,
                                                            std::shared_ptr<const AggregateKernel> inner,
                                                            bool count_only);

// A bigint counter that starts at 0, is never null and merges by addition: everything of count()
// and count_if() except which rows they count (update).
class CounterKernel : public AggregateKernel {
 public:
  size_t state_size() const override { return sizeof(int64_t); }
  void init(uint8_t* state) const override { *reinterpret_cast<int64_t*>(state) = 0; }

  std::vector<DataType> intermediate_types() const override { return {DataType::int64()}; }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    int64_t* dst = fresh_out(out, 0, 1, DataType::int64(), n).values<int64_t>();
    for (size_t i = 0; i < n; ++i) dst[i] = state_at<int64_t>(rows, i, offset);
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext&) const override {
    VectorPtr v = flatten(intermediate[0]);
    const int64_t* src = v->values<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      if (!v->is_null(i)) state_at<int64_t>(rows, i, offset) += src[i];
    }
  }

  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out, const EvalContext&) const override {
    int64_t* dst = out.values<int64_t>();
    for (size_t i = 0; i < n; ++i) dst[i] = state_at<int64_t>(rows, i, offset);
  }
};

}  // namespace ember::agg
