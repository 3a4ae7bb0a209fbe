#include "ember/analyzer/analyzer.h"

#include <algorithm>
#include <functional>
#include <unordered_set>

#include "ember/common/error.h"
#include "ember/expr/cast.h"
#include "ember/functions/registry.h"
#include "ember/plan/set_operation.h"
#include "ember/types/coercion.h"

namespace ember {

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                          std::tolower(static_cast<unsigned char>(b[j - 1]))
                                      ? 0
                                      : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

std::vector<std::string> attribute_names(const std::vector<ExprPtr>& attrs) {
  std::vector<std::string> names;
  for (const auto& a : attrs) names.push_back(a->name);
  return names;
}

bool same_expression(const ExprPtr& a, const ExprPtr& b) { return a->to_string() == b->to_string(); }

[[noreturn]] void type_mismatch(const Expr& e, const std::string& what) {
  throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH",
              "Cannot resolve \"" + e.pretty_name() + "\" due to data type mismatch: " + what);
}

ExprPtr require_boolean(const ExprPtr& e, const Expr& context) {
  if (e->type.id() == TypeId::kBoolean) return e;
  if (e->type.id() == TypeId::kNull) return make_cast(e, DataType::boolean());
  type_mismatch(context, "\"" + e->pretty_name() + "\" has the type \"" + e->type.simple_string() +
                             "\", but a boolean is required.");
}

}  // namespace

std::vector<std::string> closest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       size_t limit) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& c : candidates) scored.emplace_back(edit_distance(name, c), c);
  std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  size_t max_distance = std::max<size_t>(2, name.size() / 2);
  for (const auto& [d, c] : scored) {
    if (out.size() >= limit || d > max_distance) break;
    out.push_back(c);
  }
  return out;
}

ExprPtr cast_if_needed(const ExprPtr& e, const DataType& to) {
  if (e->type == to) return e;
  return make_cast(e, to);
}

PlanPtr Analyzer::analyze(const PlanPtr& plan) const { return resolve_node(plan); }

ExprPtr Analyzer::resolve_column(const Expr& column, const std::vector<ExprPtr>& input) const {
  auto same_name = [&](const std::string& a, const std::string& b) {
    return options_.case_sensitive ? a == b : equals_ignore_case(a, b);
  };
  std::vector<ExprPtr> matches;
  for (const auto& a : input) {
    if (same_name(a->name, column.name) && (column.qualifier.empty() || same_name(a->qualifier, column.qualifier))) {
      matches.push_back(a);
    }
  }
  // "t.a" names column a of the DataFrame aliased t (unless a column is literally named "t.a");
  // failing that, "s.a" is field a of struct column s (Spark tries the qualifier first too). SQL
  // hands s.a over as column a qualified by s.
  if (matches.empty() && column.name.find('.') != std::string::npos) {
    if (ExprPtr nested = resolve_nested_field(column, input)) return nested;
  }
  if (matches.empty() && !column.qualifier.empty()) {
    Expr dotted = column;
    dotted.name = column.qualifier + "." + column.name;
    dotted.qualifier.clear();
    if (ExprPtr nested = resolve_nested_field(dotted, input)) return nested;
  }
  if (matches.empty() && column.qualifier.empty()) {
    if (size_t dot = column.name.rfind('.'); dot != std::string::npos && dot > 0 && dot + 1 < column.name.size()) {
      Expr qualified = column;
      qualified.qualifier = column.name.substr(0, dot);
      qualified.name = column.name.substr(dot + 1);
      return resolve_column(qualified, input);
    }
  }
  if (matches.size() == 1) return matches[0];
  if (matches.size() > 1) {
    // The same attribute reached twice (e.g. via a union of a frame with itself) is not ambiguous.
    bool all_same = std::all_of(matches.begin(), matches.end(), [&](const ExprPtr& m) { return m->id == matches[0]->id; });
    if (all_same) return matches[0];
    throw_error(ErrorKind::kAnalysis, "AMBIGUOUS_REFERENCE",
                "Reference '" + column.name + "' is ambiguous: " + std::to_string(matches.size()) +
                    " input columns have that name. Rename one side (with_column_renamed or alias) first.");
  }
  std::vector<std::string> names = attribute_names(input);
  std::vector<std::string> close = closest_names(column.name, names, 3);
  std::string full_name = column.qualifier.empty() ? column.name : column.qualifier + "." + column.name;
  std::string msg = "column '" + full_name + "' does not exist";
  if (!close.empty()) {
    msg += "; did you mean ";
    for (size_t i = 0; i < close.size(); ++i) msg += (i ? (i + 1 == close.size() ? " or " : ", ") : "") + ("'" + close[i] + "'");
    msg += "?";
  }
  msg += " Available: " + quoted_list(names);
  throw_error(ErrorKind::kAnalysis, close.empty() ? "UNRESOLVED_COLUMN.WITHOUT_SUGGESTION" : "UNRESOLVED_COLUMN.WITH_SUGGESTION",
              msg);
}

ExprPtr Analyzer::resolve_nested_field(const Expr& column, const std::vector<ExprPtr>& input) const {
  auto same_name = [&](const std::string& a, const std::string& b) {
    return options_.case_sensitive ? a == b : equals_ignore_case(a, b);
  };
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t dot = column.name.find('.', start);
    parts.push_back(column.name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) return nullptr;
  // A qualified column (t.a) wins over a struct field, as in Spark; then s.a, then t.s.a.
  for (size_t head = 0; head < 2 && head + 1 < parts.size(); ++head) {
    const std::string qualifier = head == 0 ? column.qualifier : parts[0];
    if (head == 1 && !column.qualifier.empty()) break;
    const std::string& name = parts[head];
    if (head == 0) {
      bool qualified_match = false;
      for (const auto& a : input) {
        if (parts.size() == 2 && same_name(a->qualifier, parts[0]) && same_name(a->name, parts[1]))
          qualified_match = true;
      }
      if (qualified_match && column.qualifier.empty()) return nullptr;  // the caller resolves t.a
    }
    ExprPtr base;
    for (const auto& a : input) {
      if (same_name(a->name, name) && (qualifier.empty() || same_name(a->qualifier, qualifier))) {
        if (base && base->id != a->id) return nullptr;  // ambiguous: let the caller report it
        base = a;
      }
    }
    if (!base || base->type.id() != TypeId::kStruct) continue;
    ExprPtr e = base;
    for (size_t k = head + 1; k < parts.size(); ++k) {
      Expr call;
      call.kind = ExprKind::kCall;
      call.name = "get_struct_field";
      if (e->type.id() != TypeId::kStruct) {
        throw_error(ErrorKind::kAnalysis, "INVALID_EXTRACT_BASE_FIELD_TYPE",
                    "Can't extract a value from \"" + e->pretty_name() +
                        "\". Need a complex type [STRUCT, ARRAY, MAP] "
                        "but got \"" +
                        e->type.sql_string() + "\" (in column '" + column.name + "').");
      }
      e = bind_call(call, {e, make_literal(Value::string(parts[k]))});
    }
    // Spark names the column after the last field: select("s.a") gives a column "a".
    return make_alias(e, parts.back(), next_attribute_id());
  }
  return nullptr;
}

