#include "ember/physical/physical_explain.h"

#include <cctype>
#include <map>
#include <vector>

#include "ember/exec/operators/join_type.h"

namespace ember {
namespace {

std::string list(const std::vector<ExprPtr>& exprs) {
  std::string s;
  for (size_t i = 0; i < exprs.size(); ++i) s += (i ? ", " : "") + exprs[i]->to_string();
  return s;
}

// "Input [2]: [a#1, b#2]" — Spark prints the count before every list.
std::string counted(const std::string& title, const std::vector<ExprPtr>& exprs) {
  return title + " [" + std::to_string(exprs.size()) + "]: [" + list(exprs) + "]\n";
}

// Bound expressions name input positions; explain shows the attributes those positions hold.
ExprPtr unbind(const ExprPtr& e, const std::vector<ExprPtr>& input) {
  if (!e) return e;
  return transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
    if (x->kind != ExprKind::kBoundRef || x->index < 0 || static_cast<size_t>(x->index) >= input.size())
      return x;
    return input[static_cast<size_t>(x->index)];
  });
}

std::vector<ExprPtr> unbind_all(const std::vector<ExprPtr>& exprs, const std::vector<ExprPtr>& input) {
  std::vector<ExprPtr> out;
  out.reserve(exprs.size());
  for (const auto& e : exprs) out.push_back(unbind(e, input));
  return out;
}

// The operator's name as the overview shows it: the label's first word ("Filter", "HashAggregate",
// "BroadcastHashJoin"); a file scan is "Scan csv" as in Spark.
std::string node_name(const PhysicalPlan& p) {
  const std::string& label = p.label;
  size_t end = label.find_first_of(" ([");
  std::string name = label.substr(0, end);
  if (name == "FileScan" && end != std::string::npos) {
    size_t fmt_end = label.find_first_of(" [", end + 1);
    return "Scan " +
           label.substr(end + 1, fmt_end == std::string::npos ? std::string::npos : fmt_end - end - 1);
  }
  return name;
}

// What follows the name in the label (the simple form's arguments), without the leading space.
std::string label_arguments(const PhysicalPlan& p) {
  size_t end = p.label.find_first_of(" ([");
  if (end == std::string::npos) return "";
  std::string rest = p.label.substr(end);
  if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
  return rest;
}

// A file scan's label reads "FileScan csv [cols] Format: CSV, Location: ..., PushedFilters: [...]";
// the formatted form prints each "Key: value" on its own line, splitting only at top-level commas
// that start a new capitalised key.
std::string scan_details(const PhysicalPlan& p) {
  const std::string& label = p.label;
  size_t start = label.find("] ");
  if (label.rfind("FileScan", 0) != 0 || start == std::string::npos)
    return "Arguments: " + label_arguments(p) + "\n";
  std::string rest = label.substr(start + 2), out, piece;
  int depth = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '[' || c == '(' || c == '<') ++depth;
    if (c == ']' || c == ')' || c == '>') --depth;
    if (depth == 0 && c == ',' && i + 2 < rest.size() && rest[i + 1] == ' ' &&
        std::isupper(static_cast<unsigned char>(rest[i + 2]))) {
      size_t colon = rest.find(": ", i + 2);
      size_t space = rest.find(' ', i + 2);
      if (colon != std::string::npos && colon < space) {
        out += piece + "\n";
        piece.clear();
        ++i;  // skip the space
        continue;
      }
    }
    piece += c;
  }
  if (!piece.empty()) out += piece + "\n";
  return out;
}

