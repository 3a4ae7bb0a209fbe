#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "ember/common/error.h"
#include "ember/expr/common_subexpressions.h"
#include "ember/expr/evaluator.h"
#include "ember/io/csv/csv_options.h"
#include "ember/io/csv/csv_reader.h"
#include "ember/io/json/json_reader.h"
#include "ember/io/parquet/parquet_reader.h"
#include "ember/io/parquet/parquet_scan_filter.h"
#include "ember/io/parquet/row_group_pruning.h"
#include "ember/optimizer/cost/statistics.h"
#include "ember/physical/physical_plan.h"

namespace ember {

namespace {

std::string expr_list(const std::vector<ExprPtr>& exprs) {
  std::string s;
  for (size_t i = 0; i < exprs.size(); ++i) s += (i ? ", " : "") + exprs[i]->to_string();
  return s;
}

PhysPtr make_node(PhysKind kind, std::vector<PhysPtr> children) {
  auto p = std::make_shared<PhysicalPlan>();
  p->kind = kind;
  p->children = std::move(children);
  if (!p->children.empty()) {
    p->output = p->children[0]->output;
    p->num_partitions = p->children[0]->num_partitions;
    p->clustered_on = p->children[0]->clustered_on;
    p->sorted_by = p->children[0]->sorted_by;
  }
  return p;
}

PhysPtr make_exchange(PhysPtr child, Partitioning partitioning, std::vector<ExprPtr> attribute_keys) {
  auto ex = make_node(PhysKind::kExchange, {std::move(child)});
  ex->num_partitions = partitioning.num_partitions;
  ex->partitioning = std::move(partitioning);
  ex->partitioning.keys.clear();
  for (const auto& k : attribute_keys) ex->partitioning.keys.push_back(bind_to_input(k, ex->children[0]->output));
  ex->orders = std::move(attribute_keys);  // unbound form, for explain
  ex->sorted_by.clear();
  ex->clustered_on.clear();
  if (ex->partitioning.kind == PartitioningKind::kHash &&
      std::all_of(ex->orders.begin(), ex->orders.end(), [](const ExprPtr& k) { return k->kind == ExprKind::kAttribute; })) {
    for (const auto& k : ex->orders) ex->clustered_on.push_back(k->id);
  }
  std::string kind;
  switch (ex->partitioning.kind) {
    case PartitioningKind::kHash: kind = "hashpartitioning(" + expr_list(ex->orders) + ", "; break;
    case PartitioningKind::kRange: kind = "rangepartitioning(" + expr_list(ex->orders) + ", "; break;
    case PartitioningKind::kRoundRobin: kind = "RoundRobinPartitioning("; break;
    case PartitioningKind::kSingle: kind = "SinglePartition"; break;
    case PartitioningKind::kBroadcast:
      ex->label = "BroadcastExchange HashedRelationBroadcastMode(List(" + expr_list(ex->orders) + "))";
      if (ex->orders.empty()) ex->label = "BroadcastExchange IdentityBroadcastMode";
      return ex;
  }
  ex->label = "Exchange " + kind +
              (ex->partitioning.kind == PartitioningKind::kSingle ? "" : std::to_string(ex->num_partitions) + ")");
  return ex;
}

// Replaces, bottom-up, every subexpression of `e` equal to one of `targets` by the matching
// replacement attribute (used to express aggregate results over [keys, aggregate values]).
ExprPtr substitute(const ExprPtr& e, const std::vector<ExprPtr>& targets, const std::vector<ExprPtr>& replacements) {
  std::string text = e->to_string();
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i]->to_string() == text) return replacements[i];
  }
  if (e->children.empty()) return e;
  std::vector<ExprPtr> kids;
  bool changed = false;
  for (const auto& c : e->children) {
    kids.push_back(substitute(c, targets, replacements));
    changed |= kids.back() != c;
  }
  return changed ? with_children(*e, std::move(kids)) : e;
}

class Planner {
 public:
  explicit Planner(const PhysicalPlannerOptions& options) : options_(options) {}

