// split, array, size, element_at / try_element_at / get / get_array_item and array_contains, bound
// through the registry and run on vectors. split's expectations were produced by Java's
// String.split (what Spark's UTF8String.split calls), with Spark's empty-pattern rule on top.
#include <cmath>
#include <functional>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/functions/registry.h"

namespace ember {
namespace {

const DataType kStrings = DataType::array(DataType::string());
const DataType kInts = DataType::array(DataType::int32());

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

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const EmberError& e) {
    return e.what();
  }
  return "<no error>";
}

Value str(const std::string& s) { return Value::string(s); }
Value ints(std::vector<int32_t> v) {
  std::vector<Value> out;
  for (int32_t x : v) out.push_back(Value::int32(x));
  return Value::array(DataType::int32(), std::move(out));
}
VectorPtr strings(std::vector<Value> v) { return Vector::from_values(DataType::string(), v); }

// split(s, pattern, limit) as the elements of the one result row (quoted, so "" stays visible).
std::string split1(const std::string& s, const std::string& pattern, int32_t limit = -1,
                   bool literal = true) {
  auto f =
      bind("split", {DataType::string(), DataType::string(), DataType::int32()}, true,
           {std::nullopt, literal ? std::optional<Value>(str(pattern)) : std::nullopt, Value::int32(limit)});
  auto out = run(f, {strings({str(s)}), Vector::make_constant(str(pattern), 1),
                     Vector::make_constant(Value::int32(limit), 1)});
  std::string text = "[";
  const Value v = out->value_at(0);
  for (size_t i = 0; i < v.as_array().size(); ++i)
    text += (i ? ", \"" : "\"") + v.as_array()[i].as_string() + "\"";
  return text + "]";
}

// ---- split ----------------------------------------------------------------------------------------

TEST(SplitTest, SparkDocumentedExamples) {
  EXPECT_EQ(split1("oneAtwoBthreeC", "[ABC]"), R"(["one", "two", "three", ""])");
  EXPECT_EQ(split1("oneAtwoBthreeC", "[ABC]", 2), R"(["one", "twoBthreeC"])");
  EXPECT_EQ(split1("oneAtwoBthreeC", "[ABC]", 0), R"(["one", "two", "three", ""])");
  EXPECT_EQ(split1("oneAtwoBthreeC", "[ABC]", -5), R"(["one", "two", "three", ""])");
}

TEST(SplitTest, MatchesJavaStringSplit) {
  // Each expectation is Java's s.split(regex, limit == 0 ? -1 : limit).
  EXPECT_EQ(split1("a,b", ",*"), R"(["a", "", "b", ""])");
  EXPECT_EQ(split1("abc", "x*"), R"(["a", "b", "c", ""])");
  EXPECT_EQ(split1("", ","), R"([""])");
  EXPECT_EQ(split1(",a,,b,,", ","), R"(["", "a", "", "b", "", ""])");
  EXPECT_EQ(split1(",a,,b,,", ",", 3), R"(["", "a", ",b,,"])");
  EXPECT_EQ(split1(",a,,b,,", ",", 1), R"([",a,,b,,"])");
  EXPECT_EQ(split1("a1b22c", "\\d+"), R"(["a", "b", "c"])");
  EXPECT_EQ(split1("a b  c", " "), R"(["a", "b", "", "c"])");
  EXPECT_EQ(split1("a.b.c", "."), R"(["", "", "", "", "", ""])");
  EXPECT_EQ(split1("a.b.c", "\\."), R"(["a", "b", "c"])");
  EXPECT_EQ(split1("boo:and:foo", "o"), R"(["b", "", ":and:f", "", ""])");
  EXPECT_EQ(split1("boo:and:foo", "o", 2), R"(["b", "o:and:foo"])");
  EXPECT_EQ(split1("xaxbx", "x"), R"(["", "a", "b", ""])");
  EXPECT_EQ(split1("éaéb", "a"), R"(["é", "éb"])");
  EXPECT_EQ(split1("aaa", "a"), R"(["", "", "", ""])");
  EXPECT_EQ(split1("aaa", "a", 2), R"(["", "aa"])");
  EXPECT_EQ(split1("a,b,c", ",", 5), R"(["a", "b", "c"])");
  EXPECT_EQ(split1("no match", ";"), R"(["no match"])");
  // The same answers when the pattern is not a literal (compiled per batch, not at bind).
  EXPECT_EQ(split1("a1b22c", "\\d+", -1, /*literal=*/false), R"(["a", "b", "c"])");
  EXPECT_EQ(split1(",a,,b,,", ",", 3, /*literal=*/false), R"(["", "a", ",b,,"])");
}