std::string Analyzer::name_with_extracts(const ExprPtr& e, const std::vector<ExprPtr>& input) const {
  // `x[key]` prints as Spark names it once x's type is known: `s.a` on a struct, `m[a]` otherwise.
  bool any = false;
  visit(e, [&](const ExprPtr& x) { any |= x->kind == ExprKind::kCall && x->name == "extract_value"; });
  if (!any) return e->pretty_name();
  ExprPtr named = transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
    if (x->kind != ExprKind::kCall || x->name != "extract_value" || x->children.size() != 2) return x;
    if (resolve_expression(x->children[0], input, true)->type.id() != TypeId::kStruct) return x;
    auto renamed = std::make_shared<Expr>(*x);
    renamed->name = "get_struct_field";
    return renamed;
  });
  return named->pretty_name();
}

ExprPtr Analyzer::resolve_window(const Expr& w, const std::vector<ExprPtr>& input) const {
  const ExprPtr& fn = w.children[0];
  const std::string fn_name = to_lower(fn->name);
  const size_t first_order = 1 + static_cast<size_t>(w.window_partitions);
  const bool ordered = first_order < w.children.size();
  auto fail = [&](const std::string& error_class, const std::string& msg) {
    throw_error(ErrorKind::kAnalysis, error_class, msg + " (in \"" + w.pretty_name() + "\")");
  };
  auto literal_int = [&](const ExprPtr& e, const char* what) -> int64_t {
    if (e->kind != ExprKind::kLiteral || e->literal.is_null() || !e->literal.type().is_integral()) {
      fail("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", std::string(what) + " of " + fn_name + " must be an integer literal");
    }
    return e->literal.as_int64();
  };

  auto out = std::make_shared<Expr>(w);
  out->children.clear();
  ExprPtr resolved_fn;
  bool ranking = false;
  if (fn->kind == ExprKind::kCall && is_window_function_name(fn_name)) {
    std::vector<ExprPtr> args;
    for (const auto& a : fn->children) args.push_back(resolve_expression(a, input, false));
    auto bound = std::make_shared<BoundFunction>();
    bound->nullable = true;
    auto arity = [&](size_t lo, size_t hi) {
      if (args.size() < lo || args.size() > hi) {
        fail("WRONG_NUM_ARGS", "The function '" + fn_name + "' requires " +
                                   (lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi)) +
                                   " arguments, but " + std::to_string(args.size()) + " were given");
      }
    };
    if (fn_name == "row_number" || fn_name == "rank" || fn_name == "dense_rank") {
      arity(0, 0);
      bound->result_type = DataType::int32();
      bound->nullable = false;
      ranking = true;
    } else if (fn_name == "percent_rank" || fn_name == "cume_dist") {
      arity(0, 0);
      bound->result_type = DataType::float64();
      bound->nullable = false;
      ranking = true;
    } else if (fn_name == "ntile") {
      arity(1, 1);
      if (literal_int(args[0], "the number of buckets") <= 0) {
        fail("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", "the number of buckets of ntile must be positive");
      }
      bound->result_type = DataType::int32();
      ranking = true;
    } else if (fn_name == "lag" || fn_name == "lead") {
      arity(1, 3);
      if (args.size() >= 2) literal_int(args[1], "the offset");
      if (args.size() == 3) args[2] = cast_if_needed(args[2], args[0]->type);
      bound->result_type = args[0]->type;
      ranking = true;
    } else if (fn_name == "nth_value") {
      arity(2, 2);
      if (literal_int(args[1], "the position") <= 0) {
        fail("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", "the position of nth_value must be positive");
      }
      bound->result_type = args[0]->type;
    } else {  // first_value, last_value
      arity(1, 1);
      bound->result_type = args[0]->type;
    }
    for (const auto& a : args) bound->arg_types.push_back(a->type);
    auto call = std::make_shared<Expr>(*fn);
    call->name = fn_name;
    call->children = std::move(args);
    call->type = bound->result_type;
    call->nullable = bound->nullable;
    call->function = std::move(bound);
    resolved_fn = call;
  } else {
    if (fn->kind == ExprKind::kAggregate && fn->has_filter) {
      fail("UNSUPPORTED_FEATURE", "an aggregate with a FILTER clause cannot be used as a window function");
    }
    resolved_fn = resolve_expression(fn, input, true);
    if (resolved_fn->kind != ExprKind::kAggregate) {
      fail("UNSUPPORTED_EXPR_FOR_WINDOW",
           "Expression \"" + resolved_fn->pretty_name() + "\" is not supported within a window function; use an "
           "aggregate or a window function (row_number, rank, lag, ...)");
    }
  }
  out->children.push_back(resolved_fn);
  for (size_t i = 1; i < w.children.size(); ++i) {
    ExprPtr k = w.children[i];
    if (i >= first_order && k->kind != ExprKind::kSortOrder) k = make_sort_order(k, true, true);
    out->children.push_back(resolve_expression(k, input, false));
  }
  if (ranking && !ordered) {
    fail("WINDOW_FUNCTION_AND_FRAME_MISMATCH", "Window function " + fn_name + "() requires an ORDER BY in its window");
  }
  // Spark's default frames, written out so explain and the executor see one form.
  if (out->frame_type == FrameType::kDefault) {
    out->frame_type = ordered && !ranking ? FrameType::kRange : FrameType::kRows;
    out->frame_lower = kUnboundedPreceding;
    out->frame_upper = ordered ? kCurrentRow : kUnboundedFollowing;
  }
  if (out->frame_lower > out->frame_upper || out->frame_lower == kUnboundedFollowing ||
      out->frame_upper == kUnboundedPreceding) {
    fail("DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_WRONG_COMPARISON", "the window frame's lower bound is after its upper bound");
  }
  if (out->frame_type == FrameType::kRange && !ranking) {
    bool offsets = (out->frame_lower != kUnboundedPreceding && out->frame_lower != kCurrentRow) ||
                   (out->frame_upper != kUnboundedFollowing && out->frame_upper != kCurrentRow);
    if (offsets) {
      size_t num_orders = w.children.size() - first_order;
      const DataType& t = num_orders == 1 ? out->children[first_order]->type : DataType::null();
      if (num_orders != 1 || !(t.is_numeric() || t.id() == TypeId::kDate)) {
        fail("DATATYPE_MISMATCH.RANGE_FRAME_INVALID_TYPE",
             "a RANGE frame with offsets needs exactly one numeric or date ORDER BY key");
      }
    }
  }
  out->type = resolved_fn->type;
  out->nullable = resolved_fn->nullable || resolved_fn->kind == ExprKind::kAggregate;
  return out;
}