  PhysPtr plan(const PlanPtr& p) {
    switch (p->kind) {
      case PlanKind::kRelation: return plan_scan(*p);
      case PlanKind::kFilter: {
        PhysPtr child = plan(p->child());
        ExprPtr condition = take_scan_filters(p->condition, *child);
        if (!condition) return child;  // the scan evaluates every conjunct
        auto f = make_node(PhysKind::kFilter, {child});
        f->predicate = bind_to_input(condition, child->output);
        f->label = "Filter " + condition->to_string();
        return f;
      }
      case PlanKind::kProject: {
        PhysPtr child = plan(p->child());
        auto pr = make_node(PhysKind::kProject, {child});
        for (const auto& e : p->exprs) pr->exprs.push_back(bind_to_input(e, child->output));
        pr->output = p->output;
        pr->label = "Project [" + expr_list(p->exprs) + "]";
        if (options_.subexpression_elimination) {
          SharedSubexpressions cse =
              share_common_subexpressions(pr->exprs, static_cast<int>(child->output.size()));
          if (!cse.shared.empty()) {
            pr->exprs = std::move(cse.exprs);
            pr->shared_exprs = std::move(cse.shared);
            const size_t n = pr->shared_exprs.size();
            pr->label += ", " + std::to_string(n) +
                         (n == 1 ? " common subexpression" : " common subexpressions") + " computed once";
          }
        }
        keep_properties_through(*pr);
        return pr;
      }
      case PlanKind::kAggregate: return plan_aggregate(*p);
      case PlanKind::kSort: {
        PhysPtr child = plan(p->child());
        if (p->global_sort && child->num_partitions > 1) {
          Partitioning part{PartitioningKind::kRange, options_.shuffle_partitions, {}};
          child = make_exchange(child, part, p->exprs);
        }
        return make_sort(child, p->exprs, -1, p->global_sort);
      }
      case PlanKind::kLimit: {
        const PlanPtr& c = p->child();
        if (c->kind == PlanKind::kSort && c->global_sort) {
          // Top-N: each partition keeps its first n rows in order, one task merges them.
          PhysPtr input = plan(c->child());
          PhysPtr local = make_sort(input, c->exprs, p->limit, false);
          PhysPtr single = local->num_partitions > 1
                               ? make_exchange(local, Partitioning{PartitioningKind::kSingle, 1, {}}, {})
                               : local;
          return make_sort(single, c->exprs, p->limit, true);
        }
        PhysPtr child = plan(c);
        PhysPtr local = make_limit(child, p->limit, false);
        if (local->num_partitions == 1) return local;
        PhysPtr single = make_exchange(local, Partitioning{PartitioningKind::kSingle, 1, {}}, {});
        return make_limit(single, p->limit, true);
      }
      case PlanKind::kUnion: {
        std::vector<PhysPtr> kids;
        int parts = 0;
        for (const auto& c : p->children) {
          kids.push_back(plan(c));
          parts += kids.back()->num_partitions;
        }
        auto u = make_node(PhysKind::kUnion, kids);
        u->clustered_on.clear();
        u->sorted_by.clear();
        u->output = p->output;
        u->num_partitions = parts;
        u->label = "Union";
        return u;
      }
      case PlanKind::kRepartition: {
        PhysPtr child = plan(p->child());
        int n = p->num_partitions > 0 ? p->num_partitions : options_.shuffle_partitions;
        if (!p->shuffle) {
          if (n >= child->num_partitions) return child;
          auto c = make_node(PhysKind::kCoalesce, {child});
          c->sorted_by.clear();  // partitions are concatenated; clustering survives
          c->num_partitions = n;
          c->label = "Coalesce " + std::to_string(n);
          return c;
        }
        Partitioning part{p->exprs.empty() ? PartitioningKind::kRoundRobin : PartitioningKind::kHash, n, {}};
        PhysPtr ex = make_exchange(child, part, p->exprs);
        ex->user_partitions = p->num_partitions > 0;
        return ex;
      }
      case PlanKind::kJoin: return plan_join(*p);
      case PlanKind::kWindow: return plan_window(*p);
      case PlanKind::kGenerate: {
        auto g = make_node(PhysKind::kGenerate, {plan(p->child())});
        g->exprs = {bind_to_input(p->exprs[0], g->children[0]->output)};
        // ([pos,] col) for an array, ([pos,] key, value) for a map.
        const size_t element_columns = p->exprs[0]->type.id() == TypeId::kMap ? 2 : 1;
        g->with_position = p->generated.size() == element_columns + 1;
        g->generator_outer = p->generator_outer;
        g->output = p->output;
        g->label = plan_node_string(*p);
        return g;
      }
      case PlanKind::kSample: {
        auto sm = make_node(PhysKind::kSample, {plan(p->child())});
        sm->fraction = p->fraction;
        sm->with_replacement = p->with_replacement;
        sm->seed = p->seed;
        sm->label = plan_node_string(*p);
        return sm;
      }
      case PlanKind::kBroadcastHint: return plan(p->child());
      default: throw_internal(__FILE__, __LINE__, "cannot plan node " + plan_node_string(*p));
    }
  }

 private:
  // Equi-join keys (a = b with a over one side and b over the other) and the rest of the
  // condition.
  struct JoinKeys {
    std::vector<ExprPtr> left, right;
    std::vector<bool> null_safe;
    std::vector<ExprPtr> residual;
  };

