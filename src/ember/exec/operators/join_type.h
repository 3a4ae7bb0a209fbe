#pragma once
// Join types and build sides, shared by logical plans (which name the join) and the join
// operators (which run it), plus the rules that say which (type, build side) pairs an operator can
// run and whether its build side may be shared by several tasks.
#include <string_view>

namespace ember {

enum class JoinType { kInner, kLeftOuter, kRightOuter, kFullOuter, kLeftSemi, kLeftAnti, kCross };
enum class BuildSide { kLeft, kRight };

// Spark's explain names: Inner, LeftOuter, RightOuter, FullOuter, LeftSemi, LeftAnti, Cross.
inline std::string_view join_type_name(JoinType type) {
  switch (type) {
    case JoinType::kInner: return "Inner";
    case JoinType::kLeftOuter: return "LeftOuter";
    case JoinType::kRightOuter: return "RightOuter";
    case JoinType::kFullOuter: return "FullOuter";
    case JoinType::kLeftSemi: return "LeftSemi";
    case JoinType::kLeftAnti: return "LeftAnti";
    case JoinType::kCross: return "Cross";
  }
  return "?";
}

// "BuildLeft" / "BuildRight", as Spark's explain prints the build side.
inline std::string_view build_side_name(BuildSide side) {
  return side == BuildSide::kLeft ? "BuildLeft" : "BuildRight";
}

// Semi and anti joins output the left side's columns only; every other join outputs
// [left columns..., right columns...].
constexpr bool join_outputs_right_columns(JoinType type) {
  return type != JoinType::kLeftSemi && type != JoinType::kLeftAnti;
}

// True when the join must emit build rows that matched no probe row (or, for semi/anti joins built
// on the left, emits build rows at all): full outer on either side, left outer built on the left,
// right outer built on the right, left semi/anti built on the left. The operator then remembers
// which build rows matched (in the operator, never in the shared table) and emits the build-side
// rows it owes after the probe side is exhausted.
//
// That is only correct when one operator sees every probe row that could match its build rows: a
// shuffled join (each task builds from its own partition of the build side, co-partitioned with
// the probe side), or a single probe partition. A build side shared by several tasks that probe
// different partitions (a broadcast) must only be used with combinations for which this is false:
// inner either side; left outer/semi/anti built on the right; right outer built on the left.
constexpr bool join_emits_build_rows_after_probe(JoinType type, BuildSide build_side) {
  switch (type) {
    case JoinType::kInner:
    case JoinType::kCross: return false;
    case JoinType::kFullOuter: return true;
    case JoinType::kLeftOuter:
    case JoinType::kLeftSemi:
    case JoinType::kLeftAnti: return build_side == BuildSide::kLeft;
    case JoinType::kRightOuter: return build_side == BuildSide::kRight;
  }
  return true;
}

// Whether a build side may be shared read-only by every task of the stage (broadcast).
constexpr bool join_build_side_shareable(JoinType type, BuildSide build_side) {
  return !join_emits_build_rows_after_probe(type, build_side);
}

}  // namespace ember
