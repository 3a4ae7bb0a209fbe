// Runtime filters: where a hash join gets one, and on which scan it is applied.
//
// A join can filter one of its sides (the application side) by the keys of the other (the
// creation side) when dropping application rows that have no partner cannot change the result:
// the left side of an inner, left semi or right outer join; the right side of an inner, left
// outer, left semi or left anti join (Spark's InjectRuntimeFilter allows the first five; a semi or
// anti join never looks at right rows without a partner either). Null-safe (`<=>`) keys are left
// alone: a null there has a partner.
//
// The creation side must reach the join through an exchange (a broadcast, or the hash exchange of
// a shuffled join), because its map stage is what builds the filter: the job runner makes the
// application scan's stage wait for that stage. The probe side is the application side when the
// join type allows it (the build side is the smaller, so the better filter); otherwise the build
// side of a shuffled join is filtered by the probe side. One direction per join, so the added
// stage dependencies can never form a cycle.
//
// The creation side must drop rows somewhere below the exchange (a filter that is more than null
// checks, as Spark's InjectRuntimeFilter asks for a selective filter): a side that holds every key
// of its table would make a filter that drops nothing.
//
// The application keys are traced from the join down to one scan through operators that keep a
// row's key values and drop or keep rows whole: filters, projections (a column or an alias of
// one), exchanges, coalesces, sorts without a limit, the grouping keys of aggregations, and joins
// on the side they do not pad with nulls. Limits, samples, windows, unions and generators stop the
// trace. The scan must be a file scan of at least spark.sql.optimizer.runtime.bloomFilter.
// applicationSideScanSizeThreshold bytes.
//
// Where the rows are tested. A RuntimeFilter node goes on the traced path inside the scan's stage
// (below the first exchange above the scan): above the highest join of that stretch that lies
// below its first aggregation, else right above the scan. So a broadcast join that already drops
// most rows in the scan's pipeline runs first (its probe is cheaper than a bloom test of every
// scanned row), and an aggregation or exchange never sees the dropped rows. When the path from
// the scan to the join crosses no exchange, join or aggregation (a broadcast join right over its
// probe scan) the test would only repeat the join's own probe, so no node is added. A Parquet scan
// with a ranged key (integer-like) also gets the filter to skip row groups and pages by the
// [min, max] ranges.
#include <algorithm>
#include <string>
#include <vector>

#include "ember/common/error.h"
#include "ember/exec/runtime_filter.h"
#include "ember/physical/physical_plan.h"