ExprPtr Analyzer::bind_call(const Expr& call, std::vector<ExprPtr> args) const {
  const FunctionRegistry& registry = FunctionRegistry::instance();
  if (is_window_function_name(to_lower(call.name))) {
    throw_error(ErrorKind::kAnalysis, "WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE",
                "Window function \"" + call.pretty_name() + "\" requires an OVER clause: use .over(Window...)");
  }
  const FunctionDef* def = registry.find_scalar(call.name);
  if (def == nullptr) {
    if (registry.is_aggregate(call.name)) {
      throw_error(ErrorKind::kAnalysis, "UNSUPPORTED_CALL", "'" + call.name + "' is an aggregate function");
    }
    std::vector<std::string> close = closest_names(call.name, registry.names(), 3);
    throw_error(ErrorKind::kAnalysis, "UNRESOLVED_ROUTINE",
                "Cannot resolve function '" + call.name + "'" +
                    (close.empty() ? "" : "; did you mean " + quoted_list(close) + "?"));
  }
  int n = static_cast<int>(args.size());
  if (n < def->min_args || (def->max_args >= 0 && n > def->max_args)) {
    std::string expected = def->max_args < 0 ? "at least " + std::to_string(def->min_args)
                           : def->min_args == def->max_args ? std::to_string(def->min_args)
                           : std::to_string(def->min_args) + " to " + std::to_string(def->max_args);
    throw_error(ErrorKind::kAnalysis, "WRONG_NUM_ARGS",
                "The function '" + call.name + "' requires " + expected + " arguments, but " + std::to_string(n) +
                    " were given in \"" + call.pretty_name() + "\"");
  }
  std::vector<DataType> types;
  BindContext ctx;
  ctx.ansi = options_.ansi;
  for (const auto& a : args) {
    types.push_back(a->type);
    ctx.literals.push_back(a->kind == ExprKind::kLiteral ? std::optional<Value>(a->literal) : std::nullopt);
    const bool named = a->kind == ExprKind::kAttribute || a->kind == ExprKind::kAlias;
    const bool field = a->kind == ExprKind::kCall && a->name == "get_struct_field";
    ctx.arg_names.push_back(named ? a->name : field ? a->children[1]->literal.as_string() : std::string());
  }
  BoundFunction bound;
  try {
    bound = def->bind(types, ctx);
  } catch (const EmberError& e) {
    if (e.kind() != ErrorKind::kAnalysis) throw;
    std::string msg = e.what();
    throw EmberError(e.kind(), e.error_class(),
                     msg + (msg.find(call.pretty_name()) == std::string::npos ? " (in \"" + call.pretty_name() + "\")" : ""));
  }
  bool nullable = bound.nullable;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i < bound.arg_types.size()) args[i] = cast_if_needed(args[i], bound.arg_types[i]);
    nullable |= args[i]->nullable;
  }
  auto out = std::make_shared<Expr>(call);
  out->children = std::move(args);
  out->function = std::make_shared<BoundFunction>(std::move(bound));
  out->type = out->function->result_type;
  out->nullable = nullable;
  return out;
}

ExprPtr Analyzer::bind_aggregate(const Expr& call, std::vector<ExprPtr> args) const {
  // agg(...) FILTER (WHERE c): the condition is the last child; bind the arguments without it.
  ExprPtr filter;
  if (call.has_filter) {
    filter = args.back();
    args.pop_back();
    if (contains_aggregate(filter) || contains_window(filter)) {
      throw_error(ErrorKind::kAnalysis, "INVALID_WHERE_CONDITION",
                  "The FILTER condition of \"" + call.pretty_name() + "\" cannot contain aggregate or window functions");
    }
    filter = require_boolean(filter, call);
  }
  const AggregateDef* def = FunctionRegistry::instance().find_aggregate(call.name);
  EMBER_CHECK(def != nullptr, "unknown aggregate " + call.name);
  int n = static_cast<int>(args.size());
  if (n < def->min_args || (def->max_args >= 0 && n > def->max_args)) {
    throw_error(ErrorKind::kAnalysis, "WRONG_NUM_ARGS",
                "The function '" + call.name + "' cannot take " + std::to_string(n) + " arguments");
  }
  for (const auto& a : args) {
    if (contains_aggregate(a)) {
      throw_error(ErrorKind::kAnalysis, "NESTED_AGGREGATE_FUNCTION",
                  "It is not allowed to use an aggregate function in the argument of another aggregate function: \"" +
                      call.pretty_name() + "\"");
    }
  }
  std::vector<DataType> types;
  BindContext ctx;
  ctx.ansi = options_.ansi;
  for (const auto& a : args) {
    types.push_back(a->type);
    ctx.literals.push_back(a->kind == ExprKind::kLiteral ? std::optional<Value>(a->literal) : std::nullopt);
  }
  BoundAggregate bound;
  try {
    bound = def->bind(types, call.distinct, ctx);
  } catch (const EmberError& e) {
    if (e.kind() != ErrorKind::kAnalysis) throw;
    throw EmberError(e.kind(), e.error_class(), std::string(e.what()) + " (in \"" + call.pretty_name() + "\")");
  }
  for (size_t i = 0; i < args.size() && i < bound.arg_types.size(); ++i) {
    args[i] = cast_if_needed(args[i], bound.arg_types[i]);
  }
  if (filter) args.push_back(filter);
  auto out = std::make_shared<Expr>(call);
  out->children = std::move(args);
  out->aggregate = std::make_shared<BoundAggregate>(std::move(bound));
  out->type = out->aggregate->result_type;
  out->nullable = out->aggregate->nullable;
  return out;
}

