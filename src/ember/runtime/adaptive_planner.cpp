#include "ember/runtime/adaptive_planner.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include "ember/common/error.h"

namespace ember {

PhysPtr clone_physical_plan(const PhysPtr& plan) {
  auto copy = std::make_shared<PhysicalPlan>(*plan);
  for (auto& c : copy->children) c = clone_physical_plan(c);
  return copy;
}

std::vector<std::pair<int, int>> group_by_target_size(const std::vector<int64_t>& sizes, int64_t target) {
  const int n = static_cast<int>(sizes.size());
  std::vector<std::pair<int, int>> groups;
  std::vector<int64_t> group_sizes;
  int start = 0;
  int64_t acc = 0;
  for (int i = 0; i < n; ++i) {
    const int64_t s = sizes[static_cast<size_t>(i)];
    if (i > start && acc + s > target) {
      groups.emplace_back(start, i);
      group_sizes.push_back(acc);
      start = i;
      acc = 0;
    }
    acc += s;
  }
  if (n > 0) {
    groups.emplace_back(start, n);
    group_sizes.push_back(acc);
  }
  // A tiny group (typically the last) is not worth a task of its own.
  const auto small = static_cast<int64_t>(static_cast<double>(target) * 0.2);
  const auto merged_max = static_cast<int64_t>(static_cast<double>(target) * 1.2);
  std::vector<std::pair<int, int>> out;
  std::vector<int64_t> out_sizes;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (!out.empty() && (group_sizes[g] < small || out_sizes.back() < small) &&
        out_sizes.back() + group_sizes[g] <= merged_max) {
      out.back().second = groups[g].second;
      out_sizes.back() += group_sizes[g];
      continue;
    }
    out.push_back(groups[g]);
    out_sizes.push_back(group_sizes[g]);
  }
  return out;
}

