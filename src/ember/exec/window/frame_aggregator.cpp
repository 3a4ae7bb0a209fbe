#include "ember/exec/window/frame_aggregator.h"

#include <algorithm>
#include <bit>
#include <new>
#include <numeric>

#include "ember/common/error.h"

namespace ember {

namespace {

// Merge pairs or gathered rows handled per kernel call: large enough to amortise the call,
// small enough that the gathered copies stay in cache.
constexpr size_t kPairsPerCall = 32768;

// `count` aggregate states in one aligned allocation, initialised on construction and destroyed
// (when the kernel owns memory) on destruction, so an exception never leaks a state.
class StateArena {
 public:
  StateArena(const AggregateKernel& kernel, size_t count) : kernel_(kernel) {
    align_ = std::max<size_t>(kernel.state_align(), 8);
    stride_ = (std::max<size_t>(kernel.state_size(), 1) + align_ - 1) / align_ * align_;
    memory_ =
        static_cast<uint8_t*>(::operator new (stride_* std::max<size_t>(count, 1), std::align_val_t{align_}));
    states_.resize(count);
    for (size_t i = 0; i < count; ++i) states_[i] = memory_ + i * stride_;
    init_all();
  }
  ~StateArena() {
    destroy_all();
    ::operator delete (memory_, std::align_val_t{align_});
  }
  StateArena(const StateArena&) = delete;
  StateArena& operator=(const StateArena&) = delete;

  uint8_t* operator[](size_t i) const { return states_[i]; }
  uint8_t* const* rows() const { return states_.data(); }
  size_t size() const { return states_.size(); }
  // Returns every state to its initial (empty) value.
  void reset() {
    destroy_all();
    init_all();
  }

 private:
  void init_all() {
    for (; initialised_ < states_.size(); ++initialised_) kernel_.init(states_[initialised_]);
  }
  void destroy_all() {
    if (kernel_.needs_destroy()) {
      for (size_t i = 0; i < initialised_; ++i) kernel_.destroy(states_[i]);
    }
    initialised_ = 0;
  }