ExprPtr Analyzer::resolve_case(const Expr& e, std::vector<ExprPtr> kids) const {
  const size_t num_when = kids.size() / 2;
  const bool has_else = kids.size() % 2 == 1;
  DataType result = DataType::null();
  auto widen = [&](const ExprPtr& v) {
    auto w = wider_type(result, v->type, options_.ansi);
    if (!w) {
      type_mismatch(e, "the THEN/ELSE values must share a type, but \"" + v->pretty_name() + "\" has the type \"" +
                           v->type.simple_string() + "\" and earlier values have \"" + result.simple_string() + "\"");
    }
    result = *w;
  };
  for (size_t w = 0; w < num_when; ++w) {
    kids[2 * w] = require_boolean(kids[2 * w], e);
    widen(kids[2 * w + 1]);
  }
  if (has_else) widen(kids.back());
  bool nullable = !has_else;
  for (size_t w = 0; w < num_when; ++w) {
    kids[2 * w + 1] = cast_if_needed(kids[2 * w + 1], result);
    nullable |= kids[2 * w + 1]->nullable;
  }
  if (has_else) {
    kids.back() = cast_if_needed(kids.back(), result);
    nullable |= kids.back()->nullable;
  }
  auto out = std::make_shared<Expr>(e);
  out->children = std::move(kids);
  out->type = result;
  out->nullable = nullable;
  return out;
}

ExprPtr Analyzer::resolve_expression(const ExprPtr& expr, const std::vector<ExprPtr>& input,
                                     bool allow_aggregates) const {
  const Expr& e = *expr;
  switch (e.kind) {
    case ExprKind::kColumn: return resolve_column(e, input);
    case ExprKind::kWindow: return resolve_window(e, input);
    case ExprKind::kAttribute:
    case ExprKind::kLiteral:
    case ExprKind::kBoundRef: return expr;
    case ExprKind::kStar:
      throw_error(ErrorKind::kAnalysis, "INVALID_USAGE_OF_STAR_OR_REGEX",
                  "'*' can only be used directly in select()");
    default: break;
  }
  std::vector<ExprPtr> kids;
  kids.reserve(e.children.size());
  bool child_allows_aggregates = allow_aggregates && e.kind != ExprKind::kAggregate;
  for (const auto& c : e.children) kids.push_back(resolve_expression(c, input, child_allows_aggregates));
  switch (e.kind) {
    case ExprKind::kAlias: {
      auto out = std::make_shared<Expr>(e);
      out->children = std::move(kids);
      out->type = out->children[0]->type;
      out->nullable = out->children[0]->nullable;
      if (out->id == 0) out->id = next_attribute_id();
      return out;
    }
    case ExprKind::kCall: {
      if (e.name == "extract_value" && kids.size() == 2) {
        // Spark's UnresolvedExtractValue: which operator `x[key]` is depends on x's type.
        const TypeId t = kids[0]->type.id();
        Expr call = e;
        call.name = t == TypeId::kStruct ? "get_struct_field"
                    : t == TypeId::kMap  ? "get_map_value"
                                         : "get_array_item";
        return bind_call(call, std::move(kids));
      }
      if (FunctionRegistry::instance().find_scalar(e.name) == nullptr &&
          FunctionRegistry::instance().is_aggregate(e.name)) {
        auto agg = make_aggregate(e.name, {}, false);
        return resolve_expression(with_children(*agg, e.children), input, allow_aggregates);
      }
      return bind_call(e, std::move(kids));
    }
    case ExprKind::kAggregate:
      if (!allow_aggregates) {
        throw_error(ErrorKind::kAnalysis, "INVALID_AGGREGATE_USAGE",
                    "aggregate function \"" + e.pretty_name() +
                        "\" is not allowed here; use it in agg() or select() over a group_by()");
      }
      return bind_aggregate(e, std::move(kids));
    case ExprKind::kCast: {
      const DataType& from = kids[0]->type;
      if (!can_cast(from, e.type)) {
        throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION",
                    "Cannot resolve \"" + e.pretty_name() + "\" due to data type mismatch: cannot cast \"" +
                        from.simple_string() + "\" to \"" + e.type.simple_string() + "\"");
      }
      auto out = std::make_shared<Expr>(e);
      out->nullable = kids[0]->nullable || e.try_cast || !options_.ansi;
      out->children = std::move(kids);
      return out;
    }
    case ExprKind::kCase: return resolve_case(e, std::move(kids));
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot: {
      for (auto& k : kids) k = require_boolean(k, e);
      auto out = std::make_shared<Expr>(e);
      out->nullable = std::any_of(kids.begin(), kids.end(), [](const ExprPtr& k) { return k->nullable; });
      out->children = std::move(kids);
      out->type = DataType::boolean();
      return out;
    }
    case ExprKind::kSortOrder: {
      auto out = std::make_shared<Expr>(e);
      out->type = kids[0]->type;
      out->nullable = kids[0]->nullable;
      out->children = std::move(kids);
      return out;
    }
    default: return with_children(e, std::move(kids));
  }
}

std::vector<ExprPtr> Analyzer::expand_projection(const std::vector<ExprPtr>& exprs, const std::vector<ExprPtr>& input,
                                                 bool allow_aggregates) const {
  std::vector<ExprPtr> out;
  for (const auto& e : exprs) {
    if (e->kind == ExprKind::kStar) {
      std::vector<ExprPtr> columns;
      if (e->qualifier.empty()) {
        columns = input;
      } else {
        // t.*: the columns of the relation aliased t.
        for (const auto& a : input) {
          if (options_.case_sensitive ? a->qualifier == e->qualifier : equals_ignore_case(a->qualifier, e->qualifier)) {
            columns.push_back(a);
          }
        }
        if (columns.empty()) {
          throw_error(ErrorKind::kAnalysis, "CANNOT_RESOLVE_STAR_EXPAND",
                      "Cannot resolve " + e->qualifier + ".* given input columns " + quoted_list(attribute_names(input)));
        }
      }
      // * EXCEPT (a, b): the star's children name the columns left out.
      std::unordered_set<int64_t> excluded;
      for (const auto& x : e->children) excluded.insert(resolve_column(*x, input)->id);
      for (const auto& c : columns) {
        if (!excluded.count(c->id)) out.push_back(c);
      }
      continue;
    }
    ExprPtr r = resolve_expression(e, input, allow_aggregates);
    if (r->kind != ExprKind::kAttribute && r->kind != ExprKind::kAlias) {
      // Spark names an unaliased expression after its SQL text; a cast of a column keeps the
      // column's name.
      // a window is named after its resolved form, with the sort directions and frame spelled out.
      std::string name = r->kind == ExprKind::kCast && r->children[0]->kind == ExprKind::kAttribute
                             ? r->children[0]->name
                         : r->kind == ExprKind::kWindow ? r->pretty_name()
                                                        : name_with_extracts(e, input);
      r = make_alias(r, name, next_attribute_id());
    }
    out.push_back(r);
  }
  return out;
}