namespace ember {

namespace {

// The path from a join's child down to a scan: each node with the key's column in its output.
struct PathStep {
  PhysicalPlan* node;
  int column;
};
using Path = std::vector<PathStep>;

const Expr* unalias(const ExprPtr& e) {
  const Expr* x = e.get();
  while (x->kind == ExprKind::kAlias) x = x->children[0].get();
  return x;
}

// The child column a bound key expression reads, or -1 when it computes something.
int column_of(const ExprPtr& e) {
  const Expr* x = unalias(e);
  return x->kind == ExprKind::kBoundRef ? x->index : -1;
}

bool prunes_left(JoinType t) {
  return t == JoinType::kInner || t == JoinType::kCross || t == JoinType::kLeftSemi ||
         t == JoinType::kRightOuter;
}

bool prunes_right(JoinType t) {
  return t == JoinType::kInner || t == JoinType::kCross || t == JoinType::kLeftOuter ||
         t == JoinType::kLeftSemi || t == JoinType::kLeftAnti;
}

bool is_join(const PhysicalPlan& n) {
  return n.kind == PhysKind::kHashJoin || n.kind == PhysKind::kNestedLoopJoin;
}

// Appends the path from `node` (column `column` of its output) down to a file scan; false when
// the key cannot be followed.
bool trace(PhysicalPlan* node, int column, Path& path) {
  if (column < 0 || static_cast<size_t>(column) >= node->output.size()) return false;
  path.push_back(PathStep{node, column});
  switch (node->kind) {
    case PhysKind::kScan: {
      const SourceKind k = node->source->kind;
      return k == SourceKind::kParquet || k == SourceKind::kCsv || k == SourceKind::kJson;
    }
    case PhysKind::kFilter:
    case PhysKind::kCoalesce:
    case PhysKind::kExchange:
    case PhysKind::kRuntimeFilter: return trace(node->children[0].get(), column, path);
    case PhysKind::kSort: return node->limit < 0 && trace(node->children[0].get(), column, path);
    case PhysKind::kProject:
      return trace(node->children[0].get(), column_of(node->exprs[static_cast<size_t>(column)]), path);
    case PhysKind::kHashAggregate: {
      // Rows of a group all carry its key, so dropping the rows of a key drops its whole group.
      int key = column;
      if (!node->result_exprs.empty()) key = column_of(node->result_exprs[static_cast<size_t>(column)]);
      if (key < 0 || static_cast<size_t>(key) >= node->group_keys.size()) return false;
      return trace(node->children[0].get(), column_of(node->group_keys[static_cast<size_t>(key)]), path);
    }
    case PhysKind::kHashJoin:
    case PhysKind::kNestedLoopJoin: {
      // Only through a side whose columns the join never pads with nulls.
      const auto left_columns = static_cast<int>(node->children[0]->output.size());
      const JoinType t = node->join_type;
      if (column < left_columns) {
        return (t == JoinType::kInner || t == JoinType::kCross || t == JoinType::kLeftOuter ||
                t == JoinType::kLeftSemi || t == JoinType::kLeftAnti) &&
               trace(node->children[0].get(), column, path);
      }
      return (t == JoinType::kInner || t == JoinType::kCross || t == JoinType::kRightOuter) &&
             trace(node->children[1].get(), column - left_columns, path);
    }
    default: return false;
  }
}

// Whether the creation side drops rows somewhere below its exchange: a filter that is more than
// null checks. A side without one holds every key of its table, and its filter would drop nothing.
bool is_null_check(const ExprPtr& e) {
  if (e->kind == ExprKind::kAnd) return is_null_check(e->children[0]) && is_null_check(e->children[1]);
  return e->kind == ExprKind::kCall && e->name == "isnotnull";
}

bool has_selective_filter(const PhysicalPlan& node) {
  if (node.kind == PhysKind::kFilter && node.predicate && !is_null_check(node.predicate)) return true;
  for (const auto& f : node.scan_filters) {
    if (!is_null_check(f)) return true;
  }
  for (const auto& c : node.children) {
    if (has_selective_filter(*c)) return true;
  }
  return false;
}

int64_t scan_bytes(const PhysicalPlan& scan) {
  int64_t bytes = 0;
  for (const auto& f : scan.source->files) bytes += f.second;
  return bytes;
}

std::string key_text(const ExprPtr& key, const PhysicalPlan& input) {
  const int c = column_of(key);
  if (c >= 0 && static_cast<size_t>(c) < input.output.size())
    return input.output[static_cast<size_t>(c)]->to_string();
  return key->to_string();
}

class RuntimeFilterPlanner {
 public:
  explicit RuntimeFilterPlanner(const PhysicalPlannerOptions& options) : options_(options) {}

  void visit(const PhysPtr& node) {
    for (const auto& c : node->children) visit(c);
    if (node->kind == PhysKind::kHashJoin) plan_join(*node);
  }

 private:
  void plan_join(PhysicalPlan& join) {
    for (bool null_safe : join.null_safe_keys) {
      if (null_safe) return;
    }
    const int build = join.build_side == BuildSide::kRight ? 1 : 0;
    const int probe = 1 - build;
    auto prunable = [&](int side) {
      return side == 0 ? prunes_left(join.join_type) : prunes_right(join.join_type);
    };
    // Probe side first: the build side is the smaller, so its keys make the tighter filter.
    for (int application : {probe, build}) {
      const int creation = 1 - application;
      if (!prunable(application) || join.children[static_cast<size_t>(creation)]->kind != PhysKind::kExchange)
        continue;
      if (try_add(join, creation, application)) return;
    }
  }

