// Arithmetic and comparison kernels through the registry, as the analyzer and evaluator use them.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ember/common/error.h"
#include "ember/functions/registry.h"

namespace ember {
namespace {

struct Call {
  BoundFunction fn;
  VectorPtr out;
};

BoundFunction bind(const std::string& name, const std::vector<DataType>& types, bool ansi = true,
                   std::vector<std::optional<Value>> literals = {}) {
  const FunctionDef* def = FunctionRegistry::instance().find_scalar(name);
  EXPECT_NE(def, nullptr) << name;
  BindContext ctx;
  ctx.ansi = ansi;
  literals.resize(types.size());
  ctx.literals = literals;
  return def->bind(types, ctx);
}

VectorPtr run(const BoundFunction& f, std::vector<VectorPtr> args, bool ansi = true) {
  EvalContext ctx;
  ctx.ansi = ansi;
  size_t n = args.empty() ? 1 : args[0]->size();
  return f.kernel->eval(args, n, ctx);
}

VectorPtr col(DataType t, std::vector<Value> v) { return Vector::from_values(t, v); }

TEST(ArithmeticTest, IntAddWithNullsAndConstant) {
  auto f = bind("+", {DataType::int32(), DataType::int32()});
  EXPECT_EQ(f.result_type, DataType::int32());
  EXPECT_TRUE(f.accepts_constants);
  auto a = col(DataType::int32(), {Value::int32(1), Value::null(DataType::int32()), Value::int32(-5)});
  auto out = run(f, {a, Vector::make_constant(Value::int32(10), 3)});
  EXPECT_EQ(out->value_at(0), Value::int32(11));
  EXPECT_TRUE(out->is_null(1));
  EXPECT_EQ(out->value_at(2), Value::int32(5));
}

TEST(ArithmeticTest, IntOverflowAnsiErrorsLegacyWraps) {
  auto a = col(DataType::int32(), {Value::int32(std::numeric_limits<int32_t>::max())});
  auto b = col(DataType::int32(), {Value::int32(1)});
  auto f = bind("+", {DataType::int32(), DataType::int32()});
  try {
    run(f, {a, b});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "ARITHMETIC_OVERFLOW");
    EXPECT_NE(std::string(e.what()).find("integer overflow. Use 'try_add' to tolerate overflow"), std::string::npos);
  }
  auto g = bind("+", {DataType::int32(), DataType::int32()}, false);
  EXPECT_EQ(run(g, {a, b}, false)->value_at(0), Value::int32(std::numeric_limits<int32_t>::min()));
  auto m = bind("*", {DataType::int64(), DataType::int64()});
  auto big = col(DataType::int64(), {Value::int64(int64_t{1} << 62)});
  EXPECT_THROW(run(m, {big, col(DataType::int64(), {Value::int64(4)})}), EmberError);
}

TEST(ArithmeticTest, OverflowOnNullRowIsIgnored) {
  // The value slot under a null row is garbage; the ANSI check must not look at it.
  auto a = Vector::make(DataType::int32(), 2);
  a->values<int32_t>()[0] = std::numeric_limits<int32_t>::max();
  a->values<int32_t>()[1] = 1;
  a->set_null(0);
  auto f = bind("+", {DataType::int32(), DataType::int32()});
  auto out = run(f, {a, Vector::make_constant(Value::int32(1), 2)});
  EXPECT_TRUE(out->is_null(0));
  EXPECT_EQ(out->value_at(1), Value::int32(2));
}

TEST(ArithmeticTest, DivideAlwaysDoubleAndByZero) {
  auto f = bind("/", {DataType::int32(), DataType::int32()});
  EXPECT_EQ(f.result_type, DataType::float64());
  EXPECT_EQ(f.arg_types[0], DataType::float64());
  auto a = col(DataType::float64(), {Value::float64(7), Value::float64(1)});
  auto b = col(DataType::float64(), {Value::float64(2), Value::float64(0)});
  try {
    run(f, {a, b});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "DIVIDE_BY_ZERO");
    EXPECT_NE(std::string(e.what()).find("Division by zero. Use `try_divide`"), std::string::npos);
  }
  auto g = bind("/", {DataType::int32(), DataType::int32()}, false);
  auto out = run(g, {a, b}, false);
  EXPECT_EQ(out->value_at(0), Value::float64(3.5));
  EXPECT_TRUE(out->is_null(1));
}

