#pragma once
// Join types and build sides, shared by logical plans (which name the join) and the join
// operators (which run it).
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

}  // namespace ember