namespace {

bool is_generator_call(const ExprPtr& e) {
  const ExprPtr& inner = e->kind == ExprKind::kAlias ? e->children[0] : e;
  if (inner->kind != ExprKind::kCall) return false;
  const std::string n = to_lower(inner->name);
  return n == "explode" || n == "posexplode" || n == "explode_outer" || n == "posexplode_outer";
}

}  // namespace

// select(..., explode(arr) [AS name], ...): a Generate node adds the element (and position)
// columns, and the projection reads them in the generator's place (Spark's ExtractGenerator).
PlanPtr Analyzer::resolve_generator(const PlanPtr& child, const std::vector<ExprPtr>& exprs, size_t at) const {
  const ExprPtr& e = exprs[at];
  const ExprPtr& call = e->kind == ExprKind::kAlias ? e->children[0] : e;
  const std::string n = to_lower(call->name);
  if (call->children.size() != 1) {
    throw_error(ErrorKind::kAnalysis, "WRONG_NUM_ARGS", "The function '" + n + "' requires 1 argument, but " +
                                                            std::to_string(call->children.size()) + " were given");
  }
  ExprPtr array = resolve_expression(call->children[0], child->output, false);
  if (!array->type.is_list_like()) {
    throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                "Cannot resolve \"" + call->pretty_name() +
                    "\" due to data type mismatch: the parameter requires the "
                    "(\"ARRAY\" or \"MAP\") type, however \"" +
                    array->pretty_name() + "\" has the type \"" + array->type.sql_string() + "\".");
  }
  const bool with_position = n.rfind("posexplode", 0) == 0;
  auto node = std::make_shared<LogicalPlan>();
  node->kind = PlanKind::kGenerate;
  node->children = {child};
  node->exprs = {array};
  node->generator_outer = n.size() > 6 && n.compare(n.size() - 6, 6, "_outer") == 0;
  if (with_position) node->generated.push_back(make_attribute("pos", DataType::int32(), node->generator_outer, next_attribute_id()));
  if (array->type.id() == TypeId::kMap) {
    // A map explodes into Spark's `key` and `value` columns (the key is null only for an outer row).
    node->generated.push_back(
        make_attribute("key", array->type.key_type(), node->generator_outer, next_attribute_id()));
    node->generated.push_back(make_attribute("value", array->type.value_type(), true, next_attribute_id()));
  } else {
    const std::string name = e->kind == ExprKind::kAlias ? e->name : "col";
    node->generated.push_back(make_attribute(name, array->type.element_type(), true, next_attribute_id()));
  }
  node->resolved = true;
  derive_output(*node);
  std::vector<ExprPtr> list;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i == at) {
      list.insert(list.end(), node->generated.begin(), node->generated.end());
    } else {
      list.push_back(exprs[i]);
    }
  }
  return resolve_project(node, list);
}

PlanPtr Analyzer::resolve_project(const PlanPtr& child, const std::vector<ExprPtr>& exprs) const {
  {
    std::vector<size_t> generators;
    for (size_t i = 0; i < exprs.size(); ++i) {
      if (is_generator_call(exprs[i])) generators.push_back(i);
    }
    if (generators.size() > 1) {
      throw_error(ErrorKind::kAnalysis, "UNSUPPORTED_GENERATOR.MULTI_GENERATOR",
                  "only one generator allowed per select clause but found " + std::to_string(generators.size()));
    }
    if (!generators.empty()) return resolve_generator(child, exprs, generators[0]);
  }
  std::vector<ExprPtr> list = expand_projection(exprs, child->output, true);
  bool has_aggregate = std::any_of(list.begin(), list.end(), [](const ExprPtr& e) { return contains_aggregate(e); });
  bool has_window = std::any_of(list.begin(), list.end(), [](const ExprPtr& e) { return contains_window(e); });
  if (has_window) {
    if (has_aggregate) {
      throw_error(ErrorKind::kAnalysis, "UNSUPPORTED_FEATURE",
                  "a select() that aggregates cannot also compute window functions in ember yet; aggregate first "
                  "(group_by().agg()), then add the window columns in a second select()");
    }
    return extract_windows(child, std::move(list));
  }
  if (has_aggregate) {
    // select(sum(x)) is a global aggregate, as in Spark.
    for (const auto& e : list) {
      if (!contains_aggregate(e)) {
        std::vector<int64_t> ids;
        collect_attribute_ids(e, ids);
        if (!ids.empty()) {
          throw_error(ErrorKind::kAnalysis, "MISSING_GROUP_BY",
                      "\"" + e->pretty_name() +
                          "\" is neither aggregated nor grouped; add a group_by() or wrap it in an aggregate "
                          "such as first() or any_value()");
        }
      }
    }
    auto agg = std::make_shared<LogicalPlan>();
    agg->kind = PlanKind::kAggregate;
    agg->children = {child};
    agg->exprs = std::move(list);
    agg->resolved = true;
    derive_output(*agg);
    return agg;
  }
  auto p = std::make_shared<LogicalPlan>();
  p->kind = PlanKind::kProject;
  p->children = {child};
  p->exprs = std::move(list);
  p->resolved = true;
  derive_output(*p);
  return p;
}

