#include "ember/expr/evaluator.h"

#include <cstring>

#include "ember/common/error.h"
#include "ember/expr/cast.h"

namespace ember {

namespace {

// Adds the failing expression to a kernel's error, once (the innermost expression names it).
[[noreturn]] void rethrow_with_expression(const EmberError& e, const Expr& expr) {
  std::string msg = e.what();
  if (msg.find("(in expression:") == std::string::npos && e.is_user_error()) {
    msg += " (in expression: " + expr.pretty_name() + ")";
  }
  throw EmberError(e.kind(), e.error_class(), msg);
}

// Row i of `sel` (or i itself when evaluating all rows).
inline uint32_t row_of(const SelectionVector* sel, size_t i) { return sel ? (*sel)[i] : static_cast<uint32_t>(i); }

// Three-valued boolean of row i: 0 false, 1 true, 2 null.
inline uint8_t tri(const Vector& v, size_t i) {
  if (v.is_null(i)) return 2;
  return v.values<uint8_t>()[v.is_constant() ? 0 : i] ? 1 : 0;
}

}  // namespace

VectorPtr ExpressionEvaluator::eval(const Expr& expr, const Batch& input) {
  return eval_rows(expr, input, nullptr, input.num_rows);
}

VectorPtr ExpressionEvaluator::eval(const Expr& expr, const Batch& input, const SelectionVector& sel) {
  return eval_rows(expr, input, &sel, sel.size());
}

VectorPtr ExpressionEvaluator::eval_rows(const Expr& expr, const Batch& input, const SelectionVector* sel,
                                         size_t n) {
  switch (expr.kind) {
    case ExprKind::kBoundRef: {
      const VectorPtr& col = input.columns[static_cast<size_t>(expr.index)];
      if (!sel) return col;
      return gather(*col, sel->data(), n);
    }
    case ExprKind::kLiteral: return Vector::make_constant(expr.literal, n);
    case ExprKind::kAlias: return eval_rows(*expr.children[0], input, sel, n);
    case ExprKind::kCall: return eval_call(expr, input, sel, n);
    case ExprKind::kCast: {
      VectorPtr child = eval_rows(*expr.children[0], input, sel, n);
      if (child->type() == expr.type) return child;
      child = decode_dictionary(child);
      EvalContext cast_ctx = ctx_;
      if (expr.try_cast) cast_ctx.ansi = false;
      try {
        return cast_vector(child, expr.type, cast_ctx, expr.pretty_name());
      } catch (const EmberError& e) {
        rethrow_with_expression(e, expr);
      }
    }
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot: return eval_logical(expr, input, sel, n);
    case ExprKind::kCase: return eval_case(expr, input, sel, n);
    default:
      throw_internal(__FILE__, __LINE__, "cannot evaluate unbound expression " + expr.to_string());
  }
}

VectorPtr ExpressionEvaluator::eval_call(const Expr& expr, const Batch& input, const SelectionVector* sel,
                                         size_t n) {
  EMBER_CHECK(expr.function != nullptr, "unresolved function " + expr.name);
  std::vector<VectorPtr> args;
  args.reserve(expr.children.size());
  for (const auto& c : expr.children) args.push_back(eval_rows(*c, input, sel, n));
  if (expr.function->per_value) {
    if (VectorPtr out = eval_per_dictionary_entry(expr, args, n)) return out;
  }
  // Kernels see flat vectors (and constants when they accept them), never dictionary codes.
  for (auto& v : args) v = expr.function->accepts_constants ? decode_dictionary(v) : flatten(v);
  try {
    ctx_.row_selection = sel;
    VectorPtr out = expr.function->kernel->eval(args, n, ctx_);
    ctx_.row_selection = nullptr;
    return out;
  } catch (const EmberError& e) {
    ctx_.row_selection = nullptr;
    rethrow_with_expression(e, expr);
  }
}

// The dictionary path: a predicate such as `s = 'x'`, `s IN (...)`, `s LIKE 'a%'` or `s IS NULL`
// over a dictionary-encoded string column is computed once per distinct value and mapped to the
// rows through their codes, so no string is compared per row.
VectorPtr ExpressionEvaluator::eval_per_dictionary_entry(const Expr& expr, const std::vector<VectorPtr>& args,
                                                         size_t n) {
  // Fixed-width results only: rows then take their value with one gather by code.
  if (expr.type.fixed_width() <= 0) return nullptr;
  const Vector* encoded = nullptr;
  for (const auto& a : args) {
    if (a->is_dictionary()) {
      if (encoded) return nullptr;
      encoded = a.get();
    } else if (!a->is_constant()) {
      return nullptr;
    }
  }
  if (!encoded) return nullptr;
  const VectorPtr& dictionary = encoded->dictionary();
  DictionaryResult* cached = nullptr;
  for (auto& r : dictionary_results_) {
    if (r.expr == &expr) cached = &r;
  }
  if (!cached) {
    dictionary_results_.push_back({&expr, nullptr, nullptr});
    cached = &dictionary_results_.back();
  }
  if (cached->dictionary != dictionary) {
    const size_t d = dictionary->size();
    std::vector<VectorPtr> entry_args;
    entry_args.reserve(args.size());
    for (const auto& a : args) {
      if (a.get() == encoded) entry_args.push_back(dictionary);
      else if (expr.function->accepts_constants)
        entry_args.push_back(Vector::make_constant(a->value_at(0), d));
      else entry_args.push_back(flatten(Vector::make_constant(a->value_at(0), d)));
    }
    try {
      // Entries are not rows of the input: row-position facts do not apply to them.
      const std::vector<uint32_t>* selection = ctx_.row_selection;
      ctx_.row_selection = nullptr;
      VectorPtr values = flatten(expr.function->kernel->eval(entry_args, d, ctx_));
      ctx_.row_selection = selection;
      cached->values = std::move(values);
      cached->dictionary = dictionary;
    } catch (const EmberError& e) {
      ctx_.row_selection = nullptr;
      cached->dictionary = nullptr;
      rethrow_with_expression(e, expr);
    }
  }
  // Codes are non-negative indices, so they serve as gather's row numbers as they are.
  return gather(*cached->values, reinterpret_cast<const uint32_t*>(encoded->codes()), n);
}

VectorPtr ExpressionEvaluator::eval_logical(const Expr& expr, const Batch& input, const SelectionVector* sel,
                                            size_t n) {
  auto out = Vector::make(DataType::boolean(), n);
  uint8_t* res = out->values<uint8_t>();
  if (expr.kind == ExprKind::kNot) {
    VectorPtr a = eval_rows(*expr.children[0], input, sel, n);
    for (size_t i = 0; i < n; ++i) {
      uint8_t t = tri(*a, i);
      if (t == 2) out->set_null(i);
      else res[i] = t ? 0 : 1;
    }
    return out;
  }
  // AND: rows where the left side is false are decided; the right side runs on the others only.
  // OR: the same with true.
  const bool is_and = expr.kind == ExprKind::kAnd;
  const uint8_t decided_value = is_and ? 0 : 1;
  VectorPtr left = eval_rows(*expr.children[0], input, sel, n);
  SelectionVector pending_pos;  // positions (0..n) whose result needs the right side
  SelectionVector pending_rows;  // the matching input rows
  pending_pos.reserve(n);
  pending_rows.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (tri(*left, i) == decided_value) {
      res[i] = decided_value;
    } else {
      pending_pos.push_back(static_cast<uint32_t>(i));
      pending_rows.push_back(row_of(sel, i));
    }
  }
  if (pending_pos.empty()) return out;
  VectorPtr right = eval_rows(*expr.children[1], input, &pending_rows, pending_rows.size());
  for (size_t k = 0; k < pending_pos.size(); ++k) {
    size_t i = pending_pos[k];
    uint8_t l = tri(*left, i);  // 1/2 for AND, 0/2 for OR
    uint8_t r = tri(*right, k);
    if (r == decided_value) res[i] = decided_value;
    else if (l == 2 || r == 2) out->set_null(i);
    else res[i] = static_cast<uint8_t>(1 - decided_value);
  }
  return out;
}