  static JoinKeys split_join_condition(const LogicalPlan& join) {
    JoinKeys keys;
    if (!join.condition) return keys;
    std::vector<int64_t> left_ids, right_ids;
    for (const auto& a : join.children[0]->output) left_ids.push_back(a->id);
    for (const auto& a : join.children[1]->output) right_ids.push_back(a->id);
    auto only = [](const ExprPtr& e, const std::vector<int64_t>& ids) {
      std::vector<int64_t> refs;
      collect_attribute_ids(e, refs);
      if (refs.empty()) return false;
      return std::all_of(refs.begin(), refs.end(),
                         [&](int64_t id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); });
    };
    std::vector<ExprPtr> conjuncts;
    split_conjuncts(join.condition, conjuncts);
    for (const auto& c : conjuncts) {
      const bool null_safe = c->kind == ExprKind::kCall && c->name == "<=>";
      if (c->kind == ExprKind::kCall && (c->name == "=" || c->name == "==" || null_safe) && c->children.size() == 2 &&
          is_deterministic(c)) {
        const ExprPtr& a = c->children[0];
        const ExprPtr& b = c->children[1];
        if (only(a, left_ids) && only(b, right_ids)) {
          keys.left.push_back(a);
          keys.right.push_back(b);
          keys.null_safe.push_back(null_safe);
          continue;
        }
        if (only(b, left_ids) && only(a, right_ids)) {
          keys.left.push_back(b);
          keys.right.push_back(a);
          keys.null_safe.push_back(null_safe);
          continue;
        }
      }
      keys.residual.push_back(c);
    }
    return keys;
  }

  // Window: rows of one window partition must meet in one task, sorted by the partition and
  // order keys (Spark's WindowExec requirements).
  PhysPtr plan_window(const LogicalPlan& p) {
    PhysPtr child = plan(p.child());
    const Expr& first = *p.exprs[0]->children[0];
    const size_t first_order = 1 + static_cast<size_t>(first.window_partitions);
    std::vector<ExprPtr> partition_keys(first.children.begin() + 1, first.children.begin() + static_cast<long>(first_order));
    std::vector<ExprPtr> order_keys(first.children.begin() + static_cast<long>(first_order), first.children.end());
    if (partition_keys.empty()) {
      if (child->num_partitions > 1) child = make_exchange(child, Partitioning{PartitioningKind::kSingle, 1, {}}, {});
    } else if (!clustered_by(*child, partition_keys)) {
      child = make_exchange(child, Partitioning{PartitioningKind::kHash, options_.shuffle_partitions, {}}, partition_keys);
    }
    std::vector<ExprPtr> sort_keys;
    for (const auto& k : partition_keys) sort_keys.push_back(make_sort_order(k, true, true));
    sort_keys.insert(sort_keys.end(), order_keys.begin(), order_keys.end());
    if (!sort_keys.empty() && !sorted_by(*child, sort_keys)) child = make_sort(child, sort_keys, -1, false);
    auto w = make_node(PhysKind::kWindow, {child});
    for (const auto& e : p.exprs) w->exprs.push_back(bind_to_input(e, child->output));
    w->output = p.output;  // the child's columns and order survive; window columns are added
    std::string text;
    for (size_t i = 0; i < p.exprs.size(); ++i) text += (i ? ", " : "") + p.exprs[i]->to_string();
    w->label = "Window [" + text + "]";
    return w;
  }

  PhysPtr plan_join(const LogicalPlan& p) {
    PhysPtr left = plan(p.children[0]);
    PhysPtr right = plan(p.children[1]);
    JoinKeys keys = split_join_condition(p);
    JoinType type = p.join_type;
    if (type == JoinType::kCross && p.condition) type = JoinType::kInner;
    // Which sides may be built once and shared: never a side whose unmatched rows the join must
    // emit, since no single task sees all matches of a broadcast row.
    const bool can_build_right = type == JoinType::kInner || type == JoinType::kCross ||
                                 type == JoinType::kLeftOuter || type == JoinType::kLeftSemi ||
                                 type == JoinType::kLeftAnti;
    const bool can_build_left = type == JoinType::kInner || type == JoinType::kCross || type == JoinType::kRightOuter;
    const int64_t threshold = options_.auto_broadcast_threshold;
    const int64_t left_size = size_of(p.children[0]);
    const int64_t right_size = size_of(p.children[1]);
    auto small = [&](int64_t size) { return threshold >= 0 && size <= threshold; };
    std::optional<BuildSide> broadcast;
    if (p.broadcast_right && can_build_right) broadcast = BuildSide::kRight;
    else if (p.broadcast_left && can_build_left) broadcast = BuildSide::kLeft;
    else if (can_build_right && small(right_size) && (!can_build_left || !small(left_size) || right_size <= left_size))
      broadcast = BuildSide::kRight;
    else if (can_build_left && small(left_size)) broadcast = BuildSide::kLeft;

    auto j = std::make_shared<PhysicalPlan>();
    j->join_type = type;
    j->output = p.output;
    j->join_max_build_bytes = options_.join_max_build_bytes;
    std::vector<ExprPtr> both = left->output;
    both.insert(both.end(), right->output.begin(), right->output.end());
    std::string condition_text;
    if (keys.left.empty()) {
      // No equi keys: every pair is tested. The build side is broadcast; a full outer join has
      // to see all probe rows in one task to know which build rows never matched.
      j->kind = PhysKind::kNestedLoopJoin;
      BuildSide side = broadcast.value_or(can_build_right ? BuildSide::kRight : BuildSide::kLeft);
      if (type == JoinType::kFullOuter) side = BuildSide::kRight;
      j->build_side = side;
      PhysPtr& build = side == BuildSide::kRight ? right : left;
      PhysPtr& probe = side == BuildSide::kRight ? left : right;
      build = make_exchange(build, Partitioning{PartitioningKind::kBroadcast, 1, {}}, {});
      if (type == JoinType::kFullOuter && probe->num_partitions > 1) {
        probe = make_exchange(probe, Partitioning{PartitioningKind::kSingle, 1, {}}, {});
      }
      if (p.condition) {
        j->join_condition = bind_to_input(p.condition, both);
        condition_text = ", " + p.condition->to_string();
      }
      j->children = {left, right};
      j->num_partitions = probe->num_partitions;
      j->label = type == JoinType::kCross || (type == JoinType::kInner && !p.condition)
                     ? "BroadcastNestedLoopJoin " + std::string(side == BuildSide::kRight ? "BuildRight" : "BuildLeft") +
                           ", Cross"
                     : "BroadcastNestedLoopJoin " + std::string(side == BuildSide::kRight ? "BuildRight" : "BuildLeft") +
                           ", " + std::string(join_type_name(type)) + condition_text;
      return j;
    }

    j->kind = PhysKind::kHashJoin;
    if (!keys.residual.empty()) {
      j->join_condition = bind_to_input(join_conjuncts(keys.residual), both);
      condition_text = ", " + join_conjuncts(keys.residual)->to_string();
    }
    std::string keys_text = "[" + expr_list(keys.left) + "], [" + expr_list(keys.right) + "], " +
                            std::string(join_type_name(type));
    if (broadcast) {
      j->build_side = *broadcast;
      PhysPtr& build = *broadcast == BuildSide::kRight ? right : left;
      const std::vector<ExprPtr>& build_keys = *broadcast == BuildSide::kRight ? keys.right : keys.left;
      build = make_exchange(build, Partitioning{PartitioningKind::kBroadcast, 1, {}}, build_keys);
      j->num_partitions = (*broadcast == BuildSide::kRight ? left : right)->num_partitions;
      j->label = "BroadcastHashJoin " + keys_text + ", " + (*broadcast == BuildSide::kRight ? "BuildRight" : "BuildLeft") +
                 condition_text + ", false";
    } else {
      // Shuffled hash join: both sides hash-partitioned on the keys into the same partitions.
      // The build side: the smaller one for inner, one-sided outer, semi and anti joins. An outer
      // join may build its preserved side here (Spark 3.5+, SPARK-36612), and a semi or anti join
      // its left side (Spark always builds the right): each task builds its own table, sees every
      // probe row that can match it, and emits the build rows it owes at the end. TPC-H Q13
      // builds its 150k customers instead of their 1.5M orders; Q4 its 57k orders instead of 3.8M
      // lineitems, whose keys then also bloom-filter the lineitem scan.
      BuildSide side = BuildSide::kRight;
      if (type == JoinType::kRightOuter) side = BuildSide::kLeft;
      if ((type == JoinType::kInner || type == JoinType::kCross || type == JoinType::kLeftOuter ||
           type == JoinType::kLeftSemi || type == JoinType::kLeftAnti) &&
          left_size < right_size)
        side = BuildSide::kLeft;
      if (type == JoinType::kRightOuter && right_size < left_size) side = BuildSide::kRight;
      j->build_side = side;
      Partitioning part{PartitioningKind::kHash, options_.shuffle_partitions, {}};
      left = make_exchange(left, part, keys.left);
      right = make_exchange(right, part, keys.right);
      j->num_partitions = options_.shuffle_partitions;
      j->label = "ShuffledHashJoin " + keys_text + ", " + (side == BuildSide::kRight ? "BuildRight" : "BuildLeft") +
                 condition_text;
    }
    j->null_safe_keys = keys.null_safe;
    for (const auto& k : keys.left) j->left_keys.push_back(bind_to_input(k, left->output));
    for (const auto& k : keys.right) j->right_keys.push_back(bind_to_input(k, right->output));
    j->children = {left, right};
    return j;
  }

  // Drops clustering and ordering facts about attributes a node no longer outputs.
  static void keep_properties_through(PhysicalPlan& node) {
    auto outputs = [&](int64_t id) {
      return std::any_of(node.output.begin(), node.output.end(), [&](const ExprPtr& a) { return a->id == id; });
    };
    if (!std::all_of(node.clustered_on.begin(), node.clustered_on.end(), outputs)) node.clustered_on.clear();
    size_t keep = 0;
    while (keep < node.sorted_by.size() && node.sorted_by[keep]->children[0]->kind == ExprKind::kAttribute &&
           outputs(node.sorted_by[keep]->children[0]->id)) {
      ++keep;
    }
    node.sorted_by.resize(keep);
  }

  // Are rows with equal `keys` already together in one partition (Spark's ClusteredDistribution)?
  // True when the input is hash-partitioned on a subset of them.
  static bool clustered_by(const PhysicalPlan& input, const std::vector<ExprPtr>& keys) {
    if (input.clustered_on.empty()) return false;
    return std::all_of(input.clustered_on.begin(), input.clustered_on.end(), [&](int64_t id) {
      return std::any_of(keys.begin(), keys.end(),
                         [&](const ExprPtr& k) { return k->kind == ExprKind::kAttribute && k->id == id; });
    });
  }

  // Is each partition of `input` already sorted by `orders` (a prefix of its ordering)?
  static bool sorted_by(const PhysicalPlan& input, const std::vector<ExprPtr>& orders) {
    if (orders.size() > input.sorted_by.size()) return false;
    for (size_t i = 0; i < orders.size(); ++i) {
      if (orders[i]->to_string() != input.sorted_by[i]->to_string()) return false;
    }
    return true;
  }

  PhysPtr make_sort(PhysPtr child, const std::vector<ExprPtr>& orders, int64_t limit, bool global) {
    auto s = make_node(PhysKind::kSort, {std::move(child)});
    s->sorted_by = orders;
    for (const auto& o : orders) s->orders.push_back(bind_to_input(o, s->children[0]->output));
    s->limit = limit;
    s->label = (limit >= 0 ? "TakeOrdered(limit=" + std::to_string(limit) + ") " : std::string()) + "Sort [" +
               expr_list(orders) + "], " + (global ? "true" : "false");
    return s;
  }

  PhysPtr make_limit(PhysPtr child, int64_t n, bool global) {
    auto l = make_node(PhysKind::kLimit, {std::move(child)});
    l->limit = n;
    l->label = std::string(global ? "GlobalLimit " : "LocalLimit ") + std::to_string(n);
    return l;
  }

  // A filter straight over a Parquet scan: the conjuncts the scan can evaluate while it reads
  // move into the scan (explain shows them as ScanFilters); returns the rest, nullptr when none.
  ExprPtr take_scan_filters(const ExprPtr& condition, PhysicalPlan& scan) {
    if (!options_.parquet_late_materialization || scan.kind != PhysKind::kScan ||
        scan.source->kind != SourceKind::kParquet) {
      return condition;
    }
    const int data_columns = static_cast<int>(scan.source->schema.size()) - scan.source->partition_columns;
    auto flat_data_column = [&](int i) {
      return i >= 0 && static_cast<size_t>(i) < scan.read_columns.size() &&
             scan.read_columns[static_cast<size_t>(i)] >= 0 &&
             scan.read_columns[static_cast<size_t>(i)] < data_columns &&
             !scan.output[static_cast<size_t>(i)]->type.is_nested();
    };
    std::vector<ExprPtr> conjuncts, taken, kept;
    split_conjuncts(condition, conjuncts);
    // A nondeterministic conjunct (rand) sees rows by position: the scan must not change which
    // rows reach it.
    if (!std::all_of(conjuncts.begin(), conjuncts.end(),
                     [](const ExprPtr& c) { return is_deterministic(c); }))
      return condition;
    for (const auto& c : conjuncts) {
      ExprPtr bound = bind_to_input(c, scan.output);
      if (parquet_scan_can_evaluate(*bound, flat_data_column)) {
        scan.scan_filters.push_back(std::move(bound));
        taken.push_back(c);
      } else {
        kept.push_back(c);
      }
    }
    if (taken.empty()) return condition;
    scan.label += ", ScanFilters: [" + expr_list(taken) + "]";
    if (kept.empty()) return nullptr;
    ExprPtr rest = kept[0];
    for (size_t i = 1; i < kept.size(); ++i) rest = make_and(rest, kept[i]);
    return rest;
  }

  PhysPtr plan_scan(const LogicalPlan& p) {
    auto s = make_node(PhysKind::kScan, {});
    s->source = p.source;
    s->output = p.output;
    s->pushed_filters = p.pushed_filters;
    const Schema& schema = p.source->schema;
    if (p.read_columns.empty()) {
      for (const auto& a : p.output) s->read_columns.push_back(schema.index_of(a->name));
    } else {
      s->read_columns = p.read_columns;
    }
    std::string cols;
    for (size_t i = 0; i < p.output.size(); ++i) cols += (i ? "," : "") + p.output[i]->to_string();
    switch (p.source->kind) {
      case SourceKind::kCsv: {
        CsvOptions options = CsvOptions::parse(p.source->options);
        std::vector<FileInfo> files;
        for (const auto& [path, size] : p.source->files) files.push_back(FileInfo{path, size});
        for (const auto& split : plan_csv_splits(files, options, options_.max_partition_bytes)) {
          s->csv_splits.push_back(CsvScanSplit{split.path, split.start, split.length, split.file_size});
        }
        s->num_partitions = std::max<int>(1, static_cast<int>(s->csv_splits.size()));
        std::string read_schema;
        for (size_t i = 0; i < p.output.size(); ++i) {
          read_schema += (i ? "," : "") + p.output[i]->name + ":" + p.output[i]->type.simple_string();
        }
        s->label = "FileScan csv [" + cols + "] Format: CSV, Location: " + std::to_string(p.source->paths.size()) +
                   " paths, " + std::to_string(files.size()) + " files, PushedFilters: [" +
                   expr_list(p.pushed_filters) + "], ReadSchema: struct<" + read_schema + ">";
        break;
      }
      case SourceKind::kJson: {
        JsonOptions options = JsonOptions::parse(p.source->options);
        std::vector<FileInfo> files;
        int64_t total_bytes = 0;
        for (const auto& [path, size] : p.source->files) {
          files.push_back(FileInfo{path, size});
          total_bytes += size;
        }
        // Spark's split size: min(maxPartitionBytes, max(openCostInBytes = 4 MiB, total / cores)),
        // so a file smaller than maxPartitionBytes still spreads over the cores.
        const int64_t split_bytes = std::min<int64_t>(
            options_.max_partition_bytes, std::max<int64_t>(4LL << 20, total_bytes / std::max(1, options_.default_parallelism)));
        for (const auto& split : plan_json_splits(files, options, split_bytes)) {
          s->csv_splits.push_back(CsvScanSplit{split.path, split.start, split.length, split.file_size});
        }
        s->num_partitions = std::max<int>(1, static_cast<int>(s->csv_splits.size()));
        std::string read_schema;
        for (size_t i = 0; i < p.output.size(); ++i) {
          read_schema += (i ? "," : "") + p.output[i]->name + ":" + p.output[i]->type.simple_string();
        }
        s->label = "FileScan json [" + cols + "] Format: JSON, Location: " + std::to_string(p.source->paths.size()) +
                   " paths, " + std::to_string(files.size()) + " files, ReadSchema: struct<" + read_schema + ">";
        break;
      }
      case SourceKind::kParquet: plan_parquet_scan(p, *s, cols); break;
      case SourceKind::kRange:
        s->num_partitions = p.source->num_partitions > 0 ? p.source->num_partitions : options_.default_parallelism;
        s->label = p.source->describe();
        break;
      case SourceKind::kLocalRows:
        s->num_partitions = std::max<int>(
            1, std::min<int>(options_.default_parallelism, static_cast<int>(p.source->batches.size())));
        s->label = "LocalTableScan [" + cols + "]";
        break;
      case SourceKind::kCached: {
        // One task per cached partition; before the first action materialises the data
        // (explain only), the partition count is not known yet.
        std::lock_guard<std::mutex> lock(p.source->cached->mu);
        s->num_partitions = p.source->cached->num_partitions >= 0
                                ? std::max(1, p.source->cached->num_partitions)
                                : options_.default_parallelism;
        s->label = "InMemoryTableScan [" + cols + "]";
        break;
      }
    }
    return s;
  }

  // Parquet: partition filters drop whole files before any is opened, footers give the row
  // groups, statistics drop row groups the pushed filters exclude, and the remaining row groups are
  // packed into tasks of about min(maxPartitionBytes, max(4 MiB, total / parallelism)) bytes, as
  // Spark sizes file splits.
  void plan_parquet_scan(const LogicalPlan& p, PhysicalPlan& s, const std::string& cols) {
    const DataSource& src = *p.source;
    const int data_columns = static_cast<int>(src.schema.size()) - src.partition_columns;
    std::map<int64_t, int> schema_index;  // attribute id -> index into src.schema
    for (size_t i = 0; i < p.output.size(); ++i) {
      schema_index[p.output[i]->id] = p.read_columns.empty() ? src.schema.index_of(p.output[i]->name) : p.read_columns[i];
    }
    auto is_partition_attr = [&](int64_t id) {
      auto it = schema_index.find(id);
      return it != schema_index.end() && it->second >= data_columns;
    };
    std::vector<ExprPtr> partition_filters, data_filters;
    for (const auto& f : p.pushed_filters) {
      std::vector<int64_t> ids;
      collect_attribute_ids(f, ids);
      bool only_partitions = !ids.empty() && std::all_of(ids.begin(), ids.end(), is_partition_attr);
      (only_partitions ? partition_filters : data_filters).push_back(f);
    }
    // Partition pruning: evaluate the partition filters on each file's directory values.
    std::vector<size_t> kept_files;
    EvalContext ctx;
    ctx.ansi = options_.ansi;
    for (size_t f = 0; f < src.files.size(); ++f) {
      bool keep = true;
      for (const auto& filter : partition_filters) {
        ExprPtr bound = transform_up(filter, [&](const ExprPtr& x) -> ExprPtr {
          if (x->kind != ExprKind::kAttribute) return x;
          auto it = schema_index.find(x->id);
          if (it == schema_index.end() || it->second < data_columns) return x;
          return make_literal(src.file_partition_values[f][static_cast<size_t>(it->second - data_columns)]);
        });
        try {
          Value v = evaluate_constant(*bound, ctx);
          if (v.is_null() || !v.as_bool()) keep = false;
        } catch (const std::exception&) {
          // Undecidable at planning (e.g. needs the time zone): read the file.
        }
        if (!keep) break;
      }
      if (keep) kept_files.push_back(f);
    }
    // Row groups, pruned by statistics.
    struct Piece {
      size_t file;
      int row_group;
      int64_t bytes;
      std::vector<ParquetRowRange> ranges;  // empty: every row
    };
    std::vector<Piece> pieces;
    int64_t total_row_groups = 0, total_bytes = 0;
    int64_t pruned_page_row_groups = 0, selected_rows_in_pruned = 0, rows_in_pruned = 0;
    const ParquetReadOptions read_options = ParquetReadOptions::parse(src.options);
    for (size_t f : kept_files) {
      auto reader = ParquetFileReader::open(src.files[f].first, read_options);
      for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
        ++total_row_groups;
        ParquetRowGroupInfo info = reader->row_group(rg);
        bool may_match = true;
        for (const auto& filter : data_filters) {
          may_match = row_group_may_match(filter, [&](int64_t id) -> const ParquetColumnStatistics* {
            auto it = schema_index.find(id);
            if (it == schema_index.end() || it->second >= data_columns) return nullptr;
            int in_file = reader->schema().index_of(src.schema.field(static_cast<size_t>(it->second)).name);
            if (in_file < 0 || reader->schema().field(static_cast<size_t>(in_file)).type !=
                                   src.schema.field(static_cast<size_t>(it->second)).type) {
              return nullptr;
            }
            return &info.columns[static_cast<size_t>(in_file)];
          });
          if (!may_match) break;
        }
        if (!may_match) continue;
        // Page-level pruning: a conjunct on one column keeps only the pages its page index
        // cannot rule out; the scan then reads and decodes those pages alone.
        std::vector<ParquetRowRange> ranges{ParquetRowRange{0, info.num_rows}};
        for (const auto& filter : data_filters) {
          std::vector<int64_t> ids;
          collect_attribute_ids(filter, ids);
          if (ids.empty() || std::any_of(ids.begin(), ids.end(), [&](int64_t id) { return id != ids[0]; }))
            continue;
          auto it = schema_index.find(ids[0]);
          if (it == schema_index.end() || it->second >= data_columns) continue;
          const Field& field = src.schema.field(static_cast<size_t>(it->second));
          int in_file = reader->schema().index_of(field.name);
          if (in_file < 0 || reader->schema().field(static_cast<size_t>(in_file)).type != field.type)
            continue;
          auto pages = reader->page_statistics(rg, in_file);
          if (!pages) continue;
          ranges = intersect_row_ranges(ranges, page_rows_may_match(filter, ids[0], *pages));
          if (ranges.empty()) break;
        }
        if (ranges.empty()) continue;
        const bool all_rows = ranges.size() == 1 && ranges[0].begin == 0 && ranges[0].end == info.num_rows;
        if (!all_rows) {
          ++pruned_page_row_groups;
          for (const auto& r : ranges) selected_rows_in_pruned += r.end - r.begin;
          rows_in_pruned += info.num_rows;
        }
        pieces.push_back(Piece{f, rg, std::max<int64_t>(info.compressed_size, 1),
                               all_rows ? std::vector<ParquetRowRange>{} : std::move(ranges)});
        total_bytes += pieces.back().bytes;
      }
    }
    const int64_t open_cost = 4LL << 20;
    const int64_t target = std::min<int64_t>(
        options_.max_partition_bytes, std::max<int64_t>(open_cost, total_bytes / std::max(1, options_.default_parallelism)));
    std::vector<std::vector<ParquetFileSplit>> tasks;
    int64_t in_task = 0;
    for (const auto& piece : pieces) {
      if (tasks.empty() || (in_task > 0 && in_task + piece.bytes > target)) {
        tasks.emplace_back();
        in_task = 0;
      }
      auto& task = tasks.back();
      if (task.empty() || task.back().file_index != piece.file) task.push_back(ParquetFileSplit{piece.file, {}});
      task.back().row_groups.push_back(piece.row_group);
      task.back().row_ranges.push_back(piece.ranges);
      in_task += piece.bytes;
    }
    if (tasks.empty()) tasks.emplace_back();  // one task that reads nothing
    s.parquet_splits = std::move(tasks);
    s.num_partitions = static_cast<int>(s.parquet_splits.size());
    std::string read_schema;
    for (size_t i = 0; i < p.output.size(); ++i) {
      read_schema += (i ? "," : "") + p.output[i]->name + ":" + p.output[i]->type.simple_string();
    }
    s.label = "FileScan parquet [" + cols + "] Format: Parquet, Location: " + std::to_string(src.paths.size()) +
              " paths, PartitionFilters: [" + expr_list(partition_filters) + "], PushedFilters: [" +
              expr_list(data_filters) + "], ReadSchema: struct<" + read_schema + ">, SelectedFiles: " +
              std::to_string(kept_files.size()) + " of " + std::to_string(src.files.size()) +
              ", SelectedRowGroups: " + std::to_string(pieces.size()) + " of " + std::to_string(total_row_groups);
    if (pruned_page_row_groups > 0) {
      s.label += ", PageIndexSelectedRows: " + std::to_string(selected_rows_in_pruned) + " of " +
                 std::to_string(rows_in_pruned) + " in " + std::to_string(pruned_page_row_groups) +
                 " row groups";
    }
  }

  PhysPtr plan_aggregate(const LogicalPlan& p) {
    PhysPtr child = plan(p.child());
    // The aggregate calls of the output list, deduplicated by text.
    std::vector<ExprPtr> calls;
    for (const auto& e : p.exprs) {
      visit(e, [&](const ExprPtr& x) {
        if (x->kind != ExprKind::kAggregate) return;
        std::string t = x->to_string();
        if (std::none_of(calls.begin(), calls.end(), [&](const ExprPtr& c) { return c->to_string() == t; })) {
          calls.push_back(x);
        }
      });
    }
    bool partial_ok = std::all_of(calls.begin(), calls.end(), [](const ExprPtr& c) { return c->aggregate->supports_partial; });
    // Attributes standing for keys and aggregate values in the result expressions.
    std::vector<ExprPtr> key_attrs, value_attrs;
    for (const auto& k : p.grouping) {
      key_attrs.push_back(k->kind == ExprKind::kAttribute ? k : make_attribute(k->pretty_name(), k->type, k->nullable, next_attribute_id()));
    }
    for (const auto& c : calls) value_attrs.push_back(make_attribute(c->pretty_name(), c->type, c->nullable, next_attribute_id()));
    std::vector<ExprPtr> targets = p.grouping, repl = key_attrs;
    targets.insert(targets.end(), calls.begin(), calls.end());
    repl.insert(repl.end(), value_attrs.begin(), value_attrs.end());
    std::vector<ExprPtr> result_input = key_attrs;
    result_input.insert(result_input.end(), value_attrs.begin(), value_attrs.end());
    std::vector<ExprPtr> results;
    for (const auto& e : p.exprs) results.push_back(bind_to_input(substitute(e, targets, repl), result_input));

    auto bind_calls = [&](const std::vector<ExprPtr>& input) {
      std::vector<ExprPtr> out;
      for (const auto& c : calls) out.push_back(bind_to_input(c, input));
      return out;
    };
    auto functions = [&](const char* prefix) {
      std::string s;
      for (size_t i = 0; i < calls.size(); ++i) s += (i ? ", " : "") + std::string(prefix) + calls[i]->to_string();
      return s;
    };
    auto keys_text = expr_list(p.grouping);
    Partitioning part = p.grouping.empty() ? Partitioning{PartitioningKind::kSingle, 1, {}}
                                           : Partitioning{PartitioningKind::kHash, options_.shuffle_partitions, {}};
    if (!partial_ok) {
      PhysPtr input = child->num_partitions == 1 && p.grouping.empty() ? child : make_exchange(child, part, p.grouping);
      auto agg = make_node(PhysKind::kHashAggregate, {input});
    agg->sorted_by.clear();
      agg->mode = AggregateMode::kComplete;
      for (const auto& k : p.grouping) agg->group_keys.push_back(bind_to_input(k, input->output));
      agg->aggregates = bind_calls(input->output);
      agg->result_exprs = results;
      agg->output = p.output;
      keep_properties_through(*agg);
      agg->label = "HashAggregate(keys=[" + keys_text + "], functions=[" + functions("") + "])";
      return agg;
    }
    // Partial aggregation in each input partition, then an exchange on the keys, then final.
    auto partial = make_node(PhysKind::kHashAggregate, {child});
    partial->sorted_by.clear();
    partial->mode = AggregateMode::kPartial;
    for (const auto& k : p.grouping) partial->group_keys.push_back(bind_to_input(k, child->output));
    partial->aggregates = bind_calls(child->output);
    partial->output = key_attrs;
    for (size_t i = 0; i < calls.size(); ++i) {
      auto types = calls[i]->aggregate->kernel->intermediate_types();
      for (size_t j = 0; j < types.size(); ++j) {
        partial->output.push_back(make_attribute(calls[i]->pretty_name() + "_state" + std::to_string(j), types[j], true,
                                                 next_attribute_id()));
      }
    }
    keep_properties_through(*partial);
    partial->label = "HashAggregate(keys=[" + keys_text + "], functions=[" + functions("partial_") + "])";
    PhysPtr exchanged = make_exchange(partial, part, key_attrs);
    auto final_agg = make_node(PhysKind::kHashAggregate, {exchanged});
    final_agg->sorted_by.clear();
    final_agg->mode = AggregateMode::kFinal;
    for (size_t i = 0; i < key_attrs.size(); ++i) {
      final_agg->group_keys.push_back(make_bound_ref(static_cast<int>(i), key_attrs[i]->type, key_attrs[i]->nullable, key_attrs[i]->name));
    }
    int offset = static_cast<int>(key_attrs.size());
    for (const auto& c : calls) {
      final_agg->intermediate_offsets.push_back(offset);
      offset += static_cast<int>(c->aggregate->kernel->intermediate_types().size());
    }
    final_agg->aggregates = calls;  // arguments are not evaluated in the final phase
    final_agg->result_exprs = results;
    final_agg->output = p.output;
    keep_properties_through(*final_agg);
    final_agg->label = "HashAggregate(keys=[" + keys_text + "], functions=[" + functions("") + "])";
    return final_agg;
  }

  // A join side's estimated size: the cardinality estimator's (after filters, aggregates and
  // joins) with spark.sql.cbo.enabled, else Spark's size-only estimate from file sizes.
  int64_t size_of(const PlanPtr& side) {
    if (!options_.cbo_enabled) return estimate_size_in_bytes(side);
    const double bytes = estimator_.estimate(side).size_in_bytes;
    return bytes >= 9.2e18 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(bytes);
  }

  PhysicalPlannerOptions options_;
  StatisticsEstimator estimator_;
};

