// Date/time and math functions.
#include <gtest/gtest.h>

#include <cmath>

#include "ember/common/error.h"
#include "ember/functions/registry.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"

namespace ember {
namespace {

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

VectorPtr run(const BoundFunction& f, std::vector<VectorPtr> args, bool ansi = true, size_t n = 0) {
  EvalContext ctx;
  ctx.ansi = ansi;
  if (n == 0) n = args.empty() ? 1 : args[0]->size();
  return f.kernel->eval(args, n, ctx);
}

VectorPtr col(DataType t, std::vector<Value> v) { return Vector::from_values(t, v); }
VectorPtr strs(std::vector<std::string> v) {
  std::vector<Value> vals;
  for (auto& s : v) vals.push_back(Value::string(s));
  return Vector::from_values(DataType::string(), vals);
}
VectorPtr konst(Value v, size_t n) { return Vector::make_constant(v, n); }

Value date(int y, int m, int d) { return Value::date(days_from_civil(y, m, d)); }

TEST(DatetimeFunctionsTest, FieldsAcrossBoundaries) {
  auto d = col(DataType::date(), {date(2024, 2, 29), date(1969, 12, 31), date(2000, 12, 31), date(1900, 3, 1)});
  auto f = [&](const char* name) { return run(bind(name, {DataType::date()}), {d}); };
  EXPECT_EQ(f("year")->value_at(1), Value::int32(1969));
  EXPECT_EQ(f("month")->value_at(0), Value::int32(2));
  EXPECT_EQ(f("dayofmonth")->value_at(0), Value::int32(29));
  EXPECT_EQ(f("day")->value_at(3), Value::int32(1));
  EXPECT_EQ(f("quarter")->value_at(2), Value::int32(4));
  EXPECT_EQ(f("dayofyear")->value_at(2), Value::int32(366));  // 2000 is a leap year
  EXPECT_EQ(f("dayofyear")->value_at(3), Value::int32(60));   // 1900 is not
  EXPECT_EQ(f("dayofweek")->value_at(0), Value::int32(5));    // 2024-02-29: Thursday
  EXPECT_EQ(f("dayofweek")->value_at(1), Value::int32(4));    // 1969-12-31: Wednesday
  // Timestamps are read as their date (the analyzer casts them).
  EXPECT_EQ(bind("year", {DataType::timestamp()}).arg_types[0], DataType::date());
  EXPECT_THROW(bind("year", {DataType::int32()}), EmberError);
}

TEST(DatetimeFunctionsTest, DateArithmetic) {
  auto d = col(DataType::date(), {date(2024, 2, 28), date(1970, 1, 1)});
  auto add = run(bind("date_add", {DataType::date(), DataType::int32()}), {d, konst(Value::int32(2), 2)});
  EXPECT_EQ(add->value_at(0), date(2024, 3, 1));
  auto sub = run(bind("date_sub", {DataType::date(), DataType::int32()}), {d, konst(Value::int32(1), 2)});
  EXPECT_EQ(sub->value_at(1), date(1969, 12, 31));
  auto diff = run(bind("datediff", {DataType::date(), DataType::date()}), {d, konst(date(2023, 12, 31), 2)});
  EXPECT_EQ(diff->value_at(0), Value::int32(59));
  EXPECT_EQ(diff->value_at(1), Value::int32(-19722));
  EXPECT_THROW(bind("date_add", {DataType::date(), DataType::int64()}), EmberError);
}

TEST(DatetimeFunctionsTest, ToDateWithFormat) {
  auto f = bind("to_date", {DataType::string(), DataType::string()}, true, {std::nullopt, Value::string("dd/MM/yyyy")});
  auto out = run(f, {strs({"29/02/2024", "01/01/1960"}), konst(Value::string("dd/MM/yyyy"), 2)});
  EXPECT_EQ(out->value_at(0), date(2024, 2, 29));
  EXPECT_EQ(out->value_at(1), date(1960, 1, 1));
  try {
    run(f, {strs({"2024-02-29"}), konst(Value::string("dd/MM/yyyy"), 1)});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "CANNOT_PARSE_TIMESTAMP");
  }
  auto g = bind("to_date", {DataType::string(), DataType::string()}, false, {std::nullopt, Value::string("dd/MM/yyyy")});
  EXPECT_TRUE(run(g, {strs({"nope"}), konst(Value::string("dd/MM/yyyy"), 1)}, false)->is_null(0));
  // One argument: CAST(x AS DATE), done by the analyzer's cast.
  auto h = bind("to_date", {DataType::string()});
  EXPECT_EQ(h.arg_types[0], DataType::date());
}

TEST(DatetimeFunctionsTest, TruncAndDateTrunc) {
  auto d = col(DataType::date(), {date(2024, 5, 15), date(1969, 12, 31)});
  auto t = [&](const std::string& fmt) { return run(bind("trunc", {DataType::date(), DataType::string()}), {d, konst(Value::string(fmt), 2)}); };
  EXPECT_EQ(t("YEAR")->value_at(0), date(2024, 1, 1));
  EXPECT_EQ(t("mm")->value_at(1), date(1969, 12, 1));
  EXPECT_EQ(t("quarter")->value_at(0), date(2024, 4, 1));
  EXPECT_EQ(t("week")->value_at(0), date(2024, 5, 13));  // Monday
  EXPECT_EQ(t("week")->value_at(1), date(1969, 12, 29));
  EXPECT_TRUE(t("day")->is_null(0));
  // 2024-05-15 13:45:30.123456 UTC
  int64_t ts = (int64_t{days_from_civil(2024, 5, 15)} * 86400 + 13 * 3600 + 45 * 60 + 30) * 1000000 + 123456;
  auto tc = col(DataType::timestamp(), {Value::timestamp(ts)});
  auto dt = [&](const std::string& fmt) {
    auto f = bind("date_trunc", {DataType::string(), DataType::timestamp()}, true, {Value::string(fmt), std::nullopt});
    return run(f, {konst(Value::string(fmt), 1), tc}, true, 1);
  };
  int64_t day = int64_t{days_from_civil(2024, 5, 15)} * 86400 * 1000000;
  EXPECT_EQ(dt("HOUR")->value_at(0), Value::timestamp(day + 13LL * 3600 * 1000000));
  EXPECT_EQ(dt("second")->value_at(0), Value::timestamp(ts - 123456));
  EXPECT_EQ(dt("DD")->value_at(0), Value::timestamp(day));
  EXPECT_EQ(dt("yyyy")->value_at(0), Value::timestamp(int64_t{days_from_civil(2024, 1, 1)} * 86400 * 1000000));
  EXPECT_TRUE(dt("bogus")->is_null(0));
  // In a session zone: the hour is the wall-clock hour there.
  EvalContext ctx;
  ctx.time_zone = TimeZone::find("+05:30");
  auto f = bind("date_trunc", {DataType::string(), DataType::timestamp()}, true, {Value::string("hour"), std::nullopt});
  auto out = f.kernel->eval({konst(Value::string("hour"), 1), tc}, 1, ctx);
  EXPECT_EQ(out->value_at(0), Value::timestamp(day + (13LL * 3600 + 30 * 60) * 1000000));
}

TEST(DatetimeFunctionsTest, CurrentDateAndTimestamp) {
  EvalContext ctx;
  ctx.current_date = 19000;
  ctx.current_timestamp = 123;
  auto d = bind("current_date", {});
  EXPECT_FALSE(d.nullable);
  EXPECT_EQ(d.kernel->eval({}, 2, ctx)->value_at(1), Value::date(19000));
  EXPECT_EQ(bind("now", {}).kernel->eval({}, 1, ctx)->value_at(0), Value::timestamp(123));
}

TEST(MathFunctionsTest, AbsRoundFloorCeil) {
  auto a = run(bind("abs", {DataType::int32()}), {col(DataType::int32(), {Value::int32(-3), Value::null(DataType::int32())})});
  EXPECT_EQ(a->value_at(0), Value::int32(3));
  EXPECT_TRUE(a->is_null(1));
  EXPECT_THROW(run(bind("abs", {DataType::int32()}), {col(DataType::int32(), {Value::int32(INT32_MIN)})}), EmberError);

  auto r = [](double x, int s) {
    auto f = bind("round", {DataType::float64(), DataType::int32()}, true, {std::nullopt, Value::int32(s)});
    return run(f, {col(DataType::float64(), {Value::float64(x)}), konst(Value::int32(s), 1)})->value_at(0).as_double();
  };
  EXPECT_EQ(r(2.5, 0), 3.0);
  EXPECT_EQ(r(-2.5, 0), -3.0);   // HALF_UP rounds away from zero
  EXPECT_EQ(r(2.675, 2), 2.68);  // via the shortest decimal, as Spark's BigDecimal(double)
  EXPECT_EQ(r(1234.5, -2), 1200.0);
  EXPECT_EQ(r(0.4, 0), 0.0);
  EXPECT_EQ(r(9.99, 1), 10.0);
  auto br = bind("bround", {DataType::float64(), DataType::int32()}, true, {std::nullopt, Value::int32(0)});
  EXPECT_EQ(run(br, {col(DataType::float64(), {Value::float64(2.5)}), konst(Value::int32(0), 1)})->value_at(0).as_double(), 2.0);

  // round(decimal(5,3), 1) -> decimal(4,1), HALF_UP.
  auto rd = bind("round", {DataType::decimal(5, 3), DataType::int32()}, true, {std::nullopt, Value::int32(1)});
  EXPECT_EQ(rd.result_type, DataType::decimal(4, 1));
  auto rdv = run(rd, {col(DataType::decimal(5, 3), {Value::decimal(12345, 5, 3), Value::decimal(-12350, 5, 3)}), konst(Value::int32(1), 2)});
  EXPECT_EQ(rdv->value_at(0).as_decimal(), 123);   // 12.3
  EXPECT_EQ(rdv->value_at(1).as_decimal(), -124);  // -12.4
  auto ri = bind("round", {DataType::int32(), DataType::int32()}, true, {std::nullopt, Value::int32(-1)});
  EXPECT_EQ(ri.result_type, DataType::int32());
  EXPECT_EQ(run(ri, {col(DataType::int32(), {Value::int32(15)}), konst(Value::int32(-1), 1)})->value_at(0), Value::int32(20));
  EXPECT_THROW(bind("round", {DataType::float64(), DataType::int32()}), EmberError);  // scale must be a literal

  auto fl = bind("floor", {DataType::float64()});
  EXPECT_EQ(fl.result_type, DataType::int64());
  auto flv = run(fl, {col(DataType::float64(), {Value::float64(-1.5), Value::float64(std::nan(""))})});
  EXPECT_EQ(flv->value_at(0), Value::int64(-2));
  EXPECT_EQ(flv->value_at(1), Value::int64(0));
  auto cd = bind("ceil", {DataType::decimal(10, 2)});
  EXPECT_EQ(cd.result_type, DataType::decimal(9, 0));
  auto cdv = run(cd, {col(DataType::decimal(10, 2), {Value::decimal(101, 10, 2), Value::decimal(-199, 10, 2)})});
  EXPECT_EQ(cdv->value_at(0).as_decimal(), 2);
  EXPECT_EQ(cdv->value_at(1).as_decimal(), -1);
  EXPECT_EQ(bind("ceiling", {DataType::int32()}).result_type, DataType::int64());
}

TEST(MathFunctionsTest, DoubleFunctions) {
  auto x = col(DataType::float64(), {Value::float64(4), Value::float64(-1), Value::float64(0)});
  auto sq = run(bind("sqrt", {DataType::float64()}), {x});
  EXPECT_EQ(sq->value_at(0), Value::float64(2));
  EXPECT_TRUE(std::isnan(sq->value_at(1).as_double()));
  auto ln = run(bind("ln", {DataType::float64()}), {x});
  EXPECT_NEAR(ln->value_at(0).as_double(), std::log(4.0), 1e-15);
  EXPECT_TRUE(ln->is_null(1));
  EXPECT_TRUE(ln->is_null(2));
  auto lg = run(bind("log", {DataType::float64(), DataType::float64()}), {konst(Value::float64(2), 3), x});
  EXPECT_NEAR(lg->value_at(0).as_double(), 2.0, 1e-15);
  auto pw = run(bind("power", {DataType::int32(), DataType::int32()}), {konst(Value::float64(2), 1), konst(Value::float64(10), 1)}, true, 1);
  EXPECT_EQ(pw->value_at(0), Value::float64(1024));
  auto sg = run(bind("sign", {DataType::float64()}), {x});
  EXPECT_EQ(sg->value_at(1), Value::float64(-1));
  EXPECT_EQ(run(bind("exp", {DataType::float64()}), {x})->value_at(2), Value::float64(1));
}

}  // namespace
}  // namespace ember