namespace {

using Stats = std::map<int, MapOutputStatistics>;

bool is_materialized(const Stats& stats, const PhysicalPlan& node) {
  return node.kind == PhysKind::kExchange && stats.count(node.shuffle_id) > 0;
}

// The exchange a join side reads (the side itself, or below a partition-wise shuffle read).
PhysPtr side_exchange(const PhysPtr& side) {
  if (side->kind == PhysKind::kExchange) return side;
  if (side->kind == PhysKind::kShuffleRead && !side->broadcast_read) return side->children[0];
  return nullptr;
}

bool is_broadcast_input(const PhysPtr& side) {
  return (side->kind == PhysKind::kExchange && side->partitioning.kind == PartitioningKind::kBroadcast) ||
         (side->kind == PhysKind::kShuffleRead && side->broadcast_read);
}

bool is_shuffled_hash_join(const PhysicalPlan& j) {
  if (j.kind != PhysKind::kHashJoin) return false;
  for (const auto& c : j.children) {
    PhysPtr ex = side_exchange(c);
    if (!ex || ex->partitioning.kind != PartitioningKind::kHash) return false;
  }
  return true;
}

// The join's label as the planner writes a broadcast hash join: "ShuffledHashJoin <keys>, <type>,
// BuildX<condition>" becomes "BroadcastHashJoin <keys>, <type>, BuildY<condition>, false".
std::string broadcast_join_label(const std::string& label, BuildSide side) {
  std::string out = label;
  const std::string shuffled = "ShuffledHashJoin ";
  if (out.rfind(shuffled, 0) == 0) out = "BroadcastHashJoin " + out.substr(shuffled.size());
  const size_t right = out.find(", BuildRight");
  const size_t left = out.find(", BuildLeft");
  const size_t at = std::min(right, left);
  if (at != std::string::npos) {
    const size_t len = at == right ? std::string(", BuildRight").size() : std::string(", BuildLeft").size();
    out.replace(at, len, side == BuildSide::kRight ? ", BuildRight" : ", BuildLeft");
  }
  return out + ", false";
}

// Spark's DynamicJoinSelection + the planner's broadcast rule on runtime sizes.
void switch_to_broadcast(const Stats& stats, const AdaptiveOptions& o, PhysicalPlan& join) {
  if (o.broadcast_threshold < 0 || !is_shuffled_hash_join(join)) return;
  const JoinType type = join.join_type;
  const bool can_build_right = type == JoinType::kInner || type == JoinType::kCross ||
                               type == JoinType::kLeftOuter || type == JoinType::kLeftSemi ||
                               type == JoinType::kLeftAnti;
  const bool can_build_left =
      type == JoinType::kInner || type == JoinType::kCross || type == JoinType::kRightOuter;
  auto small_size = [&](size_t i) -> std::optional<int64_t> {
    PhysPtr ex = side_exchange(join.children[i]);
    if (!is_materialized(stats, *ex)) return std::nullopt;
    const int64_t total = stats.at(ex->shuffle_id).total_bytes();
    if (total > o.broadcast_threshold) return std::nullopt;
    return total;
  };
  const std::optional<int64_t> left = can_build_left ? small_size(0) : std::nullopt;
  const std::optional<int64_t> right = can_build_right ? small_size(1) : std::nullopt;
  BuildSide side;
  if (right && (!left || *right <= *left)) side = BuildSide::kRight;
  else if (left) side = BuildSide::kLeft;
  else return;
  const size_t build = side == BuildSide::kRight ? 1 : 0;
  auto read = std::make_shared<PhysicalPlan>();
  read->kind = PhysKind::kShuffleRead;
  read->children = {side_exchange(join.children[build])};
  read->output = read->children[0]->output;
  read->broadcast_read = true;
  read->num_partitions = 1;
  read->stage_id = join.stage_id;
  read->label = "AQEShuffleRead local";
  join.children[build] = std::move(read);
  join.build_side = side;
  join.num_partitions = join.children[1 - build]->num_partitions;
  join.label = broadcast_join_label(join.label, side);
}

void switch_joins(const Stats& stats, const AdaptiveOptions& o, const PhysPtr& node) {
  if (is_materialized(stats, *node)) return;  // ran already
  for (const auto& c : node->children) switch_joins(stats, o, c);
  if (node->kind == PhysKind::kHashJoin) switch_to_broadcast(stats, o, *node);
}

// The part of one not yet run stage the rewrite needs: its root, and the slots (the plan root
// or children entries of its nodes) holding its input exchanges or shuffle reads.
struct StageView {
  PhysPtr* root = nullptr;
  std::vector<PhysPtr*> inputs;
  bool has_scan = false;
};

bool is_input(const PhysicalPlan& node) {
  return node.kind == PhysKind::kExchange || node.kind == PhysKind::kShuffleRead;
}

// Walks the stage from `slot`: inputs end it; the roots of not yet run stages below them are
// added to `child_roots`.
void collect_stage(const Stats& stats, PhysPtr* slot, StageView& view, std::vector<PhysPtr*>& child_roots) {
  PhysPtr& node = *slot;
  if (is_input(*node)) {
    view.inputs.push_back(slot);
    PhysPtr& ex = node->kind == PhysKind::kExchange ? node : node->children[0];
    if (!is_materialized(stats, *ex)) child_roots.push_back(&ex->children[0]);
    return;
  }
  if (node->kind == PhysKind::kScan) view.has_scan = true;
  for (auto& child : node->children) collect_stage(stats, &child, view, child_roots);
}

// Partition counts after the stage's inputs changed (children first; exchanges are inputs).
int refresh_partitions(const PhysPtr& node) {
  switch (node->kind) {
    case PhysKind::kExchange:
    case PhysKind::kScan: return node->num_partitions;
    case PhysKind::kShuffleRead:
      node->num_partitions = node->broadcast_read ? 1 : static_cast<int>(node->read_specs.size());
      return node->num_partitions;
    default: break;
  }
  std::vector<int> kids;
  for (const auto& c : node->children) kids.push_back(refresh_partitions(c));
  switch (node->kind) {
    case PhysKind::kUnion: {
      int total = 0;
      for (int k : kids) total += k;
      node->num_partitions = total;
      break;
    }
    case PhysKind::kCoalesce: node->num_partitions = std::min(node->num_partitions, kids[0]); break;
    case PhysKind::kHashJoin:
    case PhysKind::kNestedLoopJoin:
      node->num_partitions = kids[node->build_side == BuildSide::kRight ? 0 : 1];
      break;
    default: node->num_partitions = kids.empty() ? node->num_partitions : kids[0]; break;
  }
  return node->num_partitions;
}

// True when splitting the partitions of the input reached through `child` cannot change what
// `node` computes: it works row by row (or per partition without relying on key clustering).
bool keeps_rows_independent(const PhysicalPlan& node, const PhysicalPlan* child) {
  switch (node.kind) {
    case PhysKind::kProject:
    case PhysKind::kFilter:
    case PhysKind::kGenerate:
    case PhysKind::kLimit:
    case PhysKind::kSample: return true;
    case PhysKind::kHashAggregate: return node.mode == AggregateMode::kPartial;
    case PhysKind::kHashJoin:
    case PhysKind::kNestedLoopJoin: {
      const size_t build = node.build_side == BuildSide::kRight ? 1 : 0;
      return node.children[1 - build].get() == child && is_broadcast_input(node.children[build]);
    }
    default: return false;
  }
}

// The path from `node` down to `target` (both included), or empty.
bool path_to(const PhysPtr& node, const PhysicalPlan* target, std::vector<PhysicalPlan*>& path) {
  path.push_back(node.get());
  if (node.get() == target) return true;
  for (const auto& c : node->children) {
    if (c->kind == PhysKind::kExchange || c->kind == PhysKind::kShuffleRead) continue;
    if (path_to(c, target, path)) return true;
  }
  path.pop_back();
  return false;
}

// The shuffled hash join of a stage whose two partitioned inputs are exactly its two sides, when
// splitting its partitions keeps the stage's result (nothing above it needs key clustering).
PhysicalPlan* skew_join_of(const StageView& view, const std::vector<PhysPtr*>& inputs) {
  if (inputs.size() != 2) return nullptr;
  PhysicalPlan* join = nullptr;
  std::function<void(const PhysPtr&)> find = [&](const PhysPtr& n) {
    if (n->kind == PhysKind::kHashJoin && n->children[0] == *inputs[0] && n->children[1] == *inputs[1])
      join = n.get();
    for (const auto& c : n->children) {
      if (c->kind != PhysKind::kExchange && c->kind != PhysKind::kShuffleRead) find(c);
    }
  };
  if (is_input(**view.root)) return nullptr;
  find(*view.root);
  if (join == nullptr || !is_shuffled_hash_join(*join)) return nullptr;
  std::vector<PhysicalPlan*> path;
  if (!path_to(*view.root, join, path)) return nullptr;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    if (!keeps_rows_independent(*path[i], path[i + 1])) return nullptr;
  }
  return join;
}

