// greatest, least, pmod, nvl2, plus the Spark reference examples of the math and conditional
// functions registered by the base families (pow/power, exp, log, log10, log2, bround,
// sign/signum, nvl, ifnull, nullif). Golden values are the examples of Spark's SQL function
// reference (spark.apache.org/docs/latest/api/sql, "Math Functions", "Conditional Functions").
#include <cmath>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/functions/registry.h"

namespace ember {
namespace {

BoundFunction bind_fn(const std::string& name, const std::vector<DataType>& types, bool ansi = true,
                      std::vector<std::optional<Value>> literals = {}) {
  const FunctionDef* def = FunctionRegistry::instance().find_scalar(name);
  EXPECT_NE(def, nullptr) << name;
  BindContext ctx;
  ctx.ansi = ansi;
  literals.resize(types.size());
  ctx.literals = literals;
  return def->bind(types, ctx);
}

// name(values...) on one row. The arguments are cast as the analyzer would: each value is built
// directly in the bound argument type when it differs (tests pass values of simple types).
Value call1(const std::string& name, const std::vector<Value>& vals, bool ansi = true,
            bool all_literals = false) {
  std::vector<DataType> types;
  std::vector<std::optional<Value>> lits;
  for (const auto& v : vals) {
    types.push_back(v.type());
    lits.push_back(all_literals ? std::optional<Value>(v) : std::nullopt);
  }
  auto f = bind_fn(name, types, ansi, lits);
  std::vector<VectorPtr> args;
  for (size_t i = 0; i < vals.size(); ++i) {
    const DataType& want = f.arg_types[i];
    Value v = vals[i];
    if (v.is_null()) {
      v = Value::null(want);
    } else if (want != v.type()) {
      // Numeric widening only (int -> long / double, long -> double, int -> decimal).
      if (want.id() == TypeId::kLong) v = Value::int64(v.as_int64());
      else if (want.id() == TypeId::kDouble)
        v = Value::float64(v.type().is_floating() ? v.as_double() : static_cast<double>(v.as_int64()));
      else if (want.id() == TypeId::kDecimal && v.type().id() == TypeId::kDecimal) {
        int128_t u = v.as_decimal();
        for (int s = v.type().scale(); s < want.scale(); ++s) u *= 10;
        v = Value::decimal(u, want.precision(), want.scale());
      } else if (want.id() == TypeId::kDecimal) {
        int128_t u = v.as_int64();
        for (int s = 0; s < want.scale(); ++s) u *= 10;
        v = Value::decimal(u, want.precision(), want.scale());
      }
    }
    args.push_back(Vector::from_values(want, {v}));
  }
  EvalContext ctx;
  ctx.ansi = ansi;
  return f.kernel->eval(args, 1, ctx)->value_at(0);
}

Value I(int v) { return Value::int32(v); }
Value L(int64_t v) { return Value::int64(v); }
Value Dbl(double v) { return Value::float64(v); }
Value S(const std::string& s) { return Value::string(s); }
Value N(DataType t = DataType::null()) { return Value::null(t); }

TEST(MathExtraTest, GreatestLeast) {
  // SELECT greatest(10, 9, 2, 4, 3);  10   SELECT least(10, 9, 2, 4, 3);  2
  EXPECT_EQ(call1("greatest", {I(10), I(9), I(2), I(4), I(3)}).as_int64(), 10);
  EXPECT_EQ(call1("least", {I(10), I(9), I(2), I(4), I(3)}).as_int64(), 2);
  // NULLs are skipped; all NULL is NULL.
  EXPECT_EQ(call1("greatest", {N(DataType::int32()), I(3), N(DataType::int32())}).as_int64(), 3);
  EXPECT_TRUE(call1("least", {N(DataType::int32()), N(DataType::int32())}).is_null());
  // Widening: int and double meet as double; int and bigint as bigint.
  auto g = call1("greatest", {I(1), Dbl(2.5)});
  EXPECT_EQ(g.type(), DataType::float64());
  EXPECT_DOUBLE_EQ(g.as_double(), 2.5);
  EXPECT_EQ(call1("least", {I(1), L(-5)}).type(), DataType::int64());
  // NaN is the largest double.
  EXPECT_TRUE(std::isnan(call1("greatest", {Dbl(1.0), Dbl(NAN)}).as_double()));
  EXPECT_DOUBLE_EQ(call1("least", {Dbl(NAN), Dbl(1.0)}).as_double(), 1.0);
  // Strings compare by bytes.
  EXPECT_EQ(call1("greatest", {S("apple"), S("pear"), S("banana")}).as_string(), "pear");
  EXPECT_EQ(call1("least", {S("apple"), S("pear"), N(DataType::string())}).as_string(), "apple");
  // Incompatible types are an analysis error; fewer than two arguments is rejected by the arity.
  try {
    bind_fn("greatest", {DataType::int32(), DataType::array(DataType::int32())});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "DATATYPE_MISMATCH.DATA_DIFF_TYPES");
  }
  EXPECT_EQ(FunctionRegistry::instance().find_scalar("greatest")->min_args, 2);
}

TEST(MathExtraTest, Pmod) {
  // SELECT pmod(10, 3);  1   SELECT pmod(-10, 3);  2
  EXPECT_EQ(call1("pmod", {I(10), I(3)}).as_int64(), 1);
  EXPECT_EQ(call1("pmod", {I(-10), I(3)}).as_int64(), 2);
  EXPECT_EQ(call1("pmod", {I(-7), I(-3)}).as_int64(), -1);  // Java: (-1 + -3) % -3
  EXPECT_EQ(call1("pmod", {L(std::numeric_limits<int64_t>::min()), L(-1)}).as_int64(), 0);
  EXPECT_DOUBLE_EQ(call1("pmod", {Dbl(-7.5), Dbl(2.0)}).as_double(), 0.5);
  auto d = call1("pmod", {Value::decimal(-105, 5, 1), Value::decimal(4, 3, 0)});  // pmod(-10.5, 4) = 1.5
  EXPECT_EQ(d.type().scale(), 1);
  EXPECT_EQ(d.as_decimal(), 15);
  // Division by zero: DIVIDE_BY_ZERO under ANSI, NULL otherwise.
  try {
    call1("pmod", {I(1), I(0)});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "DIVIDE_BY_ZERO");
  }
  EXPECT_TRUE(call1("pmod", {I(1), I(0)}, false).is_null());
  EXPECT_TRUE(call1("pmod", {N(DataType::int32()), I(3)}).is_null());
  try {
    bind_fn("pmod", {DataType::boolean(), DataType::int32()});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
  }
}

