#include "ember/expr/expression.h"

#include <algorithm>
#include <set>

#include "ember/common/error.h"

namespace ember {

namespace {

std::atomic<int64_t> g_next_attribute_id{1};

std::shared_ptr<Expr> node(ExprKind kind) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  return e;
}

// Function names Spark prints infix in explain and in generated column names.
bool is_infix_operator(const std::string& name) {
  static const char* const kOps[] = {"+", "-", "*", "/", "%", "=", "<>", "<", "<=", ">", ">=", "<=>", "div"};
  return std::any_of(std::begin(kOps), std::end(kOps), [&](const char* op) { return name == op; });
}

std::string literal_explain(const Value& v) {
  if (v.is_null()) return "null";
  return v.to_string();
}

std::string literal_pretty(const Value& v) {
  if (v.is_null()) return "NULL";
  if (v.type().is_numeric() || v.type().id() == TypeId::kString) return v.to_string();
  return v.to_sql_literal();
}

template <class LeafFn>
std::string render(const Expr& e, LeafFn&& leaf) {
  auto child = [&](size_t i) { return render(*e.children[i], leaf); };
  auto args = [&](size_t from) {
    std::string s;
    for (size_t i = from; i < e.children.size(); ++i) {
      if (i > from) s += ", ";
      s += child(i);
    }
    return s;
  };
  switch (e.kind) {
    case ExprKind::kColumn:
    case ExprKind::kAttribute:
    case ExprKind::kBoundRef:
    case ExprKind::kLiteral:
    case ExprKind::kStar:
    case ExprKind::kAlias: return leaf(e);
    case ExprKind::kCall:
      if (is_infix_operator(e.name) && e.children.size() == 2) {
        return "(" + child(0) + " " + e.name + " " + child(1) + ")";
      }
      if (e.name == "negative" && e.children.size() == 1) return "-" + child(0);
      // Spark's SparkPartitionID has the upper-case pretty name.
      if (e.name == "spark_partition_id" && e.children.empty()) return "SPARK_PARTITION_ID()";
      // Spark's extract-value operators print as `s.a` and `arr[0]` / `m[k]`.
      if (e.name == "get_struct_field" && e.children.size() == 2) return child(0) + "." + child(1);
      if ((e.name == "extract_value" || e.name == "get_array_item" || e.name == "get_map_value") &&
          e.children.size() == 2) {
        return child(0) + "[" + child(1) + "]";
      }
      if (e.name == "in" && !e.children.empty()) {
        return child(0) + " IN (" + args(1) + ")";
      }
      if ((e.name == "like" || e.name == "rlike") && e.children.size() == 2) {
        return child(0) + (e.name == "like" ? " LIKE " : " RLIKE ") + child(1);
      }
      return e.name + "(" + args(0) + ")";
    case ExprKind::kAggregate: {
      if (!e.has_filter) return e.name + "(" + (e.distinct ? "DISTINCT " : "") + args(0) + ")";
      // Spark's form: sum(x) FILTER (WHERE (x > 1)).
      std::string s = e.name + "(" + (e.distinct ? "DISTINCT " : "");
      for (size_t i = 0; i + 1 < e.children.size(); ++i) s += (i ? ", " : "") + child(i);
      return s + ") FILTER (WHERE " + child(e.children.size() - 1) + ")";
    }
    case ExprKind::kCast: {
      std::string t = e.type.simple_string();
      for (char& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return std::string(e.try_cast ? "TRY_CAST(" : "CAST(") + child(0) + " AS " + t + ")";
    }
    case ExprKind::kCase: {
      std::string s = "CASE";
      size_t i = 0;
      for (; i + 1 < e.children.size(); i += 2) s += " WHEN " + child(i) + " THEN " + child(i + 1);
      if (i < e.children.size()) s += " ELSE " + child(i);
      return s + " END";
    }
    case ExprKind::kAnd: return "(" + child(0) + " AND " + child(1) + ")";
    case ExprKind::kOr: return "(" + child(0) + " OR " + child(1) + ")";
    case ExprKind::kNot: return "NOT " + child(0);
    case ExprKind::kSortOrder:
      return child(0) + (e.ascending ? " ASC" : " DESC") + (e.nulls_first ? " NULLS FIRST" : " NULLS LAST");
    case ExprKind::kWindow: {
      // Spark's column name form: sum(x) OVER (PARTITION BY g ORDER BY t ASC NULLS FIRST RANGE ...).
      std::string s = child(0) + " OVER (";
      const size_t first_order = 1 + static_cast<size_t>(e.window_partitions);
      std::string spec;
      if (e.window_partitions > 0) {
        spec += "PARTITION BY ";
        for (size_t i = 1; i < first_order; ++i) spec += (i > 1 ? ", " : "") + child(i);
      }
      if (first_order < e.children.size()) {
        spec += std::string(spec.empty() ? "" : " ") + "ORDER BY " + args(first_order);
      }
      auto bound = [](int64_t v, bool lower) -> std::string {
        if (v == kUnboundedPreceding) return "UNBOUNDED PRECEDING";
        if (v == kUnboundedFollowing) return "UNBOUNDED FOLLOWING";
        if (v == 0) return "CURRENT ROW";
        (void)lower;
        return v < 0 ? std::to_string(-v) + " PRECEDING" : std::to_string(v) + " FOLLOWING";
      };
      if (e.frame_type != FrameType::kDefault) {
        spec += std::string(spec.empty() ? "" : " ") + (e.frame_type == FrameType::kRows ? "ROWS" : "RANGE") +
                " BETWEEN " + bound(e.frame_lower, true) + " AND " + bound(e.frame_upper, false);
      }
      return s + spec + ")";
    }
  }
  return "?";
}

}  // namespace

int64_t next_attribute_id() { return g_next_attribute_id.fetch_add(1); }

bool Expr::is_resolved() const {
  switch (kind) {
    case ExprKind::kColumn:
    case ExprKind::kStar: return false;
    case ExprKind::kCall:
      if (!function) return false;
      break;
    case ExprKind::kAggregate:
      if (!aggregate) return false;
      break;
    default: break;
  }
  return std::all_of(children.begin(), children.end(), [](const ExprPtr& c) { return c->is_resolved(); });
}

std::string Expr::to_string() const {
  return render(*this, [](const Expr& e) -> std::string {
    switch (e.kind) {
      case ExprKind::kColumn: return "'" + (e.qualifier.empty() ? "" : e.qualifier + ".") + e.name;
      case ExprKind::kStar: return e.qualifier.empty() ? "*" : e.qualifier + ".*";
      // Spark marks bigint attributes with an L suffix ("orders#11L").
      case ExprKind::kAttribute:
        return e.name + "#" + std::to_string(e.id) + (e.type.id() == TypeId::kLong ? "L" : "");
      case ExprKind::kBoundRef: return "input[" + std::to_string(e.index) + ", " + e.type.simple_string() + "]";
      case ExprKind::kLiteral: return literal_explain(e.literal);
      case ExprKind::kAlias:
        return e.children[0]->to_string() + " AS " + e.name + (e.id ? "#" + std::to_string(e.id) : "");
      default: return "?";
    }
  });
}

std::string Expr::pretty_name() const {
  return render(*this, [](const Expr& e) -> std::string {
    switch (e.kind) {
      case ExprKind::kColumn: return e.name;
      case ExprKind::kStar: return "*";
      case ExprKind::kAttribute:
      case ExprKind::kBoundRef: return e.name;
      case ExprKind::kLiteral: return literal_pretty(e.literal);
      case ExprKind::kAlias: return e.name;
      default: return "?";
    }
  });
}

ExprPtr make_window(ExprPtr function, std::vector<ExprPtr> partition_by, std::vector<ExprPtr> order_by,
                    FrameType frame_type, int64_t lower, int64_t upper) {
  auto e = node(ExprKind::kWindow);
  e->children.push_back(std::move(function));
  e->window_partitions = static_cast<int>(partition_by.size());
  for (auto& p : partition_by) e->children.push_back(std::move(p));
  for (auto& o : order_by) e->children.push_back(std::move(o));
  e->frame_type = frame_type;
  e->frame_lower = lower;
  e->frame_upper = upper;
  return e;
}

ExprPtr make_column(std::string name, std::string qualifier) {
  auto e = node(ExprKind::kColumn);
  e->name = std::move(name);
  e->qualifier = std::move(qualifier);
  return e;
}

ExprPtr make_star() { return node(ExprKind::kStar); }

ExprPtr make_attribute(std::string name, DataType type, bool nullable, int64_t id) {
  auto e = node(ExprKind::kAttribute);
  e->name = std::move(name);
  e->type = type;
  e->nullable = nullable;
  e->id = id;
  return e;
}

ExprPtr make_bound_ref(int index, DataType type, bool nullable, std::string name) {
  auto e = node(ExprKind::kBoundRef);
  e->index = index;
  e->type = type;
  e->nullable = nullable;
  e->name = std::move(name);
  return e;
}

ExprPtr make_literal(Value v) {
  auto e = node(ExprKind::kLiteral);
  e->type = v.type();
  e->nullable = v.is_null();
  e->literal = std::move(v);
  return e;
}

ExprPtr make_alias(ExprPtr child, std::string name, int64_t id) {
  auto e = node(ExprKind::kAlias);
  e->type = child->type;
  e->nullable = child->nullable;
  e->children.push_back(std::move(child));
  e->name = std::move(name);
  e->id = id;
  return e;
}

ExprPtr make_call(std::string name, std::vector<ExprPtr> args) {
  auto e = node(ExprKind::kCall);
  e->name = std::move(name);
  e->children = std::move(args);
  return e;
}

ExprPtr make_aggregate(std::string name, std::vector<ExprPtr> args, bool distinct) {
  auto e = node(ExprKind::kAggregate);
  e->name = std::move(name);
  e->children = std::move(args);
  e->distinct = distinct;
  return e;
}

ExprPtr make_cast(ExprPtr child, DataType to, bool try_cast) {
  auto e = node(ExprKind::kCast);
  e->nullable = child->nullable || try_cast;
  e->children.push_back(std::move(child));
  e->type = to;
  e->try_cast = try_cast;
  return e;
}

ExprPtr make_case(std::vector<ExprPtr> children) {
  auto e = node(ExprKind::kCase);
  e->children = std::move(children);
  return e;
}

ExprPtr make_and(ExprPtr a, ExprPtr b) {
  auto e = node(ExprKind::kAnd);
  e->type = DataType::boolean();
  e->nullable = a->nullable || b->nullable;
  e->children = {std::move(a), std::move(b)};
  return e;
}

ExprPtr make_or(ExprPtr a, ExprPtr b) {
  auto e = node(ExprKind::kOr);
  e->type = DataType::boolean();
  e->nullable = a->nullable || b->nullable;
  e->children = {std::move(a), std::move(b)};
  return e;
}

ExprPtr make_not(ExprPtr a) {
  auto e = node(ExprKind::kNot);
  e->type = DataType::boolean();
  e->nullable = a->nullable;
  e->children = {std::move(a)};
  return e;
}

ExprPtr make_sort_order(ExprPtr child, bool ascending, bool nulls_first) {
  auto e = node(ExprKind::kSortOrder);
  e->type = child->type;
  e->nullable = child->nullable;
  e->children = {std::move(child)};
  e->ascending = ascending;
  e->nulls_first = nulls_first;
  return e;
}

ExprPtr with_children(const Expr& e, std::vector<ExprPtr> children) {
  auto copy = std::make_shared<Expr>(e);
  copy->children = std::move(children);
  return copy;
}

bool is_literal(const Expr& e) { return e.kind == ExprKind::kLiteral; }
bool is_attribute(const Expr& e) { return e.kind == ExprKind::kAttribute; }

ExprPtr to_attribute(const ExprPtr& e) {
  if (e->kind == ExprKind::kAttribute) return e;
  if (e->kind == ExprKind::kAlias) return make_attribute(e->name, e->type, e->nullable, e->id);
  throw_internal(__FILE__, __LINE__, "expression has no attribute: " + e->to_string());
}

void split_conjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (e->kind == ExprKind::kAnd) {
    split_conjuncts(e->children[0], out);
    split_conjuncts(e->children[1], out);
  } else {
    out.push_back(e);
  }
}