int64_t median_size(std::vector<int64_t> sizes) {
  if (sizes.empty()) return 0;
  std::sort(sizes.begin(), sizes.end());
  return std::max<int64_t>(sizes[sizes.size() / 2], 1);
}

// Map ranges of one reduce partition of about `target` bytes each (Spark's
// createSkewPartitionSpecs); a single range when the partition cannot be split.
std::vector<ShufflePartitionSpec> split_by_maps(const MapOutputStatistics& stats, int reduce,
                                                int64_t target) {
  std::vector<int64_t> map_sizes;
  for (const auto& per_map : stats.bytes_by_map) map_sizes.push_back(per_map[static_cast<size_t>(reduce)]);
  std::vector<ShufflePartitionSpec> out;
  for (const auto& [first, last] : group_by_target_size(map_sizes, target)) {
    out.push_back(ShufflePartitionSpec{reduce, reduce + 1, first, last});
  }
  if (out.size() <= 1) return {ShufflePartitionSpec{reduce, reduce + 1, 0, -1}};
  return out;
}

std::string read_label(const std::vector<ShufflePartitionSpec>& specs) {
  bool coalesced = false, skewed = false;
  for (const auto& s : specs) {
    coalesced |= s.end_reduce - s.start_reduce > 1;
    skewed |= s.end_map >= 0;
  }
  if (coalesced && skewed) return "AQEShuffleRead coalesced and skewed";
  if (coalesced) return "AQEShuffleRead coalesced";
  if (skewed) return "AQEShuffleRead skewed";
  return "AQEShuffleRead";
}