TEST(MathExtraTest, Nvl2AndBaseConditionals) {
  // SELECT nvl2(NULL, 2, 1);  1
  EXPECT_EQ(call1("nvl2", {N(), I(2), I(1)}).as_int64(), 1);
  EXPECT_EQ(call1("nvl2", {S("x"), I(2), I(1)}).as_int64(), 2);
  EXPECT_TRUE(call1("nvl2", {S("x"), N(DataType::int32()), I(1)}).is_null());
  EXPECT_EQ(call1("nvl2", {I(0), S("a"), S("b")}).as_string(), "a");
  auto widened = call1("nvl2", {N(), I(2), Dbl(1.5)});
  EXPECT_DOUBLE_EQ(widened.as_double(), 1.5);
  // SELECT nullif(2, 2);  NULL   SELECT nvl(NULL, 2) / ifnull(NULL, 2);  2
  EXPECT_TRUE(call1("nullif", {I(2), I(2)}).is_null());
  EXPECT_EQ(call1("nvl", {N(DataType::int32()), I(2)}).as_int64(), 2);
  EXPECT_EQ(call1("ifnull", {N(DataType::int32()), I(2)}).as_int64(), 2);
}

TEST(MathExtraTest, BaseMathSparkExamples) {
  // SELECT pow(2, 3);  8.0   SELECT exp(0);  1.0   SELECT log(10, 100);  2.0
  EXPECT_DOUBLE_EQ(call1("pow", {Dbl(2), Dbl(3)}).as_double(), 8.0);
  EXPECT_DOUBLE_EQ(call1("power", {Dbl(2), Dbl(3)}).as_double(), 8.0);
  EXPECT_DOUBLE_EQ(call1("exp", {Dbl(0)}).as_double(), 1.0);
  EXPECT_DOUBLE_EQ(call1("log", {Dbl(10), Dbl(100)}).as_double(), 2.0);
  // SELECT log10(10);  1.0   SELECT log2(2);  1.0   (NULL for x <= 0)
  EXPECT_DOUBLE_EQ(call1("log10", {Dbl(10)}).as_double(), 1.0);
  EXPECT_DOUBLE_EQ(call1("log2", {Dbl(2)}).as_double(), 1.0);
  EXPECT_TRUE(call1("log", {Dbl(0)}).is_null());
  // SELECT sign(40);  1.0   SELECT signum(-40);  -1.0
  EXPECT_DOUBLE_EQ(call1("sign", {Dbl(40)}).as_double(), 1.0);
  EXPECT_DOUBLE_EQ(call1("signum", {Dbl(-40)}).as_double(), -1.0);
  // SELECT bround(2.5, 0);  2   SELECT bround(25, -1);  20
  EXPECT_DOUBLE_EQ(call1("bround", {Dbl(2.5), I(0)}, true, true).as_double(), 2.0);
  EXPECT_EQ(call1("bround", {I(25), I(-1)}, true, true).as_int64(), 20);
}

}  // namespace
}  // namespace ember