// Spark's ExtractWindowExpressions: every distinct window expression of the projection is
// computed by a Window node (one per distinct PARTITION BY / ORDER BY) below a Project that reads
// its result column.
PlanPtr Analyzer::extract_windows(const PlanPtr& child, std::vector<ExprPtr> list) const {
  std::vector<ExprPtr> aliases;  // AS-named window expressions, deduplicated by text
  auto attribute_for = [&](const ExprPtr& w) -> ExprPtr {
    std::string text = w->to_string();
    for (const auto& a : aliases) {
      if (a->children[0]->to_string() == text) return to_attribute(a);
    }
    aliases.push_back(make_alias(w, w->pretty_name(), next_attribute_id()));
    auto typed = std::make_shared<Expr>(*aliases.back());
    typed->type = w->type;
    typed->nullable = w->nullable;
    aliases.back() = typed;
    return to_attribute(typed);
  };
  for (auto& e : list) {
    if (e->kind == ExprKind::kAlias && e->children[0]->kind == ExprKind::kWindow) {
      // select(f.over(w).alias("x")): the Window computes x directly.
      aliases.push_back(e);
      e = to_attribute(e);
      continue;
    }
    e = transform_up(e, [&](const ExprPtr& x) -> ExprPtr { return x->kind == ExprKind::kWindow ? attribute_for(x) : x; });
  }
  auto spec_of = [](const ExprPtr& alias) {
    const Expr& w = *alias->children[0];
    std::string key;
    for (size_t i = 1; i < w.children.size(); ++i) key += w.children[i]->to_string() + (i == static_cast<size_t>(w.window_partitions) ? "|" : ",");
    return key + "#" + std::to_string(w.window_partitions);
  };
  PlanPtr current = child;
  std::vector<bool> done(aliases.size(), false);
  for (size_t i = 0; i < aliases.size(); ++i) {
    if (done[i]) continue;
    auto node = std::make_shared<LogicalPlan>();
    node->kind = PlanKind::kWindow;
    node->children = {current};
    const std::string key = spec_of(aliases[i]);
    for (size_t j = i; j < aliases.size(); ++j) {
      if (!done[j] && spec_of(aliases[j]) == key) {
        node->exprs.push_back(aliases[j]);
        done[j] = true;
      }
    }
    node->resolved = true;
    derive_output(*node);
    current = node;
  }
  auto p = std::make_shared<LogicalPlan>();
  p->kind = PlanKind::kProject;
  p->children = {current};
  p->exprs = std::move(list);
  p->resolved = true;
  derive_output(*p);
  return p;
}

PlanPtr Analyzer::resolve_aggregate(const PlanPtr& child, const std::vector<ExprPtr>& grouping,
                                    const std::vector<ExprPtr>& exprs) const {
  std::vector<ExprPtr> keys;
  for (const auto& g : grouping) {
    ExprPtr r = resolve_expression(g, child->output, false);
    if (r->kind == ExprKind::kAlias) r = r->children[0];
    if (type_contains_map(r->type)) {
      // Spark's CheckAnalysis: arrays and structs group, maps (anywhere inside a key) do not.
      throw_error(ErrorKind::kAnalysis, "GROUP_EXPRESSION_TYPE_IS_NOT_ORDERABLE",
                  "The expression \"" + r->pretty_name() +
                      "\" cannot be used as a grouping expression because its data type \"" +
                      r->type.sql_string() + "\" is not an orderable data type.");
    }
    keys.push_back(r);
  }
  std::vector<ExprPtr> list = expand_projection(exprs, child->output, true);
  // Every column outside an aggregate must be a grouping expression (or inside one).
  for (const auto& e : list) {
    std::function<void(const ExprPtr&)> check = [&](const ExprPtr& x) {
      if (x->kind == ExprKind::kAggregate) return;
      for (const auto& k : keys) {
        if (same_expression(x, k)) return;
      }
      if (x->kind == ExprKind::kAttribute) {
        throw_error(ErrorKind::kAnalysis, "MISSING_AGGREGATION",
                    "The non-aggregating expression \"" + x->name +
                        "\" is based on columns which are not participating in the group_by. Add the column to "
                        "group_by(), aggregate it, or use any_value(" + x->name + ")");
      }
      for (const auto& c : x->children) check(c);
    };
    check(e->kind == ExprKind::kAlias ? e->children[0] : e);
  }
  auto p = std::make_shared<LogicalPlan>();
  p->kind = PlanKind::kAggregate;
  p->children = {child};
  p->grouping = std::move(keys);
  p->exprs = std::move(list);
  p->resolved = true;
  derive_output(*p);
  return p;
}

PlanPtr Analyzer::resolve_union(const std::vector<PlanPtr>& children) const {
  const size_t width = children[0]->output.size();
  for (size_t i = 1; i < children.size(); ++i) {
    if (children[i]->output.size() != width) {
      throw_error(ErrorKind::kAnalysis, "NUM_COLUMNS_MISMATCH",
                  "UNION can only be performed on inputs with the same number of columns, but the first input has " +
                      std::to_string(width) + " columns and input " + std::to_string(i + 1) + " has " +
                      std::to_string(children[i]->output.size()) + " columns");
    }
  }
  std::vector<DataType> types;
  for (size_t c = 0; c < width; ++c) {
    DataType t = children[0]->output[c]->type;
    for (size_t i = 1; i < children.size(); ++i) {
      auto w = wider_type(t, children[i]->output[c]->type, options_.ansi);
      if (!w) {
        throw_error(ErrorKind::kAnalysis, "INCOMPATIBLE_COLUMN_TYPE",
                    "UNION can only be performed on compatible column types: column " + std::to_string(c + 1) + " ('" +
                        children[0]->output[c]->name + "') is \"" + t.simple_string() + "\" in the first input and \"" +
                        children[i]->output[c]->type.simple_string() + "\" in input " + std::to_string(i + 1));
      }
      t = *w;
    }
    types.push_back(t);
  }
  std::vector<PlanPtr> kids;
  for (const auto& child : children) {
    bool needs_cast = false;
    for (size_t c = 0; c < width; ++c) needs_cast |= child->output[c]->type != types[c];
    if (!needs_cast) {
      kids.push_back(child);
      continue;
    }
    std::vector<ExprPtr> list;
    for (size_t c = 0; c < width; ++c) {
      const auto& a = child->output[c];
      list.push_back(a->type == types[c] ? a : make_alias(make_cast(a, types[c]), a->name, next_attribute_id()));
    }
    auto proj = std::make_shared<LogicalPlan>();
    proj->kind = PlanKind::kProject;
    proj->children = {child};
    proj->exprs = std::move(list);
    proj->resolved = true;
    derive_output(*proj);
    kids.push_back(proj);
  }
  auto u = std::make_shared<LogicalPlan>();
  u->kind = PlanKind::kUnion;
  u->children = std::move(kids);
  u->resolved = true;
  derive_output(*u);
  return u;
}