std::string section(const PhysicalPlan& p) {
  const std::vector<ExprPtr> none;
  const std::vector<ExprPtr>& input = p.children.empty() ? none : p.children[0]->output;
  std::string s;
  switch (p.kind) {
    case PhysKind::kScan:
      s += counted("Output", p.output);
      s += scan_details(p);
      break;
    case PhysKind::kShuffleRead: s += counted("Output", p.output); break;
    case PhysKind::kRuntimeFilter: {
      s += counted("Input", input);
      std::string filters;
      for (const auto& t : p.runtime_filters) filters += (filters.empty() ? "" : ", ") + t.text;
      s += "Runtime filters : [" + filters + "]\n";
      break;
    }
    case PhysKind::kFilter:
      s += counted("Input", input);
      s += "Condition : " + unbind(p.predicate, input)->to_string() + "\n";
      break;
    case PhysKind::kProject:
      s += counted("Output", unbind_all(p.exprs, input));
      s += counted("Input", input);
      break;
    case PhysKind::kHashAggregate: {
      s += counted("Input", input);
      s += counted("Keys", unbind_all(p.group_keys, input));
      // A final aggregate's calls are kept in attribute form (their arguments are not evaluated).
      std::vector<ExprPtr> calls =
          p.mode == AggregateMode::kFinal ? p.aggregates : unbind_all(p.aggregates, input);
      std::string functions;
      for (size_t i = 0; i < calls.size(); ++i) {
        functions += (i ? ", " : "") + std::string(p.mode == AggregateMode::kPartial ? "partial_" : "") +
                     calls[i]->to_string();
      }
      s += "Functions [" + std::to_string(calls.size()) + "]: [" + functions + "]\n";
      if (p.result_exprs.empty()) {
        s += counted("Results", p.output);
      } else {
        // Results read [keys..., aggregate values...]; show each value as the call computing it.
        std::vector<ExprPtr> result_input = unbind_all(p.group_keys, input);
        result_input.insert(result_input.end(), calls.begin(), calls.end());
        s += counted("Results", unbind_all(p.result_exprs, result_input));
      }
      break;
    }
    case PhysKind::kHashJoin:
    case PhysKind::kNestedLoopJoin: {
      const auto& left = p.children[0]->output;
      const auto& right = p.children[1]->output;
      std::vector<ExprPtr> both = left;
      both.insert(both.end(), right.begin(), right.end());
      if (p.kind == PhysKind::kHashJoin) {
        s += counted("Left keys", unbind_all(p.left_keys, left));
        s += counted("Right keys", unbind_all(p.right_keys, right));
      }
      s += "Join type: " + std::string(join_type_name(p.join_type)) + "\n";
      s += "Join condition: " +
           (p.join_condition ? unbind(p.join_condition, both)->to_string() : std::string("None")) + "\n";
      break;
    }
    case PhysKind::kSort:
    case PhysKind::kExchange:
    case PhysKind::kLimit:
    case PhysKind::kCoalesce:
    case PhysKind::kSample:
    case PhysKind::kGenerate:
    case PhysKind::kWindow:
      s += counted("Input", input);
      s += "Arguments: " + label_arguments(p) + "\n";
      break;
    case PhysKind::kUnion:
      for (const auto& c : p.children) s += counted("Input", c->output);
      break;
  }
  return s;
}

struct Numbering {
  std::map<const PhysicalPlan*, int> ids;
  std::vector<const PhysicalPlan*> order;
  void visit(const PhysicalPlan* p) {
    if (ids.count(p)) return;
    for (const auto& c : p->children) visit(c.get());
    ids[p] = static_cast<int>(order.size()) + 1;
    order.push_back(p);
  }
};

void overview(const PhysicalPlan& p, const Numbering& n, const std::string& prefix, bool is_root,
              bool is_last, std::string& out) {
  out += (is_root ? "" : prefix + (is_last ? "+- " : ":- ")) + node_name(p) + " (" +
         std::to_string(n.ids.at(&p)) + ")\n";
  std::string child_prefix = is_root ? "" : prefix + (is_last ? "   " : ":  ");
  for (size_t i = 0; i < p.children.size(); ++i) {
    overview(*p.children[i], n, child_prefix, false, i + 1 == p.children.size(), out);
  }
}

}  // namespace

std::string physical_formatted_string(const PhysPtr& plan) {
  Numbering n;
  n.visit(plan.get());
  std::string out;
  overview(*plan, n, "", true, true, out);
  out += "\n";
  for (const PhysicalPlan* p : n.order) {
    out += "\n(" + std::to_string(n.ids.at(p)) + ") " + node_name(*p);
    if (p->stage_id >= 0) out += " [stage " + std::to_string(p->stage_id) + "]";
    out += "\n" + section(*p);
  }
  return out;
}

}  // namespace ember
