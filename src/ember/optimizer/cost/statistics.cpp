#include "ember/optimizer/cost/statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "ember/optimizer/cost/source_statistics.h"
#include "ember/optimizer/cost/table_statistics.h"

namespace ember {

namespace {

// The position of a value on the number line, for interpolating ranges; nullopt for types
// without one (strings compare but do not interpolate).
std::optional<double> as_number(const Value& v) {
  if (v.is_null()) return std::nullopt;
  switch (v.type().id()) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kDate:
    case TypeId::kTimestamp: return static_cast<double>(v.as_int64());
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double d = v.as_double();
      return std::isnan(d) ? std::nullopt : std::optional<double>(d);
    }
    case TypeId::kDecimal: return static_cast<double>(v.as_decimal()) / std::pow(10.0, v.type().scale());
    default: return std::nullopt;
  }
}

// -1/0/1 for two values that order (numbers of any numeric type against each other, strings
// against strings); nullopt otherwise.
std::optional<int> order(const Value& a, const Value& b) {
  auto x = as_number(a), y = as_number(b);
  if (x && y) return *x < *y ? -1 : (*x > *y ? 1 : 0);
  if (a.is_null() || b.is_null()) return std::nullopt;
  const bool text_a = a.type().id() == TypeId::kString, text_b = b.type().id() == TypeId::kString;
  if (text_a && text_b) {
    int c = std::string_view(a.as_string()).compare(b.as_string());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return std::nullopt;
}

bool is_integral_like(TypeId id) {
  return id == TypeId::kByte || id == TypeId::kShort || id == TypeId::kInt || id == TypeId::kLong ||
         id == TypeId::kDate;
}

// A column reference, looking through casts (the analyzer widens a column to compare it with a
// literal of a wider type; the cast keeps the column's distinct values and order).
const Expr* column_of(const ExprPtr& e) {
  const Expr* x = e.get();
  while (x->kind == ExprKind::kCast && !x->children.empty()) x = x->children[0].get();
  return x->kind == ExprKind::kAttribute ? x : nullptr;
}

// The literal as a value of the column's type, so it can become the column's new bound; nullopt
// when it is not losslessly one (the estimate then keeps the old bound).
std::optional<Value> as_type_of(const Value& lit, const Value& like) {
  if (lit.type() == like.type()) return lit;
  const TypeId from = lit.type().id(), to = like.type().id();
  const bool whole =
      from == TypeId::kByte || from == TypeId::kShort || from == TypeId::kInt || from == TypeId::kLong;
  if (whole && to == TypeId::kLong) return Value::int64(lit.as_int64());
  if (whole && to == TypeId::kInt && lit.as_int64() >= INT32_MIN && lit.as_int64() <= INT32_MAX) {
    return Value::int32(static_cast<int32_t>(lit.as_int64()));
  }
  return std::nullopt;
}

const Value* literal_of(const ExprPtr& e) {
  const Expr* x = e.get();
  while (x->kind == ExprKind::kCast && !x->children.empty()) x = x->children[0].get();
  return x->kind == ExprKind::kLiteral ? &x->literal : nullptr;
}

bool is_comparison(const std::string& op) {
  return op == "=" || op == "==" || op == "<=>" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

double clamp01(double x) { return std::isnan(x) ? 1.0 : std::min(1.0, std::max(0.0, x)); }

// Spark's EstimationUtils.updateNdv: distinct values shrink in proportion to the rows kept.
double scaled_ndv(double old_rows, double new_rows, double ndv) {
  if (old_rows <= new_rows || old_rows <= 0) return ndv;
  return std::ceil(ndv * new_rows / old_rows);
}

// The distinct count of column `id` in `s` (rows of the input when unknown: the column is
// assumed to be a key, which is what join columns usually are). Never above the row count.
double ndv_or_rows(const PlanStatistics& s, int64_t id) {
  const double rows = s.row_count.value_or(0);
  const ColumnStat* c = s.column(id);
  if (c && c->distinct_count) return std::max(1.0, std::min(*c->distinct_count, rows));
  return std::max(1.0, rows);
}

// Caps every column's distinct and null counts by a (smaller) row count.
void cap_columns(PlanStatistics& s) {
  if (!s.row_count) return;
  for (auto& [id, c] : s.columns) {
    if (c.distinct_count) c.distinct_count = std::min(*c.distinct_count, *s.row_count);
    if (c.null_count) c.null_count = std::min(*c.null_count, *s.row_count);
  }
}

void set_size(PlanStatistics& s, const std::vector<ExprPtr>& output) {
  if (!s.row_count) return;
  // Spark: an empty result still counts one byte, so no estimate is ever zero.
  s.size_in_bytes = std::max(1.0, *s.row_count * estimated_row_width(output, &s));
}

// The outcome of one predicate: its selectivity, and whether statistics (rather than a default)
// gave it, for NOT.
struct Selectivity {
  double value = 1.0;
  bool known = false;
};

class FilterEstimation {
 public:
  FilterEstimation(const PlanStatistics& input) : input_(input), rows_(input.row_count.value_or(0)) {}

  Selectivity estimate(const ExprPtr& e, bool update) {
    switch (e->kind) {
      case ExprKind::kLiteral:
        if (e->literal.is_null()) return {0.0, true};
        if (e->literal.type().id() == TypeId::kBoolean) return {e->literal.as_bool() ? 1.0 : 0.0, true};
        return {};
      case ExprKind::kAnd: {
        Selectivity a = estimate(e->children[0], update);
        Selectivity b = estimate(e->children[1], update);
        return {a.value * b.value, a.known && b.known};
      }
      case ExprKind::kOr: {
        // Spark's: P(a or b) = P(a) + P(b) - P(a)P(b), as if independent; neither side narrows
        // the column statistics, since either may be the one that held.
        Selectivity a = estimate(e->children[0], false);
        Selectivity b = estimate(e->children[1], false);
        return {clamp01(a.value + b.value - a.value * b.value), a.known && b.known};
      }
      case ExprKind::kNot: {
        Selectivity a = estimate(e->children[0], false);
        if (!a.known) return {};
        return {clamp01(1.0 - a.value), true};
      }
      case ExprKind::kCall: return call(*e, update);
      default: return {};
    }
  }

  // The column statistics after the filter kept `selectivity` of the rows.
  void finish(double selectivity, PlanStatistics& out) {
    const double new_rows = rows_ * selectivity;
    out.row_count = new_rows;
    out.columns = input_.columns;
    for (auto& [id, c] : out.columns) {
      if (auto it = updated_.find(id); it != updated_.end()) {
        // A conjunct that narrowed this column's distinct count has already scaled it; one that
        // only touched its nulls or bounds (isnotnull(k), as inferred on every join key) leaves
        // it to scale with the rows, as Spark's EstimationUtils.updateStat does — but with the
        // column's non-null rows, so dropping exactly its nulls keeps every distinct value
        // (Spark would scale them down with the rows).
        const ColumnStat before = c;
        c = it->second;
        if (c.null_count && before.null_count && *c.null_count == *before.null_count)
          c.null_count = *c.null_count * selectivity;
        if (c.distinct_count && before.distinct_count && *c.distinct_count == *before.distinct_count) {
          const double old_values = rows_ - before.null_count.value_or(0);
          const double new_values = std::max(0.0, new_rows - c.null_count.value_or(0));
          c.distinct_count = scaled_ndv(old_values, new_values, *c.distinct_count);
        }
        continue;
      }
      if (c.distinct_count) c.distinct_count = scaled_ndv(rows_, new_rows, *c.distinct_count);
      if (c.null_count) c.null_count = *c.null_count * selectivity;
    }
    cap_columns(out);
  }

 private:
  // The statistics of a column as narrowed so far by this filter's conjuncts.
  ColumnStat* stat(int64_t id) {
    if (auto it = updated_.find(id); it != updated_.end()) return &it->second;
    const ColumnStat* c = input_.column(id);
    if (!c) return nullptr;
    return &(updated_[id] = *c);
  }
  const ColumnStat* peek(int64_t id) {
    if (auto it = updated_.find(id); it != updated_.end()) return &it->second;
    return input_.column(id);
  }

  Selectivity call(const Expr& e, bool update) {
    const std::string& op = e.name;
    if (e.children.size() == 2 && is_comparison(op)) {
      const Expr* col = column_of(e.children[0]);
      const Value* lit = literal_of(e.children[1]);
      std::string oriented = op;
      if (!col || !lit) {
        col = column_of(e.children[1]);
        lit = literal_of(e.children[0]);
        oriented = swapped_comparison(op);
      }
      if (col && lit) return compare_with_literal(col->id, oriented, *lit, update);
      const Expr* a = column_of(e.children[0]);
      const Expr* b = column_of(e.children[1]);
      if (a && b && (op == "=" || op == "==" || op == "<=>")) {
        // Two columns of one input: as an equi-join of the input with itself.
        double ndv = std::max(ndv_or_rows(input_, a->id), ndv_or_rows(input_, b->id));
        const bool stats = input_.column(a->id) && input_.column(a->id)->distinct_count &&
                           input_.column(b->id) && input_.column(b->id)->distinct_count;
        return stats ? Selectivity{1.0 / ndv, true} : Selectivity{kDefaultEqualitySelectivity, false};
      }
      return {op == "=" || op == "==" || op == "<=>" ? kDefaultEqualitySelectivity : kDefaultRangeSelectivity,
              false};
    }
    if ((op == "<>" || op == "!=") && e.children.size() == 2) {
      // NOT pushdown writes NOT (a = b) as a <> b: the complement of the equality.
      const Expr* col = column_of(e.children[0]);
      const Value* lit = literal_of(e.children[1]);
      if (!col || !lit) {
        col = column_of(e.children[1]);
        lit = literal_of(e.children[0]);
      }
      if (!col || !lit) return {1.0 - kDefaultEqualitySelectivity, false};
      Selectivity eq = compare_with_literal(col->id, "=", *lit, false);
      return {clamp01(1.0 - eq.value), eq.known};
    }
    if (op == "in" && e.children.size() >= 2) {
      const Expr* col = column_of(e.children[0]);
      if (!col) return {};
      std::vector<Value> values;
      for (size_t i = 1; i < e.children.size(); ++i) {
        const Value* v = literal_of(e.children[i]);
        if (!v) return {};
        if (!v->is_null()) values.push_back(*v);
      }
      return in_set(col->id, values, update);
    }
    if ((op == "isnull" || op == "isnotnull") && e.children.size() == 1) {
      const Expr* col = column_of(e.children[0]);
      const ColumnStat* c = col ? peek(col->id) : nullptr;
      if (!c || !c->null_count || rows_ <= 0) {
        return op == "isnull" ? Selectivity{kDefaultIsNullSelectivity, false} : Selectivity{};
      }
      const double nulls = clamp01(*c->null_count / rows_);
      if (op == "isnull") return {nulls, true};
      if (update) stat(col->id)->null_count = 0;
      return {1.0 - nulls, true};
    }
    return {};
  }

  Selectivity compare_with_literal(int64_t id, const std::string& op, const Value& lit, bool update) {
    const bool equality = op == "=" || op == "==" || op == "<=>";
    if (lit.is_null()) return {op == "<=>" ? kDefaultIsNullSelectivity : 0.0, op != "<=>"};
    const ColumnStat* c = peek(id);
    const bool bounded = c && c->min && c->max;
    const std::optional<int> vs_min = bounded ? order(lit, *c->min) : std::nullopt;
    const std::optional<int> vs_max = bounded ? order(lit, *c->max) : std::nullopt;
    if (equality) {
      if (vs_min && vs_max && (*vs_min < 0 || *vs_max > 0)) return {0.0, true};  // outside [min, max]
      if (!c || !c->distinct_count) return {kDefaultEqualitySelectivity, false};
      const double sel = 1.0 / std::max(1.0, *c->distinct_count);
      if (update) {
        ColumnStat* u = stat(id);
        u->distinct_count = 1;
        u->null_count = 0;
        if (u->min) {
          if (auto v = as_type_of(lit, *u->min)) u->min = u->max = *v;
        }
      }
      return {sel, true};
    }
    if (!vs_min || !vs_max) return {kDefaultRangeSelectivity, false};
    // No overlap, complete overlap, or (numbers only) the overlapping fraction of [min, max].
    const bool less = op == "<" || op == "<=";
    const bool strict = op == "<" || op == ">";
    if (less ? (strict ? *vs_min <= 0 : *vs_min < 0) : (strict ? *vs_max >= 0 : *vs_max > 0))
      return {0.0, true};
    if (less ? (strict ? *vs_max > 0 : *vs_max >= 0) : (strict ? *vs_min < 0 : *vs_min <= 0))
      return {1.0, true};
    auto lo = as_number(*c->min), hi = as_number(*c->max), v = as_number(lit);
    if (!lo || !hi || !v || *hi <= *lo) return {kDefaultRangeSelectivity, false};
    const double sel = clamp01(less ? (*v - *lo) / (*hi - *lo) : (*hi - *v) / (*hi - *lo));
    if (update) {
      ColumnStat* u = stat(id);
      if (u->distinct_count) u->distinct_count = std::max(1.0, std::ceil(*u->distinct_count * sel));
      u->null_count = 0;
      if (auto bound = as_type_of(lit, *u->min)) (less ? u->max : u->min) = *bound;
    }
    return {sel, true};
  }

  Selectivity in_set(int64_t id, const std::vector<Value>& values, bool update) {
    const ColumnStat* c = peek(id);
    std::set<std::string> kept;
    for (const Value& v : values) {
      if (c && c->min && c->max) {
        auto lo = order(v, *c->min), hi = order(v, *c->max);
        if (lo && hi && (*lo < 0 || *hi > 0)) continue;
      }
      kept.insert(v.to_string());
    }
    if (kept.empty()) return {0.0, true};
    const double n = static_cast<double>(kept.size());
    if (!c || !c->distinct_count) return {clamp01(n * kDefaultEqualitySelectivity), false};
    const double sel = clamp01(n / std::max(1.0, *c->distinct_count));
    if (update) {
      ColumnStat* u = stat(id);
      u->distinct_count = std::min(*u->distinct_count, n);
      u->null_count = 0;
    }
    return {sel, true};
  }

  const PlanStatistics& input_;
  const double rows_;
  std::unordered_map<int64_t, ColumnStat> updated_;
};

// The equi-join key pairs of a join condition: (left attribute, right attribute); the other
// conjuncts go to *residual when given.
std::vector<std::pair<int64_t, int64_t>> equi_keys(const LogicalPlan& p,
                                                   std::vector<ExprPtr>* residual = nullptr) {
  std::vector<std::pair<int64_t, int64_t>> keys;
  if (!p.condition) return keys;
  std::set<int64_t> left, right;
  for (const auto& a : p.children[0]->output) left.insert(a->id);
  for (const auto& a : p.children[1]->output) right.insert(a->id);
  std::vector<ExprPtr> conjuncts;
  split_conjuncts(p.condition, conjuncts);
  for (const auto& c : conjuncts) {
    const bool equality = c->kind == ExprKind::kCall && c->children.size() == 2 &&
                          (c->name == "=" || c->name == "==" || c->name == "<=>");
    const Expr* a = equality ? column_of(c->children[0]) : nullptr;
    const Expr* b = equality ? column_of(c->children[1]) : nullptr;
    if (a && b && left.count(a->id) && right.count(b->id)) keys.emplace_back(a->id, b->id);
    else if (a && b && left.count(b->id) && right.count(a->id)) keys.emplace_back(b->id, a->id);
    else if (residual) residual->push_back(c);
  }
  return keys;
}

// Copies the statistics of attributes a projection passes on (directly or renamed by an alias).
void project_columns(const std::vector<ExprPtr>& exprs, const PlanStatistics& in, PlanStatistics& out) {
  for (const auto& e : exprs) {
    if (e->kind == ExprKind::kAttribute) {
      if (const ColumnStat* c = in.column(e->id)) out.columns[e->id] = *c;
    } else if (e->kind == ExprKind::kAlias && e->children[0]->kind == ExprKind::kAttribute) {
      if (const ColumnStat* c = in.column(e->children[0]->id)) out.columns[e->id] = *c;
    }
  }
}

double saturate(double x) { return std::isfinite(x) ? x : 9.2e18; }

// ANALYZE TABLE's figures replace the file's (footer or sample) field by field; what ANALYZE does
// not compute (a string's bounds) stays as the file gave it.
void prefer_analyzed(ColumnStat& c, const ColumnStat& analyzed) {
  if (analyzed.distinct_count) c.distinct_count = analyzed.distinct_count;
  if (analyzed.min) c.min = analyzed.min;
  if (analyzed.max) c.max = analyzed.max;
  if (analyzed.null_count) c.null_count = analyzed.null_count;
  if (analyzed.avg_len) c.avg_len = analyzed.avg_len;
  if (analyzed.max_len) c.max_len = analyzed.max_len;
}

}  // namespace

std::string bytes_to_string(double bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int unit = 0;
  double value = bytes;
  // Spark switches to the next unit at twice its size ("1500.0 B", "2.0 KiB").
  while (unit < 6 && bytes >= 2.0 * std::pow(1024.0, unit + 1)) ++unit;
  value = bytes / std::pow(1024.0, unit);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f %s", value, kUnits[unit]);
  return buf;
}

std::string row_count_to_string(double rows) {
  // BigDecimal(rows, MathContext(3, HALF_UP)).toString: plain below 1000, else d.ddE+n.
  const double r = std::round(rows);
  if (r < 1000) return std::to_string(static_cast<int64_t>(r));
  int exponent = static_cast<int>(std::floor(std::log10(r)));
  double mantissa = std::round(r / std::pow(10.0, exponent - 2)) / 100.0;
  if (mantissa >= 10.0) {
    mantissa /= 10.0;
    ++exponent;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2fE+%d", mantissa, exponent);
  return buf;
}

std::string PlanStatistics::to_string() const {
  std::string s = "Statistics(sizeInBytes=" + bytes_to_string(std::round(size_in_bytes));
  if (row_count) s += ", rowCount=" + row_count_to_string(*row_count);
  return s + ")";
}

double estimated_row_width(const std::vector<ExprPtr>& attributes, const PlanStatistics* stats) {
  double w = 8;
  for (const auto& a : attributes) {
    switch (a->type.id()) {
      case TypeId::kString:
      case TypeId::kBinary: {
        const ColumnStat* c = stats ? stats->column(a->id) : nullptr;
        w += c && c->avg_len ? *c->avg_len : 20;
        break;
      }
      case TypeId::kNull: w += 1; break;
      case TypeId::kDecimal: w += a->type.precision() <= 18 ? 8 : 16; break;
      default: w += std::max(1, a->type.fixed_width()); break;
    }
  }
  return w;
}

const PlanStatistics& StatisticsEstimator::estimate(const PlanPtr& plan) {
  if (auto it = memo_.find(plan.get()); it != memo_.end()) return it->second.second;
  PlanStatistics s = compute(*plan);
  s.size_in_bytes = saturate(s.size_in_bytes);
  return memo_.emplace(plan.get(), std::make_pair(plan, std::move(s))).first->second.second;
}

double StatisticsEstimator::filter_selectivity(const ExprPtr& condition, const PlanStatistics& input,
                                               PlanStatistics* out) {
  FilterEstimation f(input);
  const double sel = clamp01(f.estimate(condition, true).value);
  if (out) f.finish(sel, *out);
  return sel;
}

PlanStatistics StatisticsEstimator::compute(const LogicalPlan& p) {
  switch (p.kind) {
    case PlanKind::kRelation: return relation(p);
    case PlanKind::kFilter: return filter(p);
    case PlanKind::kJoin: return join(p);
    case PlanKind::kAggregate: return aggregate(p);
    case PlanKind::kProject: return project(p);
    case PlanKind::kUnion: {
      PlanStatistics s;
      double rows = 0;
      bool known = true;
      for (const auto& c : p.children) {
        const PlanStatistics& cs = estimate(c);
        s.size_in_bytes += cs.size_in_bytes;
        if (cs.row_count) rows += *cs.row_count;
        else known = false;
      }
      if (known) {
        s.row_count = rows;
        set_size(s, p.output);
      }
      return s;
    }
    case PlanKind::kLimit: {
      PlanStatistics s = estimate(p.child());
      const double limit = static_cast<double>(p.limit);
      s.row_count = s.row_count ? std::min(*s.row_count, limit) : limit;
      cap_columns(s);
      set_size(s, p.output);
      return s;
    }
    case PlanKind::kSample: {
      PlanStatistics s = estimate(p.child());
      if (s.row_count) {
        s.row_count = std::ceil(*s.row_count * p.fraction);
        cap_columns(s);
        set_size(s, p.output);
      } else {
        s.size_in_bytes *= p.fraction;
      }
      return s;
    }
    default: {
      // Sort, repartition, window, generate: the child's rows (a generator's fan-out is
      // unknown), the width of this node's output.
      if (p.children.empty()) return PlanStatistics{9.2e18, std::nullopt, {}};
      const PlanStatistics& cs = estimate(p.child());
      PlanStatistics s;
      s.row_count = cs.row_count;
      s.columns = cs.columns;
      if (s.row_count) {
        set_size(s, p.output);
      } else {
        s.size_in_bytes =
            cs.size_in_bytes * estimated_row_width(p.output) / estimated_row_width(p.child()->output);
      }
      return s;
    }
  }
}

PlanStatistics StatisticsEstimator::relation(const LogicalPlan& p) {
  const DataSource& src = *p.source;
  PlanStatistics s;
  switch (src.kind) {
    case SourceKind::kRange: {
      __int128 n = src.step > 0 ? (static_cast<__int128>(src.end) - src.start + src.step - 1) / src.step
                                : (static_cast<__int128>(src.start) - src.end - src.step - 1) / -src.step;
      n = std::max<__int128>(n, 0);
      s.row_count = static_cast<double>(n);
      if (n > 0 && !p.output.empty()) {
        ColumnStat c;
        const __int128 last = static_cast<__int128>(src.start) + (n - 1) * src.step;
        c.min = Value::int64(static_cast<int64_t>(std::min<__int128>(src.start, last)));
        c.max = Value::int64(static_cast<int64_t>(std::max<__int128>(src.start, last)));
        c.distinct_count = static_cast<double>(n);
        c.null_count = 0;
        s.columns[p.output[0]->id] = c;
      }
      break;
    }
    case SourceKind::kLocalRows: {
      double rows = 0;
      for (const auto& b : src.batches) rows += static_cast<double>(b.num_rows);
      s.row_count = rows;
      break;
    }
    case SourceKind::kCached: {
      // The cached plan's output attributes are this relation's, so its column statistics apply.
      s = estimate(src.cached->plan);
      std::lock_guard<std::mutex> lock(src.cached->mu);
      if (const TableStatistics* analyzed = src.cached->analyzed_statistics.get()) {
        for (const auto& a : p.output) {
          if (const ColumnStat* c = analyzed->column(a->name)) prefer_analyzed(s.columns[a->id], *c);
        }
        if (analyzed->row_count) s.row_count = static_cast<double>(*analyzed->row_count);
      }
      const auto& parts = src.cached->partition_rows;
      if (src.cached->num_partitions >= 0 &&
          parts.size() == static_cast<size_t>(src.cached->num_partitions) &&
          std::all_of(parts.begin(), parts.end(), [](int64_t r) { return r >= 0; })) {
        double rows = 0;
        for (int64_t r : parts) rows += static_cast<double>(r);
        s.row_count = rows;  // the actual count once computed
        cap_columns(s);
      }
      break;
    }
    case SourceKind::kCsv:
    case SourceKind::kJson:
    case SourceKind::kParquet: {
      auto source_stats = file_source_statistics(p.source);
      const TableStatistics* analyzed = src.table_statistics.get();
      s.row_count = analyzed && analyzed->row_count
                        ? std::optional<double>(static_cast<double>(*analyzed->row_count))
                        : source_stats->row_count;
      for (size_t i = 0; i < p.output.size(); ++i) {
        const int index = p.read_columns.empty() ? src.schema.index_of(p.output[i]->name) : p.read_columns[i];
        if (index < 0 || static_cast<size_t>(index) >= source_stats->columns.size()) continue;
        ColumnStat c = source_stats->columns[static_cast<size_t>(index)];
        if (const ColumnStat* a = analyzed ? analyzed->column(p.output[i]->name) : nullptr)
          prefer_analyzed(c, *a);
        // Footers rarely record distinct counts; a whole-number column cannot hold more distinct
        // values than its range (nor than its non-null rows), which bounds keys well.
        const TypeId type = p.output[i]->type.id();
        if (!c.distinct_count && s.row_count && c.min && c.max &&
            (is_integral_like(type) || type == TypeId::kBoolean)) {
          double span = type == TypeId::kBoolean ? 2.0 : *as_number(*c.max) - *as_number(*c.min) + 1;
          c.distinct_count = std::max(1.0, std::min(span, *s.row_count - c.null_count.value_or(0)));
        }
        if (!c.distinct_count && c.min && c.max && *c.min == *c.max) c.distinct_count = 1;
        s.columns[p.output[i]->id] = std::move(c);
      }
      if (!s.row_count) {
        // No row count (compressed text): Spark's size-only estimate, the bytes on disk scaled to
        // the columns read.
        double bytes = 0;
        for (const auto& f : src.files) bytes += static_cast<double>(f.second);
        std::vector<ExprPtr> all;
        for (const auto& f : src.schema.fields())
          all.push_back(make_attribute(f.name, f.type, f.nullable, 0));
        s.size_in_bytes = std::max(1.0, bytes * estimated_row_width(p.output) / estimated_row_width(all));
        return s;
      }
      break;
    }
  }
  set_size(s, p.output);
  return s;
}

PlanStatistics StatisticsEstimator::filter(const LogicalPlan& p) {
  const PlanStatistics& in = estimate(p.child());
  PlanStatistics s;
  if (!in.row_count) {
    s = in;  // Spark's size-only estimate: a filter keeps the size
    return s;
  }
  filter_selectivity(p.condition, in, &s);
  set_size(s, p.output);
  return s;
}

PlanStatistics StatisticsEstimator::join(const LogicalPlan& p) {
  const PlanStatistics& l = estimate(p.children[0]);
  const PlanStatistics& r = estimate(p.children[1]);
  const bool semi = p.join_type == JoinType::kLeftSemi || p.join_type == JoinType::kLeftAnti;
  PlanStatistics s;
  if (!l.row_count || !r.row_count) {
    s.size_in_bytes = semi ? l.size_in_bytes : l.size_in_bytes * r.size_in_bytes;
    return s;
  }
  const double lrows = *l.row_count, rrows = *r.row_count;
  std::vector<ExprPtr> residual;
  auto keys = equi_keys(p, &residual);
  if (semi) {
    // The left rows whose key occurs on the right, at most all of them (an anti join keeps at
    // most all of them too: which ones is the complement and unknown).
    double frac = 1.0;
    if (p.join_type == JoinType::kLeftSemi) {
      for (const auto& [a, b] : keys) frac = std::min(frac, ndv_or_rows(r, b) / ndv_or_rows(l, a));
    }
    s.row_count = lrows * frac;
    s.columns = l.columns;
    cap_columns(s);
    set_size(s, p.output);
    return s;
  }
  // JoinEstimation: each key pair alone gives |L|·|R| / max(ndv(l), ndv(r)) rows (or none when the
  // key ranges do not overlap); several keys: the smallest.
  double inner = lrows * rrows;
  for (const auto& [a, b] : keys) {
    const ColumnStat* ca = l.column(a);
    const ColumnStat* cb = r.column(b);
    if (ca && cb && ca->min && ca->max && cb->min && cb->max) {
      auto a_below_b = order(*ca->max, *cb->min), b_below_a = order(*cb->max, *ca->min);
      if ((a_below_b && *a_below_b < 0) || (b_below_a && *b_below_a < 0)) {
        inner = 0;
        break;
      }
    }
    inner = std::min(inner, lrows * rrows / std::max(ndv_or_rows(l, a), ndv_or_rows(r, b)));
  }
  double rows = inner;
  switch (p.join_type) {
    case JoinType::kLeftOuter: rows = std::max(inner, lrows); break;
    case JoinType::kRightOuter: rows = std::max(inner, rrows); break;
    case JoinType::kFullOuter: rows = std::max(inner, lrows) + std::max(inner, rrows) - inner; break;
    default: break;
  }
  s.row_count = std::ceil(rows);
  s.columns = l.columns;
  for (const auto& [id, c] : r.columns) s.columns[id] = c;
  if (p.join_type == JoinType::kInner || p.join_type == JoinType::kCross) {
    // Only keys present on both sides survive an inner join.
    for (const auto& [a, b] : keys) {
      const double ndv = std::min(ndv_or_rows(l, a), ndv_or_rows(r, b));
      if (s.columns.count(a)) s.columns[a].distinct_count = ndv;
      if (s.columns.count(b)) s.columns[b].distinct_count = ndv;
    }
    // Spark stops at the keys; ember also lets the other conjuncts filter the joined rows (as a
    // filter above the join would), so `n1.x = 'A' OR n2.x = 'B'` makes a small join small.
    if (!residual.empty()) {
      cap_columns(s);
      PlanStatistics filtered;
      filter_selectivity(join_conjuncts(residual), s, &filtered);
      s.row_count = filtered.row_count;
      s.columns = std::move(filtered.columns);
    }
  }
  cap_columns(s);
  set_size(s, p.output);
  return s;
}

PlanStatistics StatisticsEstimator::aggregate(const LogicalPlan& p) {
  const PlanStatistics& in = estimate(p.child());
  PlanStatistics s;
  if (!in.row_count) {
    s.size_in_bytes =
        in.size_in_bytes * estimated_row_width(p.output) / estimated_row_width(p.child()->output);
    return s;
  }
  // AggregateEstimation: the product of the grouping columns' distinct counts (one more for a
  // column with nulls), never more than the input rows; a global aggregate is one row.
  double groups = 1;
  bool known = true;
  for (const auto& g : p.grouping) {
    const ColumnStat* c = g->kind == ExprKind::kAttribute ? in.column(g->id) : nullptr;
    if (!c || !c->distinct_count) {
      known = false;
      break;
    }
    groups *= *c->distinct_count + (c->null_count.value_or(0) > 0 ? 1 : 0);
  }
  if (p.grouping.empty()) s.row_count = 1;
  else s.row_count = known ? std::min(groups, *in.row_count) : *in.row_count;
  project_columns(p.exprs, in, s);
  cap_columns(s);
  set_size(s, p.output);
  return s;
}

PlanStatistics StatisticsEstimator::project(const LogicalPlan& p) {
  const PlanStatistics& in = estimate(p.child());
  PlanStatistics s;
  s.row_count = in.row_count;
  project_columns(p.exprs, in, s);
  if (s.row_count) {
    set_size(s, p.output);
  } else {
    s.size_in_bytes =
        in.size_in_bytes * estimated_row_width(p.output) / estimated_row_width(p.child()->output);
  }
  return s;
}

PlanStatistics estimate_statistics(const PlanPtr& plan) {
  StatisticsEstimator estimator;
  return estimator.estimate(plan);
}

std::string plan_tree_string_with_statistics(const PlanPtr& plan) {
  StatisticsEstimator est;
  return plan_tree_string(plan, [&](const LogicalPlan& node) {
    // The walk hands out nodes owned by `plan`, which outlives it: a non-owning pointer will do.
    return ", " + est.estimate(PlanPtr(PlanPtr(), &node)).to_string();
  });
}

}  // namespace ember
