// String, regex and NULL-handling functions.
#include <gtest/gtest.h>

#include <cmath>

#include "ember/common/error.h"
#include "ember/functions/registry.h"

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

std::string s_at(const VectorPtr& v, size_t i) { return std::string(v->string_at(i)); }

TEST(StringFunctionsTest, UpperLowerUtf8AndImplicitCast) {
  auto up = bind("upper", {DataType::string()});
  auto out = run(up, {col(DataType::string(), {Value::string("abc Déjà"), Value::null(DataType::string())})});
  EXPECT_EQ(s_at(out, 0), "ABC DÉJÀ");
  EXPECT_TRUE(out->is_null(1));
  EXPECT_EQ(s_at(run(bind("lower", {DataType::string()}), {strs({"ÀB"})}), 0), "àb");
  // upper(int) is allowed: the analyzer casts the int to string.
  EXPECT_EQ(bind("upper", {DataType::int32()}).arg_types[0], DataType::string());
}

TEST(StringFunctionsTest, TypeMismatchIsAnalysisError) {
  try {
    bind("upper", {DataType::date()}, /*ansi=*/true);
    // date -> string is an allowed implicit cast in Spark; use a boolean into substring's pos.
    bind("substring", {DataType::string(), DataType::date()});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
    EXPECT_EQ(e.error_class(), "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
    EXPECT_NE(std::string(e.what()).find("The second parameter requires the \"INT\" type, however it has the type \"DATE\""),
              std::string::npos);
  }
}

TEST(StringFunctionsTest, Trim) {
  auto s = strs({"  a b  ", "\tx ", "xxhixy"});
  EXPECT_EQ(s_at(run(bind("trim", {DataType::string()}), {s}), 0), "a b");
  EXPECT_EQ(s_at(run(bind("trim", {DataType::string()}), {s}), 1), "\tx");  // only spaces
  EXPECT_EQ(s_at(run(bind("ltrim", {DataType::string()}), {s}), 0), "a b  ");
  EXPECT_EQ(s_at(run(bind("rtrim", {DataType::string()}), {s}), 0), "  a b");
  auto t = run(bind("trim", {DataType::string(), DataType::string()}), {s, konst(Value::string("xy"), 3)});
  EXPECT_EQ(s_at(t, 2), "hi");
  auto u = run(bind("trim", {DataType::string(), DataType::string()}), {strs({"ééaé"}), konst(Value::string("é"), 1)});
  EXPECT_EQ(s_at(u, 0), "a");
}

TEST(StringFunctionsTest, SubstringSparkPositions) {
  auto f = bind("substring", {DataType::string(), DataType::int32(), DataType::int32()});
  auto s = konst(Value::string("Spark SQL"), 1);
  auto sub = [&](int pos, int len) {
    return s_at(run(f, {s, konst(Value::int32(pos), 1), konst(Value::int32(len), 1)}, true, 1), 0);
  };
  EXPECT_EQ(sub(5, 1), "k");
  EXPECT_EQ(sub(-3, 2), "SQ");
  EXPECT_EQ(sub(0, 2), "Sp");    // pos 0 acts like 1
  EXPECT_EQ(sub(1, 0), "");
  EXPECT_EQ(sub(1, -1), "");
  EXPECT_EQ(sub(-20, 12), "S");  // starts before the string: the length counts from there
  EXPECT_EQ(sub(100, 2), "");
  auto g = bind("substr", {DataType::string(), DataType::int32()});
  auto u = run(g, {strs({"añob€c"}), konst(Value::int32(2), 1)});
  EXPECT_EQ(s_at(u, 0), "ñob€c");
  auto h = run(f, {strs({"añob€c"}), konst(Value::int32(-2), 1), konst(Value::int32(1), 1)});
  EXPECT_EQ(s_at(h, 0), "€");
}

TEST(StringFunctionsTest, ConcatLengthAndFriends) {
  auto f = bind("concat", {DataType::string(), DataType::string()});
  auto out = run(f, {col(DataType::string(), {Value::string("a"), Value::string("b")}),
                     col(DataType::string(), {Value::string("€"), Value::null(DataType::string())})});
  EXPECT_EQ(s_at(out, 0), "a€");
  EXPECT_TRUE(out->is_null(1));
  auto ws = run(bind("concat_ws", {DataType::string(), DataType::string(), DataType::string()}),
                {konst(Value::string("-"), 2), strs({"a", "b"}), col(DataType::string(), {Value::null(DataType::string()), Value::string("c")})});
  EXPECT_EQ(s_at(ws, 0), "a");
  EXPECT_EQ(s_at(ws, 1), "b-c");
  auto len = run(bind("length", {DataType::string()}), {strs({"", "héllo", "€"})});
  EXPECT_EQ(len->value_at(0), Value::int32(0));
  EXPECT_EQ(len->value_at(1), Value::int32(5));
  EXPECT_EQ(len->value_at(2), Value::int32(1));
  EXPECT_NE(FunctionRegistry::instance().find_scalar("char_length"), nullptr);
  auto sw = run(bind("startswith", {DataType::string(), DataType::string()}), {strs({"abc", "xbc"}), konst(Value::string("ab"), 2)});
  EXPECT_EQ(sw->value_at(0), Value::boolean(true));
  EXPECT_EQ(sw->value_at(1), Value::boolean(false));
  auto ct = run(bind("contains", {DataType::string(), DataType::string()}), {strs({"abc"}), konst(Value::string("bc"), 1)});
  EXPECT_EQ(ct->value_at(0), Value::boolean(true));
}

TEST(RegexFunctionsTest, LikeCornerCases) {
  auto like = [](const std::string& s, const std::string& p) {
    auto f = bind("like", {DataType::string(), DataType::string()}, true, {std::nullopt, Value::string(p)});
    return run(f, {strs({s}), konst(Value::string(p), 1)})->value_at(0).as_bool();
  };
  EXPECT_TRUE(like("abc", "abc"));
  EXPECT_FALSE(like("abcd", "abc"));
  EXPECT_TRUE(like("abc", "a%"));
  EXPECT_TRUE(like("abc", "%c"));
  EXPECT_TRUE(like("abc", "%b%"));
  EXPECT_TRUE(like("abc", "a_c"));
  EXPECT_TRUE(like("aéc", "a_c"));  // _ is one character, not one byte
  EXPECT_FALSE(like("ac", "a_c"));
  EXPECT_TRUE(like("", "%"));
  EXPECT_TRUE(like("a%b", "a\\%b"));
  EXPECT_FALSE(like("axb", "a\\%b"));
  EXPECT_TRUE(like("mississippi", "%iss%ppi"));
  EXPECT_TRUE(like("a\nb", "a_b"));
  EXPECT_THROW(like("a", "a\\"), EmberError);
  EXPECT_THROW(like("a", "\\a"), EmberError);
  // Non-literal patterns, with nulls.
  auto f = bind("like", {DataType::string(), DataType::string()});
  auto out = run(f, {strs({"abc", "abc", "x"}), col(DataType::string(), {Value::string("a%"), Value::string("b%"), Value::null(DataType::string())})});
  EXPECT_EQ(out->value_at(0), Value::boolean(true));
  EXPECT_EQ(out->value_at(1), Value::boolean(false));
  EXPECT_TRUE(out->is_null(2));
  // Custom escape character.
  auto g = bind("like", {DataType::string(), DataType::string(), DataType::string()}, true,
                {std::nullopt, Value::string("10!%"), Value::string("!")});
  EXPECT_TRUE(run(g, {strs({"10%"}), konst(Value::string("10!%"), 1), konst(Value::string("!"), 1)})->value_at(0).as_bool());
}

TEST(RegexFunctionsTest, RlikeAndReplace) {
  auto f = bind("rlike", {DataType::string(), DataType::string()}, true, {std::nullopt, Value::string("b+c")});
  auto out = run(f, {strs({"abbc", "ac"}), konst(Value::string("b+c"), 2)});
  EXPECT_TRUE(out->value_at(0).as_bool());   // partial match, like Java's find()
  EXPECT_FALSE(out->value_at(1).as_bool());
  EXPECT_THROW(bind("rlike", {DataType::string(), DataType::string()}, true, {std::nullopt, Value::string("(")}), EmberError);
  auto r = bind("regexp_replace", {DataType::string(), DataType::string(), DataType::string()}, true,
                {std::nullopt, Value::string("(\\d+)-(\\d+)")});
  auto rep = run(r, {strs({"tel 100-200 and 3-4", "none"}), konst(Value::string("(\\d+)-(\\d+)"), 2), konst(Value::string("$2:$1 \\$"), 2)});
  EXPECT_EQ(s_at(rep, 0), "tel 200:100 $ and 4:3 $");
  EXPECT_EQ(s_at(rep, 1), "none");
  auto x = bind("regexp_extract", {DataType::string(), DataType::string(), DataType::int32()});
  auto ex = run(x, {strs({"100-200", "foo"}), konst(Value::string("(\\d+)-(\\d+)"), 2), konst(Value::int32(2), 2)});
  EXPECT_EQ(s_at(ex, 0), "200");
  EXPECT_EQ(s_at(ex, 1), "");
  // split returns an array<string>; its cases are in functions_array_test.cpp.
  EXPECT_EQ(bind("split", {DataType::string(), DataType::string()}).result_type,
            DataType::array(DataType::string()));
}

TEST(NullFunctionsTest, IsNullCoalesceNullifNanvl) {
  auto x = col(DataType::int32(), {Value::int32(1), Value::null(DataType::int32())});
  EXPECT_EQ(run(bind("isnull", {DataType::int32()}), {x})->value_at(1), Value::boolean(true));
  EXPECT_EQ(run(bind("isnotnull", {DataType::int32()}), {x})->value_at(1), Value::boolean(false));
  auto c = bind("coalesce", {DataType::int32(), DataType::int64()});
  EXPECT_EQ(c.result_type, DataType::int64());
  auto a = col(DataType::int64(), {Value::null(DataType::int64()), Value::int64(2), Value::null(DataType::int64())});
  auto b = col(DataType::int64(), {Value::int64(9), Value::int64(8), Value::null(DataType::int64())});
  auto out = run(c, {a, b});
  EXPECT_EQ(out->value_at(0), Value::int64(9));
  EXPECT_EQ(out->value_at(1), Value::int64(2));
  EXPECT_TRUE(out->is_null(2));
  auto cs = run(bind("coalesce", {DataType::string(), DataType::string()}),
                {col(DataType::string(), {Value::null(DataType::string()), Value::string("x")}), strs({"d", "e"})});
  EXPECT_EQ(s_at(cs, 0), "d");
  EXPECT_EQ(s_at(cs, 1), "x");
  EXPECT_NE(FunctionRegistry::instance().find_scalar("ifnull"), nullptr);
  auto ni = run(bind("nullif", {DataType::int32(), DataType::int32()}),
                {col(DataType::int32(), {Value::int32(1), Value::int32(2)}), col(DataType::int32(), {Value::int32(1), Value::null(DataType::int32())})});
  EXPECT_TRUE(ni->is_null(0));
  EXPECT_EQ(ni->value_at(1), Value::int32(2));
  auto nv = run(bind("nanvl", {DataType::float64(), DataType::float64()}),
                {col(DataType::float64(), {Value::float64(std::nan("")), Value::float64(1)}), konst(Value::float64(0), 2)});
  EXPECT_EQ(nv->value_at(0), Value::float64(0));
  EXPECT_EQ(nv->value_at(1), Value::float64(1));
  EXPECT_THROW(bind("coalesce", {DataType::int32(), DataType::date()}), EmberError);
}

}  // namespace
}  // namespace ember
