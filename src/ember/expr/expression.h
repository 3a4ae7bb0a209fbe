#pragma once
// Expression trees, unresolved and resolved, in one immutable node type.
//
// The DataFrame API and (later) the SQL parser build unresolved trees: column names, function
// names, `*`. The analyzer resolves them: a column becomes an Attribute with a unique id (as
// Spark's exprId), a function call gets its BoundFunction or BoundAggregate, and the analyzer
// inserts the casts coercion needs. Optimizer rules rewrite resolved trees by attribute id, so no
// rule has to renumber column positions. Only the physical planner turns attributes into
// BoundRefs (input column positions), which is what the evaluator runs.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ember/functions/function.h"
#include "ember/types/data_type.h"
#include "ember/types/value.h"

namespace ember {

enum class ExprKind {
  kColumn,     // unresolved column name (name; `qualifier` may hold "t" of "t.a")
  kStar,       // unresolved `*` (`qualifier` holds "t" of `t.*`)
  kAttribute,  // resolved column: name, type, nullable, id
  kBoundRef,   // physical: input column `index` of the batch
  kLiteral,    // literal value
  kAlias,      // children[0] AS name; `id` is the id of the attribute it produces
  kCall,       // scalar function: name; `function` once resolved
  kAggregate,  // aggregate function: name, distinct; `aggregate` once resolved
  kCast,       // CAST(children[0] AS type); `try_cast` returns null instead of failing
  kCase,       // CASE WHEN c0 THEN v0 [WHEN c1 THEN v1 ...] [ELSE e] END: children c0,v0,c1,v1,...,[e]
  kAnd,        // three-valued AND, short-circuit per row (Spark's semantics)
  kOr,         // three-valued OR
  kNot,        // NOT
  kSortOrder,  // children[0] ASC|DESC NULLS FIRST|LAST (order_by, window, range partitioning)
  kWindow,     // f OVER (PARTITION BY p... ORDER BY o... frame): children = [f, p..., o...];
               // `window_partitions` p's, the rest kSortOrder o's; f is an aggregate or a call to
               // a window function (row_number, rank, lag, ...)
};

// A window frame (ROWS or RANGE BETWEEN lower AND upper). Offsets are relative to the current row;
// the sentinels are Spark's Window.unboundedPreceding / unboundedFollowing / currentRow.
enum class FrameType : uint8_t { kDefault, kRows, kRange };
constexpr int64_t kUnboundedPreceding = INT64_MIN;
constexpr int64_t kUnboundedFollowing = INT64_MAX;
constexpr int64_t kCurrentRow = 0;

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  ExprKind kind;
  std::vector<ExprPtr> children;
  std::string name;       // column / function / alias name
  std::string qualifier;  // kColumn: optional table qualifier; kAttribute: the DataFrame alias it came from
  Value literal;          // kLiteral
  DataType type;          // resolved result type (kAttribute, kCast, resolved calls, ...)
  bool nullable = true;   // resolved nullability
  int64_t id = 0;         // kAttribute: the attribute id; kAlias: id of the attribute produced
  int index = -1;         // kBoundRef: input column position
  bool distinct = false;  // kAggregate
  // kAggregate: the last child is a FILTER (WHERE ...) condition; only rows where it is true are
  // aggregated. The other children are the arguments.
  bool has_filter = false;
  bool try_cast = false;  // kCast
  bool ascending = true;  // kSortOrder
  bool nulls_first = true;
  bool ignore_nulls = false;  // kAggregate first/last; window functions
  // kWindow: how many children after the function are partition keys, and the frame.
  int window_partitions = 0;
  FrameType frame_type = FrameType::kDefault;  // kDefault: Spark's default for the function and ORDER BY
  int64_t frame_lower = kUnboundedPreceding;
  int64_t frame_upper = kCurrentRow;
  std::shared_ptr<const BoundFunction> function;    // kCall, resolved
  std::shared_ptr<const BoundAggregate> aggregate;  // kAggregate, resolved