TEST(SplitTest, EmptyPatternSplitsCharacters) {
  // UTF8String.split: no trailing empty string, limit keeps the rest in the last piece.
  EXPECT_EQ(split1("abc", ""), R"(["a", "b", "c"])");
  EXPECT_EQ(split1("ab", "", 100), R"(["a", "b"])");
  EXPECT_EQ(split1("abc", "", 2), R"(["a", "bc"])");
  EXPECT_EQ(split1("ab", "", 1), R"(["ab"])");
  EXPECT_EQ(split1("", ""), R"([""])");
  EXPECT_EQ(split1("日本語", ""), R"(["日", "本", "語"])");
}

TEST(SplitTest, NullsAndPerRowPatterns) {
  auto f = bind("split", {DataType::string(), DataType::string()});
  EXPECT_EQ(f.result_type, kStrings);
  EXPECT_FALSE(f.result_type.contains_null());  // Spark: ArrayType(StringType, containsNull = false)
  auto out = run(f, {strings({str("a-b"), Value::null(DataType::string()), str("c d"), str("e")}),
                     strings({str("-"), str("-"), str(" "), Value::null(DataType::string())})});
  EXPECT_EQ(out->value_at(0).to_string(), "[a, b]");
  EXPECT_TRUE(out->is_null(1));
  EXPECT_EQ(out->value_at(2).to_string(), "[c, d]");
  EXPECT_TRUE(out->is_null(3));
  // A null limit is a null result, as for any null argument.
  auto g = bind("split", {DataType::string(), DataType::string(), DataType::int32()});
  auto nl = run(g, {strings({str("a-b")}), strings({str("-")}), Vector::make_null(DataType::int32(), 1)});
  EXPECT_TRUE(nl->is_null(0));
  // A constant null string makes every row null.
  auto cn = run(f, {Vector::make_constant(Value::null(DataType::string()), 3),
                    strings({str(","), str(","), str(",")})});
  EXPECT_EQ(cn->count_nulls(), 3u);
}

TEST(SplitTest, BadArgumentsAreErrors) {
  std::string msg = error_of([] {
    bind("split", {DataType::string(), DataType::string()}, true, {std::nullopt, str("(")});
  });
  EXPECT_NE(msg.find("INVALID_PARAMETER_VALUE.PATTERN"), std::string::npos) << msg;
  msg = error_of([] { bind("split", {DataType::string(), DataType::string(), DataType::string()}); });
  EXPECT_NE(msg.find("The third parameter requires the \"INT\" type"), std::string::npos) << msg;
  msg = error_of([] { bind("split", {kStrings, DataType::string()}); });
  EXPECT_NE(msg.find("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE"), std::string::npos) << msg;
}

// ---- array(...) ------------------------------------------------------------------------------------

TEST(ArrayConstructorTest, BuildsRowsFromArguments) {
  auto f = bind("array", {DataType::int32(), DataType::int64(), DataType::null()});
  EXPECT_EQ(f.result_type, DataType::array(DataType::int64()));
  EXPECT_EQ(f.arg_types, (std::vector<DataType>(3, DataType::int64())));
  EXPECT_FALSE(f.nullable);
  auto a = Vector::from_values(DataType::int64(), {Value::int64(1), Value::int64(2)});
  auto b = Vector::from_values(DataType::int64(), {Value::null(DataType::int64()), Value::int64(20)});
  auto c = Vector::make_null(DataType::int64(), 2);
  auto out = run(f, {a, b, c});
  EXPECT_EQ(out->value_at(0).to_string(), "[1, NULL, NULL]");
  EXPECT_EQ(out->value_at(1).to_string(), "[2, 20, NULL]");
  auto empty = bind("array", {});
  EXPECT_EQ(empty.result_type, DataType::array(DataType::null()));
  EXPECT_EQ(empty.kernel->eval({}, 2, EvalContext{})->value_at(1).to_string(), "[]");
  std::string msg = error_of([] { bind("array", {DataType::int32(), DataType::boolean()}); });
  EXPECT_NE(msg.find("DATATYPE_MISMATCH.DATA_DIFF_TYPES"), std::string::npos) << msg;
}

// ---- size ----------------------------------------------------------------------------------------------

