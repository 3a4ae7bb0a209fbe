#include "ember/io/parquet/row_group_pruning.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace ember {

namespace {

// -1 / 0 / 1 when a and b are comparable non-null values of one type; nullopt otherwise.
std::optional<int> compare(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null() || a.type() != b.type()) return std::nullopt;
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (a.type().id()) {
    case TypeId::kBoolean: return sign(a.as_bool(), b.as_bool());
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kDate:
    case TypeId::kTimestamp: return sign(a.as_int64(), b.as_int64());
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double x = a.as_double(), y = b.as_double();
      if (x != x || y != y) return std::nullopt;  // NaN: no order to reason with
      return sign(x, y);
    }
    case TypeId::kDecimal: return sign(a.as_decimal(), b.as_decimal());  // same type: same scale
    case TypeId::kString:
    case TypeId::kBinary: {
      // Unsigned byte order, as Parquet orders BYTE_ARRAY statistics.
      int c = std::string_view(a.as_string()).compare(std::string_view(b.as_string()));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default: return std::nullopt;
  }
}

const Expr* attribute_of(const ExprPtr& e) { return e->kind == ExprKind::kAttribute ? e.get() : nullptr; }

const Value* literal_of(const ExprPtr& e) {
  return e->kind == ExprKind::kLiteral && !e->literal.is_null() ? &e->literal : nullptr;
}

bool all_null(const ParquetColumnStatistics& s) { return s.null_count && *s.null_count == s.num_values && s.num_values > 0; }

// May `column op value` hold for some non-null value in [min, max]?
bool range_may_match(const std::string& op, const ParquetColumnStatistics& s, const Value& value) {
  if (all_null(s)) return false;  // a comparison with null is never true
  constexpr int kUnknown = 2;
  // value compared with min and with max: -1, 0, 1, or kUnknown.
  const int vs_min = s.min ? compare(value, *s.min).value_or(kUnknown) : kUnknown;
  const int vs_max = s.max ? compare(value, *s.max).value_or(kUnknown) : kUnknown;
  if (op == "=" || op == "==" || op == "<=>") return !(vs_min == -1 || vs_max == 1);
  if (op == "<") return !(vs_min != kUnknown && vs_min <= 0);  // some x < value needs min < value
  if (op == "<=") return vs_min != -1;                          // min <= value
  if (op == ">") return !(vs_max != kUnknown && vs_max >= 0);  // max > value
  if (op == ">=") return vs_max != 1;                           // max >= value
  return true;
}

}  // namespace

bool row_group_may_match(const ExprPtr& e, const ColumnStatsLookup& stats_of) {
  switch (e->kind) {
    case ExprKind::kAnd: return row_group_may_match(e->children[0], stats_of) && row_group_may_match(e->children[1], stats_of);
    case ExprKind::kOr: return row_group_may_match(e->children[0], stats_of) || row_group_may_match(e->children[1], stats_of);
    case ExprKind::kCall: break;
    default: return true;
  }
  const std::string& op = e->name;
  if (e->children.size() == 2 && (op == "=" || op == "==" || op == "<=>" || op == "<" || op == "<=" || op == ">" || op == ">=")) {
    const Expr* attr = attribute_of(e->children[0]);
    const Value* value = literal_of(e->children[1]);
    std::string oriented = op;
    if (!attr || !value) {
      attr = attribute_of(e->children[1]);
      value = literal_of(e->children[0]);
      oriented = swapped_comparison(op);
    }
    if (!attr || !value) return true;
    const ParquetColumnStatistics* s = stats_of(attr->id);
    return s == nullptr || range_may_match(oriented, *s, *value);
  }
  if (op == "in" && !e->children.empty()) {
    const Expr* attr = attribute_of(e->children[0]);
    if (!attr) return true;
    const ParquetColumnStatistics* s = stats_of(attr->id);
    if (s == nullptr) return true;
    for (size_t i = 1; i < e->children.size(); ++i) {
      const Value* value = literal_of(e->children[i]);
      if (!value || range_may_match("=", *s, *value)) return true;
    }
    return false;
  }
  if ((op == "isnull" || op == "isnotnull") && e->children.size() == 1) {
    const Expr* attr = attribute_of(e->children[0]);
    if (!attr) return true;
    const ParquetColumnStatistics* s = stats_of(attr->id);
    if (s == nullptr || !s->null_count) return true;
    return op == "isnull" ? *s->null_count > 0 : !all_null(*s) && (*s->null_count < s->num_values || s->num_values == 0);
  }
  return true;
}

std::vector<ParquetRowRange> page_rows_may_match(const ExprPtr& conjunct, int64_t attribute_id,
                                                 const std::vector<ParquetPageStatistics>& pages) {
  std::vector<ParquetRowRange> out;
  ParquetColumnStatistics s;
  for (const ParquetPageStatistics& page : pages) {
    s.min = page.min;
    s.max = page.max;
    s.num_values = page.num_rows;
    s.null_count = page.all_null ? std::optional<int64_t>(page.num_rows) : page.null_count;
    const bool may = row_group_may_match(conjunct, [&](int64_t id) -> const ParquetColumnStatistics* {
      return id == attribute_id ? &s : nullptr;
    });
    if (!may || page.num_rows == 0) continue;
    const int64_t end = page.first_row + page.num_rows;
    if (!out.empty() && out.back().end == page.first_row) {
      out.back().end = end;
    } else {
      out.push_back(ParquetRowRange{page.first_row, end});
    }
  }
  return out;
}

std::vector<ParquetRowRange> intersect_row_ranges(const std::vector<ParquetRowRange>& a,
                                                  const std::vector<ParquetRowRange>& b) {
  std::vector<ParquetRowRange> out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const int64_t begin = std::max(a[i].begin, b[j].begin);
    const int64_t end = std::min(a[i].end, b[j].end);
    if (begin < end) out.push_back(ParquetRowRange{begin, end});
    (a[i].end < b[j].end ? i : j)++;
  }
  return out;
}

}  // namespace ember