  bool is_resolved() const;
  // Spark's explain form: attributes with ids ("amount#3"), operators infix "(a#1 + 1)".
  std::string to_string() const;
  // Spark's auto-generated column name for an unaliased expression: "(amount > 100)",
  // "sum(amount)", "count(1)"; no ids.
  std::string pretty_name() const;
};

// A process-wide source of fresh attribute ids, like Spark's NamedExpression.newExprId.
int64_t next_attribute_id();

// --- constructors (all return shared immutable nodes) ---
ExprPtr make_column(std::string name, std::string qualifier = "");
ExprPtr make_star();
ExprPtr make_attribute(std::string name, DataType type, bool nullable, int64_t id);
ExprPtr make_bound_ref(int index, DataType type, bool nullable, std::string name = "");
ExprPtr make_literal(Value v);
ExprPtr make_alias(ExprPtr child, std::string name, int64_t id = 0);
ExprPtr make_call(std::string name, std::vector<ExprPtr> args);
ExprPtr make_aggregate(std::string name, std::vector<ExprPtr> args, bool distinct = false);
ExprPtr make_cast(ExprPtr child, DataType to, bool try_cast = false);
ExprPtr make_case(std::vector<ExprPtr> children);
ExprPtr make_and(ExprPtr a, ExprPtr b);
ExprPtr make_or(ExprPtr a, ExprPtr b);
ExprPtr make_not(ExprPtr a);
ExprPtr make_sort_order(ExprPtr child, bool ascending, bool nulls_first);
ExprPtr make_window(ExprPtr function, std::vector<ExprPtr> partition_by, std::vector<ExprPtr> order_by,
                    FrameType frame_type, int64_t lower, int64_t upper);

// A copy of `e` with new children (everything else kept).
ExprPtr with_children(const Expr& e, std::vector<ExprPtr> children);

// Helpers for rules.
bool is_literal(const Expr& e);
bool is_attribute(const Expr& e);
// The resolved attribute `e` produces when used in a projection list (Attribute or Alias).
ExprPtr to_attribute(const ExprPtr& e);
// Calls fn on every node, pre-order.
template <class Fn>
void visit(const ExprPtr& e, Fn&& fn) {
  fn(e);
  for (const auto& c : e->children) visit(c, fn);
}
// Bottom-up rewrite: fn(node with rewritten children) -> replacement (or the node itself).
template <class Fn>
ExprPtr transform_up(const ExprPtr& e, Fn&& fn) {
  std::vector<ExprPtr> kids;
  kids.reserve(e->children.size());
  bool changed = false;
  for (const auto& c : e->children) {
    kids.push_back(transform_up(c, fn));
    changed |= kids.back() != c;
  }
  ExprPtr self = changed ? with_children(*e, std::move(kids)) : e;
  return fn(self);
}
// Splits a conjunction into its conjuncts; joins conjuncts back with AND.
void split_conjuncts(const ExprPtr& e, std::vector<ExprPtr>& out);
ExprPtr join_conjuncts(const std::vector<ExprPtr>& conjuncts);
// Ids of the attributes an expression references.
void collect_attribute_ids(const ExprPtr& e, std::vector<int64_t>& out);
bool contains_aggregate(const ExprPtr& e);
// Non-deterministic expressions (monotonically_increasing_id, spark_partition_id: their values
// depend on the partitioning and row order) must not be moved across filters or exchanges by rules.
bool is_deterministic(const ExprPtr& e);
// Calls whose result is null whenever any argument is null (comparisons except <=>, arithmetic,
// negation, abs, NOT and casts): Spark's NullIntolerant, by node. Works on resolved and
// unresolved trees alike (it reads kinds and names only).
bool is_null_intolerant_call(const Expr& e);
// The comparison with its operands swapped: "<" for ">", "<=" for ">=" and back; =, <=> and any
// other name stay as they are (a < b is b > a).
std::string swapped_comparison(const std::string& op);
bool contains_window(const ExprPtr& e);
// Window-only functions (ranking, offsets, frame values): valid only with OVER (...).
bool is_window_function_name(const std::string& name);

}  // namespace ember