TEST(SizeTest, NullArrayIsNullUnderAnsiAndMinusOneWithout) {
  auto arrays = Vector::from_values(kInts, {ints({1, 2, 3}), Value::null(kInts), ints({})});
  auto ansi = bind("size", {kInts}, true);
  EXPECT_EQ(ansi.result_type, DataType::int32());
  auto out = run(ansi, {arrays}, true);
  EXPECT_EQ(out->value_at(0).as_int64(), 3);
  EXPECT_TRUE(out->is_null(1));
  EXPECT_EQ(out->value_at(2).as_int64(), 0);
  auto legacy = bind("size", {kInts}, false);
  EXPECT_FALSE(legacy.nullable);
  auto l = run(legacy, {arrays}, false);
  EXPECT_EQ(l->value_at(1).as_int64(), -1);
  EXPECT_FALSE(l->is_null(1));
  EXPECT_EQ(bind("cardinality", {kInts}).result_type, DataType::int32());
  // size(NULL): the untyped null is an array of void.
  auto of_null = bind("size", {DataType::null()});
  EXPECT_EQ(of_null.arg_types[0], DataType::array(DataType::null()));
  std::string msg = error_of([] { bind("size", {DataType::string()}); });
  EXPECT_NE(msg.find("requires the (\"ARRAY\" or \"MAP\") type, however it has the type \"STRING\""),
            std::string::npos)
      << msg;
}

// ---- element access -------------------------------------------------------------------------------

VectorPtr index_col(std::vector<Value> v) { return Vector::from_values(DataType::int32(), v); }

TEST(ElementAtTest, OneBasedAndFromTheEnd) {
  auto arrays = Vector::from_values(
      kStrings, {Value::array(DataType::string(), {str("a"), str("b"), str("c")}),
                 Value::array(DataType::string(), {str("x"), Value::null(DataType::string())}),
                 Value::null(kStrings), Value::array(DataType::string(), {str("y")})});
  auto f = bind("element_at", {kStrings, DataType::int32()});
  EXPECT_EQ(f.result_type, DataType::string());
  auto out =
      run(f, {arrays, index_col({Value::int32(2), Value::int32(2), Value::int32(1), Value::int32(-1)})});
  EXPECT_EQ(out->value_at(0).as_string(), "b");
  EXPECT_TRUE(out->is_null(1));  // the element itself is null
  EXPECT_TRUE(out->is_null(2));  // null array
  EXPECT_EQ(out->value_at(3).as_string(), "y");
  auto neg = run(f, {arrays, index_col({Value::int32(-3), Value::null(DataType::int32()), Value::int32(5),
                                        Value::int32(1)})});
  EXPECT_EQ(neg->value_at(0).as_string(), "a");
  EXPECT_TRUE(neg->is_null(1));
  EXPECT_TRUE(neg->is_null(2));  // null array: no bounds check
  // short and byte indexes are accepted (cast to int); bigint is not, as in Spark.
  EXPECT_EQ(bind("element_at", {kStrings, DataType::short_()}).arg_types[1], DataType::int32());
  EXPECT_NE(error_of([] {
              bind("element_at", {kStrings, DataType::int64()});
            }).find("\"INT\""),
            std::string::npos);
}

TEST(ElementAtTest, IndexZeroAndOutOfRange) {
  auto arrays = Vector::from_values(kInts, {ints({1, 2, 3})});
  auto f = bind("element_at", {kInts, DataType::int32()});
  std::string zero = error_of([&] { run(f, {arrays, index_col({Value::int32(0)})}); });
  EXPECT_EQ(zero,
            "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first "
            "element "
            "has index 1). SQLSTATE: 22003");
  // Index 0 is an error with ANSI off too; out of range is then null.
  EXPECT_EQ(error_of([&] { run(f, {arrays, index_col({Value::int32(0)})}, false); }), zero);
  std::string oob = error_of([&] { run(f, {arrays, index_col({Value::int32(5)})}); });
  EXPECT_EQ(
      oob,
      "[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index 5 is out of bounds. The array has 3 elements. Use "
      "`try_element_at` to tolerate accessing element at invalid index and return NULL instead. If necessary "
      "set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error. SQLSTATE: 22003");
  EXPECT_NE(error_of([&] {
              run(f, {arrays, index_col({Value::int32(-4)})});
            }).find("The index -4 is out of bounds"),
            std::string::npos);
  EXPECT_TRUE(run(f, {arrays, index_col({Value::int32(5)})}, false)->is_null(0));
  auto t = bind("try_element_at", {kInts, DataType::int32()});
  EXPECT_TRUE(run(t, {arrays, index_col({Value::int32(5)})}, true)->is_null(0));
  EXPECT_EQ(run(t, {arrays, index_col({Value::int32(-1)})})->value_at(0).as_int64(), 3);
  EXPECT_EQ(error_of([&] { run(t, {arrays, index_col({Value::int32(0)})}); }), zero);
}