void physical_lines(const PhysPtr& p, const std::string& prefix, bool is_root, bool is_last, std::string& out) {
  std::string stage = p->kind == PhysKind::kExchange
                          ? "  [stage " + std::to_string(p->children[0]->stage_id) + " -> " +
                                std::to_string(p->stage_id) + "]"
                          : "  [stage " + std::to_string(p->stage_id) + "]";
  std::string child_prefix = is_root ? "" : prefix + (is_last ? "   " : ":  ");
  if (p->query_stage >= 0) {
    // Adaptive execution ran this exchange as a query stage of its own (Spark's final plans show
    // the stage above the exchange).
    const bool broadcast = p->partitioning.kind == PartitioningKind::kBroadcast;
    out += (is_root ? "" : prefix + (is_last ? "+- " : ":- ")) +
           (broadcast ? "BroadcastQueryStage " : "ShuffleQueryStage ") + std::to_string(p->query_stage) +
           "\n";
    out += child_prefix + "+- " + p->label + stage + "\n";
    child_prefix += "   ";
    for (size_t i = 0; i < p->children.size(); ++i) {
      physical_lines(p->children[i], child_prefix, false, i + 1 == p->children.size(), out);
    }
    return;
  }
  out += (is_root ? "" : prefix + (is_last ? "+- " : ":- ")) + p->label + stage + "\n";
  for (size_t i = 0; i < p->children.size(); ++i) {
    physical_lines(p->children[i], child_prefix, false, i + 1 == p->children.size(), out);
  }
}

}  // namespace