  const AggregateKernel& kernel_;
  size_t align_ = 8;
  size_t stride_ = 8;
  uint8_t* memory_ = nullptr;
  std::vector<uint8_t*> states_;
  size_t initialised_ = 0;
};

std::vector<VectorPtr> gather_all(const std::vector<VectorPtr>& columns, const std::vector<uint32_t>& sel) {
  std::vector<VectorPtr> out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.push_back(gather(*c, sel.data(), sel.size()));
  return out;
}

// The distinct frames of a window function, cut into elementary segments.
struct SegmentedFrames {
  std::vector<uint32_t> begin, end;   // distinct frames, in row order
  std::vector<uint32_t> cuts;         // segment s is rows [cuts[s], cuts[s + 1])
  std::vector<uint32_t> first, last;  // frame g is segments [first[g], last[g])
  size_t num_segments() const { return cuts.empty() ? 0 : cuts.size() - 1; }
};

// With cut = false only the frames are kept (the incremental and naive paths need no segments).
SegmentedFrames segment_frames(std::vector<uint32_t> begin, std::vector<uint32_t> end, bool cut) {
  SegmentedFrames f;
  f.begin = std::move(begin);
  f.end = std::move(end);
  if (!cut) return f;
  const size_t g = f.begin.size();
  std::vector<uint32_t> starts, ends;
  for (size_t i = 0; i < g; ++i) {
    if (f.begin[i] == f.end[i]) continue;
    starts.push_back(f.begin[i]);
    ends.push_back(f.end[i]);
  }
  // Both lists are sorted (frames only move forward), so a merge sorts the cuts.
  f.cuts.resize(starts.size() + ends.size());
  std::merge(starts.begin(), starts.end(), ends.begin(), ends.end(), f.cuts.begin());
  f.cuts.erase(std::unique(f.cuts.begin(), f.cuts.end()), f.cuts.end());
  f.first.resize(g);
  f.last.resize(g);
  size_t a = 0, b = 0;
  for (size_t i = 0; i < g; ++i) {
    if (f.begin[i] == f.end[i]) {
      f.first[i] = f.last[i] = 0;
      continue;
    }
    while (f.cuts[a] < f.begin[i]) ++a;
    while (f.cuts[b] < f.end[i]) ++b;
    f.first[i] = static_cast<uint32_t>(a);
    f.last[i] = static_cast<uint32_t>(b);
  }
  return f;
}

// One state per segment that lies inside some frame, built by one update call.
void update_segments(const AggregateKernel& kernel, const std::vector<VectorPtr>& args, size_t num_rows,
                     const SegmentedFrames& f, const StateArena& segments, const EvalContext& ctx) {
  const size_t m = f.num_segments();
  std::vector<int32_t> depth(m + 1, 0);
  for (size_t i = 0; i < f.first.size(); ++i) {
    if (f.first[i] == f.last[i]) continue;
    ++depth[f.first[i]];
    --depth[f.last[i]];
  }
  std::vector<uint32_t> sel;
  std::vector<uint8_t*> states;
  sel.reserve(num_rows);
  states.reserve(num_rows);
  int32_t covering = 0;
  for (size_t s = 0; s < m; ++s) {
    covering += depth[s];
    if (covering == 0) continue;
    for (uint32_t r = f.cuts[s]; r < f.cuts[s + 1]; ++r) {
      sel.push_back(r);
      states.push_back(segments[s]);
    }
  }
  // Every row in order: the argument vectors are already what update() wants.
  const bool all_rows = sel.size() == num_rows;
  kernel.update(states.data(), 0, all_rows ? args : gather_all(args, sel), sel.size(), ctx);
}

// Frames of at most one segment: the segment states are the answers.
VectorPtr finalize_single_segments(const AggregateKernel& kernel, const DataType& type,
                                   const SegmentedFrames& f, const StateArena& segments,
                                   const EvalContext& ctx) {
  StateArena empty(kernel, 1);
  const size_t g = f.begin.size();
  std::vector<uint8_t*> states(g);
  for (size_t i = 0; i < g; ++i) states[i] = f.first[i] == f.last[i] ? empty[0] : segments[f.first[i]];
  auto out = Vector::make(type, g);
  kernel.finalize(states.data(), 0, g, *out, ctx);
  return out;
}

// A segment tree of intermediate states over the segment states; see the header, step 4.
VectorPtr tree_frames(const AggregateKernel& kernel, const DataType& type, const SegmentedFrames& f,
                      const StateArena& segments, size_t max_span, const EvalContext& ctx) {
  const size_t m = f.num_segments();
  const size_t g = f.begin.size();
  const int top = std::bit_width(max_span) - 1;  // the largest node fitting in the longest frame
  // reach[x]: the furthest segment end of a frame starting at or before segment x. A node
  // [x, y) lies inside some frame exactly when y <= reach[x]; no other node is ever built, so
  // no node's state mixes rows that no frame takes together.
  std::vector<uint32_t> reach(m, 0);
  {
    size_t i = 0;
    uint32_t best = 0;
    for (size_t x = 0; x < m; ++x) {
      while (i < g && (f.first[i] == f.last[i] || f.first[i] <= x)) {
        if (f.first[i] != f.last[i]) best = std::max(best, f.last[i]);
        ++i;
      }
      reach[x] = best;
    }
  }
  std::vector<std::vector<VectorPtr>> levels(1);
  kernel.write_intermediate(segments.rows(), 0, m, levels[0]);
  std::vector<uint32_t> sel;
  std::vector<uint8_t*> targets;
  for (int h = 1; h <= top; ++h) {
    const size_t count = m >> h;
    StateArena nodes(kernel, count);
    sel.clear();
    targets.clear();
    for (size_t j = 0; j < count; ++j) {
      const size_t x = j << h;
      if (x + (size_t{1} << h) > reach[x]) continue;
      sel.push_back(static_cast<uint32_t>(2 * j));
      sel.push_back(static_cast<uint32_t>(2 * j + 1));
      targets.push_back(nodes[j]);
      targets.push_back(nodes[j]);
    }
    kernel.merge_intermediate(targets.data(), 0, gather_all(levels.back(), sel), sel.size(), ctx);
    levels.emplace_back();
    kernel.write_intermediate(nodes.rows(), 0, count, levels.back());
  }
  // Every node's intermediate side by side, so one gather serves a mix of levels.
  std::vector<size_t> base(levels.size(), 0);
  for (size_t h = 1; h < levels.size(); ++h) base[h] = base[h - 1] + (m >> (h - 1));
  std::vector<VectorPtr> nodes_all;
  for (size_t c = 0; c < levels[0].size(); ++c) {
    std::vector<VectorPtr> parts;
    for (const auto& level : levels) parts.push_back(level[c]);
    nodes_all.push_back(concat(parts));
  }
  levels.clear();

  const size_t per_call = std::max<size_t>(1, kPairsPerCall / (2 * static_cast<size_t>(top) + 2));
  StateArena results(kernel, std::min(per_call, g));
  std::vector<VectorPtr> parts;
  for (size_t g0 = 0; g0 < g; g0 += per_call) {
    const size_t g1 = std::min(g, g0 + per_call);
    if (g0 > 0) results.reset();
    sel.clear();
    targets.clear();
    for (size_t i = g0; i < g1; ++i) {
      // Greedy left-to-right cover of [first, last) by aligned nodes.
      size_t x = f.first[i];
      const size_t y = f.last[i];
      while (x < y) {
        int h = x == 0 ? top : std::min(top, std::countr_zero(x));
        while (x + (size_t{1} << h) > y) --h;
        sel.push_back(static_cast<uint32_t>(base[static_cast<size_t>(h)] + (x >> h)));
        targets.push_back(results[i - g0]);
        x += size_t{1} << h;
      }
    }
    kernel.merge_intermediate(targets.data(), 0, gather_all(nodes_all, sel), sel.size(), ctx);
    auto out = Vector::make(type, g1 - g0);
    kernel.finalize(results.rows(), 0, g1 - g0, *out, ctx);
    parts.push_back(std::move(out));
  }
  return concat(parts);
}

// Whether copy_row handles values of this type (flat types; arrays take the vectorised paths).
bool row_copyable(const DataType& t) {
  return t.fixed_width() > 0 || t.is_string_like() || t.id() == TypeId::kNull;
}

// Row `from` of src into row `to` of dst (same type). Strings must be written in row order.
void copy_row(const Vector& src, size_t from, Vector& dst, size_t to) {
  if (src.is_null(from)) {
    if (dst.type().is_string_like()) dst.set_null_string(to);
    else dst.set_null(to);
    return;
  }
  if (dst.type().is_string_like()) dst.set_string(to, src.string_at(from));
  else copy_fixed_value(src, from, dst, to);
  dst.set_valid(to);
}

// Running frames, incrementally: one state per run, updated with the rows each frame adds and
// finalized once per distinct frame (finalize only reads the state, for every kernel ember has).
// Single new rows go through reused one-row vectors, so nothing is allocated per row.
VectorPtr running_incremental(const AggregateKernel& kernel, const DataType& type,
                              const std::vector<VectorPtr>& args, const SegmentedFrames& f,
                              const EvalContext& ctx) {
  const size_t g = f.begin.size();
  StateArena state(kernel, 1);
  StateArena empty(kernel, 1);
  std::vector<VectorPtr> one_row;
  for (const auto& a : args) one_row.push_back(Vector::make(a->type(), 1));
  auto result = Vector::make(type, 1);
  auto out = Vector::make(type, g);
  std::vector<uint32_t> sel;
  std::vector<uint8_t*> targets;
  uint32_t run_begin = 0, added = 0;
  bool in_run = false;
  for (size_t i = 0; i < g; ++i) {
    uint8_t* s = state[0];
    if (f.begin[i] == f.end[i]) {
      s = empty[0];
    } else {
      if (!in_run || f.begin[i] != run_begin) {
        state.reset();
        run_begin = added = f.begin[i];
        in_run = true;
      }
      const uint32_t to = f.end[i];
      if (to == added + 1) {
        for (size_t a = 0; a < args.size(); ++a) copy_row(*args[a], added, *one_row[a], 0);
        kernel.update(&s, 0, one_row, 1, ctx);
      } else if (to > added) {
        sel.resize(to - added);
        std::iota(sel.begin(), sel.end(), added);
        targets.assign(sel.size(), s);
        kernel.update(targets.data(), 0, gather_all(args, sel), sel.size(), ctx);
      }
      added = to;
    }
    result->set_valid(0);
    kernel.finalize(&s, 0, 1, *result, ctx);
    copy_row(*result, 0, *out, i);
  }
  return out;
}

// Frames that all start where their run starts (UNBOUNDED PRECEDING), with ends that only grow
// within a run; a new run starts at or after the previous run's last end.
bool running_frames_only(const std::vector<uint32_t>& begin, const std::vector<uint32_t>& end) {
  bool in_run = false;
  uint32_t run_begin = 0, run_end = 0;
  for (size_t i = 0; i < begin.size(); ++i) {
    if (begin[i] == end[i]) continue;
    if (in_run && begin[i] == run_begin) {
      run_end = end[i];
      continue;
    }
    if (in_run && begin[i] < run_end) return false;
    in_run = true;
    run_begin = begin[i];
    run_end = end[i];
  }
  return true;
}

// Each frame's rows updated into the frame's own state; see the header, step 5.
VectorPtr naive_frames(const AggregateKernel& kernel, const DataType& type,
                       const std::vector<VectorPtr>& args, const SegmentedFrames& f, const EvalContext& ctx) {
  const size_t g = f.begin.size();
  std::vector<VectorPtr> parts;
  std::vector<uint32_t> sel;
  std::vector<uint8_t*> targets;
  for (size_t g0 = 0; g0 < g;) {
    size_t g1 = g0;
    size_t rows = 0;
    while (g1 < g && (g1 == g0 || rows + (f.end[g1] - f.begin[g1]) <= kPairsPerCall)) {
      rows += f.end[g1] - f.begin[g1];
      ++g1;
    }
    StateArena results(kernel, g1 - g0);
    sel.clear();
    targets.clear();
    for (size_t i = g0; i < g1; ++i) {
      for (uint32_t r = f.begin[i]; r < f.end[i]; ++r) {
        sel.push_back(r);
        targets.push_back(results[i - g0]);
      }
    }
    kernel.update(targets.data(), 0, gather_all(args, sel), sel.size(), ctx);
    auto out = Vector::make(type, g1 - g0);
    kernel.finalize(results.rows(), 0, g1 - g0, *out, ctx);
    parts.push_back(std::move(out));
    g0 = g1;
  }
  return concat(parts);
}

}  // namespace

VectorPtr aggregate_over_frames(const BoundAggregate& aggregate, const std::vector<VectorPtr>& args,
                                const uint32_t* begin, const uint32_t* end, size_t num_rows,
                                const EvalContext& ctx) {
  EMBER_CHECK(aggregate.kernel != nullptr, "window aggregate without a kernel");
  const AggregateKernel& kernel = *aggregate.kernel;
  const DataType& type = aggregate.result_type;
  if (num_rows == 0) return Vector::make(type, 0);

  // Distinct frames: consecutive rows with the same frame share its result.
  std::vector<uint32_t> row_frame(num_rows);
  std::vector<uint32_t> frame_begin, frame_end;
  for (size_t i = 0; i < num_rows; ++i) {
    EMBER_CHECK(begin[i] <= end[i] && end[i] <= num_rows, "window frame out of range");
    if (i == 0 || begin[i] != begin[i - 1] || end[i] != end[i - 1]) {
      EMBER_CHECK(i == 0 || (begin[i] >= begin[i - 1] && end[i] >= end[i - 1]),
                  "window frames move backwards");
      frame_begin.push_back(begin[i]);
      frame_end.push_back(end[i]);
    }
    row_frame[i] = static_cast<uint32_t>(frame_begin.size() - 1);
  }
  const size_t g = frame_begin.size();

  // Disjoint frames (each row in at most one): whole partitions, peer groups, single rows.
  bool disjoint = true;
  uint32_t previous_end = 0;
  for (size_t i = 0; i < g; ++i) {
    if (frame_begin[i] == frame_end[i]) continue;
    disjoint &= frame_begin[i] >= previous_end;
    previous_end = frame_end[i];
  }
  bool copyable = row_copyable(type);
  for (const auto& a : args) copyable &= row_copyable(a->type());
  const bool mergeable = aggregate.supports_partial && !kernel.intermediate_types().empty();

  const bool running = !disjoint && copyable && running_frames_only(frame_begin, frame_end);
  const bool cut = disjoint || (!running && mergeable);
  SegmentedFrames f = segment_frames(std::move(frame_begin), std::move(frame_end), cut);
  VectorPtr per_frame;
  if (disjoint) {
    StateArena segments(kernel, f.num_segments());
    update_segments(kernel, args, num_rows, f, segments, ctx);
    per_frame = finalize_single_segments(kernel, type, f, segments, ctx);
  } else if (running) {
    per_frame = running_incremental(kernel, type, args, f, ctx);
  } else if (mergeable) {
    size_t max_span = 0;
    for (size_t i = 0; i < g; ++i) max_span = std::max<size_t>(max_span, f.last[i] - f.first[i]);
    StateArena segments(kernel, f.num_segments());
    update_segments(kernel, args, num_rows, f, segments, ctx);
    per_frame = tree_frames(kernel, type, f, segments, max_span, ctx);
  } else {
    per_frame = naive_frames(kernel, type, args, f, ctx);
  }
  return g == num_rows ? per_frame : gather(*per_frame, row_frame.data(), num_rows);
}

}  // namespace ember