ExprPtr join_conjuncts(const std::vector<ExprPtr>& conjuncts) {
  EMBER_CHECK(!conjuncts.empty(), "no conjuncts to join");
  ExprPtr out = conjuncts[0];
  for (size_t i = 1; i < conjuncts.size(); ++i) out = make_and(out, conjuncts[i]);
  return out;
}

void collect_attribute_ids(const ExprPtr& e, std::vector<int64_t>& out) {
  visit(e, [&](const ExprPtr& x) {
    if (x->kind == ExprKind::kAttribute) out.push_back(x->id);
  });
}

bool contains_aggregate(const ExprPtr& e) {
  // An aggregate inside OVER (...) is computed by the window, not by grouping.
  if (e->kind == ExprKind::kWindow) return false;
  if (e->kind == ExprKind::kAggregate) return true;
  return std::any_of(e->children.begin(), e->children.end(), [](const ExprPtr& c) { return contains_aggregate(c); });
}

bool contains_window(const ExprPtr& e) {
  bool found = false;
  visit(e, [&](const ExprPtr& x) { found |= x->kind == ExprKind::kWindow; });
  return found;
}

bool is_deterministic(const ExprPtr& e) {
  bool det = true;
  visit(e, [&](const ExprPtr& x) {
    if (x->kind == ExprKind::kCall &&
        (x->name == "rand" || x->name == "randn" || x->name == "uuid" ||
         x->name == "monotonically_increasing_id" || x->name == "spark_partition_id"))
      det = false;
  });
  return det;
}

bool is_null_intolerant_call(const Expr& e) {
  if (e.kind == ExprKind::kNot || e.kind == ExprKind::kCast) return true;
  if (e.kind != ExprKind::kCall) return false;
  static const std::set<std::string> kNames = {
      "=", "==", "<>", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "negative", "abs"};
  return kNames.count(e.name) > 0;
}

std::string swapped_comparison(const std::string& op) {
  if (op == "<") return ">";
  if (op == "<=") return ">=";
  if (op == ">") return "<";
  if (op == ">=") return "<=";
  return op;
}

bool is_window_function_name(const std::string& name) {
  static const char* const kNames[] = {"row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
                                       "lag", "lead", "first_value", "last_value", "nth_value"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

}  // namespace ember