std::string Partitioning::to_string() const {
  switch (kind) {
    case PartitioningKind::kHash: return "hash(" + std::to_string(num_partitions) + ")";
    case PartitioningKind::kRange: return "range(" + std::to_string(num_partitions) + ")";
    case PartitioningKind::kRoundRobin: return "roundrobin(" + std::to_string(num_partitions) + ")";
    case PartitioningKind::kSingle: return "single";
    case PartitioningKind::kBroadcast: return "broadcast";
  }
  return "?";
}

ExprPtr bind_to_input(const ExprPtr& e, const std::vector<ExprPtr>& input) {
  return transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
    if (x->kind != ExprKind::kAttribute) return x;
    for (size_t i = 0; i < input.size(); ++i) {
      if (input[i]->id == x->id) return make_bound_ref(static_cast<int>(i), x->type, x->nullable, x->name);
    }
    throw_internal(__FILE__, __LINE__, "attribute " + x->to_string() + " is not produced by the input");
  });
}

namespace {

// Spark's defaultSize of a value of each type, plus 8 bytes of row overhead per row.
int64_t row_width(const std::vector<ExprPtr>& attrs) {
  int64_t w = 8;
  for (const auto& a : attrs) {
    switch (a->type.id()) {
      case TypeId::kString:
      case TypeId::kBinary: w += 20; break;
      case TypeId::kNull: w += 1; break;
      case TypeId::kDecimal: w += a->type.precision() <= 18 ? 8 : 16; break;
      default: w += std::max(1, a->type.fixed_width()); break;
    }
  }
  return w;
}

int64_t saturating_mul(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  if (a > std::numeric_limits<int64_t>::max() / b) return std::numeric_limits<int64_t>::max();
  return a * b;
}

}  // namespace