  bool try_add(PhysicalPlan& join, int creation, int application) {
    PhysicalPlan& exchange = *join.children[static_cast<size_t>(creation)];
    if (!has_selective_filter(exchange)) return false;
    const std::vector<ExprPtr>& creation_keys = creation == 0 ? join.left_keys : join.right_keys;
    const std::vector<ExprPtr>& application_keys = application == 0 ? join.left_keys : join.right_keys;
    if (application_keys.empty()) return false;
    // One path per key; in a tree they visit the same nodes, with each key's own columns.
    std::vector<Path> paths(application_keys.size());
    for (size_t k = 0; k < application_keys.size(); ++k) {
      const ExprPtr& key = application_keys[k];
      if (key->kind != ExprKind::kBoundRef || key->type != creation_keys[k]->type) return false;
      if (!trace(join.children[static_cast<size_t>(application)].get(), key->index, paths[k])) return false;
      if (paths[k].size() != paths[0].size() || paths[k].back().node != paths[0].back().node) return false;
    }
    const Path& path = paths[0];
    PhysicalPlan& scan = *path.back().node;
    if (scan_bytes(scan) < options_.runtime_filter_application_side_bytes) return false;
    bool any_range = false;
    for (const auto& key : application_keys) any_range |= RuntimeFilter::rangeable(key->type);
    const bool prune_scan = any_range && scan.source->kind == SourceKind::kParquet;

    // The stretch of the path in the scan's stage: from the scan up to (not including) the first
    // exchange above it.
    size_t top = path.size() - 1;
    while (top > 0 && path[top - 1].node->kind != PhysKind::kExchange) --top;
    const bool crosses_work = std::any_of(path.begin(), path.end() - 1, [](const PathStep& s) {
      return s.node->kind == PhysKind::kExchange || s.node->kind == PhysKind::kHashAggregate ||
             is_join(*s.node);
    });
    // Test above the highest join below the stretch's first aggregation, else above the scan.
    size_t at = path.size() - 1;
    for (size_t i = path.size() - 1; i-- > top;) {
      if (path[i].node->kind == PhysKind::kHashAggregate) break;
      if (is_join(*path[i].node)) at = i;
    }
    if (!crosses_work && !prune_scan) return false;

    const int id = next_id_++;
    exchange.runtime_filter_sources.push_back(
        RuntimeFilterSource{id, creation_keys, options_.runtime_filter_max_items,
                            options_.runtime_filter_max_bits / 8, options_.runtime_filter_fpp});
    std::string created;
    for (size_t k = 0; k < creation_keys.size(); ++k)
      created += (k ? ", " : "") + key_text(creation_keys[k], exchange);
    if (prune_scan) {
      RuntimeFilterTarget target{id, {}, ""};
      std::string ranges;
      for (size_t k = 0; k < paths.size(); ++k) {
        target.columns.push_back(paths[k].back().column);
        if (!RuntimeFilter::rangeable(application_keys[k]->type)) continue;
        const std::string c = key_text(creation_keys[k], exchange);
        ranges += std::string(ranges.empty() ? "" : ", ") +
                  scan.output[static_cast<size_t>(paths[k].back().column)]->to_string() + " BETWEEN min(" +
                  c + ") AND max(" + c + ")";
      }
      target.text = ranges;
      scan.runtime_filters.push_back(std::move(target));
    }
    if (crosses_work) insert_filter_node(join, path, paths, at, id, exchange, created);
    return true;
  }

  // Puts a RuntimeFilter node above path[at].node (replacing it in its parent: path[at - 1], or
  // the join itself).
  void insert_filter_node(PhysicalPlan& join, const Path& path, const std::vector<Path>& paths, size_t at,
                          int id, PhysicalPlan& exchange, const std::string& created) {
    PhysicalPlan* below = path[at].node;
    PhysicalPlan* parent = at > 0 ? path[at - 1].node : &join;
    auto node = std::make_shared<PhysicalPlan>();
    node->kind = PhysKind::kRuntimeFilter;
    node->output = below->output;
    node->num_partitions = below->num_partitions;
    node->clustered_on = below->clustered_on;
    node->sorted_by = below->sorted_by;
    RuntimeFilterTarget target{id, {}, ""};
    std::string tested;
    for (size_t k = 0; k < paths.size(); ++k) {
      const int c = paths[k][at].column;
      target.columns.push_back(c);
      tested += (k ? ", " : "") + below->output[static_cast<size_t>(c)]->to_string();
    }
    target.text = "might_contain(bloom_filter_agg(" + created + "), " + tested + ")";
    node->label = "RuntimeFilter [" + target.text + "]";
    node->runtime_filters.push_back(std::move(target));
    for (auto& child : parent->children) {
      if (child.get() == below) {
        node->children = {child};
        child = node;
        return;
      }
    }
    throw_internal(__FILE__, __LINE__, "runtime filter: path parent does not hold its child");
  }

  const PhysicalPlannerOptions& options_;
  int next_id_ = 0;
};

}  // namespace

void plan_runtime_filters(const PhysPtr& root, const PhysicalPlannerOptions& options) {
  if (!options.runtime_filter_enabled) return;
  RuntimeFilterPlanner(options).visit(root);
  // Explain shows a scan's runtime filters after its other properties.
  std::vector<PhysicalPlan*> stack{root.get()};
  while (!stack.empty()) {
    PhysicalPlan* n = stack.back();
    stack.pop_back();
    for (const auto& c : n->children) stack.push_back(c.get());
    if (n->runtime_filters.empty()) continue;
    if (n->kind != PhysKind::kScan) continue;
    std::string text;
    for (const auto& t : n->runtime_filters) text += (text.empty() ? "" : ", ") + t.text;
    n->label += ", RuntimeFilters: [" + text + "]";
  }
}

}  // namespace ember
