#pragma once
// Drives an AggregateKernel the way ember's operators do, for the aggregate unit tests: binds a
// registered aggregate, updates per-group states held in a GroupHashTable (single pass), or cuts
// the input into chunks aggregated separately whose states travel as intermediate columns and are
// merged in a final table (partial + final, as across a shuffle), and finalizes every group.
#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/exec/hashtable/group_hash_table.h"
#include "ember/functions/registry.h"

namespace ember::aggtest {

inline BoundAggregate bind_aggregate(const std::string& name, std::vector<DataType> types,
                                     std::vector<std::optional<Value>> literals = {}, bool distinct = false) {
  const AggregateDef* def = FunctionRegistry::instance().find_aggregate(name);
  if (def == nullptr) throw std::runtime_error("no aggregate " + name);
  BindContext ctx;
  literals.resize(types.size());
  ctx.literals = std::move(literals);
  return def->bind(types, distinct, ctx);
}

// The rows of one test: a group id per row and one vector per argument (the bound argument
// types, already cast as the analyzer would), all of equal length.
struct Input {
  std::vector<int64_t> group;
  std::vector<VectorPtr> args;
  size_t num_groups = 1;
};

// One group, the given argument columns.
inline Input one_group(std::vector<VectorPtr> args) {
  Input in;
  in.group.assign(args.empty() ? 0 : args[0]->size(), 0);
  in.args = std::move(args);
  in.num_groups = 1;
  return in;
}

// States sit at a non-zero offset in each payload row, as they do beside other aggregates.
inline size_t state_offset(const AggregateKernel& k) { return std::max<size_t>(k.state_align(), 8); }

class StateTable {
 public:
  explicit StateTable(const AggregateKernel& k)
      : k_(k),
        table_({DataType::int64()}, state_offset(k) + k.state_size(), std::max<size_t>(k.state_align(), 8)) {}
  ~StateTable() {
    if (!k_.needs_destroy()) return;
    std::vector<VectorPtr> keys;
    std::vector<uint8_t*> rows(table_.size());
    table_.read_groups(0, table_.size(), keys, rows.data());
    for (uint8_t* r : rows) k_.destroy(r + state_offset(k_));
  }
  StateTable(const StateTable&) = delete;
  StateTable& operator=(const StateTable&) = delete;

  // The state rows of `keys` (int64 group ids), creating groups as needed.
  std::vector<uint8_t*> rows(const VectorPtr& keys) {
    std::vector<uint8_t*> out(keys->size());
    table_.find_or_insert({keys}, keys->size(), out.data(),
                          [&](uint8_t* p) { k_.init(p + state_offset(k_)); });
    return out;
  }
  GroupHashTable& table() { return table_; }

 private:
  const AggregateKernel& k_;
  GroupHashTable table_;
};

inline VectorPtr id_vector(const std::vector<int64_t>& ids, size_t from, size_t to) {
  auto v = Vector::make(DataType::int64(), to - from);
  for (size_t i = from; i < to; ++i) v->values<int64_t>()[i - from] = ids[i];
  return v;
}

inline std::vector<VectorPtr> slice_args(const Input& in, size_t from, size_t to) {
  std::vector<uint32_t> sel(to - from);
  for (size_t i = from; i < to; ++i) sel[i - from] = static_cast<uint32_t>(i);
  std::vector<VectorPtr> out;
  for (const VectorPtr& a : in.args) out.push_back(gather(*a, sel.data(), sel.size()));
  return out;
}

// Finalizes groups 0 .. num_groups - 1 (creating those no row reached) into one vector.
inline VectorPtr finalize_groups(const BoundAggregate& b, StateTable& t, size_t num_groups,
                                 const EvalContext& ctx) {
  std::vector<int64_t> ids(num_groups);
  for (size_t g = 0; g < num_groups; ++g) ids[g] = static_cast<int64_t>(g);
  std::vector<uint8_t*> rows = t.rows(id_vector(ids, 0, num_groups));
  auto out = Vector::make(b.result_type, num_groups);
  b.kernel->finalize(rows.data(), state_offset(*b.kernel), num_groups, *out, ctx);
  return out;
}

inline std::vector<Value> values_of(const Vector& v) {
  std::vector<Value> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(v.value_at(i));
  return out;
}

// Every row updates its group's state directly, in batches of `batch` rows.
inline std::vector<Value> run_single(const BoundAggregate& b, const Input& in, const EvalContext& ctx = {},
                                     size_t batch = 1024) {
  StateTable t(*b.kernel);
  size_t n = in.group.size();
  for (size_t from = 0; from < n; from += batch) {
    size_t to = std::min(n, from + batch);
    std::vector<uint8_t*> rows = t.rows(id_vector(in.group, from, to));
    b.kernel->update(rows.data(), state_offset(*b.kernel), slice_args(in, from, to), to - from, ctx);
  }
  return values_of(*finalize_groups(b, t, in.num_groups, ctx));
}

// Partial + final: `parts` contiguous chunks of the input (random sizes from `seed`), each
// aggregated in its own table and shipped as intermediate columns, merged in chunk order.
inline std::vector<Value> run_partitioned(const BoundAggregate& b, const Input& in, size_t parts,
                                          uint32_t seed, const EvalContext& ctx = {}) {
  const AggregateKernel& k = *b.kernel;
  std::mt19937 rng(seed);
  size_t n = in.group.size();
  std::vector<size_t> cuts{0, n};
  for (size_t p = 1; p < parts; ++p) cuts.push_back(n == 0 ? 0 : rng() % (n + 1));
  std::sort(cuts.begin(), cuts.end());
  StateTable final_table(k);
  for (size_t c = 0; c + 1 < cuts.size(); ++c) {
    size_t from = cuts[c];
    size_t to = cuts[c + 1];
    StateTable partial(k);
    for (size_t f = from; f < to; f += 1024) {
      size_t t = std::min(to, f + 1024);
      std::vector<uint8_t*> rows = partial.rows(id_vector(in.group, f, t));
      k.update(rows.data(), state_offset(k), slice_args(in, f, t), t - f, ctx);
    }
    size_t groups = partial.table().size();
    if (groups == 0) continue;
    std::vector<VectorPtr> keys;
    std::vector<uint8_t*> states(groups);
    partial.table().read_groups(0, groups, keys, states.data());
    std::vector<VectorPtr> inter;
    k.write_intermediate(states.data(), state_offset(k), groups, inter);
    EXPECT_EQ(inter.size(), k.intermediate_types().size());
    for (size_t i = 0; i < inter.size(); ++i) EXPECT_EQ(inter[i]->type(), k.intermediate_types()[i]);
    std::vector<uint8_t*> frows = final_table.rows(keys[0]);
    k.merge_intermediate(frows.data(), state_offset(k), inter, groups, ctx);
  }
  return values_of(*finalize_groups(b, final_table, in.num_groups, ctx));
}

// Bitwise equality for doubles (NaN equals NaN), deep for arrays.
inline bool identical(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  if (a.type().is_floating() && b.type().is_floating()) {
    double x = a.as_double(), y = b.as_double();
    return (std::isnan(x) && std::isnan(y)) || x == y;
  }
  return a == b;
}

// |a - b| <= tol * max(1, |b|) for doubles; identical() otherwise.
inline bool close(const Value& a, const Value& b, double tol) {
  if (a.is_null() || b.is_null() || !a.type().is_floating()) return identical(a, b);
  double x = a.as_double(), y = b.as_double();
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
  return std::fabs(x - y) <= tol * std::max(1.0, std::fabs(y));
}

}  // namespace ember::aggtest