int64_t estimate_size_in_bytes(const PlanPtr& plan) {
  const LogicalPlan& p = *plan;
  switch (p.kind) {
    case PlanKind::kRelation: {
      const DataSource& src = *p.source;
      switch (src.kind) {
        case SourceKind::kParquet:
        case SourceKind::kJson:
        case SourceKind::kCsv: {
          int64_t bytes = 0;
          for (const auto& f : src.files) bytes += f.second;
          // Only the columns read count (as Spark scales a pruned scan by row width).
          std::vector<ExprPtr> all;
          for (const auto& f : src.schema.fields()) all.push_back(make_attribute(f.name, f.type, f.nullable, 0));
          return std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(bytes) * row_width(p.output) / row_width(all)));
        }
        case SourceKind::kRange: {
          __int128 n = src.step > 0 ? (static_cast<__int128>(src.end) - src.start + src.step - 1) / src.step
                                    : (static_cast<__int128>(src.start) - src.end - src.step - 1) / -src.step;
          return saturating_mul(static_cast<int64_t>(std::max<__int128>(n, 0)), row_width(p.output));
        }
        case SourceKind::kLocalRows: {
          int64_t rows = 0;
          for (const auto& b : src.batches) rows += static_cast<int64_t>(b.num_rows);
          return saturating_mul(rows, row_width(p.output));
        }
        case SourceKind::kCached: return estimate_size_in_bytes(src.cached->plan);
      }
      return std::numeric_limits<int64_t>::max();
    }
    case PlanKind::kLimit: return std::min(estimate_size_in_bytes(p.child()), saturating_mul(p.limit, row_width(p.output)));
    case PlanKind::kJoin: {
      int64_t l = estimate_size_in_bytes(p.children[0]);
      if (p.join_type == JoinType::kLeftSemi || p.join_type == JoinType::kLeftAnti) return l;
      return saturating_mul(l, estimate_size_in_bytes(p.children[1]));
    }
    case PlanKind::kUnion: {
      int64_t total = 0;
      for (const auto& c : p.children) {
        int64_t s = estimate_size_in_bytes(c);
        total = s > std::numeric_limits<int64_t>::max() - total ? std::numeric_limits<int64_t>::max() : total + s;
      }
      return total;
    }
    default: {
      // Unary nodes: the child's size scaled by the change in row width.
      if (p.children.empty()) return std::numeric_limits<int64_t>::max();
      int64_t child = estimate_size_in_bytes(p.child());
      double scale = static_cast<double>(row_width(p.output)) / static_cast<double>(row_width(p.child()->output));
      double est = static_cast<double>(child) * scale;
      return est >= 9.2e18 ? std::numeric_limits<int64_t>::max() : std::max<int64_t>(1, static_cast<int64_t>(est));
    }
  }
}

PhysPtr plan_physical(const PlanPtr& optimized, const PhysicalPlannerOptions& options) {
  Planner planner(options);
  PhysPtr root = planner.plan(optimized);
  plan_runtime_filters(root, options);
  return root;
}

std::string physical_tree_string(const PhysPtr& plan) {
  std::string out;
  physical_lines(plan, "", true, true, out);
  return out;
}

}  // namespace ember
