// lpad, rpad, instr, locate/position, initcap, reverse, repeat, translate, format_number,
// format_string/printf, ascii, left, right, btrim. Golden values are the examples of Spark's SQL
// function reference (spark.apache.org/docs/latest/api/sql, "String Functions"); format_string's
// extra cases are java.util.Formatter's documented behaviour.
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

// Evaluates name(values...) on one row; "NULL" for a null result, else the value as a string.
Value call1(const std::string& name, const std::vector<Value>& vals, bool literal_first = false) {
  std::vector<DataType> types;
  std::vector<VectorPtr> args;
  std::vector<std::optional<Value>> lits;
  for (const auto& v : vals) {
    types.push_back(v.type());
    args.push_back(Vector::from_values(v.type(), {v}));
    lits.push_back(literal_first && lits.empty() ? std::optional<Value>(v) : std::nullopt);
  }
  auto f = bind_fn(name, types, true, lits);
  EvalContext ctx;
  return f.kernel->eval(args, 1, ctx)->value_at(0);
}

Value S(const std::string& s) { return Value::string(s); }
Value I(int v) { return Value::int32(v); }
std::string str(const Value& v) { return v.is_null() ? "NULL" : v.as_string(); }
int64_t num(const Value& v) { return v.as_int64(); }

TEST(StringExtraTest, PadSparkExamples) {
  EXPECT_EQ(str(call1("lpad", {S("hi"), I(5), S("??")})), "???hi");
  EXPECT_EQ(str(call1("lpad", {S("hi"), I(1), S("??")})), "h");
  EXPECT_EQ(str(call1("lpad", {S("hi"), I(5)})), "   hi");
  EXPECT_EQ(str(call1("rpad", {S("hi"), I(5), S("??")})), "hi???");
  EXPECT_EQ(str(call1("rpad", {S("hi"), I(1), S("??")})), "h");
  EXPECT_EQ(str(call1("rpad", {S("hi"), I(5)})), "hi   ");
  // PySpark: lpad('abcd', 6, '#') = '##abcd'.
  EXPECT_EQ(str(call1("lpad", {S("abcd"), I(6), S("#")})), "##abcd");
  // Characters, not bytes; an empty pad or a negative length.
  EXPECT_EQ(str(call1("lpad", {S("é"), I(3), S("ü")})), "üüé");
  EXPECT_EQ(str(call1("rpad", {S("hi"), I(5), S("")})), "hi");
  EXPECT_EQ(str(call1("rpad", {S("hi"), I(-1), S("x")})), "");
  EXPECT_EQ(str(call1("lpad", {Value::null(DataType::string()), I(5), S("x")})), "NULL");
}

TEST(StringExtraTest, InstrLocate) {
  EXPECT_EQ(num(call1("instr", {S("SparkSQL"), S("SQL")})), 6);
  EXPECT_EQ(num(call1("instr", {S("SparkSQL"), S("xyz")})), 0);
  EXPECT_EQ(num(call1("instr", {S("héllo"), S("llo")})), 3);
  EXPECT_EQ(num(call1("locate", {S("bar"), S("foobarbar")})), 4);
  EXPECT_EQ(num(call1("locate", {S("bar"), S("foobarbar"), I(5)})), 7);
  EXPECT_EQ(num(call1("position", {S("bar"), S("foobarbar")})), 4);
  EXPECT_EQ(num(call1("locate", {S("bar"), S("foobarbar"), I(0)})), 0);
  // A NULL start position gives 0, a NULL string NULL (Spark's StringLocate).
  EXPECT_EQ(num(call1("locate", {S("bar"), S("foobarbar"), Value::null(DataType::int32())})), 0);
  EXPECT_TRUE(call1("locate", {S("bar"), Value::null(DataType::string())}).is_null());
  EXPECT_TRUE(call1("instr", {Value::null(DataType::string()), S("a")}).is_null());
}

