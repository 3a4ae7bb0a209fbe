// sum and avg (mean), with Spark 4's result types:
//   sum: integral -> bigint (ANSI: overflow raises ARITHMETIC_OVERFLOW; otherwise wraps),
//        float/double -> double, decimal(p,s) -> decimal(min(38,p+10), s);
//   avg: integral/float/double -> double (summed in double, as Spark does),
//        decimal(p,s) -> decimal(min(38,p+4), min(38,s+4)), summed in decimal(min(38,p+10), s).
// A decimal sum that leaves its precision is null, or an error under ANSI; like Spark the
// overflow is sticky (a later value bringing the sum back into range does not undo it).
#include "ember/functions/aggregate/aggregate_common.h"

namespace ember::agg {

namespace {

// ---------------------------------------------------------------- sum of integral -> bigint
struct SumLongState {
  int64_t sum;
  uint8_t has;  // any non-null value seen (an empty or all-null group sums to null)
};

inline void add_long(int64_t& acc, int64_t x, bool ansi) {
  if (ansi) {
    if (__builtin_add_overflow(acc, x, &acc)) throw_long_overflow();
  } else {
    // Non-ANSI Spark wraps like Java's long arithmetic.
    acc = static_cast<int64_t>(static_cast<uint64_t>(acc) + static_cast<uint64_t>(x));
  }
}

template <class TIn>
class SumIntegralKernel final : public AggregateKernel {
 public:
  size_t state_size() const override { return sizeof(SumLongState); }
  void init(uint8_t* state) const override { *reinterpret_cast<SumLongState*>(state) = {0, 0}; }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    VectorPtr a = flatten(args[0]);
    const TIn* v = a->values<TIn>();
    const uint8_t* valid = a->validity();
    if (ctx.ansi) run<true>(rows, offset, v, valid, n);
    else run<false>(rows, offset, v, valid, n);
  }

  std::vector<DataType> intermediate_types() const override { return {DataType::int64()}; }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    Vector& o = fresh_out(out, 0, 1, DataType::int64(), n);
    finalize_into(rows, offset, n, o);
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    VectorPtr a = flatten(intermediate[0]);
    const int64_t* v = a->values<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      if (a->is_null(i)) continue;
      auto& s = state_at<SumLongState>(rows, i, offset);
      add_long(s.sum, v[i], ctx.ansi);
      s.has = 1;
    }
  }

  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    finalize_into(rows, offset, n, out);
  }

 private:
  template <bool kAnsi>
  static void run(uint8_t* const* rows, size_t offset, const TIn* v, const uint8_t* valid, size_t n) {
    if (valid == nullptr) {
      for (size_t i = 0; i < n; ++i) {
        auto& s = state_at<SumLongState>(rows, i, offset);
        add_long(s.sum, static_cast<int64_t>(v[i]), kAnsi);
        s.has = 1;
      }
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      if (!bit_is_set(valid, i)) continue;
      auto& s = state_at<SumLongState>(rows, i, offset);
      add_long(s.sum, static_cast<int64_t>(v[i]), kAnsi);
      s.has = 1;
    }
  }

  static void finalize_into(uint8_t* const* rows, size_t offset, size_t n, Vector& out) {
    int64_t* dst = out.values<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      const auto& s = state_at<SumLongState>(rows, i, offset);
      if (s.has) dst[i] = s.sum;
      else out.set_null(i);
    }
  }
};

// ---------------------------------------------------------------- sum of float/double -> double
struct SumDoubleState {
  double sum;
  uint8_t has;
};

