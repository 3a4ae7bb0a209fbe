#include "ember/io/parquet/parquet_scan_filter.h"

#include <algorithm>

namespace ember {

namespace {

bool is_column(const Expr& e, const std::function<bool(int)>& ok) {
  return e.kind == ExprKind::kBoundRef && ok(e.index);
}

bool is_literal_of(const Expr& e, const DataType& type) {
  return e.kind == ExprKind::kLiteral && e.type == type;
}

void collect(const Expr& e, std::vector<int>& out) {
  if (e.kind == ExprKind::kBoundRef) out.push_back(e.index);
  for (const auto& c : e.children) collect(*c, out);
}

}  // namespace

bool parquet_scan_can_evaluate(const Expr& e, const std::function<bool(int)>& flat_data_column) {
  switch (e.kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
      return !e.children.empty() && std::all_of(e.children.begin(), e.children.end(), [&](const ExprPtr& c) {
        return parquet_scan_can_evaluate(*c, flat_data_column);
      });
    case ExprKind::kCall: break;
    default: return false;
  }
  const std::string& op = e.name;
  if (e.children.size() == 2 &&
      (op == "=" || op == "==" || op == "<=>" || op == "<" || op == "<=" || op == ">" || op == ">=")) {
    const Expr& a = *e.children[0];
    const Expr& b = *e.children[1];
    if (is_column(a, flat_data_column)) return is_literal_of(b, a.type);
    if (is_column(b, flat_data_column)) return is_literal_of(a, b.type);
    return false;
  }
  if (op == "in" && e.children.size() >= 2) {
    const Expr& a = *e.children[0];
    if (!is_column(a, flat_data_column)) return false;
    return std::all_of(e.children.begin() + 1, e.children.end(),
                       [&](const ExprPtr& c) { return is_literal_of(*c, a.type); });
  }
  if ((op == "isnull" || op == "isnotnull") && e.children.size() == 1)
    return is_column(*e.children[0], flat_data_column);
  return false;
}

std::vector<int> referenced_columns(const Expr& conjunct) {
  std::vector<int> out;
  collect(conjunct, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace ember