TEST(StringExtraTest, InitcapReverseRepeatTranslate) {
  EXPECT_EQ(str(call1("initcap", {S("sPark sql")})), "Spark Sql");
  EXPECT_EQ(str(call1("initcap", {S("ÉCOLE normale")})), "École Normale");
  EXPECT_EQ(str(call1("reverse", {S("Spark SQL")})), "LQS krapS");
  EXPECT_EQ(str(call1("reverse", {S("añb")})), "bña");
  EXPECT_EQ(str(call1("repeat", {S("123"), I(2)})), "123123");
  EXPECT_EQ(str(call1("repeat", {S("123"), I(-2)})), "");
  EXPECT_EQ(str(call1("translate", {S("AaBbCc"), S("abc"), S("123")})), "A1B2C3");
  // Characters of `from` beyond `to` are removed; the first occurrence wins.
  EXPECT_EQ(str(call1("translate", {S("abcabc"), S("aba"), S("x")})), "xcxc");
  EXPECT_EQ(str(call1("translate", {S("déjà"), S("éà"), S("ea")})), "deja");
  EXPECT_TRUE(call1("repeat", {Value::null(DataType::string()), I(2)}).is_null());
}

TEST(StringExtraTest, AsciiLeftRightBtrim) {
  EXPECT_EQ(num(call1("ascii", {S("222")})), 50);
  EXPECT_EQ(bind_fn("ascii", {DataType::int32()}).arg_types[0], DataType::string());  // ascii(2) reads "2"
  EXPECT_EQ(num(call1("ascii", {S("")})), 0);
  EXPECT_EQ(str(call1("left", {S("Spark SQL"), I(3)})), "Spa");
  EXPECT_EQ(str(call1("right", {S("Spark SQL"), I(3)})), "SQL");
  EXPECT_EQ(str(call1("left", {S("Spark"), I(-1)})), "");
  EXPECT_EQ(str(call1("right", {S("Spark"), I(10)})), "Spark");
  EXPECT_EQ(str(call1("btrim", {S("    SparkSQL   ")})), "SparkSQL");
  EXPECT_EQ(str(call1("btrim", {S("SSparkSQLS"), S("SL")})), "parkSQ");
}

TEST(StringExtraTest, FormatNumber) {
  EXPECT_EQ(str(call1("format_number", {Value::float64(12332.123456), I(4)})), "12,332.1235");
  EXPECT_EQ(str(call1("format_number", {Value::float64(12332.123456), I(0)})), "12,332");
  EXPECT_EQ(str(call1("format_number", {Value::int64(-1234567), I(2)})), "-1,234,567.00");
  EXPECT_EQ(str(call1("format_number", {Value::int32(12), I(0)})), "12");
  // HALF_EVEN on the exact value: 0.125 is exact (ties to even), 2.675 is 2.67499999...
  EXPECT_EQ(str(call1("format_number", {Value::float64(0.125), I(2)})), "0.12");
  EXPECT_EQ(str(call1("format_number", {Value::float64(2.675), I(2)})), "2.67");
  EXPECT_EQ(str(call1("format_number", {Value::float64(-0.001), I(2)})), "-0.00");
  EXPECT_EQ(str(call1("format_number", {Value::float64(12332.5), I(0)})),
            "12,332");  // checked with DecimalFormat
  EXPECT_EQ(str(call1("format_number", {Value::float64(12333.5), I(0)})), "12,334");
  EXPECT_EQ(str(call1("format_number", {Value::float64(1e20), I(2)})), "100,000,000,000,000,000,000.00");
  // Decimals round HALF_EVEN exactly.
  EXPECT_EQ(str(call1("format_number", {Value::decimal(1234565, 10, 3), I(2)})), "1,234.56");
  EXPECT_EQ(str(call1("format_number", {Value::decimal(1234575, 10, 3), I(2)})), "1,234.58");
  EXPECT_EQ(str(call1("format_number", {Value::decimal(5, 10, 1), I(3)})), "0.500");
  // A negative d is NULL; NULL in, NULL out.
  EXPECT_TRUE(call1("format_number", {Value::float64(1.5), I(-1)}).is_null());
  EXPECT_TRUE(call1("format_number", {Value::null(DataType::float64()), I(2)}).is_null());
}