template <class TIn>
class SumDoubleKernel final : public AggregateKernel {
 public:
  size_t state_size() const override { return sizeof(SumDoubleState); }
  void init(uint8_t* state) const override { *reinterpret_cast<SumDoubleState*>(state) = {0.0, 0}; }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    VectorPtr a = flatten(args[0]);
    const TIn* v = a->values<TIn>();
    const uint8_t* valid = a->validity();
    for (size_t i = 0; i < n; ++i) {
      if (valid != nullptr && !bit_is_set(valid, i)) continue;
      auto& s = state_at<SumDoubleState>(rows, i, offset);
      s.sum += static_cast<double>(v[i]);
      s.has = 1;
    }
  }

  std::vector<DataType> intermediate_types() const override { return {DataType::float64()}; }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    finalize_into(rows, offset, n, fresh_out(out, 0, 1, DataType::float64(), n));
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    VectorPtr a = flatten(intermediate[0]);
    const double* v = a->values<double>();
    for (size_t i = 0; i < n; ++i) {
      if (a->is_null(i)) continue;
      auto& s = state_at<SumDoubleState>(rows, i, offset);
      s.sum += v[i];
      s.has = 1;
    }
  }

  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    finalize_into(rows, offset, n, out);
  }

 private:
  static void finalize_into(uint8_t* const* rows, size_t offset, size_t n, Vector& out) {
    double* dst = out.values<double>();
    for (size_t i = 0; i < n; ++i) {
      const auto& s = state_at<SumDoubleState>(rows, i, offset);
      if (s.has) dst[i] = s.sum;
      else out.set_null(i);
    }
  }
};

// ---------------------------------------------------------------- decimal sums (sum and avg)
struct DecimalSumState {
  int128_t sum;
  int64_t count;     // non-null values seen
  uint8_t overflow;  // the sum left its precision at some point (sticky)
};

// Adds x to s.sum within `precision` digits, marking overflow instead of wrapping.
inline void add_decimal(DecimalSumState& s, int128_t x, int128_t limit) {
  if (s.overflow) return;
  int128_t r;
  if (__builtin_add_overflow(s.sum, x, &r) || r >= limit || r <= -limit) {
    s.overflow = 1;
    return;
  }
  s.sum = r;
}

// Shared by sum(decimal) and avg(decimal): the state and update/merge are identical, only the
// intermediate columns and the final value differ.
class DecimalSumBase : public AggregateKernel {
 public:
  DecimalSumBase(int sum_precision, int scale)
      : sum_precision_(sum_precision), scale_(scale), limit_(pow10(sum_precision)) {}

  size_t state_size() const override { return sizeof(DecimalSumState); }
  size_t state_align() const override { return alignof(DecimalSumState); }
  void init(uint8_t* state) const override { *reinterpret_cast<DecimalSumState*>(state) = {0, 0, 0}; }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    VectorPtr a = flatten(args[0]);
    const int128_t* v = a->values<int128_t>();
    const uint8_t* valid = a->validity();
    for (size_t i = 0; i < n; ++i) {
      if (valid != nullptr && !bit_is_set(valid, i)) continue;
      auto& s = state_at<DecimalSumState>(rows, i, offset);
      add_decimal(s, v[i], limit_);
      ++s.count;
    }
  }

 protected:
  DataType sum_type() const { return DataType::decimal(sum_precision_, scale_); }
  int sum_precision_;
  int scale_;
  int128_t limit_;
};

class SumDecimalKernel final : public DecimalSumBase {
 public:
  using DecimalSumBase::DecimalSumBase;

  // Spark's own buffer for decimal sums: (sum, isEmpty); a null sum with isEmpty = false is an
  // overflow, which must survive the shuffle so the final stage can raise or return null.
  std::vector<DataType> intermediate_types() const override { return {sum_type(), DataType::boolean()}; }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    Vector& sums = fresh_out(out, 0, 2, sum_type(), n);
    Vector& empty = fresh_out(out, 1, 2, DataType::boolean(), n);
    int128_t* sv = sums.values<int128_t>();
    uint8_t* ev = empty.values<uint8_t>();
    for (size_t i = 0; i < n; ++i) {
      const auto& s = state_at<DecimalSumState>(rows, i, offset);
      ev[i] = s.count == 0 ? 1 : 0;
      if (s.count == 0 || s.overflow) sums.set_null(i);
      else sv[i] = s.sum;
    }
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    VectorPtr sums = flatten(intermediate[0]);
    VectorPtr empty = flatten(intermediate[1]);
    const int128_t* sv = sums->values<int128_t>();
    const uint8_t* ev = empty->values<uint8_t>();
    for (size_t i = 0; i < n; ++i) {
      if (empty->is_null(i) || ev[i]) continue;
      auto& s = state_at<DecimalSumState>(rows, i, offset);
      ++s.count;  // only emptiness matters for sum
      if (sums->is_null(i)) s.overflow = 1;
      else add_decimal(s, sv[i], limit_);
    }
  }

  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    int128_t* dst = out.values<int128_t>();
    for (size_t i = 0; i < n; ++i) {
      const auto& s = state_at<DecimalSumState>(rows, i, offset);
      if (s.count == 0) {
        out.set_null(i);
      } else if (s.overflow) {
        if (ctx.ansi) throw_decimal_overflow();
        out.set_null(i);
      } else {
        dst[i] = s.sum;
      }
    }
  }
};