// Chooses how each task of a stage about to run reads its partitioned inputs.
void plan_stage_reads(const Stats& stats, const AdaptiveOptions& o, StageView& view) {
  if (view.has_scan) return;  // scan partitions cannot follow a change of the shuffle's
  std::vector<PhysPtr*> inputs;
  for (PhysPtr* slot : view.inputs) {
    const PhysPtr& in = *slot;
    if (is_broadcast_input(in)) continue;
    if (in->kind != PhysKind::kExchange) return;  // planned already
    if (in->partitioning.kind != PartitioningKind::kHash || in->user_partitions) return;
    inputs.push_back(slot);
  }
  if (inputs.empty()) return;
  const int n = (*inputs[0])->partitioning.num_partitions;
  for (PhysPtr* slot : inputs) {
    if ((*slot)->partitioning.num_partitions != n) return;
  }
  std::vector<const MapOutputStatistics*> input_stats;
  for (PhysPtr* slot : inputs) input_stats.push_back(&stats.at((*slot)->shuffle_id));

  std::vector<int64_t> sizes(static_cast<size_t>(n), 0);
  for (const auto* s : input_stats) {
    for (int i = 0; i < n; ++i)
      sizes[static_cast<size_t>(i)] += s->bytes_by_partition[static_cast<size_t>(i)];
  }
  int64_t total = 0;
  for (int64_t s : sizes) total += s;
  const int64_t min_partition = std::min(o.min_partition_bytes, o.advisory_partition_bytes / 5);
  const auto max_target =
      static_cast<int64_t>(std::ceil(static_cast<double>(total) / std::max(o.min_partition_num, 1)));
  const int64_t target = std::max(std::min(max_target, o.advisory_partition_bytes), min_partition);

  // Skewed partitions of a join's sides (per side: can its partitions be split?).
  PhysicalPlan* join = o.skew_join ? skew_join_of(view, inputs) : nullptr;
  std::vector<bool> splittable(inputs.size(), false);
  std::vector<int64_t> skew_threshold(inputs.size(), 0), split_target(inputs.size(), 0);
  if (join != nullptr) {
    const JoinType t = join->join_type;
    splittable[0] = t == JoinType::kInner || t == JoinType::kCross || t == JoinType::kLeftSemi ||
                    t == JoinType::kLeftAnti || t == JoinType::kLeftOuter;
    splittable[1] = t == JoinType::kInner || t == JoinType::kCross || t == JoinType::kRightOuter;
    for (size_t side = 0; side < 2; ++side) {
      const auto& part_sizes = input_stats[side]->bytes_by_partition;
      skew_threshold[side] = std::max(
          o.skewed_partition_threshold_bytes,
          static_cast<int64_t>(static_cast<double>(median_size(part_sizes)) * o.skewed_partition_factor));
      int64_t rest = 0, count = 0;
      for (int64_t s : part_sizes) {
        if (s <= skew_threshold[side]) rest += s, ++count;
      }
      split_target[side] = std::max(o.advisory_partition_bytes, count > 0 ? rest / count : 0);
    }
  }
  auto is_skewed = [&](size_t side, int i) {
    return join != nullptr && splittable[side] &&
           input_stats[side]->bytes_by_partition[static_cast<size_t>(i)] > skew_threshold[side];
  };

  std::vector<std::vector<ShufflePartitionSpec>> specs(inputs.size());
  auto add_run = [&](int first, int last) {  // non-skewed partitions [first, last)
    if (first >= last) return;
    std::vector<std::pair<int, int>> groups;
    if (o.coalesce_partitions) {
      groups =
          group_by_target_size(std::vector<int64_t>(sizes.begin() + first, sizes.begin() + last), target);
    } else {
      for (int i = 0; i < last - first; ++i) groups.emplace_back(i, i + 1);
    }
    for (const auto& [a, b] : groups) {
      for (auto& s : specs) s.push_back(ShufflePartitionSpec{first + a, first + b, 0, -1});
    }
  };
  int run_start = 0;
  for (int i = 0; i < n; ++i) {
    if (!is_skewed(0, i) && !is_skewed(1, i)) continue;
    add_run(run_start, i);
    run_start = i + 1;
    // Every piece of one side meets every piece of the other.
    std::vector<ShufflePartitionSpec> left = is_skewed(0, i)
                                                 ? split_by_maps(*input_stats[0], i, split_target[0])
                                                 : std::vector<ShufflePartitionSpec>{{i, i + 1, 0, -1}};
    std::vector<ShufflePartitionSpec> right = is_skewed(1, i)
                                                  ? split_by_maps(*input_stats[1], i, split_target[1])
                                                  : std::vector<ShufflePartitionSpec>{{i, i + 1, 0, -1}};
    for (const auto& l : left) {
      for (const auto& r : right) {
        specs[0].push_back(l);
        specs[1].push_back(r);
      }
    }
  }
  add_run(run_start, n);

  bool identity = specs[0].size() == static_cast<size_t>(n);
  for (const auto& side : specs) {
    for (size_t i = 0; identity && i < side.size(); ++i) {
      identity = side[i] == ShufflePartitionSpec{static_cast<int>(i), static_cast<int>(i) + 1, 0, -1};
    }
  }
  if (identity) return;
  for (size_t k = 0; k < inputs.size(); ++k) {
    PhysPtr& slot = *inputs[k];
    auto read = std::make_shared<PhysicalPlan>();
    read->kind = PhysKind::kShuffleRead;
    read->children = {slot};
    read->output = slot->output;
    read->read_specs = std::move(specs[k]);
    read->num_partitions = static_cast<int>(read->read_specs.size());
    read->stage_id = slot->stage_id;  // an input exchange belongs to the stage that reads it
    read->label = read_label(read->read_specs);
    slot = std::move(read);
  }
  refresh_partitions(*view.root);
}

void plan_ready_stages(const Stats& stats, const AdaptiveOptions& o, PhysPtr& root) {
  std::vector<PhysPtr*> roots{&root};
  while (!roots.empty()) {
    PhysPtr* stage_root = roots.back();
    roots.pop_back();
    StageView view;
    view.root = stage_root;
    collect_stage(stats, stage_root, view, roots);
    bool ready = true;
    for (PhysPtr* in : view.inputs) {
      const PhysPtr& ex = (*in)->kind == PhysKind::kExchange ? *in : (*in)->children[0];
      ready &= is_materialized(stats, *ex);
    }
    if (ready) plan_stage_reads(stats, o, view);
  }
}

}  // namespace

void reoptimize_adaptive(PhysPtr& plan, const std::map<int, MapOutputStatistics>& materialized,
                         const AdaptiveOptions& options) {
  switch_joins(materialized, options, plan);
  plan_ready_stages(materialized, options, plan);
}

}  // namespace ember