TEST(ElementAtTest, GetAndGetArrayItemAreZeroBased) {
  auto arrays = Vector::from_values(kInts, {ints({10, 20, 30}), ints({10, 20, 30}), ints({10, 20, 30})});
  auto idx = index_col({Value::int32(0), Value::int32(2), Value::int32(3)});
  auto get = run(bind("get", {kInts, DataType::int32()}), {arrays, idx});
  EXPECT_EQ(get->value_at(0).as_int64(), 10);
  EXPECT_EQ(get->value_at(1).as_int64(), 30);
  EXPECT_TRUE(get->is_null(2));
  auto item = bind("get_array_item", {kInts, DataType::int32()});
  EXPECT_EQ(
      error_of([&] {
        run(item, {arrays, idx});
      }),
      "[INVALID_ARRAY_INDEX] The index 3 is out of bounds. The array has 3 elements. Use the SQL function "
      "`get()` to tolerate accessing element at invalid index and return NULL instead. If necessary set "
      "\"spark.sql.ansi.enabled\" to \"false\" to bypass this error. SQLSTATE: 22003");
  auto lenient = run(item, {arrays, index_col({Value::int32(-1), Value::int32(1), Value::int32(3)})}, false);
  EXPECT_TRUE(lenient->is_null(0));
  EXPECT_EQ(lenient->value_at(1).as_int64(), 20);
  EXPECT_TRUE(lenient->is_null(2));
}

TEST(ElementAtTest, NestedElementsAndEmptyChild) {
  const DataType grid = DataType::array(kInts);
  auto arrays = Vector::from_values(grid, {Value::array(kInts, {ints({1}), ints({2, 3})})});
  auto out = run(bind("element_at", {grid, DataType::int32()}), {arrays, index_col({Value::int32(2)})});
  EXPECT_EQ(out->type(), kInts);
  EXPECT_EQ(out->value_at(0).to_string(), "[2, 3]");
  // Every array empty: nothing to gather from.
  auto empty = Vector::from_values(kInts, {ints({}), Value::null(kInts)});
  auto g =
      run(bind("get", {kInts, DataType::int32()}), {empty, index_col({Value::int32(0), Value::int32(0)})});
  EXPECT_EQ(g->count_nulls(), 2u);
}

// ---- array_contains -----------------------------------------------------------------------------

TEST(ArrayContainsTest, ThreeValuedLikeSpark) {
  auto arrays = Vector::from_values(
      kStrings, {Value::array(DataType::string(), {str("a"), str("b")}),
                 Value::array(DataType::string(), {str("a"), Value::null(DataType::string())}),
                 Value::array(DataType::string(), {str("b"), Value::null(DataType::string())}),
                 Value::null(kStrings), Value::array(DataType::string(), {})});
  auto f = bind("array_contains", {kStrings, DataType::string()});
  EXPECT_EQ(f.result_type, DataType::boolean());
  auto out = run(f, {arrays, Vector::make_constant(str("a"), 5)});
  EXPECT_EQ(out->value_at(0), Value::boolean(true));
  EXPECT_EQ(out->value_at(1), Value::boolean(true));   // found before the null
  EXPECT_TRUE(out->is_null(2));                        // not found, but a null element might have been it
  EXPECT_TRUE(out->is_null(3));                        // null array
  EXPECT_EQ(out->value_at(4), Value::boolean(false));  // empty array
  auto null_value = run(f, {arrays, Vector::make_constant(Value::null(DataType::string()), 5)});
  EXPECT_EQ(null_value->count_nulls(), 5u);
}

