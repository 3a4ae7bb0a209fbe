// Optimizer driver and rules, on small resolved plans built through the analyzer.
//
// Every test plan comes from a named builder function (kPlanBuilders below), so checks that need
// no expected text — consistency of every node's output, an unchanged result schema, a fixed
// point that stays fixed, and (once execution is linked here) equal results with and without
// each rule — can run over all of them.
#include "ember/optimizer/optimizer.h"

#include <functional>
#include <map>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "ember/analyzer/analyzer.h"
#include "ember/common/error.h"
#include "ember/optimizer/plan_validation.h"

namespace ember {
namespace {

// ---------------------------------------------------------------------------------------------
// Building plans

// A local relation t(a INT, b INT, c STRING) with a few rows.
PlanPtr table_t() {
  auto src = std::make_shared<DataSource>();
  src->kind = SourceKind::kLocalRows;
  src->schema = Schema({Field{"a", DataType::int32(), true}, Field{"b", DataType::int32(), true},
                        Field{"c", DataType::string(), true}});
  std::vector<Value> a = {Value::int32(1), Value::int32(2), Value::int32(3), Value::null(DataType::int32())};
  std::vector<Value> b = {Value::int32(10), Value::int32(0), Value::int32(30), Value::int32(40)};
  std::vector<Value> c = {Value::string("x"), Value::string("y"), Value::string("z"), Value::string("w")};
  src->batches.push_back(
      Batch({Vector::from_values(DataType::int32(), a), Vector::from_values(DataType::int32(), b),
             Vector::from_values(DataType::string(), c)},
            4));
  return make_relation(src);
}

// A two-column table whose columns are named <prefix>k and <prefix>v (for join plans).
PlanPtr table_kv(const std::string& prefix) {
  auto src = std::make_shared<DataSource>();
  src->kind = SourceKind::kLocalRows;
  src->schema = Schema({Field{prefix + "k", DataType::int32(), true}, Field{prefix + "v", DataType::int32(), true}});
  std::vector<Value> k = {Value::int32(1), Value::int32(2)};
  src->batches.push_back(
      Batch({Vector::from_values(DataType::int32(), k), Vector::from_values(DataType::int32(), k)}, 2));
  return make_relation(src);
}

ExprPtr col(const std::string& name) { return make_column(name); }
ExprPtr lit(int32_t v) { return make_literal(Value::int32(v)); }
ExprPtr lit_bool(bool v) { return make_literal(Value::boolean(v)); }
ExprPtr call(const std::string& op, ExprPtr x, ExprPtr y) {
  return make_call(op, {std::move(x), std::move(y)});
}
ExprPtr as(ExprPtr e, const std::string& name) { return make_alias(std::move(e), name); }

PlanPtr analyze(const PlanPtr& unresolved) { return Analyzer(AnalyzerOptions{}).analyze(unresolved); }

// `attr > 1`, resolved against `attr` itself.
ExprPtr call_resolved_gt(const ExprPtr& attr) {
  return Analyzer(AnalyzerOptions{}).resolve_expression(call(">", attr, lit(1)), {attr}, false);
}

OptimizerContext context() { return OptimizerContext{EvalContext{}}; }

// Plan text with attribute ids renumbered #1, #2, ... in order of first appearance, so expected
// strings do not depend on the process-wide id counter but still show which columns are the same.
std::string text(const PlanPtr& plan) {
  std::string s = plan_tree_string(plan);
  static const std::regex id_re("#(\\d+)");
  std::map<std::string, int> ids;
  std::string out;
  auto begin = std::sregex_iterator(s.begin(), s.end(), id_re);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += s.substr(last, static_cast<size_t>(it->position()) - last);
    auto [pos, inserted] = ids.emplace((*it)[1].str(), static_cast<int>(ids.size()) + 1);
    out += "#" + std::to_string(pos->second);
    last = static_cast<size_t>(it->position() + it->length());
  }
  return out + s.substr(last);
}

// Runs the whole optimizer with only `rule` enabled.
PlanPtr only(const std::string& rule, const PlanPtr& plan) {
  std::set<std::string> excluded;
  for (const auto& r : Optimizer::rule_names()) {
    if (r != rule) excluded.insert(r);
  }
  return Optimizer(excluded).optimize(plan, context());
}

// Runs the whole optimizer with `rule` excluded.
PlanPtr without(const std::string& rule, const PlanPtr& plan) {
  return Optimizer({rule}).optimize(plan, context());
}

PlanPtr optimize(const PlanPtr& plan) { return Optimizer().optimize(plan, context()); }

// ---------------------------------------------------------------------------------------------
// Invariants every optimized plan must keep

std::vector<int64_t> ids_of(const std::vector<ExprPtr>& list) {
  std::vector<int64_t> ids;
  ids.reserve(list.size());
  for (const auto& e : list) ids.push_back(e->id);
  return ids;
}

// Each node's output follows from its children and expressions, and every attribute a node reads
// is produced by one of its children.
void expect_consistent(const PlanPtr& plan) {
  for (const auto& c : plan->children) expect_consistent(c);
  SCOPED_TRACE(plan_node_string(*plan));
  std::set<int64_t> input;
  for (const auto& c : plan->children) {
    for (const auto& a : c->output) input.insert(a->id);
  }
  auto expect_inputs = [&](const ExprPtr& e) {
    std::vector<int64_t> ids;
    collect_attribute_ids(e, ids);
    for (int64_t id : ids) {
      EXPECT_TRUE(input.count(id)) << "reads missing attribute #" << id << " in " << e->to_string();
    }
  };
  switch (plan->kind) {
    case PlanKind::kRelation: {
      const Schema& schema = plan->source->schema;
      if (plan->read_columns.empty()) {
        EXPECT_EQ(plan->output.size(), schema.size());
      } else {
        ASSERT_EQ(plan->read_columns.size(), plan->output.size());
        for (size_t i = 0; i < plan->output.size(); ++i) {
          EXPECT_EQ(schema.field(static_cast<size_t>(plan->read_columns[i])).name, plan->output[i]->name);
          if (i > 0) {
            EXPECT_LT(plan->read_columns[i - 1], plan->read_columns[i]) << "not in schema order";
          }
        }
      }
      break;
    }
    case PlanKind::kProject:
    case PlanKind::kAggregate:
      EXPECT_EQ(ids_of(plan->output), ids_of(plan->exprs));
      for (const auto& e : plan->exprs) expect_inputs(e);
      for (const auto& g : plan->grouping) expect_inputs(g);
      break;
    case PlanKind::kJoin: {
      // Inner joins in these plans: left's columns, then right's.
      std::vector<int64_t> both = ids_of(plan->children[0]->output);
      for (int64_t id : ids_of(plan->children[1]->output)) both.push_back(id);
      EXPECT_EQ(ids_of(plan->output), both);
      if (plan->condition) expect_inputs(plan->condition);
      break;
    }
    case PlanKind::kUnion:
      for (const auto& c : plan->children) EXPECT_EQ(c->output.size(), plan->output.size());
      EXPECT_EQ(ids_of(plan->output), ids_of(plan->child()->output));
      break;
    default:
      EXPECT_EQ(ids_of(plan->output), ids_of(plan->child()->output));
      if (plan->condition) expect_inputs(plan->condition);
      for (const auto& e : plan->exprs) expect_inputs(e);
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// The test plans. Add a builder here and it joins the invariant checks below.

PlanPtr plan_fold_project() {
  // select(1 + 2 AS x, a + 2 * 3 AS y)
  return analyze(make_project(table_t(), {as(call("+", lit(1), lit(2)), "x"),
                                          as(call("+", col("a"), call("*", lit(2), lit(3))), "y")}));
}

PlanPtr plan_fold_filter_true() {
  // filter(1 = 1 AND a > 1 + 1)
  return analyze(make_filter(
      table_t(), make_and(call("=", lit(1), lit(1)), call(">", col("a"), call("+", lit(1), lit(1))))));
}

PlanPtr plan_fold_division_by_zero() {
  // select(a + 1 / 0 AS z): must stay unfolded under ANSI, failing only when rows reach it.
  return analyze(make_project(table_t(), {as(call("+", col("a"), call("/", lit(1), lit(0))), "z")}));
}

PlanPtr plan_fold_booleans() {
  // select((a > 1 OR true) AS t, (a > 1 AND false) AS f, NOT true AS n).filter(false AND t)
  PlanPtr p = make_project(table_t(), {as(make_or(call(">", col("a"), lit(1)), lit_bool(true)), "t"),
                                       as(make_and(call(">", col("a"), lit(1)), lit_bool(false)), "f"),
                                       as(make_not(lit_bool(true)), "n")});
  return analyze(make_filter(p, make_and(lit_bool(false), col("t"))));
}

PlanPtr plan_two_filters() {
  // filter(a > 1).filter(b < 5 AND a > 1)
  PlanPtr f = make_filter(table_t(), call(">", col("a"), lit(1)));
  return analyze(make_filter(f, make_and(call("<", col("b"), lit(5)), call(">", col("a"), lit(1)))));
}

PlanPtr plan_filter_over_project() {
  // select(a, b + 1 AS d).filter(d > 3)
  PlanPtr p = make_project(table_t(), {col("a"), as(call("+", col("b"), lit(1)), "d")});
  return analyze(make_filter(p, call(">", col("d"), lit(3))));
}

PlanPtr plan_filter_over_sort() {
  return analyze(make_filter(make_sort(table_t(), {col("b")}, true), call(">", col("a"), lit(1))));
}

PlanPtr plan_filter_over_limit() {
  return analyze(make_filter(make_limit(table_t(), 2), call(">", col("a"), lit(1))));
}

PlanPtr plan_filter_over_repartition() {
  return analyze(make_filter(make_repartition(table_t(), 4, {col("a")}, true), call(">", col("b"), lit(1))));
}

PlanPtr plan_filter_over_coalesce() {
  return analyze(make_filter(make_repartition(table_t(), 1, {}, false), call(">", col("b"), lit(1))));
}

PlanPtr plan_filter_over_union() {
  // t.union(t.select(b, a, c)).filter(a > 1): by position, the second branch's first column is b.
  PlanPtr right = make_project(table_t(), {col("b"), col("a"), col("c")});
  return analyze(make_filter(make_union({table_t(), right}), call(">", col("a"), lit(1))));
}

PlanPtr plan_filter_over_aggregate() {
  // group_by(a).agg(sum(b) AS s).filter(a > 1 AND s > 10)
  PlanPtr agg = make_aggregate(table_t(), {col("a")}, {col("a"), as(make_aggregate("sum", {col("b")}), "s")});
  return analyze(make_filter(
      agg, make_and(call(">", col("a"), lit(1)), call(">", col("s"), make_literal(Value::int64(10))))));
}

PlanPtr plan_false_over_global_aggregate() {
  // agg(count(1)).filter(false): the conjunct reads no column and must stay above.
  PlanPtr agg = make_aggregate(table_t(), {}, {as(make_aggregate("count", {lit(1)}), "n")});
  return analyze(make_filter(agg, lit_bool(false)));
}

PlanPtr plan_project_chain() {
  // select(a, b + 1 AS d, c).select(a, d * 2 AS e)
  PlanPtr inner = make_project(table_t(), {col("a"), as(call("+", col("b"), lit(1)), "d"), col("c")});
  return analyze(make_project(inner, {col("a"), as(call("*", col("d"), lit(2)), "e")}));
}

PlanPtr plan_project_chain_reused() {
  PlanPtr inner = make_project(table_t(), {col("a"), as(call("+", col("b"), lit(1)), "d")});
  return analyze(make_project(inner, {as(call("*", col("d"), col("d")), "e")}));
}

PlanPtr plan_project_passthrough() {
  // select(a, b + 1 AS d).select(d, a): the upper keeps d's id on the substituted expression.
  PlanPtr inner = make_project(table_t(), {col("a"), as(call("+", col("b"), lit(1)), "d")});
  return analyze(make_project(inner, {col("d"), col("a")}));
}

PlanPtr plan_noop_project() {
  return analyze(
      make_project(make_filter(table_t(), call(">", col("a"), lit(1))), {col("a"), col("b"), col("c")}));
}

PlanPtr plan_limit_over_project() {
  // order_by(b).select(a).limit(3)
  PlanPtr p = make_project(make_sort(table_t(), {col("b")}, true), {col("a")});
  return analyze(make_limit(p, 3));
}

PlanPtr plan_limit_over_limit() { return analyze(make_limit(make_limit(table_t(), 2), 5)); }

PlanPtr plan_limit_over_union() { return analyze(make_limit(make_union({table_t(), table_t()}), 2)); }

PlanPtr plan_select_one_column() { return analyze(make_project(table_t(), {col("c")})); }

PlanPtr plan_count_star() {
  return analyze(make_aggregate(table_t(), {}, {as(make_aggregate("count", {lit(1)}), "n")}));
}

PlanPtr plan_prune_project_chain() {
  // select(a, b + 1 AS d, c).select(a).group_by(a).count()
  PlanPtr inner = make_project(table_t(), {col("a"), as(call("+", col("b"), lit(1)), "d"), col("c")});
  PlanPtr mid = make_filter(inner, call(">", col("d"), lit(0)));
  return analyze(make_aggregate(mid, {col("a")}, {col("a"), as(make_aggregate("count", {lit(1)}), "n")}));
}

PlanPtr plan_prune_union() {
  // t.union(t.filter(b > 0)).select(a)
  PlanPtr u = make_union({table_t(), make_filter(table_t(), call(">", col("b"), lit(0)))});
  return analyze(make_project(u, {col("a")}));
}

// FROM p, s, ps WHERE pk = psk AND sk = psv AND pv > 0: written as a cross product of p and s.
PlanPtr plan_comma_join() {
  PlanPtr j = make_join(make_join(table_kv("p"), table_kv("s"), JoinType::kInner, nullptr), table_kv("ps"),
                        JoinType::kInner, nullptr);
  return analyze(make_filter(j, make_and(make_and(call("=", col("pk"), col("psk")), call("=", col("sk"), col("psv"))),
                                         call(">", col("pv"), lit(0)))));
}

PlanPtr plan_everything() {
  // A pipeline every rule has something to do in.
  PlanPtr p =
      make_project(table_t(), {col("a"), as(call("+", col("b"), call("+", lit(1), lit(1))), "d"), col("c")});
  p = make_filter(p, make_and(lit_bool(true), call(">", col("d"), lit(3))));
  // (a < 10) OR (a < 10 AND a > 0) is a < 10 (BooleanSimplification).
  p = make_filter(p, make_or(call("<", col("a"), lit(10)), make_and(call("<", col("a"), lit(10)), call(">", col("a"), lit(0)))));
  p = make_project(p, {col("d"), col("a")});
  p = make_sort(p, {col("a")}, true);
  p = make_project(p, {col("d")});
  return analyze(make_limit(p, 10));
}

const std::vector<std::pair<const char*, std::function<PlanPtr()>>>& plan_builders() {
  static const std::vector<std::pair<const char*, std::function<PlanPtr()>>> builders = {
      {"fold_project", plan_fold_project},
      {"fold_filter_true", plan_fold_filter_true},
      {"fold_division_by_zero", plan_fold_division_by_zero},
      {"fold_booleans", plan_fold_booleans},
      {"two_filters", plan_two_filters},
      {"filter_over_project", plan_filter_over_project},
      {"filter_over_sort", plan_filter_over_sort},
      {"filter_over_limit", plan_filter_over_limit},
      {"filter_over_repartition", plan_filter_over_repartition},
      {"filter_over_coalesce", plan_filter_over_coalesce},
      {"filter_over_union", plan_filter_over_union},
      {"filter_over_aggregate", plan_filter_over_aggregate},
      {"false_over_global_aggregate", plan_false_over_global_aggregate},
      {"project_chain", plan_project_chain},
      {"project_chain_reused", plan_project_chain_reused},
      {"project_passthrough", plan_project_passthrough},
      {"noop_project", plan_noop_project},
      {"limit_over_project", plan_limit_over_project},
      {"limit_over_limit", plan_limit_over_limit},
      {"limit_over_union", plan_limit_over_union},
      {"select_one_column", plan_select_one_column},
      {"count_star", plan_count_star},
      {"prune_project_chain", plan_prune_project_chain},
      {"prune_union", plan_prune_union},
      {"everything", plan_everything},
      {"comma_join", plan_comma_join},
  };
  return builders;
}

// ---------------------------------------------------------------------------------------------
// Driver

TEST(OptimizerDriver, RuleNamesInOrder) {
  EXPECT_EQ(Optimizer::rule_names(), (std::vector<std::string>{"ConstantFolding",
                                                               "NullPropagation",
                                                               "OptimizeIn",
                                                               "LikeSimplification",
                                                               "SimplifyConditionals",
                                                               "PropagateEmptyRelation",
                                                               "CombineFilters",
                                                               "BooleanSimplification",
                                                               "ReorderJoin",
                                                               "EliminateOuterJoin",
                                                               "PushDownPredicates",
                                                               "EliminateSorts",
                                                               "RemoveRedundantAggregates",
                                                               "CollapseProject",
                                                               "LimitPushDown",
                                                               "ColumnPruning",
                                                               "InferFiltersFromConstraints",
                                                               "PushExtraPredicateThroughJoin",
                                                               "CostBasedJoinReorder",
                                                               "PushAggregateThroughJoin"}));
}

TEST(OptimizerDriver, BatchesRunInSparksOrder) {
  std::vector<std::string> batches = Optimizer::batch_descriptions();
  ASSERT_EQ(batches.size(), 5u);
  EXPECT_EQ(
      batches[0].rfind("Operator Optimization before Inferring Filters (fixed point): ConstantFolding, ", 0),
      0u);
  EXPECT_EQ(batches[1], "Infer Filters (once): InferFiltersFromConstraints, PushExtraPredicateThroughJoin");
  EXPECT_EQ(
      batches[2].rfind("Operator Optimization after Inferring Filters (fixed point): ConstantFolding, ", 0),
      0u);
  // Join order by cost only once every filter, inferred ones included, is in place (Spark's
  // "Join Reorder" batch follows its operator optimization), then the cleanup over the new tree.
  EXPECT_EQ(batches[3], "Join Reorder (once): CostBasedJoinReorder");
  EXPECT_EQ(batches[4],
            "Operator Optimization after Join Reorder (fixed point): CombineFilters, PushDownPredicates, "
            "PushAggregateThroughJoin, CollapseProject, ColumnPruning");
  Optimizer optimizer;
  optimizer.optimize(plan_everything(), context());
  ASSERT_EQ(optimizer.last_batches().size(), 5u);
  EXPECT_EQ(optimizer.last_batches()[1].iterations, 1);  // a once batch
  EXPECT_GE(optimizer.last_batches()[0].iterations, 2);  // changed, then a pass that changed nothing
  const std::string report = Optimizer::rule_report(optimizer.last_batches(), optimizer.last_run(), true);
  EXPECT_NE(report.find("Batch 'Infer Filters' (once): 1 iteration, "), std::string::npos) << report;
  const std::string plain = Optimizer::rule_report(optimizer.last_batches(), optimizer.last_run(), false);
  EXPECT_NE(plain.find("Batch 'Infer Filters' (once): 1 iteration\n"), std::string::npos) << plain;
  EXPECT_EQ(plain.find(" ms"), std::string::npos) << plain;
  EXPECT_NE(report.find("  PushDownPredicates: changed the plan "), std::string::npos) << report;
}

TEST(OptimizerDriver, ParseExcludedAcceptsShortAndSparkNames) {
  EXPECT_TRUE(Optimizer::parse_excluded("").empty());
  EXPECT_TRUE(Optimizer::parse_excluded(" , ").empty());
  EXPECT_EQ(Optimizer::parse_excluded("PushDownPredicates"), (std::set<std::string>{"PushDownPredicates"}));
  EXPECT_EQ(
      Optimizer::parse_excluded(" org.apache.spark.sql.catalyst.optimizer.ColumnPruning ,CollapseProject "),
      (std::set<std::string>{"ColumnPruning", "CollapseProject"}));
}

TEST(OptimizerDriver, ParseExcludedRejectsUnknownNames) {
  try {
    Optimizer::parse_excluded("ConstantFolding, PushDownPredicate");
    FAIL() << "expected an error";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIllegalArgument);
    std::string msg = e.what();
    EXPECT_NE(msg.find("PushDownPredicate'"), std::string::npos) << msg;
    for (const auto& r : Optimizer::rule_names()) EXPECT_NE(msg.find(r), std::string::npos) << msg;
  }
  EXPECT_THROW(Optimizer({"NoSuchRule"}), EmberError);
}

TEST(OptimizerDriver, ExcludingEveryRuleReturnsThePlanItself) {
  PlanPtr plan = plan_everything();
  auto names = Optimizer::rule_names();
  Optimizer none(std::set<std::string>(names.begin(), names.end()));
  EXPECT_EQ(none.optimize(plan, context()), plan);
  EXPECT_TRUE(none.last_run().empty());
}

TEST(OptimizerDriver, RecordsRuleRunsAndReachesAFixedPoint) {
  Optimizer optimizer;
  // Every rule has work in one of the plans (the join reordering rules in the join: the
  // cost-based one, and with it switched off the heuristic one; the rest in the pipeline).
  std::map<std::string, int> changed;
  PlanPtr out;
  OptimizerContext heuristic = context();
  heuristic.cbo.join_reorder = false;
  for (auto [plan, ctx] : std::vector<std::pair<PlanPtr, OptimizerContext>>{
           {plan_comma_join(), context()}, {plan_comma_join(), heuristic}, {plan_everything(), context()}}) {
    out = optimizer.optimize(plan, ctx);
    // One entry per rule and batch: the operator-optimization rules run in two batches, the two
    // rules of the Infer Filters batch and CostBasedJoinReorder in one, and the five rules of the
    // batch after the join reorder (PushAggregateThroughJoin runs only there).
    ASSERT_EQ(optimizer.last_run().size(), 2 * (Optimizer::rule_names().size() - 4) + 3 + 5);
    for (const auto& run : optimizer.last_run()) {
      changed[run.rule] += run.times_changed;
      EXPECT_GE(run.nanos, 0);
    }
    EXPECT_EQ(optimizer.optimize(out, ctx), out);
    for (const auto& run : optimizer.last_run()) EXPECT_EQ(run.times_changed, 0) << run.rule;
  }
  for (const std::string name :
       {"ConstantFolding", "CombineFilters", "BooleanSimplification", "CostBasedJoinReorder", "ReorderJoin",
        "PushDownPredicates", "CollapseProject", "LimitPushDown", "ColumnPruning"}) {
    EXPECT_GT(changed[name], 0) << name << " did nothing";
  }
  EXPECT_EQ(
      text(out),
      "Project [d#1]\n"
      "+- GlobalLimit 10\n"
      "   +- Sort [a#2 ASC NULLS FIRST], true\n"
      "      +- Project [(b#3 + 2) AS d#1, a#2]\n"
      "         +- Filter (((b#3 + 2) > 3) AND (a#2 < 10))\n"
      "            +- Relation [a#2,b#3] LocalRelation\n");
}

// ---------------------------------------------------------------------------------------------
// ReorderJoin

TEST(ReorderJoin, JoinsOnAConditionBeforeACrossProduct) {
  PlanPtr plan = plan_comma_join();
  EXPECT_EQ(text(only("ReorderJoin", plan)),
            "Project [pk#1, pv#2, sk#3, sv#4, psk#5, psv#6]\n"
            "+- Join Inner, (sk#3 = psv#6)\n"
            "   :- Join Inner, ((pk#1 = psk#5) AND (pv#2 > 0))\n"
            "   :  :- Relation [pk#1,pv#2] LocalRelation\n"
            "   :  +- Relation [psk#5,psv#6] LocalRelation\n"
            "   +- Relation [sk#3,sv#4] LocalRelation\n");
  // Already joined on conditions in the written order: unchanged (same pointer).
  PlanPtr ordered = analyze(make_filter(
      make_join(make_join(table_kv("p"), table_kv("ps"), JoinType::kInner, nullptr), table_kv("s"), JoinType::kInner,
                nullptr),
      make_and(call("=", col("pk"), col("psk")), call("=", col("sk"), col("psv")))));
  EXPECT_EQ(only("ReorderJoin", ordered), ordered);
  // No condition at all: a cross product stays as written.
  PlanPtr cross = analyze(make_join(make_join(table_kv("p"), table_kv("s"), JoinType::kInner, nullptr), table_kv("ps"),
                                    JoinType::kInner, nullptr));
  EXPECT_EQ(only("ReorderJoin", cross), cross);
}

// ---------------------------------------------------------------------------------------------
// BooleanSimplification

TEST(BooleanSimplification, FactorsConjunctsCommonToEveryDisjunct) {
  PlanPtr plan = analyze(make_filter(
      table_t(), make_or(make_and(call("<", col("a"), lit(10)), call(">", col("b"), lit(1))),
                         make_and(call(">", col("b"), lit(5)), make_and(call("<", col("a"), lit(10)), call("<", col("b"), lit(0)))))));
  EXPECT_EQ(text(only("BooleanSimplification", plan)),
            "Filter ((a#1 < 10) AND ((b#2 > 1) OR ((b#2 > 5) AND (b#2 < 0))))\n"
            "+- Relation [a#1,b#2,c#3] LocalRelation\n");
  // Nothing in common: unchanged.
  PlanPtr plain = analyze(make_filter(table_t(), make_or(call("<", col("a"), lit(10)), call(">", col("b"), lit(1)))));
  EXPECT_EQ(only("BooleanSimplification", plain), plain);
}

// ---------------------------------------------------------------------------------------------
// ConstantFolding

TEST(ConstantFolding, FoldsLiteralSubexpressionsKeepingTypesAndAliases) {
  PlanPtr plan = plan_fold_project();
  EXPECT_EQ(text(plan),
            "Project [(1 + 2) AS x#1, (a#2 + (2 * 3)) AS y#3]\n+- Relation [a#2,b#4,c#5] LocalRelation\n");
  PlanPtr out = only("ConstantFolding", plan);
  EXPECT_EQ(text(out), "Project [3 AS x#1, (a#2 + 6) AS y#3]\n+- Relation [a#2,b#4,c#5] LocalRelation\n");
  EXPECT_EQ(out->schema(), plan->schema());
  EXPECT_EQ(out->exprs[0]->children[0]->type, DataType::int32());
  EXPECT_EQ(without("ConstantFolding", plan)->exprs, plan->exprs);
}

TEST(ConstantFolding, RemovesFilterTrueAndSimplifiesConjunctions) {
  PlanPtr plan = plan_fold_filter_true();
  EXPECT_EQ(text(plan), "Filter ((1 = 1) AND (a#1 > (1 + 1)))\n+- Relation [a#1,b#2,c#3] LocalRelation\n");
  EXPECT_EQ(text(only("ConstantFolding", plan)),
            "Filter (a#1 > 2)\n+- Relation [a#1,b#2,c#3] LocalRelation\n");
}

TEST(ConstantFolding, LeavesFailingExpressionsForRunTime) {
  PlanPtr plan = plan_fold_division_by_zero();
  PlanPtr out = only("ConstantFolding", plan);
  // The casts around the literals fold; the division by zero does not.
  EXPECT_NE(text(out).find("(1.0 / 0.0)"), std::string::npos) << text(out);
  EXPECT_EQ(out->schema(), plan->schema());
}

TEST(ConstantFolding, BooleanSimplifications) {
  PlanPtr plan = plan_fold_booleans();
  PlanPtr out = only("ConstantFolding", plan);
  // false AND t -> false; Filter(false) is kept (not replaced by an empty relation).
  EXPECT_EQ(text(out),
            "Filter false\n"
            "+- Project [true AS t#1, false AS f#2, false AS n#3]\n"
            "   +- Relation [a#4,b#5,c#6] LocalRelation\n");
  EXPECT_EQ(out->schema(), plan->schema());
}

// ---------------------------------------------------------------------------------------------
// CombineFilters

TEST(CombineFilters, MergesInnerFirstAndDropsRepeatedConjuncts) {
  PlanPtr plan = plan_two_filters();
  EXPECT_EQ(text(only("CombineFilters", plan)),
            "Filter ((a#1 > 1) AND (b#2 < 5))\n+- Relation [a#1,b#2,c#3] LocalRelation\n");
  // Without the rule the two filters stay (nothing else merges them).
  PlanPtr kept = without("CombineFilters", plan);
  EXPECT_EQ(kept->kind, PlanKind::kFilter);
  EXPECT_EQ(kept->child()->kind, PlanKind::kFilter);
}

// ---------------------------------------------------------------------------------------------
// PushDownPredicates

TEST(PushDownPredicates, ThroughProjectSubstitutingAliases) {
  PlanPtr plan = plan_filter_over_project();
  EXPECT_EQ(text(only("PushDownPredicates", plan)),
            "Project [a#1, (b#2 + 1) AS d#3]\n"
            "+- Filter ((b#2 + 1) > 3)\n"
            "   +- Relation [a#1,b#2,c#4] LocalRelation\n");
  EXPECT_EQ(without("PushDownPredicates", plan)->kind, PlanKind::kFilter);
}

TEST(PushDownPredicates, ThroughSortAndShufflingRepartitionOnly) {
  EXPECT_EQ(text(only("PushDownPredicates", plan_filter_over_sort())),
            "Sort [b#1 ASC NULLS FIRST], true\n"
            "+- Filter (a#2 > 1)\n"
            "   +- Relation [a#2,b#1,c#3] LocalRelation\n");
  EXPECT_EQ(only("PushDownPredicates", plan_filter_over_repartition())->kind, PlanKind::kRepartition);
  PlanPtr coalesce = plan_filter_over_coalesce();
  EXPECT_EQ(only("PushDownPredicates", coalesce), coalesce);
}

TEST(PushDownPredicates, NeverBelowALimit) {
  PlanPtr plan = plan_filter_over_limit();
  EXPECT_EQ(only("PushDownPredicates", plan), plan);
}

TEST(PushDownPredicates, IntoEveryUnionBranchByPosition) {
  PlanPtr plan = plan_filter_over_union();
  EXPECT_EQ(text(only("PushDownPredicates", plan)),
            "Union\n"
            ":- Filter (a#1 > 1)\n"
            ":  +- Relation [a#1,b#2,c#3] LocalRelation\n"
            "+- Project [b#4, a#5, c#6]\n"
            "   +- Filter (b#4 > 1)\n"
            "      +- Relation [a#5,b#4,c#6] LocalRelation\n");
}

TEST(PushDownPredicates, BelowAggregateOnlyOnGroupingColumns) {
  PlanPtr plan = plan_filter_over_aggregate();
  EXPECT_EQ(text(only("PushDownPredicates", plan)),
            "Filter (s#1L > 10)\n"
            "+- Aggregate [a#2], [a#2, sum(b#3) AS s#1]\n"
            "   +- Filter (a#2 > 1)\n"
            "      +- Relation [a#2,b#3,c#4] LocalRelation\n");
  PlanPtr global = plan_false_over_global_aggregate();
  EXPECT_EQ(only("PushDownPredicates", global), global);
}

// ---------------------------------------------------------------------------------------------
// CollapseProject

TEST(CollapseProject, MergesSubstitutingAliasesAndKeepsUpperIds) {
  PlanPtr plan = plan_project_chain();
  PlanPtr out = only("CollapseProject", plan);
  EXPECT_EQ(text(out), "Project [a#1, ((b#2 + 1) * 2) AS e#3]\n+- Relation [a#1,b#2,c#4] LocalRelation\n");
  EXPECT_EQ(ids_of(out->output), ids_of(plan->output));
  EXPECT_EQ(without("CollapseProject", plan)->child()->kind, PlanKind::kProject);
}

TEST(CollapseProject, PassedThroughAliasKeepsItsIdAndName) {
  PlanPtr plan = plan_project_passthrough();
  PlanPtr out = only("CollapseProject", plan);
  EXPECT_EQ(text(out), "Project [(b#1 + 1) AS d#2, a#3]\n+- Relation [a#3,b#1,c#4] LocalRelation\n");
  EXPECT_EQ(out->schema(), plan->schema());
  EXPECT_EQ(ids_of(out->output), ids_of(plan->output));
}

TEST(CollapseProject, KeepsExpensiveAliasUsedTwice) {
  PlanPtr plan = plan_project_chain_reused();
  EXPECT_EQ(only("CollapseProject", plan), plan);
}

TEST(CollapseProject, RemovesProjectOfChildOutput) {
  PlanPtr plan = plan_noop_project();
  EXPECT_EQ(only("CollapseProject", plan), plan->child());
}

// ---------------------------------------------------------------------------------------------
// LimitPushDown

TEST(LimitPushDown, BelowProjectOntoSort) {
  PlanPtr plan = plan_limit_over_project();
  EXPECT_EQ(text(only("LimitPushDown", plan)),
            "Project [a#1]\n"
            "+- GlobalLimit 3\n"
            "   +- Sort [b#2 ASC NULLS FIRST], true\n"
            "      +- Relation [a#1,b#2,c#3] LocalRelation\n");
  EXPECT_EQ(without("LimitPushDown", plan)->kind, PlanKind::kLimit);
}

TEST(LimitPushDown, CombinesLimits) {
  EXPECT_EQ(text(only("LimitPushDown", plan_limit_over_limit())),
            "GlobalLimit 2\n+- Relation [a#1,b#2,c#3] LocalRelation\n");
}

TEST(LimitPushDown, IntoUnionBranchesOnce) {
  PlanPtr plan = plan_limit_over_union();
  PlanPtr out = only("LimitPushDown", plan);
  EXPECT_EQ(text(out),
            "GlobalLimit 2\n"
            "+- Union\n"
            "   :- GlobalLimit 2\n"
            "   :  +- Relation [a#1,b#2,c#3] LocalRelation\n"
            "   +- GlobalLimit 2\n"
            "      +- Relation [a#4,b#5,c#6] LocalRelation\n");
  EXPECT_EQ(only("LimitPushDown", out), out);
}

// ---------------------------------------------------------------------------------------------
// ColumnPruning

TEST(ColumnPruning, RelationReadsOnlyUsedColumns) {
  PlanPtr plan = plan_select_one_column();
  PlanPtr out = only("ColumnPruning", plan);
  EXPECT_EQ(text(out), "Project [c#1]\n+- Relation [c#1] LocalRelation\n");
  EXPECT_EQ(out->child()->read_columns, std::vector<int>{2});
  EXPECT_TRUE(without("ColumnPruning", plan)->child()->read_columns.empty());
}

TEST(ColumnPruning, CountStarKeepsOneColumn) {
  PlanPtr out = only("ColumnPruning", plan_count_star());
  EXPECT_EQ(text(out), "Aggregate [], [count(1) AS n#1]\n+- Relation [a#2] LocalRelation\n");
  EXPECT_EQ(out->child()->read_columns, std::vector<int>{0});
}

TEST(ColumnPruning, NarrowsProjectsBelowAggregate) {
  PlanPtr out = only("ColumnPruning", plan_prune_project_chain());
  EXPECT_EQ(text(out),
            "Aggregate [a#1], [a#1, count(1) AS n#2]\n"
            "+- Filter (d#3 > 0)\n"
            "   +- Project [a#1, (b#4 + 1) AS d#3]\n"
            "      +- Relation [a#1,b#4] LocalRelation\n");
}

TEST(ColumnPruning, UnionBranchesNarrowTogether) {
  PlanPtr out = only("ColumnPruning", plan_prune_union());
  EXPECT_EQ(text(out),
            "Project [a#1]\n"
            "+- Union\n"
            "   :- Relation [a#1] LocalRelation\n"
            "   +- Project [a#2]\n"
            "      +- Filter (b#3 > 0)\n"
            "         +- Relation [a#2,b#3] LocalRelation\n");
}

// ---------------------------------------------------------------------------------------------
// Non-deterministic expressions and stale scan filters

// A stand-in for rand() > 0.5: only its name matters to is_deterministic(), and no rule here
// evaluates it.
ExprPtr random_predicate() {
  auto e = std::make_shared<Expr>(*make_call("rand", {}));
  e->type = DataType::boolean();
  return e;
}

// `plan` (resolved) with its root's condition replaced.
PlanPtr with_condition(const PlanPtr& plan, ExprPtr condition) {
  auto p = clone(*plan);
  p->condition = std::move(condition);
  return p;
}

TEST(NonDeterministic, OnlyTheDeterministicPrefixOfAFilterMoves) {
  PlanPtr base = plan_filter_over_sort();  // Filter (a > 1) over Sort
  PlanPtr plan = with_condition(base, join_conjuncts({base->condition, random_predicate(), base->condition}));
  EXPECT_EQ(text(only("PushDownPredicates", plan)),
            "Filter (rand() AND (a#1 > 1))\n"
            "+- Sort [b#2 ASC NULLS FIRST], true\n"
            "   +- Filter (a#1 > 1)\n"
            "      +- Relation [a#1,b#2,c#3] LocalRelation\n");
  // Merging with a non-deterministic filter would change the rows rand() sees.
  PlanPtr two = plan_two_filters();
  PlanPtr random_outer = with_condition(two, random_predicate());
  EXPECT_EQ(only("CombineFilters", random_outer), random_outer);
}

TEST(NonDeterministic, ProjectionsWithRandomValuesStayPut) {
  PlanPtr base = plan_project_chain();  // Project over Project over Relation
  auto inner = clone(*base->child());
  inner->exprs.push_back(make_alias(random_predicate(), "r", next_attribute_id()));
  derive_output(*inner);
  PlanPtr plan = with_children(*base, {inner});
  EXPECT_EQ(only("CollapseProject", plan), plan);
  auto resolved = [](PlanPtr p) {
    auto r = clone(*p);
    r->resolved = true;
    derive_output(*r);
    return PlanPtr(r);
  };
  PlanPtr limited = resolved(make_limit(inner, 1));
  EXPECT_EQ(only("LimitPushDown", limited), limited);
  // A deterministic condition, but moving it would change how many rows rand() runs on.
  PlanPtr filtered = resolved(make_filter(inner, lit_bool(true)));
  EXPECT_EQ(only("PushDownPredicates", filtered), filtered);
}

TEST(PushDownPredicates, ClearsPushedFiltersOfARelationNoLongerUnderAFilter) {
  // Only file sources take pushed filters; the rows themselves are never read here.
  PlanPtr csv_table = table_t();
  auto csv_source = std::make_shared<DataSource>(*csv_table->source);
  csv_source->kind = SourceKind::kCsv;
  PlanPtr plan = analyze(make_filter(make_sort(make_relation(csv_source), {col("b")}, true), call(">", col("a"), lit(1))));
  PlanPtr filtered = only("PushDownPredicates", plan);
  PlanPtr relation = filtered->child()->child();
  ASSERT_EQ(relation->pushed_filters.size(), 1u);
  PlanPtr bare = make_limit(relation, 1);
  PlanPtr out = only("PushDownPredicates", bare);
  EXPECT_TRUE(out->child()->pushed_filters.empty());
}

// ---------------------------------------------------------------------------------------------
// Invariants over every test plan

TEST(OptimizerInvariants, EveryRuleKeepsOutputsConsistentAndTheResultSchema) {
  std::vector<std::string> configs = Optimizer::rule_names();
  configs.emplace_back();  // "": all rules
  for (const auto& [name, build] : plan_builders()) {
    for (const auto& rule : configs) {
      SCOPED_TRACE(std::string(name) + " with " + (rule.empty() ? "all rules" : "only " + rule));
      PlanPtr plan = build();
      PlanPtr out = rule.empty() ? optimize(plan) : only(rule, plan);
      expect_consistent(out);
      EXPECT_EQ(out->schema(), plan->schema());
      EXPECT_EQ(ids_of(out->output), ids_of(plan->output));
      // A fixed point stays fixed: optimizing again changes nothing.
      PlanPtr again = rule.empty() ? optimize(out) : only(rule, out);
      EXPECT_EQ(again, out) << text(out) << "became\n" << text(again);
    }
  }
}

TEST(OptimizerInvariants, ValidationPassesEveryRuleOnEveryPlanAndNamesABrokenOne) {
  OptimizerOptions options;
  options.validate = true;
  for (const auto& [name, build] : plan_builders()) {
    SCOPED_TRACE(name);
    PlanPtr out;
    EXPECT_NO_THROW(out = Optimizer({}, options).optimize(build(), context()));
    EXPECT_EQ(plan_validation_error(out), "");
  }
  // A filter over another table's column: the attribute is not produced below it.
  PlanPtr t = analyze(table_t());
  PlanPtr other = analyze(table_kv("x"));
  auto broken = clone(*analyze(make_filter(t, call(">", col("a"), lit(1)))));
  broken->condition = call_resolved_gt(other->output[0]);
  const std::string problem = plan_validation_error(broken);
  EXPECT_NE(problem.find("references xk#"), std::string::npos) << problem;
  EXPECT_NE(problem.find("which its children do not output"), std::string::npos) << problem;
}

TEST(OptimizerDriver, PlanChangeLogKeepsEachChangeOfTheChosenRules) {
  OptimizerOptions options;
  options.log_changes = true;
  options.log_rules = {"PushDownPredicates"};
  Optimizer optimizer({}, options);
  optimizer.optimize(plan_everything(), context());
  ASSERT_FALSE(optimizer.last_changes().empty());
  for (const auto& change : optimizer.last_changes()) {
    EXPECT_EQ(change.rule, "PushDownPredicates");
    EXPECT_NE(change.before, change.after);
  }
  const std::string log = Optimizer::change_log(optimizer.last_changes());
  EXPECT_EQ(log.rfind("=== Applying Rule PushDownPredicates (batch 'Operator Optimization before Inferring "
                      "Filters') ===\n",
                      0),
            0u)
      << log;
  Optimizer quiet;
  quiet.optimize(plan_everything(), context());
  EXPECT_TRUE(quiet.last_changes().empty());
}

}  // namespace
}  // namespace ember
