// first(expr[, ignoreNulls]) / first_value / any_value, and last(expr[, ignoreNulls]) /
// last_value: the first (last) row seen in the group, null included unless ignoreNulls.
// Like Spark the answer depends on row order, which is only deterministic within one task;
// partial states merge in the order the final stage receives them.
#include "ember/functions/aggregate/aggregate_common.h"

namespace ember::agg {

namespace {

template <class Ops>
struct PickState {
  typename Ops::Cell cell;
  uint8_t set;      // a value (possibly null) has been chosen
  uint8_t is_null;  // the chosen value is null
};

template <class Ops, bool kLast>
class PickKernel final : public AggregateKernel {
  using State = PickState<Ops>;

 public:
  PickKernel(const DataType& type, bool ignore_nulls) : type_(type), ignore_nulls_(ignore_nulls) {}

  size_t state_size() const override { return sizeof(State); }
  size_t state_align() const override { return alignof(State); }
  bool needs_destroy() const override { return Ops::kOwnsMemory; }
  void init(uint8_t* state) const override {
    auto* s = reinterpret_cast<State*>(state);
    Ops::init(s->cell);
    s->set = 0;
    s->is_null = 0;
  }
  void destroy(uint8_t* state) const override { Ops::destroy(reinterpret_cast<State*>(state)->cell); }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    const Vector& v = *args[0];  // args[1], the ignoreNulls literal, was consumed by bind
    for (size_t i = 0; i < n; ++i) {
      bool null = v.is_null(i);
      if (null && ignore_nulls_) continue;
      auto& s = state_at<State>(rows, i, offset);
      if (!kLast && s.set) continue;
      take(s, v, i, null);
    }
  }

  // Spark's buffer for first/last: (value, valueSet).
  std::vector<DataType> intermediate_types() const override { return {type_, DataType::boolean()}; }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    write(rows, offset, n, fresh_out(out, 0, 2, type_, n));
    uint8_t* set = fresh_out(out, 1, 2, DataType::boolean(), n).values<uint8_t>();
    for (size_t i = 0; i < n; ++i) set[i] = state_at<State>(rows, i, offset).set;
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    const Vector& v = *intermediate[0];
    VectorPtr set = flatten(intermediate[1]);
    const uint8_t* sv = set->values<uint8_t>();
    for (size_t i = 0; i < n; ++i) {
      if (set->is_null(i) || !sv[i]) continue;
      auto& s = state_at<State>(rows, i, offset);
      if (!kLast && s.set) continue;
      take(s, v, i, v.is_null(i));
    }
  }

  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    write(rows, offset, n, out);
  }

 private:
  static void take(State& s, const Vector& v, size_t i, bool null) {
    s.set = 1;
    s.is_null = null ? 1 : 0;
    if (!null) Ops::store(s.cell, Ops::load(v, i));
  }

  static void write(uint8_t* const* rows, size_t offset, size_t n, Vector& out) {
    if constexpr (std::is_same_v<Ops, NestedOps>) {
      // Nested rows are appended in order to a vector that then replaces `out`.
      Vector built(out.type(), 0);
      for (size_t i = 0; i < n; ++i) {
        const auto& s = state_at<State>(rows, i, offset);
        if (s.set && !s.is_null) built.append_from(*s.cell, 0);
        else built.set_null_row(built.append_rows(1));
      }
      out = std::move(built);
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      const auto& s = state_at<State>(rows, i, offset);
      if constexpr (!std::is_same_v<Ops, NestedOps>) {
        if (s.set && !s.is_null) Ops::write(out, i, Ops::view(s.cell));
        else write_null(out, i);
      }
    }
  }

  DataType type_;
  bool ignore_nulls_;
};

template <class Ops>
using FirstKernel = PickKernel<Ops, false>;
template <class Ops>
using LastKernel = PickKernel<Ops, true>;

}  // namespace

std::shared_ptr<const AggregateKernel> make_first_last_kernel(const DataType& type, bool last,
                                                              bool ignore_nulls) {
  if (type.is_nested()) {
    if (last) return std::make_shared<LastKernel<NestedOps>>(type, ignore_nulls);
    return std::make_shared<FirstKernel<NestedOps>>(type, ignore_nulls);
  }
  auto k =
      last ? make_for_type<LastKernel>(type, ignore_nulls) : make_for_type<FirstKernel>(type, ignore_nulls);
  return k ? k : make_all_null_kernel();
}

}  // namespace ember::agg