VectorPtr ExpressionEvaluator::eval_case(const Expr& expr, const Batch& input, const SelectionVector* sel,
                                         size_t n) {
  // Each row takes its value from one branch. Branches are evaluated on the rows that reach them;
  // then the output is assembled in row order (string vectors must be written in order).
  const size_t num_when = expr.children.size() / 2;
  const bool has_else = expr.children.size() % 2 == 1;
  std::vector<VectorPtr> branch_values;
  std::vector<int32_t> branch_of(n, -1);  // -1: no branch matched and no ELSE -> null
  std::vector<uint32_t> index_in_branch(n, 0);
  SelectionVector remaining_pos(n);
  for (size_t i = 0; i < n; ++i) remaining_pos[i] = static_cast<uint32_t>(i);
  for (size_t w = 0; w <= num_when && !remaining_pos.empty(); ++w) {
    const bool is_else = w == num_when;
    if (is_else && !has_else) break;
    SelectionVector rows(remaining_pos.size());
    for (size_t k = 0; k < remaining_pos.size(); ++k) rows[k] = row_of(sel, remaining_pos[k]);
    SelectionVector taken_pos;
    SelectionVector still;
    if (is_else) {
      taken_pos = remaining_pos;
    } else {
      VectorPtr cond = eval_rows(*expr.children[2 * w], input, &rows, rows.size());
      for (size_t k = 0; k < remaining_pos.size(); ++k) {
        if (tri(*cond, k) == 1) taken_pos.push_back(remaining_pos[k]);
        else still.push_back(remaining_pos[k]);
      }
    }
    if (!taken_pos.empty()) {
      SelectionVector taken_rows(taken_pos.size());
      for (size_t k = 0; k < taken_pos.size(); ++k) taken_rows[k] = row_of(sel, taken_pos[k]);
      const Expr& value_expr = is_else ? *expr.children.back() : *expr.children[2 * w + 1];
      VectorPtr value = flatten(eval_rows(value_expr, input, &taken_rows, taken_rows.size()));
      for (size_t k = 0; k < taken_pos.size(); ++k) {
        branch_of[taken_pos[k]] = static_cast<int32_t>(branch_values.size());
        index_in_branch[taken_pos[k]] = static_cast<uint32_t>(k);
      }
      branch_values.push_back(std::move(value));
    }
    remaining_pos = std::move(still);
    if (is_else) break;
  }
  if (expr.type.is_nested())
    return assemble(expr.type, branch_values, branch_of.data(), index_in_branch.data(), n);
  auto out = Vector::make(expr.type, n);
  const bool strings = expr.type.is_string_like();
  for (size_t i = 0; i < n; ++i) {
    int32_t b = branch_of[i];
    if (b < 0 || branch_values[static_cast<size_t>(b)]->is_null(index_in_branch[i])) {
      if (strings) out->set_null_string(i);
      else out->set_null(i);
      continue;
    }
    const Vector& src = *branch_values[static_cast<size_t>(b)];
    if (strings) out->set_string(i, src.string_at(index_in_branch[i]));
    else if (expr.type.id() != TypeId::kNull) copy_fixed_value(src, index_in_branch[i], *out, i);
  }
  return out;
}

