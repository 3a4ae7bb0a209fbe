#include "ember/expr/common_subexpressions.h"

#include <functional>
#include <map>
#include <set>
#include <string>

namespace ember {

namespace {

// Worth computing once: a call, cast or CASE over at least one column, with a kernel to run.
bool shareable(const Expr& e) {
  if (e.kind != ExprKind::kCall && e.kind != ExprKind::kCast && e.kind != ExprKind::kCase) return false;
  if (e.kind == ExprKind::kCall && (e.function == nullptr || e.function->kernel == nullptr)) return false;
  bool reads_input = false;
  for (const auto& c : e.children) reads_input |= c->kind != ExprKind::kLiteral;
  return reads_input;
}

// Structural identity: explain text (BoundRefs print their index and type) plus the result type.
std::string key_of(const Expr& e) { return e.to_string() + " :: " + e.type.simple_string(); }

struct Census {
  std::map<std::string, int> count;
  std::set<std::string> always;  // occurs at least once where every row evaluates it
};

void count(const ExprPtr& e, bool every_row, Census& census) {
  if (shareable(*e) && is_deterministic(e)) {
    const std::string key = key_of(*e);
    ++census.count[key];
    if (every_row) census.always.insert(key);
  }
  for (size_t i = 0; i < e->children.size(); ++i) {
    bool child_every_row = every_row;
    if (e->kind == ExprKind::kAnd || e->kind == ExprKind::kOr) child_every_row = every_row && i == 0;
    if (e->kind == ExprKind::kCase) child_every_row = every_row && i == 0;
    count(e->children[i], child_every_row, census);
  }
}

}  // namespace

SharedSubexpressions share_common_subexpressions(const std::vector<ExprPtr>& exprs, int input_width) {
  Census census;
  for (const auto& e : exprs) count(e, true, census);
  std::set<std::string> chosen;
  for (const auto& [key, n] : census.count) {
    if (n >= 2 && census.always.count(key)) chosen.insert(key);
  }
  // An expression only ever read inside a shared one is computed once with it already (the
  // shared definition is evaluated once): count evaluations that remain after sharing, and drop
  // what would be computed only once anyway (CAST(id AS STRING) inside a shared sha2(...)).
  for (bool dropped = true; dropped && !chosen.empty();) {
    std::map<std::string, int> evaluations;
    std::set<std::string> defined;
    std::function<void(const ExprPtr&)> walk = [&](const ExprPtr& e) {
      if (shareable(*e)) {
        const std::string key = key_of(*e);
        if (chosen.count(key)) {
          ++evaluations[key];
          if (!defined.insert(key).second) return;  // a later read of the column computes nothing
        }
      }
      for (const auto& c : e->children) walk(c);
    };
    for (const auto& e : exprs) walk(e);
    dropped = false;
    for (auto it = chosen.begin(); it != chosen.end();) {
      // One evaluation is the definition itself; sharing pays when it is read again.
      if (evaluations[*it] < 2) {
        it = chosen.erase(it);
        dropped = true;
      } else {
        ++it;
      }
    }
  }
  SharedSubexpressions out;
  if (chosen.empty()) {
    out.exprs = exprs;
    return out;
  }
  std::map<std::string, int> column_of;
  // Bottom-up, keyed on each node's original form: a shared expression inside another is
  // computed first, and the outer one reads its column.
  std::function<ExprPtr(const ExprPtr&)> replace = [&](const ExprPtr& e) -> ExprPtr {
    std::vector<ExprPtr> kids;
    kids.reserve(e->children.size());
    bool changed = false;
    for (const auto& c : e->children) {
      kids.push_back(replace(c));
      changed |= kids.back() != c;
    }
    ExprPtr self = changed ? with_children(*e, std::move(kids)) : e;
    if (!shareable(*e)) return self;
    const std::string key = key_of(*e);
    if (!chosen.count(key)) return self;
    auto it = column_of.find(key);
    if (it == column_of.end()) {
      it = column_of.emplace(key, input_width + static_cast<int>(out.shared.size())).first;
      out.shared.push_back(self);
    }
    return make_bound_ref(it->second, e->type, e->nullable, e->pretty_name());
  };
  for (const auto& e : exprs) out.exprs.push_back(replace(e));
  return out;
}

}  // namespace ember