// round_half_up(sum * 10^k / count), or false when it does not fit int128.
bool divide_half_up(int128_t sum, int64_t count, int k, int128_t& out) {
  bool neg = sum < 0;
  auto a = static_cast<unsigned __int128>(neg ? -sum : sum);
  auto c = static_cast<unsigned __int128>(count);
  unsigned __int128 q = a / c;
  unsigned __int128 r = a % c;
  auto scale = static_cast<unsigned __int128>(pow10(k));
  unsigned __int128 hi;
  if (__builtin_mul_overflow(q, scale, &hi)) return false;
  unsigned __int128 rr = r * scale;  // r < 2^63 and k <= 4: cannot overflow
  unsigned __int128 q2 = rr / c;
  if (2 * (rr % c) >= c) ++q2;
  unsigned __int128 res = hi + q2;
  if (res < hi || res > static_cast<unsigned __int128>(pow10(38))) return false;
  out = neg ? -static_cast<int128_t>(res) : static_cast<int128_t>(res);
  return true;
}

class AvgDecimalKernel final : public DecimalSumBase {
 public:
  AvgDecimalKernel(int sum_precision, int scale, int result_precision, int result_scale)
      : DecimalSumBase(sum_precision, scale), result_precision_(result_precision), result_scale_(result_scale) {}

  std::vector<DataType> intermediate_types() const override { return {sum_type(), DataType::int64()}; }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    Vector& sums = fresh_out(out, 0, 2, sum_type(), n);
    Vector& counts = fresh_out(out, 1, 2, DataType::int64(), n);
    int128_t* sv = sums.values<int128_t>();
    int64_t* cv = counts.values<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      const auto& s = state_at<DecimalSumState>(rows, i, offset);
      cv[i] = s.count;
      // A null sum with a positive count carries an overflow to the final stage.
      if (s.count == 0 || s.overflow) sums.set_null(i);
      else sv[i] = s.sum;
    }
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    VectorPtr sums = flatten(intermediate[0]);
    VectorPtr counts = flatten(intermediate[1]);
    const int128_t* sv = sums->values<int128_t>();
    const int64_t* cv = counts->values<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      if (counts->is_null(i) || cv[i] == 0) continue;
      auto& s = state_at<DecimalSumState>(rows, i, offset);
      s.count += cv[i];
      if (sums->is_null(i)) s.overflow = 1;
      else add_decimal(s, sv[i], limit_);
    }
  }

  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    int128_t* dst = out.values<int128_t>();
    for (size_t i = 0; i < n; ++i) {
      const auto& s = state_at<DecimalSumState>(rows, i, offset);
      if (s.count == 0) {
        out.set_null(i);
        continue;
      }
      int128_t q;
      bool ok = !s.overflow && divide_half_up(s.sum, s.count, result_scale_ - scale_, q) &&
                fits_precision(q, result_precision_);
      if (ok) {
        dst[i] = q;
      } else {
        if (ctx.ansi) throw_decimal_overflow();
        out.set_null(i);
      }
    }
  }

 private:
  int result_precision_;
  int result_scale_;
};

// ---------------------------------------------------------------- avg of non-decimal -> double
struct AvgDoubleState {
  double sum;
  int64_t count;
};