TEST(ArithmeticTest, RemainderSignOfDividendAndDiv) {
  auto f = bind("%", {DataType::int32(), DataType::int32()});
  auto a = col(DataType::int32(), {Value::int32(-7), Value::int32(7), Value::int32(std::numeric_limits<int32_t>::min())});
  auto b = col(DataType::int32(), {Value::int32(3), Value::int32(-3), Value::int32(-1)});
  auto out = run(f, {a, b});
  EXPECT_EQ(out->value_at(0), Value::int32(-1));
  EXPECT_EQ(out->value_at(1), Value::int32(1));
  EXPECT_EQ(out->value_at(2), Value::int32(0));
  auto d = bind("div", {DataType::int32(), DataType::int32()});
  EXPECT_EQ(d.result_type, DataType::int64());
  auto q = run(d, {col(DataType::int64(), {Value::int64(-7)}), col(DataType::int64(), {Value::int64(2)})});
  EXPECT_EQ(q->value_at(0), Value::int64(-3));
  auto z = bind("div", {DataType::int32(), DataType::int32()}, false);
  EXPECT_TRUE(run(z, {col(DataType::int64(), {Value::int64(1)}), col(DataType::int64(), {Value::int64(0)})}, false)->is_null(0));
}

TEST(ArithmeticTest, MixedTypesWiden) {
  EXPECT_EQ(bind("+", {DataType::int32(), DataType::int64()}).result_type, DataType::int64());
  EXPECT_EQ(bind("+", {DataType::int32(), DataType::float64()}).result_type, DataType::float64());
  EXPECT_EQ(bind("+", {DataType::int32(), DataType::float32()}).result_type, DataType::float64());  // ANSI
  EXPECT_EQ(bind("+", {DataType::int32(), DataType::float32()}, false).result_type, DataType::float32());
  EXPECT_EQ(bind("+", {DataType::null(), DataType::int32()}).result_type, DataType::int32());
  EXPECT_EQ(bind("+", {DataType::string(), DataType::int32()}).result_type, DataType::int64());
  EXPECT_EQ(bind("+", {DataType::string(), DataType::int32()}, false).result_type, DataType::float64());
  EXPECT_EQ(bind("+", {DataType::decimal(10, 2), DataType::float64()}).result_type, DataType::float64());
  try {
    bind("+", {DataType::boolean(), DataType::int32()});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
  }
}

TEST(ArithmeticTest, DecimalResultTypes) {
  EXPECT_EQ(bind("+", {DataType::decimal(10, 2), DataType::decimal(5, 3)}).result_type, DataType::decimal(12, 3));
  EXPECT_EQ(bind("*", {DataType::decimal(10, 2), DataType::decimal(5, 3)}).result_type, DataType::decimal(16, 5));
  EXPECT_EQ(bind("/", {DataType::decimal(10, 2), DataType::decimal(5, 3)}).result_type, DataType::decimal(19, 8));
  EXPECT_EQ(bind("%", {DataType::decimal(10, 2), DataType::decimal(5, 3)}).result_type, DataType::decimal(5, 3));
  // Precision loss: decimal(38,10) * decimal(38,10) -> decimal(38,6).
  EXPECT_EQ(bind("*", {DataType::decimal(38, 10), DataType::decimal(38, 10)}).result_type, DataType::decimal(38, 6));
  // int is decimal(10,0): decimal(10,2) + int -> decimal(13,2).
  auto f = bind("+", {DataType::decimal(10, 2), DataType::int32()});
  EXPECT_EQ(f.arg_types[1], DataType::decimal(10, 0));
  EXPECT_EQ(f.result_type, DataType::decimal(13, 2));
  // int / int stays double; decimal(1,0)/decimal(1,0) -> decimal(7,6)
  EXPECT_EQ(bind("/", {DataType::decimal(1, 0), DataType::decimal(1, 0)}).result_type, DataType::decimal(7, 6));
}