PlanPtr Analyzer::resolve_union_by_name(const PlanPtr& a, const PlanPtr& b, bool allow_missing) const {
  std::vector<ExprPtr> right_list;
  for (const auto& la : a->output) {
    ExprPtr match;
    for (const auto& rb : b->output) {
      if (equals_ignore_case(la->name, rb->name)) match = rb;
    }
    if (!match) {
      if (!allow_missing) {
        throw_error(ErrorKind::kAnalysis, "NUM_COLUMNS_MISMATCH",
                    "union_by_name: column '" + la->name + "' of the first input is missing from the second (" +
                        quoted_list(attribute_names(b->output)) + "); use allow_missing_columns=true to fill it with nulls");
      }
      match = make_alias(make_literal(Value::null(la->type)), la->name, next_attribute_id());
    }
    right_list.push_back(match);
  }
  std::vector<ExprPtr> left_list = a->output;
  for (const auto& rb : b->output) {
    bool present = std::any_of(a->output.begin(), a->output.end(),
                               [&](const ExprPtr& la) { return equals_ignore_case(la->name, rb->name); });
    if (present) continue;
    if (!allow_missing) {
      throw_error(ErrorKind::kAnalysis, "NUM_COLUMNS_MISMATCH",
                  "union_by_name: column '" + rb->name + "' of the second input is missing from the first (" +
                      quoted_list(attribute_names(a->output)) + "); use allow_missing_columns=true to fill it with nulls");
    }
    left_list.push_back(make_alias(make_literal(Value::null(rb->type)), rb->name, next_attribute_id()));
    right_list.push_back(rb);
  }
  PlanPtr left = left_list.size() == a->output.size() ? a : resolve_project(a, left_list);
  PlanPtr right = resolve_project(b, right_list);
  return resolve_union({left, right});
}

namespace {

// True when a join side was wrapped in broadcast(), possibly under an alias.
bool has_broadcast_hint(const PlanPtr& side) {
  if (side->kind == PlanKind::kBroadcastHint) return true;
  if (side->kind == PlanKind::kSubqueryAlias) return has_broadcast_hint(side->child());
  return false;
}

// The side without its hint node; the hint's output is kept (it may carry an alias's qualifiers).
PlanPtr strip_broadcast_hint(const PlanPtr& side) {
  if (side->kind != PlanKind::kBroadcastHint) return side;
  auto out = clone(*side->child());
  out->output = side->output;
  return out;
}

}  // namespace

PlanPtr Analyzer::resolve_join(const LogicalPlan& join, PlanPtr left, PlanPtr right) const {
  const bool hint_left = has_broadcast_hint(left) || has_broadcast_hint(join.children[0]);
  const bool hint_right = has_broadcast_hint(right) || has_broadcast_hint(join.children[1]);
  left = strip_broadcast_hint(left);
  right = strip_broadcast_hint(right);
  // A frame joined with itself (or two frames sharing a source) would give both sides the same
  // attribute ids; like Spark's DeduplicateRelations, the right side gets fresh ones.
  std::unordered_set<int64_t> left_ids;
  for (const auto& a : left->output) left_ids.insert(a->id);
  bool clash = std::any_of(right->output.begin(), right->output.end(),
                           [&](const ExprPtr& a) { return left_ids.count(a->id) > 0; });
  if (clash) {
    std::vector<ExprPtr> fresh;
    for (const auto& a : right->output) fresh.push_back(make_alias(a, a->name, next_attribute_id()));
    auto requalified = clone(*resolve_project(right, fresh));
    for (size_t i = 0; i < requalified->output.size(); ++i) {
      auto q = std::make_shared<Expr>(*requalified->output[i]);
      q->qualifier = right->output[i]->qualifier;
      requalified->output[i] = q;
    }
    right = requalified;
  }
  std::vector<ExprPtr> both = left->output;
  both.insert(both.end(), right->output.begin(), right->output.end());

  auto p = std::make_shared<LogicalPlan>();
  p->kind = PlanKind::kJoin;
  p->children = {left, right};
  p->join_type = join.join_type;
  p->broadcast_left = join.broadcast_left || hint_left;
  p->broadcast_right = join.broadcast_right || hint_right;
  p->resolved = true;

  if (join.kind == PlanKind::kJoin) {
    if (join.condition) {
      ExprPtr cond = resolve_expression(join.condition, both, false);
      // An untyped NULL condition is a boolean NULL (Spark's implicit cast): it matches nothing.
      if (cond->type.id() == TypeId::kNull) cond = make_cast(cond, DataType::boolean());
      if (cond->type.id() != TypeId::kBoolean) {
        throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.JOIN_CONDITION_IS_NOT_BOOLEAN_TYPE",
                    "The join condition \"" + cond->pretty_name() + "\" has the type \"" + cond->type.simple_string() +
                        "\", but a boolean is required.");
      }
      p->condition = cond;
    }
    derive_output(*p);
    return p;
  }

  // join(other, on={"k", ...}): equality on each named column, which appears once in the output
  // (first, in the order given), as Spark's USING join does.
  std::vector<ExprPtr> left_keys, right_keys;
  ExprPtr cond;
  for (const auto& name : join.names) {
    auto find = [&](const PlanPtr& side, const char* which) {
      Expr column = *make_column(name);
      try {
        return resolve_column(column, side->output);
      } catch (const EmberError& e) {
        throw_error(ErrorKind::kAnalysis, "UNRESOLVED_USING_COLUMN_FOR_JOIN",
                    "USING column '" + name + "' cannot be resolved on the " + which + " side of the join. The " +
                        which + "-side columns: " + quoted_list(attribute_names(side->output)));
      }
    };
    ExprPtr l = find(left, "left");
    ExprPtr r = find(right, "right");
    left_keys.push_back(l);
    right_keys.push_back(r);
    ExprPtr eq = resolve_expression(make_call("=", {l, r}), both, false);
    cond = cond ? make_and(cond, eq) : eq;
  }
  p->condition = cond;
  derive_output(*p);
  // The merged key columns: the left key, the right key for a right join, coalesce for a full one.
  std::vector<ExprPtr> list;
  std::unordered_set<int64_t> key_ids;
  std::vector<ExprPtr> joined_left(p->output.begin(), p->output.begin() + static_cast<long>(left->output.size()));
  for (size_t i = 0; i < join.names.size(); ++i) {
    key_ids.insert(left_keys[i]->id);
    key_ids.insert(right_keys[i]->id);
    ExprPtr key;
    switch (join.join_type) {
      case JoinType::kRightOuter: key = right_keys[i]; break;
      case JoinType::kFullOuter:
        key = make_alias(resolve_expression(make_call("coalesce", {left_keys[i], right_keys[i]}), both, false),
                         left_keys[i]->name, next_attribute_id());
        break;
      default: key = left_keys[i]; break;
    }
    // Take the attribute as the join outputs it (nullability adjusted for outer joins).
    if (key->kind == ExprKind::kAttribute) {
      for (const auto& a : p->output) {
        if (a->id == key->id) key = a;
      }
    }
    list.push_back(key);
  }
  for (const auto& a : p->output) {
    if (!key_ids.count(a->id)) list.push_back(a);
  }
  return resolve_project(p, list);
}

