// DISTINCT aggregates: count(DISTINCT a, b, ...), sum(DISTINCT x), avg(DISTINCT x).
// The state is a set of the group's distinct argument tuples; at finalize the wrapped aggregate
// (sum, avg) runs over the set once. The set cannot be shipped as a column, so these bind with
// supports_partial = false and the engine runs them in a single complete phase after
// hash-partitioning rows by the group keys. Rows where any argument is null are ignored, as in
// Spark. Floating-point values are normalised (-0.0 = 0.0, NaN = NaN) before comparison.
#include <unordered_set>

#include "ember/functions/aggregate/aggregate_common.h"

namespace ember::agg {

namespace {

// Tuples are encoded into one byte string: fixed-width values as their (normalised) bytes,
// strings as a 4-byte length and the bytes. The encoding is injective for a fixed list of
// argument types, so set equality is tuple equality.
using DistinctSet = std::unordered_set<std::string>;

template <class T>
void append_raw(std::string& key, T v) {
  key.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

void encode_value(std::string& key, const Vector& v, size_t i) {
  size_t k = v.is_constant() ? 0 : i;
  switch (v.type().id()) {
    case TypeId::kFloat: {
      float f = v.values<float>()[k];
      if (f == 0.0f) f = 0.0f;
      if (std::isnan(f)) f = std::numeric_limits<float>::quiet_NaN();
      append_raw(key, f);
      return;
    }
    case TypeId::kDouble: {
      double d = v.values<double>()[k];
      if (d == 0.0) d = 0.0;
      if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
      append_raw(key, d);
      return;
    }
    case TypeId::kString:
    case TypeId::kBinary: {
      std::string_view s = v.string_at(i);
      append_raw(key, static_cast<uint32_t>(s.size()));
      key.append(s.data(), s.size());
      return;
    }
    case TypeId::kNull: return;
    default: {
      auto w = static_cast<size_t>(v.type().fixed_width());
      key.append(reinterpret_cast<const char*>(v.values<uint8_t>() + k * w), w);
      return;
    }
  }
}

// Reads one value encoded by encode_value at `p` into row i of out; returns the next position.
const char* decode_value(const char* p, Vector& out, size_t i) {
  if (out.type().is_string_like()) {
    uint32_t len;
    std::memcpy(&len, p, sizeof(len));
    p += sizeof(len);
    out.set_string(i, std::string_view(p, len));
    return p + len;
  }
  auto w = static_cast<size_t>(out.type().fixed_width());
  std::memcpy(out.values<uint8_t>() + i * w, p, w);
  return p + w;
}

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
      for (const VectorPtr& a : args) encode_value(key, *a, i);
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
      for (size_t c = 0; c < arg_types_.size(); ++c) cols[c] = Vector::make(arg_types_[c], m);
      size_t r = 0;
      for (const std::string& key : *set) {
        const char* p = key.data();
        for (size_t c = 0; c < cols.size(); ++c) p = decode_value(p, *cols[c], r);
        ++r;
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
  return std::make_shared<DistinctKernel>(std::move(arg_types), std::move(inner), count_only);
}

}  // namespace ember::agg