TEST(ArrayContainsTest, NumbersWidenAndNaNEqualsNaN) {
  auto f = bind("array_contains", {kInts, DataType::int64()});
  EXPECT_EQ(f.arg_types[0], DataType::array(DataType::int64()));
  EXPECT_EQ(f.arg_types[1], DataType::int64());
  const DataType doubles = DataType::array(DataType::float64());
  auto d = bind("array_contains", {doubles, DataType::float64()});
  auto arrays =
      Vector::from_values(doubles, {Value::array(DataType::float64(), {Value::float64(std::nan(""))}),
                                    Value::array(DataType::float64(), {Value::float64(-0.0)})});
  auto out = run(d, {arrays, Vector::from_values(DataType::float64(),
                                                 {Value::float64(std::nan("")), Value::float64(0.0)})});
  EXPECT_EQ(out->value_at(0), Value::boolean(true));
  EXPECT_EQ(out->value_at(1), Value::boolean(true));
}

TEST(ArrayContainsTest, TypeErrors) {
  std::string msg = error_of([] { bind("array_contains", {kStrings, DataType::int32()}); });
  EXPECT_EQ(
      msg,
      "[DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES] Cannot resolve \"array_contains\" due to data type "
      "mismatch: Input to `array_contains` should have been \"ARRAY\" followed by a value with same element "
      "type, but it's [\"ARRAY<STRING>\", \"INT\"].");
  msg = error_of([] { bind("array_contains", {kStrings, DataType::null()}); });
  EXPECT_NE(msg.find("DATATYPE_MISMATCH.NULL_TYPE"), std::string::npos) << msg;
  msg = error_of([] { bind("array_contains", {DataType::string(), DataType::string()}); });
  EXPECT_NE(msg.find("The first parameter requires the \"ARRAY\" type"), std::string::npos) << msg;
  msg = error_of([] { bind("array_contains", {DataType::array(kInts), kInts}); });
  EXPECT_NE(msg.find("UNSUPPORTED_FEATURE"), std::string::npos) << msg;
}

// ---- generic functions over arrays ---------------------------------------------------------------

TEST(ArrayGenericFunctionsTest, CoalesceMovesArraysAndComparisonsSayUnsupported) {
  auto f = bind("coalesce", {kInts, kInts});
  auto a = Vector::from_values(kInts, {Value::null(kInts), ints({1}), Value::null(kInts)});
  auto b = Vector::from_values(kInts, {ints({2, 3}), ints({4}), Value::null(kInts)});
  auto out = run(f, {a, b});
  EXPECT_EQ(out->value_at(0).to_string(), "[2, 3]");
  EXPECT_EQ(out->value_at(1).to_string(), "[1]");
  EXPECT_TRUE(out->is_null(2));
  auto isnull = run(bind("isnull", {kInts}), {a});
  EXPECT_EQ(isnull->value_at(0), Value::boolean(true));
  // Arrays compare by Spark's ordering (tests/sql/order/nested_keys.test); nullif does not yet.
  for (const char* op : {"=", "<", "<=>", "in"}) EXPECT_NO_THROW(bind(op, {kInts, kInts})) << op;
  for (const char* op : {"nullif"}) {
    std::string msg = error_of([&] { bind(op, {kInts, kInts}); });
    EXPECT_NE(msg.find("[UNSUPPORTED_FEATURE] ember cannot compare a value of type \"ARRAY<INT>\" yet."),
              std::string::npos)
        << op << ": " << msg;
  }
  EXPECT_NE(error_of([] { bind("upper", {kStrings}); }).find("DATATYPE_MISMATCH"), std::string::npos);
}

TEST(ArrayGenericFunctionsTest, AggregatesOverArraysBindAndMapsAreRejected) {
  // min/max/count(DISTINCT) of arrays bind (their answers: tests/sql/aggregate/nested_keys.test);
  // maps are not orderable, so min of one is Spark's INVALID_ORDERING_TYPE.
  const AggregateDef* min = FunctionRegistry::instance().find_aggregate("min");
  ASSERT_NE(min, nullptr);
  EXPECT_NO_THROW(min->bind({kInts}, false, BindContext{}));
  const DataType map = DataType::map(DataType::string(), DataType::int32());
  std::string msg = error_of([&] { min->bind({map}, false, BindContext{}); });
  EXPECT_NE(msg.find("INVALID_ORDERING_TYPE"), std::string::npos) << msg;
  const AggregateDef* count = FunctionRegistry::instance().find_aggregate("count");
  EXPECT_NO_THROW(count->bind({kInts}, false, BindContext{}));
  EXPECT_NO_THROW(count->bind({kInts}, true, BindContext{}));
  msg = error_of([&] { count->bind({map}, true, BindContext{}); });
  EXPECT_NE(msg.find("UNSUPPORTED_FEATURE"), std::string::npos) << msg;
}

}  // namespace
}  // namespace ember
