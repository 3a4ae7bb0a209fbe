#include "ember/quality/validation.h"

#include <set>

#include "ember/api/functions.h"

namespace ember::quality {

namespace f = ember::functions;

namespace {

// The failed-check labels are joined with a separator no label contains, then split into the
// array: concat_ws skips the nulls of the checks a row passed.
constexpr const char* kSeparator = "\x1f";

}  // namespace

ValidationResult validate(const DataFrame& df, const std::vector<Check>& checks) {
  check_columns(df.schema(), checks);
  const std::vector<std::string> original = df.columns();
  DataFrame cur = df;
  std::vector<Column> failed;  // per row-level constraint: true when the row fails it
  std::vector<std::string> labels;
  int joins = 0;
  std::set<std::string> seen;
  for (const Check& check : checks) {
    for (const Constraint& c : check.constraints()) {
      if (!c.row_level()) continue;
      // The same rule in two checks (is_complete here, has_completeness there) is one verdict;
      // predicates are told apart by their expression, not their name.
      const std::string identity =
          c.kind == ConstraintKind::kSatisfies ? c.predicate->expr()->to_string() : c.label();
      if (!seen.insert(identity).second) continue;
      switch (c.kind) {
        case ConstraintKind::kUniqueness:
        case ConstraintKind::kPrimaryKey: {
          // Keys that occur more than once, each flagged; a left join marks every row holding one.
          const std::string tag = "__dq_j" + std::to_string(joins++);
          std::vector<ColumnOrName> by(c.columns.begin(), c.columns.end());
          Column complete = f::col(c.columns[0]).is_not_null();
          for (size_t i = 1; i < c.columns.size(); ++i)
            complete = complete && f::col(c.columns[i]).is_not_null();
          std::vector<Column> keys;
          for (size_t i = 0; i < c.columns.size(); ++i) {
            keys.push_back(f::col(c.columns[i]).alias(tag + "_k" + std::to_string(i)));
          }
          keys.push_back(f::lit(true).alias(tag));
          // Duplicates are counted among the rows the constraint applies to.
          DataFrame dups = df.filter(c.applies() && complete)
                               .group_by(by)
                               .agg({f::count("*").alias(tag + "_n")})
                               .filter(f::col(tag + "_n") > f::lit(1))
                               .select(std::vector<ColumnOrName>(keys.begin(), keys.end()));
          Column on = f::col(c.columns[0]) == f::col(tag + "_k0");
          for (size_t i = 1; i < c.columns.size(); ++i) {
            on = on && (f::col(c.columns[i]) == f::col(tag + "_k" + std::to_string(i)));
          }
          cur = cur.join(dups, on, "left");
          Column fails = f::col(tag).is_not_null();
          if (c.kind == ConstraintKind::kPrimaryKey) fails = fails || !complete;
          failed.push_back(c.filtered() ? c.applies() && fails : fails);
          break;
        }
        case ConstraintKind::kReferential: {
          const std::string tag = "__dq_j" + std::to_string(joins++);
          DataFrame keys = c.reference->select({f::col(c.reference_column).alias(tag + "_k0")})
                               .distinct()
                               .with_column(tag, f::lit(true));
          cur = cur.join(keys, f::col(c.columns[0]) == f::col(tag + "_k0"), "left");
          Column orphan = f::col(c.columns[0]).is_not_null() && f::col(tag).is_null();
          failed.push_back(c.filtered() ? c.applies() && orphan : orphan);
          break;
        }
        default: failed.push_back(c.filtered() ? c.applies() && !c.row_passes() : !c.row_passes()); break;
      }
      labels.push_back(c.label());
    }
  }
  std::vector<ColumnOrName> flagged;
  for (const auto& name : original) flagged.push_back(f::col(name));
  if (failed.empty()) {
    flagged.push_back(f::lit(false).alias("__dq_bad"));
    flagged.push_back(f::lit("").alias("__dq_text"));
  } else {
    Column any = failed[0];
    std::vector<ColumnOrName> names{f::lit(kSeparator)};
    for (size_t i = 0; i < failed.size(); ++i) {
      if (i) any = any || failed[i];
      names.push_back(f::when(failed[i], f::lit(labels[i])));
    }
    flagged.push_back(any.alias("__dq_bad"));
    flagged.push_back(f::call_function("concat_ws", names).alias("__dq_text"));
  }
  DataFrame annotated = cur.select(flagged);
  DataFrame bad = annotated.filter(f::col("__dq_bad"));
  std::vector<ColumnOrName> keep(original.begin(), original.end());
  std::vector<ColumnOrName> with_array = keep, with_text = keep;
  with_array.push_back(f::split(f::col("__dq_text"), kSeparator).alias(kFailedChecksColumn));
  with_text.push_back(f::regexp_replace(f::col("__dq_text"), kSeparator, "; ").alias(kFailedChecksColumn));
  return ValidationResult{annotated.filter(!f::col("__dq_bad")).select(keep), bad.select(with_array),
                          bad.select(with_text)};
}

}  // namespace ember::quality