TEST(StringExtraTest, FormatString) {
  EXPECT_EQ(str(call1("format_string", {S("Hello World %d %s"), I(100), S("days")}, true)),
            "Hello World 100 days");
  EXPECT_EQ(str(call1("printf", {S("Hello World %d %s"), I(100), S("days")})), "Hello World 100 days");
  EXPECT_EQ(str(call1("format_string", {S("%.2f|%5d|%-5d|%05d|%,d"), Value::float64(3.14159), I(42), I(42),
                                        I(42), Value::int64(1234567)})),
            "3.14|   42|42   |00042|1,234,567");
  // Java rounds the shortest decimal form HALF_UP: 0.125 -> 0.13, 1.005 -> 1.01 (C's printf differs).
  EXPECT_EQ(str(call1("format_string", {S("%.2f %.2f %.1f"), Value::float64(0.125), Value::float64(1.005),
                                        Value::float64(0.15)})),
            "0.13 1.01 0.2");
  EXPECT_EQ(str(call1("format_string", {S("%f"), Value::float64(1.5)})), "1.500000");
  // Checked against java.util.Formatter (Locale.US).
  EXPECT_EQ(str(call1("format_string",
                      {S("%,.2f|%010.2f|%.0e|%.3f|%f"), Value::float64(1234567.891), Value::float64(-3.5),
                       Value::float64(15.0), Value::float64(1e-10), Value::float64(1e20)})),
            "1,234,567.89|-000003.50|2e+01|0.000|100000000000000000000.000000");
  EXPECT_EQ(str(call1("format_string", {S("%e|%.2E"), Value::float64(12345.678), Value::float64(0.000123)})),
            "1.234568e+04|1.23E-04");
  EXPECT_EQ(str(call1("format_string", {S("%x %X %x %o"), I(255), I(255), I(-1), I(8)})),
            "ff FF ffffffff 10");
  EXPECT_EQ(str(call1("format_string", {S("%s %s %s %%"), Value::float64(1.0), Value::boolean(true),
                                        Value::null(DataType::int32())})),
            "1.0 true null %");
  EXPECT_EQ(str(call1("format_string", {S("%2$s-%1$s"), S("a"), S("b")})), "b-a");
  EXPECT_EQ(str(call1("format_string", {S("%+d %(d % d"), I(5), I(-5), I(5)})), "+5 (5)  5");
  EXPECT_EQ(str(call1("format_string", {S("[%8.3s]"), S("abcdef")})), "[     abc]");
  EXPECT_TRUE(call1("format_string", {Value::null(DataType::string()), I(1)}).is_null());
  // Errors: a mismatched conversion, a missing argument, an unsupported conversion.
  EXPECT_THROW(call1("format_string", {S("%d"), S("x")}), EmberError);
  EXPECT_THROW(call1("format_string", {S("%s %s"), S("x")}), EmberError);
  EXPECT_THROW(call1("format_string", {S("%g"), Value::float64(1.0)}), EmberError);
}

TEST(StringExtraTest, TypeChecks) {
  try {
    bind_fn("lpad", {DataType::string(), DataType::boolean()});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
    EXPECT_EQ(e.error_class(), "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
  }
  EXPECT_THROW(bind_fn("format_number", {DataType::boolean(), DataType::int32()}), EmberError);
  // Implicit casts: repeat(123, 2) reads the int as a string.
  EXPECT_EQ(bind_fn("repeat", {DataType::int32(), DataType::int32()}).arg_types[0], DataType::string());
}

}  // namespace
}  // namespace ember