TEST(ArithmeticTest, DecimalValues) {
  DataType d102 = DataType::decimal(10, 2), d53 = DataType::decimal(5, 3);
  auto a = col(d102, {Value::decimal(12345, 10, 2), Value::decimal(-100, 10, 2)});  // 123.45, -1.00
  auto b = col(d53, {Value::decimal(1500, 5, 3), Value::decimal(3000, 5, 3)});      // 1.500, 3.000
  auto add = run(bind("+", {d102, d53}), {a, b});
  EXPECT_EQ(add->value_at(0).as_decimal(), 124950);  // 124.950
  auto mul = run(bind("*", {d102, d53}), {a, b});
  EXPECT_EQ(mul->value_at(0).as_decimal(), 18517500);  // 185.17500
  auto div = run(bind("/", {d102, d53}), {a, b});
  EXPECT_EQ(div->value_at(0).as_decimal(), 8230000000);  // 82.30000000
  EXPECT_EQ(div->value_at(1).as_decimal(), -33333333);  // -0.33333333
  auto rem = run(bind("%", {d102, d53}), {a, b});
  EXPECT_EQ(rem->value_at(0).as_decimal(), 450);  // 123.45 % 1.5 = 0.450
  EXPECT_EQ(rem->value_at(1).as_decimal(), -1000);
}

TEST(ArithmeticTest, DecimalPrecisionLossRoundsHalfUp) {
  DataType t = DataType::decimal(38, 10);
  // 1.5000000000 * 1.0000000001 = 1.50000000015 -> scale 6: 1.500000
  auto a = col(t, {Value::decimal(15000000000, 38, 10)});
  auto b = col(t, {Value::decimal(10000000001, 38, 10)});
  auto out = run(bind("*", {t, t}), {a, b});
  EXPECT_EQ(out->value_at(0).as_decimal(), 1500000);
  // 0.0000005 * 1 -> 0.000001 (HALF_UP at the 6th digit)
  auto c = col(t, {Value::decimal(5000, 38, 10)});
  auto one = col(t, {Value::decimal(10000000000, 38, 10)});
  EXPECT_EQ(run(bind("*", {t, t}), {c, one})->value_at(0).as_decimal(), 1);
}

TEST(ArithmeticTest, DecimalOverflowAnsiVsNull) {
  DataType t = DataType::decimal(38, 0);
  int128_t big = 1;
  for (int i = 0; i < 37; ++i) big *= 10;  // 10^37
  auto a = col(t, {Value::decimal(big * 9, 38, 0)});
  try {
    run(bind("+", {t, t}), {a, a});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION");
  }
  EXPECT_TRUE(run(bind("+", {t, t}, false), {a, a}, false)->is_null(0));
}

TEST(ArithmeticTest, DecimalDivideByZero) {
  DataType t = DataType::decimal(10, 2);
  auto a = col(t, {Value::decimal(100, 10, 2)});
  auto z = col(t, {Value::decimal(0, 10, 2)});
  EXPECT_THROW(run(bind("/", {t, t}), {a, z}), EmberError);
  EXPECT_TRUE(run(bind("/", {t, t}, false), {a, z}, false)->is_null(0));
}

TEST(ArithmeticTest, NegativeAndDoubleNaN) {
  auto f = bind("negative", {DataType::int32()});
  auto a = col(DataType::int32(), {Value::int32(5), Value::int32(std::numeric_limits<int32_t>::min())});
  EXPECT_THROW(run(f, {a}), EmberError);
  auto g = bind("negative", {DataType::int32()}, false);
  auto out = run(g, {a}, false);
  EXPECT_EQ(out->value_at(0), Value::int32(-5));
  EXPECT_EQ(out->value_at(1), Value::int32(std::numeric_limits<int32_t>::min()));
  auto h = bind("+", {DataType::float64(), DataType::float64()});
  auto nan = col(DataType::float64(), {Value::float64(std::nan(""))});
  EXPECT_TRUE(std::isnan(run(h, {nan, nan})->value_at(0).as_double()));
}

