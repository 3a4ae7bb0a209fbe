#pragma once
// Test support for the join operators: random rows, batches, bound expressions, and an
// independent reference join written as plain row loops over Values (Spark's semantics), against
// which the operators' outputs are compared as sorted multisets.
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/exec/operators/batch_source_operator.h"
#include "ember/exec/operators/join_type.h"
#include "ember/expr/expression.h"
#include "ember/functions/registry.h"
#include "ember/vector/batch.h"

namespace ember::join_test {

using Row = std::vector<Value>;
using Rows = std::vector<Row>;

inline std::vector<Batch> to_batches(const std::vector<DataType>& types, const Rows& rows,
                                     size_t batch_rows) {
  std::vector<Batch> out;
  for (size_t start = 0; start < rows.size(); start += batch_rows) {
    const size_t n = std::min(batch_rows, rows.size() - start);
    Batch b;
    b.num_rows = n;
    for (size_t c = 0; c < types.size(); ++c) {
      std::vector<Value> col;
      col.reserve(n);
      for (size_t i = 0; i < n; ++i) col.push_back(rows[start + i][c]);
      b.columns.push_back(Vector::from_values(types[c], col));
    }
    out.push_back(std::move(b));
  }
  return out;
}

inline OperatorPtr source(const std::vector<DataType>& types, const Rows& rows, size_t batch_rows = 1000) {
  return std::make_unique<BatchSourceOperator>("Source", to_batches(types, rows, batch_rows));
}

// Pulls every batch; checks the operator contract on the way (width, at most kBatchSize rows).
inline Rows drain(Operator& op, size_t expected_width, size_t* max_batch = nullptr) {
  Rows rows;
  Batch b;
  size_t biggest = 0;
  while (op.next(b)) {
    EXPECT_EQ(b.num_columns(), expected_width);
    EXPECT_GT(b.num_rows, 0u);
    EXPECT_LE(b.num_rows, kBatchSize);
    biggest = std::max(biggest, b.num_rows);
    for (size_t i = 0; i < b.num_rows; ++i) {
      Row r;
      for (const auto& c : b.columns) {
        EXPECT_GE(c->size(), b.num_rows);
        r.push_back(c->value_at(i));
      }
      rows.push_back(std::move(r));
    }
  }
  if (max_batch != nullptr) *max_batch = biggest;
  return rows;
}

inline std::string row_string(const Row& r) {
  std::string s;
  for (const Value& v : r) {
    if (v.is_null()) {
      s += "NULL|";
      continue;
    }
    if (v.type().is_floating()) {
      // Bit-exact, so -0.0 and 0.0 stay distinct in the comparison.
      double d = v.as_double();
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%a", d);
      s += buf;
    } else {
      s += v.to_string();
    }
    s += "|";
  }
  return s;
}

inline std::vector<std::string> multiset(const Rows& rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(row_string(r));
  std::sort(out.begin(), out.end());
  return out;
}

// Compares two row multisets, reporting the first differences readably.
inline void expect_same_rows(const Rows& actual, const Rows& expected, const std::string& what) {
  auto a = multiset(actual);
  auto e = multiset(expected);
  if (a == e) return;
  std::vector<std::string> missing, extra;
  std::set_difference(e.begin(), e.end(), a.begin(), a.end(), std::back_inserter(missing));
  std::set_difference(a.begin(), a.end(), e.begin(), e.end(), std::back_inserter(extra));
  std::string msg = what + ": " + std::to_string(a.size()) + " rows, expected " + std::to_string(e.size());
  for (size_t i = 0; i < std::min<size_t>(5, missing.size()); ++i) msg += "\n  missing " + missing[i];
  for (size_t i = 0; i < std::min<size_t>(5, extra.size()); ++i) msg += "\n  extra   " + extra[i];
  ADD_FAILURE() << msg;
}

// --- reference join ------------------------------------------------------------------------

// Spark's join-key equality for one column: `=` (null matches nothing) or `<=>` (null matches
// null); floats compare after normalisation (-0.0 = 0.0, NaN = NaN).
inline bool key_equal(const Value& a, const Value& b, bool null_safe) {
  if (a.is_null() || b.is_null()) return null_safe && a.is_null() && b.is_null();
  if (a.type().is_floating()) {
    double x = a.as_double(), y = b.as_double();
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
    return x == y;
  }
  return a == b;
}

struct KeyPair {
  size_t left;
  size_t right;
  bool null_safe = false;
};

// true / false / null (nullopt) for a pair of rows.
using RowCondition = std::function<std::optional<bool>(const Row& left, const Row& right)>;

inline Rows reference_join(JoinType type, const Rows& left, const Rows& right,
                           const std::vector<DataType>& left_types, const std::vector<DataType>& right_types,
                           const std::vector<KeyPair>& keys, const RowCondition& condition) {
  Rows out;
  std::vector<bool> right_matched(right.size(), false);
  for (const Row& l : left) {
    bool matched = false;
    for (size_t j = 0; j < right.size(); ++j) {
      const Row& r = right[j];
      bool eq = true;
      for (const KeyPair& k : keys) eq = eq && key_equal(l[k.left], r[k.right], k.null_safe);
      if (!eq) continue;
      if (condition) {
        std::optional<bool> c = condition(l, r);
        if (!c.has_value() || !*c) continue;
      }
      matched = true;
      right_matched[j] = true;
      if (type != JoinType::kLeftSemi && type != JoinType::kLeftAnti) {
        Row row = l;
        row.insert(row.end(), r.begin(), r.end());
        out.push_back(std::move(row));
      }
    }
    if (type == JoinType::kLeftSemi && matched) out.push_back(l);
    if (type == JoinType::kLeftAnti && !matched) out.push_back(l);
    if ((type == JoinType::kLeftOuter || type == JoinType::kFullOuter) && !matched) {
      Row row = l;
      for (const DataType& t : right_types) row.push_back(Value::null(t));
      out.push_back(std::move(row));
    }
  }
  if (type == JoinType::kRightOuter || type == JoinType::kFullOuter) {
    for (size_t j = 0; j < right.size(); ++j) {
      if (right_matched[j]) continue;
      Row row;
      for (const DataType& t : left_types) row.push_back(Value::null(t));
      row.insert(row.end(), right[j].begin(), right[j].end());
      out.push_back(std::move(row));
    }
  }
  return out;
}

// --- data ------------------------------------------------------------------------------------

// A random value of `type` drawn from about `domain` distinct values, null with probability
// null_rate. Doubles include -0.0, 0.0 and NaN.
inline Value random_value(std::mt19937_64& rng, const DataType& type, int domain, double null_rate) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  if (u(rng) < null_rate) return Value::null(type);
  const auto x = static_cast<int64_t>(rng() % static_cast<uint64_t>(domain));
  switch (type.id()) {
    case TypeId::kInt: return Value::int32(static_cast<int32_t>(x - domain / 2));
    case TypeId::kLong: return Value::int64(x * 1000003 - 7);
    case TypeId::kString: return Value::string(x == 0 ? std::string() : "key-" + std::to_string(x * 7919));
    case TypeId::kDecimal:
      return Value::decimal(static_cast<int128_t>(x) * 125 - 300, type.precision(), type.scale());
    case TypeId::kDate: return Value::date(static_cast<int32_t>(18000 + x));
    case TypeId::kDouble: {
      static const double kValues[] = {0.0, -0.0, std::nan(""), 1.5, -2.25, 1e300};
      return Value::float64(kValues[x % 6]);
    }
    case TypeId::kBoolean: return Value::boolean(x % 2 == 0);
    default: return Value::null(type);
  }
}

inline Rows random_rows(std::mt19937_64& rng, const std::vector<DataType>& types, size_t n, int domain,
                        double null_rate) {
  Rows rows(n);
  for (Row& r : rows) {
    for (const DataType& t : types) r.push_back(random_value(rng, t, domain, null_rate));
  }
  return rows;
}

// --- bound expressions -----------------------------------------------------------------------

inline ExprPtr ref(int index, const DataType& type) { return make_bound_ref(index, type, true); }

// A resolved scalar call, bound through the registry as the analyzer would (arguments must already
// have the types the function wants).
inline ExprPtr call(const std::string& name, std::vector<ExprPtr> args) {
  const FunctionDef* def = FunctionRegistry::instance().find_scalar(name);
  EXPECT_NE(def, nullptr) << name;
  std::vector<DataType> types;
  for (const auto& a : args) types.push_back(a->type);
  BindContext ctx;
  ctx.literals.resize(types.size());
  auto bound = std::make_shared<BoundFunction>(def->bind(types, ctx));
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCall;
  e->name = name;
  e->children = std::move(args);
  e->type = bound->result_type;
  e->function = std::move(bound);
  return e;
}

}  // namespace ember::join_test
