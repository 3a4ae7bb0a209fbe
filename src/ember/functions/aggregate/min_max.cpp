// min / max over every orderable type. Floats order NaN above everything (Spark's ordering);
// strings and binary compare bytes unsigned, as Spark's UTF8String does; booleans false < true;
// arrays and structs follow Spark's ordering of them (vector/value_order.h); maps are not
// orderable and are rejected at binding.
#include "ember/functions/aggregate/aggregate_common.h"

namespace ember::agg {

namespace {

template <class Ops>
struct ExtremeState {
  typename Ops::Cell cell;
  uint8_t has;  // any non-null value seen
};

template <class Ops, bool kMax>
class MinMaxKernel final : public AggregateKernel {
  using State = ExtremeState<Ops>;
  using View = typename Ops::View;

 public:
  explicit MinMaxKernel(const DataType& type) : type_(type) {}

  size_t state_size() const override { return sizeof(State); }
  size_t state_align() const override { return alignof(State); }
  bool needs_destroy() const override { return Ops::kOwnsMemory; }
  void init(uint8_t* state) const override {
    auto* s = reinterpret_cast<State*>(state);
    Ops::init(s->cell);
    s->has = 0;
  }
  void destroy(uint8_t* state) const override { Ops::destroy(reinterpret_cast<State*>(state)->cell); }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    accumulate(rows, offset, *args[0], n);
  }

  std::vector<DataType> intermediate_types() const override { return {type_}; }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    write(rows, offset, n, fresh_out(out, 0, 1, type_, n));
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    // The intermediate is the partial extreme itself (null for an empty group): merging is
    // updating with it.
    accumulate(rows, offset, *intermediate[0], n);
  }

  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    write(rows, offset, n, out);
  }

 private:
  static bool better(const View& x, const View& cur) {
    if constexpr (kMax) return order_less(cur, x);
    else return order_less(x, cur);
  }

  static void accumulate(uint8_t* const* rows, size_t offset, const Vector& v, size_t n) {
    if (v.is_constant() && v.is_null(0)) return;
    const bool nulls = v.may_have_nulls() && !v.is_constant();
    for (size_t i = 0; i < n; ++i) {
      if (nulls && v.is_null(i)) continue;
      View x = Ops::load(v, i);
      auto& s = state_at<State>(rows, i, offset);
      if (!s.has || better(x, Ops::view(s.cell))) {
        Ops::store(s.cell, x);
        s.has = 1;
      }
    }
  }

  static void write(uint8_t* const* rows, size_t offset, size_t n, Vector& out) {
    if constexpr (std::is_same_v<Ops, NestedOps>) {
      // Nested rows are appended in order to a vector that then replaces `out`.
      Vector built(out.type(), 0);
      for (size_t i = 0; i < n; ++i) {
        const auto& s = state_at<State>(rows, i, offset);
        if (s.has) built.append_from(*s.cell, 0);
        else built.set_null_row(built.append_rows(1));
      }
      out = std::move(built);
    } else {
      for (size_t i = 0; i < n; ++i) {
        const auto& s = state_at<State>(rows, i, offset);
        if (s.has) Ops::write(out, i, Ops::view(s.cell));
        else write_null(out, i);
      }
    }
  }

  DataType type_;
};

template <class Ops>
using MinKernel = MinMaxKernel<Ops, false>;
template <class Ops>
using MaxKernel = MinMaxKernel<Ops, true>;

class AllNullKernel final : public AggregateKernel {
 public:
  size_t state_size() const override { return 0; }
  void init(uint8_t*) const override {}
  void update(uint8_t* const*, size_t, const std::vector<VectorPtr>&, size_t, const EvalContext&) const override {}
  std::vector<DataType> intermediate_types() const override { return {DataType::null()}; }
  void write_intermediate(uint8_t* const*, size_t, size_t n, std::vector<VectorPtr>& out) const override {
    out.resize(1);
    out[0] = Vector::make_null(DataType::null(), n);
  }
  void merge_intermediate(uint8_t* const*, size_t, const std::vector<VectorPtr>&, size_t,
                          const EvalContext&) const override {}
  void finalize(uint8_t* const*, size_t, size_t n, Vector& out, const EvalContext&) const override {
    for (size_t i = 0; i < n; ++i) write_null(out, i);
  }
};

}  // namespace

std::shared_ptr<const AggregateKernel> make_all_null_kernel() { return std::make_shared<AllNullKernel>(); }

std::shared_ptr<const AggregateKernel> make_min_max_kernel(const DataType& type, bool is_max) {
  auto k = is_max ? make_for_type<MaxKernel>(type) : make_for_type<MinKernel>(type);
  return k ? k : make_all_null_kernel();
}

}  // namespace ember::agg