PlanPtr Analyzer::resolve_node(const PlanPtr& plan) const {
  // Resolved subtrees (relations, and the analyzed plans joins are built from) keep their
  // attribute ids, so columns taken from a DataFrame (df.col("x")) stay valid above it.
  if (plan->kind == PlanKind::kRelation || plan->resolved) return plan;
  std::vector<PlanPtr> kids;
  for (const auto& c : plan->children) kids.push_back(resolve_node(c));
  const PlanPtr& child = kids.empty() ? plan : kids[0];
  switch (plan->kind) {
    case PlanKind::kProject: return resolve_project(child, plan->exprs);
    case PlanKind::kFilter: {
      if (contains_window(plan->condition)) {
        throw_error(ErrorKind::kAnalysis, "UNSUPPORTED_EXPR_FOR_OPERATOR",
                    "window functions are not allowed in a filter: \"" + plan->condition->pretty_name() +
                        "\"; compute them with with_column() first, then filter on that column");
      }
      ExprPtr cond = resolve_expression(plan->condition, child->output, false);
      // WHERE NULL / HAVING NULL: a boolean NULL, as Spark's implicit cast makes it; no row passes.
      if (cond->type.id() == TypeId::kNull) cond = make_cast(cond, DataType::boolean());
      if (cond->type.id() != TypeId::kBoolean) {
        throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN",
                    "Cannot resolve \"" + cond->pretty_name() + "\": a filter condition must be boolean, but it has the type \"" +
                        cond->type.simple_string() + "\"");
      }
      auto p = clone(*plan);
      p->children = {child};
      p->condition = cond;
      p->resolved = true;
      derive_output(*p);
      return p;
    }
    case PlanKind::kAggregate: return resolve_aggregate(child, plan->grouping, plan->exprs);
    case PlanKind::kSort: {
      auto p = clone(*plan);
      p->children = {child};
      p->exprs.clear();
      for (const auto& o : plan->exprs) {
        ExprPtr order = o->kind == ExprKind::kSortOrder ? o : make_sort_order(o, true, true);
        p->exprs.push_back(resolve_expression(order, child->output, false));
      }
      p->resolved = true;
      derive_output(*p);
      return p;
    }
    case PlanKind::kRepartition: {
      auto p = clone(*plan);
      p->children = {child};
      p->exprs.clear();
      for (const auto& k : plan->exprs) p->exprs.push_back(resolve_expression(k, child->output, false));
      p->resolved = true;
      derive_output(*p);
      return p;
    }
    case PlanKind::kSample:
    case PlanKind::kLimit: {
      auto p = clone(*plan);
      p->children = {child};
      p->resolved = true;
      derive_output(*p);
      return p;
    }
    case PlanKind::kUnion: return resolve_union(kids);
    case PlanKind::kUnionByName: return resolve_union_by_name(kids[0], kids[1], plan->allow_missing_columns);
    case PlanKind::kDistinct: {
      std::vector<ExprPtr> all = child->output;
      require_no_map_in_set_operation(all);
      return resolve_aggregate(child, all, all);
    }
    case PlanKind::kWithColumns: {
      // Replace same-named columns in place; append new ones (Spark's withColumns).
      std::vector<ExprPtr> list = child->output;
      for (size_t i = 0; i < plan->names.size(); ++i) {
        ExprPtr value = resolve_expression(plan->exprs[i], child->output, false);
        if (value->kind == ExprKind::kAlias) value = value->children[0];
        ExprPtr aliased = make_alias(value, plan->names[i], next_attribute_id());
        bool replaced = false;
        for (auto& existing : list) {
          if (equals_ignore_case(existing->name, plan->names[i])) {
            existing = aliased;
            replaced = true;
          }
        }
        if (!replaced) list.push_back(aliased);
      }
      return resolve_project(child, list);
    }
    case PlanKind::kWithColumnRenamed: {
      std::vector<ExprPtr> list;
      for (const auto& a : child->output) {
        list.push_back(equals_ignore_case(a->name, plan->names[0]) ? make_alias(a, plan->names[1], next_attribute_id()) : a);
      }
      return resolve_project(child, list);
    }
    case PlanKind::kDrop: {
      std::vector<ExprPtr> list;
      for (const auto& a : child->output) {
        bool dropped = std::any_of(plan->names.begin(), plan->names.end(),
                                   [&](const std::string& n) { return equals_ignore_case(a->name, n); });
        if (!dropped) list.push_back(a);
      }
      return resolve_project(child, list);
    }
    case PlanKind::kRelation: return plan;
    case PlanKind::kBroadcastHint: {
      // Kept as a pass-through node until a join above records it (resolve_join).
      auto p = clone(*plan);
      p->children = {child};
      p->output = child->output;
      p->resolved = true;
      return p;
    }
    case PlanKind::kSubqueryAlias: {
      auto p = clone(*child);
      for (auto& a : p->output) {
        auto q = std::make_shared<Expr>(*a);
        q->qualifier = plan->names[0];
        a = q;
      }
      return p;
    }
    case PlanKind::kJoin:
    case PlanKind::kJoinUsing: return resolve_join(*plan, kids[0], kids[1]);
    case PlanKind::kWindow:
    case PlanKind::kGenerate: return plan;  // only built resolved (extract_windows, resolve_generator)
  }
  throw_internal(__FILE__, __LINE__, "unknown plan node");
}

}  // namespace ember