template <class TIn>
class AvgDoubleKernel final : public AggregateKernel {
 public:
  size_t state_size() const override { return sizeof(AvgDoubleState); }
  void init(uint8_t* state) const override { *reinterpret_cast<AvgDoubleState*>(state) = {0.0, 0}; }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    VectorPtr a = flatten(args[0]);
    const TIn* v = a->values<TIn>();
    const uint8_t* valid = a->validity();
    for (size_t i = 0; i < n; ++i) {
      if (valid != nullptr && !bit_is_set(valid, i)) continue;
      auto& s = state_at<AvgDoubleState>(rows, i, offset);
      s.sum += static_cast<double>(v[i]);
      ++s.count;
    }
  }

  std::vector<DataType> intermediate_types() const override {
    return {DataType::float64(), DataType::int64()};
  }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    double* sv = fresh_out(out, 0, 2, DataType::float64(), n).values<double>();
    int64_t* cv = fresh_out(out, 1, 2, DataType::int64(), n).values<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      const auto& s = state_at<AvgDoubleState>(rows, i, offset);
      sv[i] = s.sum;
      cv[i] = s.count;
    }
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    VectorPtr sums = flatten(intermediate[0]);
    VectorPtr counts = flatten(intermediate[1]);
    const double* sv = sums->values<double>();
    const int64_t* cv = counts->values<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      if (counts->is_null(i) || sums->is_null(i)) continue;
      auto& s = state_at<AvgDoubleState>(rows, i, offset);
      s.sum += sv[i];
      s.count += cv[i];
    }
  }

  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    double* dst = out.values<double>();
    for (size_t i = 0; i < n; ++i) {
      const auto& s = state_at<AvgDoubleState>(rows, i, offset);
      if (s.count == 0) out.set_null(i);
      else dst[i] = s.sum / static_cast<double>(s.count);
    }
  }
};

template <template <class> class K>
std::shared_ptr<const AggregateKernel> numeric_kernel(const DataType& t) {
  switch (t.id()) {
    case TypeId::kByte: return std::make_shared<K<int8_t>>();
    case TypeId::kShort: return std::make_shared<K<int16_t>>();
    case TypeId::kInt: return std::make_shared<K<int32_t>>();
    case TypeId::kLong: return std::make_shared<K<int64_t>>();
    case TypeId::kFloat: return std::make_shared<K<float>>();
    case TypeId::kDouble: return std::make_shared<K<double>>();
    default: return nullptr;
  }
}

// Float inputs never instantiate the integral sum (and vice versa); these aliases keep
// numeric_kernel's single switch usable for both.
template <class T>
using SumKernelFor = std::conditional_t<std::is_floating_point_v<T>, SumDoubleKernel<T>, SumIntegralKernel<T>>;

}  // namespace

BoundAggregate bind_sum_for(const DataType& input) {
  BoundAggregate b;
  b.arg_types = {input};
  if (input.id() == TypeId::kDecimal) {
    int p = std::min(kMaxDecimalPrecision, input.precision() + 10);
    b.result_type = DataType::decimal(p, input.scale());
    b.kernel = std::make_shared<SumDecimalKernel>(p, input.scale());
  } else if (input.is_integral()) {
    b.result_type = DataType::int64();
    b.kernel = numeric_kernel<SumKernelFor>(input);
  } else if (input.is_floating()) {
    b.result_type = DataType::float64();
    b.kernel = numeric_kernel<SumKernelFor>(input);
  } else {
    throw_type_mismatch("sum", "NUMERIC", input);
  }
  return b;
}

BoundAggregate bind_avg_for(const DataType& input) {
  BoundAggregate b;
  b.arg_types = {input};
  if (input.id() == TypeId::kDecimal) {
    int p = input.precision();
    int s = input.scale();
    int sum_p = std::min(kMaxDecimalPrecision, p + 10);
    int rp = std::min(kMaxDecimalPrecision, p + 4);
    int rs = std::min(kMaxDecimalPrecision, s + 4);
    b.result_type = DataType::decimal(rp, rs);
    b.kernel = std::make_shared<AvgDecimalKernel>(sum_p, s, rp, rs);
  } else if (input.is_integral() || input.is_floating()) {
    b.result_type = DataType::float64();
    b.kernel = numeric_kernel<AvgDoubleKernel>(input);
  } else {
    throw_type_mismatch("avg", "NUMERIC", input);
  }
  return b;
}

}  // namespace ember::agg