TEST(ComparisonTest, IntsStringsNullSafe) {
  auto lt = bind("<", {DataType::int32(), DataType::int64()});
  EXPECT_EQ(lt.arg_types[0], DataType::int64());
  auto a = col(DataType::int64(), {Value::int64(1), Value::int64(5), Value::null(DataType::int64())});
  auto out = run(lt, {a, Vector::make_constant(Value::int64(3), 3)});
  EXPECT_EQ(out->value_at(0), Value::boolean(true));
  EXPECT_EQ(out->value_at(1), Value::boolean(false));
  EXPECT_TRUE(out->is_null(2));

  auto s = col(DataType::string(), {Value::string("a"), Value::string("\xc3\xa9"), Value::string("B")});
  auto gt = run(bind(">", {DataType::string(), DataType::string()}), {s, Vector::make_constant(Value::string("Z"), 3)});
  EXPECT_EQ(gt->value_at(0), Value::boolean(true));   // 'a' > 'Z' bytewise
  EXPECT_EQ(gt->value_at(1), Value::boolean(true));   // UTF-8 bytes compare unsigned
  EXPECT_EQ(gt->value_at(2), Value::boolean(false));

  auto ns = bind("<=>", {DataType::int64(), DataType::int64()});
  auto b = col(DataType::int64(), {Value::int64(1), Value::null(DataType::int64()), Value::null(DataType::int64())});
  auto c = col(DataType::int64(), {Value::int64(1), Value::int64(2), Value::null(DataType::int64())});
  auto r = run(ns, {b, c});
  EXPECT_EQ(r->value_at(0), Value::boolean(true));
  EXPECT_EQ(r->value_at(1), Value::boolean(false));
  EXPECT_EQ(r->value_at(2), Value::boolean(true));
  EXPECT_FALSE(r->may_have_nulls());
}

TEST(ComparisonTest, NaNSemantics) {
  double nan = std::nan("");
  auto a = col(DataType::float64(), {Value::float64(nan), Value::float64(nan), Value::float64(1e300), Value::float64(-0.0)});
  auto b = col(DataType::float64(), {Value::float64(nan), Value::float64(1e308), Value::float64(nan), Value::float64(0.0)});
  auto eq = run(bind("=", {DataType::float64(), DataType::float64()}), {a, b});
  EXPECT_EQ(eq->value_at(0), Value::boolean(true));
  EXPECT_EQ(eq->value_at(1), Value::boolean(false));
  EXPECT_EQ(eq->value_at(3), Value::boolean(true));
  auto gt = run(bind(">", {DataType::float64(), DataType::float64()}), {a, b});
  EXPECT_EQ(gt->value_at(0), Value::boolean(false));
  EXPECT_EQ(gt->value_at(1), Value::boolean(true));
  EXPECT_EQ(gt->value_at(2), Value::boolean(false));
}

TEST(ComparisonTest, DecimalsOfDifferentScales) {
  auto f = bind("=", {DataType::decimal(5, 1), DataType::decimal(6, 3)});
  EXPECT_EQ(f.arg_types[0], DataType::decimal(7, 3));
  EXPECT_EQ(f.arg_types[1], DataType::decimal(7, 3));
  auto s = bind("=", {DataType::string(), DataType::int32()});
  EXPECT_EQ(s.arg_types[0], DataType::int64());
  auto d = bind("<", {DataType::date(), DataType::timestamp()});
  EXPECT_EQ(d.arg_types[0], DataType::timestamp());
  EXPECT_THROW(bind("=", {DataType::date(), DataType::int32()}), EmberError);
}

TEST(ComparisonTest, InNullSemantics) {
  auto f = bind("in", {DataType::int32(), DataType::int32(), DataType::null()});
  auto x = col(DataType::int32(), {Value::int32(1), Value::int32(2), Value::null(DataType::int32())});
  auto out = run(f, {x, Vector::make_constant(Value::int32(1), 3), Vector::make_constant(Value::null(DataType::int32()), 3)});
  EXPECT_EQ(out->value_at(0), Value::boolean(true));
  EXPECT_TRUE(out->is_null(1));  // no match, list has NULL
  EXPECT_TRUE(out->is_null(2));
  auto g = bind("in", {DataType::string(), DataType::string(), DataType::string()});
  auto s = col(DataType::string(), {Value::string("a"), Value::string("c")});
  auto r = run(g, {s, Vector::make_constant(Value::string("a"), 2), Vector::make_constant(Value::string("b"), 2)});
  EXPECT_EQ(r->value_at(0), Value::boolean(true));
  EXPECT_EQ(r->value_at(1), Value::boolean(false));
}

TEST(RegistryTest, CaseInsensitiveAndAliases) {
  const auto& r = FunctionRegistry::instance();
  EXPECT_NE(r.find_scalar("UPPER"), nullptr);
  EXPECT_NE(r.find_scalar("substr"), nullptr);
  EXPECT_NE(r.find_scalar("!="), nullptr);
  EXPECT_NE(r.find_scalar("ceiling"), nullptr);
  EXPECT_EQ(r.find_scalar("no_such_fn"), nullptr);
  auto names = r.names();
  EXPECT_TRUE(std::find(names.begin(), names.end(), "regexp_replace") != names.end());
}

}  // namespace
}  // namespace ember