void ExpressionEvaluator::select(const Expr& predicate, const Batch& input, SelectionVector& out) {
  out.resize(input.num_rows);
  for (size_t i = 0; i < input.num_rows; ++i) out[i] = static_cast<uint32_t>(i);
  select_rows(predicate, input, out);
}

void ExpressionEvaluator::select_rows(const Expr& predicate, const Batch& input, SelectionVector& rows) {
  if (rows.empty()) return;
  if (predicate.kind == ExprKind::kAnd) {
    select_rows(*predicate.children[0], input, rows);
    select_rows(*predicate.children[1], input, rows);
    return;
  }
  const bool all_rows = rows.size() == input.num_rows;
  VectorPtr v = all_rows ? eval_rows(predicate, input, nullptr, input.num_rows)
                         : eval_rows(predicate, input, &rows, rows.size());
  size_t kept = 0;
  if (v->is_constant()) {
    if (tri(*v, 0) != 1) rows.clear();
    return;
  }
  const uint8_t* b = v->values<uint8_t>();
  const uint8_t* valid = v->validity();
  // Branch-free compaction; the validity test stays out of the loop when there is none.
  uint32_t* r = rows.data();
  const size_t n = rows.size();
  if (valid == nullptr) {
    for (size_t k = 0; k < n; ++k) {
      r[kept] = r[k];
      kept += b[k] != 0;
    }
  } else {
    for (size_t k = 0; k < n; ++k) {
      r[kept] = r[k];
      kept += static_cast<size_t>(b[k] != 0) & static_cast<size_t>(bit_is_set(valid, k));
    }
  }
  rows.resize(kept);
}

Value evaluate_constant(const Expr& expr, const EvalContext& ctx) {
  ExpressionEvaluator evaluator(ctx);
  Batch one;
  one.num_rows = 1;
  VectorPtr v = evaluator.eval(expr, one);
  return v->value_at(0);
}

}  // namespace ember
