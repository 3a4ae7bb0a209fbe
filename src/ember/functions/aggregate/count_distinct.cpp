// DISTINCT aggregates: count(DISTINCT a, b, ...), sum(DISTINCT x), avg(DISTINCT x).
// The state is a set of the group's distinct argument tuples; at finalize the wrapped aggregate
// (sum, avg) runs over the set once. The set cannot be shipped as a column, so these bind with
// supports_partial = false and the engine runs them in a single complete phase after
// hash-partitioning rows by the group keys. Rows where any argument is null are ignored, as in
// Spark. Floating-point values are normalised (-0.0 = 0.0, NaN = NaN) before comparison, at any
// depth of an array or struct.
#include <unordered_set>

#include "ember/functions/aggregate/aggregate_common.h"
#include "ember/vector/nested_key_encoding.h"

namespace ember::agg {

namespace {

// Tuples are encoded into one byte string: each argument's canonical key bytes
// (vector/nested_key_encoding.h), which are prefix-free per type, so for a fixed list of argument
// types set equality is tuple equality — for arrays and structs as for flat values.
using DistinctSet = std::unordered_set<std::string>;

class DistinctKernel final : public AggregateKernel {
 public:
  DistinctKernel(std::vector<DataType> arg_types, std::shared_ptr<const AggregateKernel> inner, bool count_only)
      : arg_types_(std::move(arg_types)), inner_(std::move(inner)), count_only_(count_only) {}

  size_t state_size() const override { return sizeof(DistinctSet*); }
  bool needs_destroy() const override { return true; }
  // The set is created on the first non-null tuple, so empty groups cost one null pointer.
  void init(uint8_t* state) const override { *reinterpret_cast<DistinctSet**>(state) = nullptr; }
  void destroy(uint8_t* state) const override {
    auto*& set = *reinterpret_cast<DistinctSet**>(state);
    delete set;
    set = nullptr;
  }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    for (const VectorPtr& a : args) {
      if (a->type().id() == TypeId::kNull || (a->is_constant() && a->is_null(0))) return;
    }
    std::string key;
    for (size_t i = 0; i < n; ++i) {
      bool any_null = false;
      for (const VectorPtr& a : args) any_null |= a->is_null(i);
      if (any_null) continue;
      key.clear();
      for (const VectorPtr& a : args) append_key_bytes(*a, i, key);
      auto*& set = state_at<DistinctSet*>(rows, i, offset);
      if (set == nullptr) set = new DistinctSet();
      set->insert(key);
    }
  }

  std::vector<DataType> intermediate_types() const override { return {}; }
  void write_intermediate(uint8_t* const*, size_t, size_t, std::vector<VectorPtr>&) const override {
    EMBER_CHECK(false, "a DISTINCT aggregate has no partial state (supports_partial is false)");
  }
  void merge_intermediate(uint8_t* const*, size_t, const std::vector<VectorPtr>&, size_t,
                          const EvalContext&) const override {
    EMBER_CHECK(false, "a DISTINCT aggregate has no partial state (supports_partial is false)");
  }

  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    if (count_only_) {
      int64_t* dst = out.values<int64_t>();
      for (size_t i = 0; i < n; ++i) {
        const DistinctSet* set = state_at<DistinctSet*>(rows, i, offset);
        dst[i] = set == nullptr ? 0 : static_cast<int64_t>(set->size());
      }
      return;
    }
    // Run the wrapped aggregate once per group over that group's distinct tuples, in scratch
    // states, then finalize all n groups into `out` in one call.
    size_t align = std::max<size_t>(inner_->state_align(), 8);
    size_t stride = (inner_->state_size() + align - 1) / align * align;
    if (stride == 0) stride = align;
    auto* scratch = static_cast<uint8_t*>(::operator new(stride * n, std::align_val_t{align}));
    std::vector<uint8_t*> states(n);
    size_t inited = 0;
    struct Guard {
      const AggregateKernel* k;
      uint8_t* mem;
      size_t align;
      std::vector<uint8_t*>* states;
      size_t* inited;
      ~Guard() {
        if (k->needs_destroy()) {
          for (size_t i = 0; i < *inited; ++i) k->destroy((*states)[i]);
        }
        ::operator delete(mem, std::align_val_t{align});
      }
    } guard{inner_.get(), scratch, align, &states, &inited};
    std::vector<uint8_t*> same;
    std::vector<VectorPtr> cols(arg_types_.size());
    for (size_t i = 0; i < n; ++i) {
      states[i] = scratch + i * stride;
      inner_->init(states[i]);
      ++inited;
      const DistinctSet* set = state_at<DistinctSet*>(rows, i, offset);
      if (set == nullptr || set->empty()) continue;
      size_t m = set->size();
      for (size_t c = 0; c < arg_types_.size(); ++c) cols[c] = Vector::make(arg_types_[c], 0);
      for (const std::string& key : *set) {
        const char* p = key.data();
        for (size_t c = 0; c < cols.size(); ++c) p = append_decoded_key(p, *cols[c]);
      }
      same.assign(m, states[i]);
      inner_->update(same.data(), 0, cols, m, ctx);
    }
    inner_->finalize(states.data(), 0, n, out, ctx);
  }

 private:
  std::vector<DataType> arg_types_;
  std::shared_ptr<const AggregateKernel> inner_;
  bool count_only_;
};

}  // namespace

std::shared_ptr<const AggregateKernel> make_distinct_kernel(std::vector<DataType> arg_types,
                                                            std::shared_ptr<const AggregateKernel> inner,
                                                            bool count_only) {
  // The set holds canonical key bytes: arrays and structs are fine; maps have no equality in
  // Spark (it rejects them in grouping and set operations).
  for (const DataType& t : arg_types) {
    if (!type_contains_map(t)) continue;
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                "ember cannot take the distinct values of a value of type \"" + t.sql_string() +
                    "\": maps have no equality to compare them with.");
  }
  return std::make_shared<DistinctKernel>(std::move(arg_types), std::move(inner), count_only);
}

}  // namespace ember::agg
