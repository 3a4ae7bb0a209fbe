// Hash functions: hash, xxhash64, md5, sha1/sha, sha2, crc32. Golden values are the examples of
// Spark's SQL function reference (spark.apache.org/docs/latest/api/sql, "Hash Functions") and of
// PySpark's pyspark.sql.functions.hash docstring; the other digests are the standard algorithms'
// (cross-checked with Python's hashlib / zlib).
#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/functions/registry.h"

namespace ember {
namespace {

BoundFunction bind_fn(const std::string& name, const std::vector<DataType>& types, bool ansi = true) {
  const FunctionDef* def = FunctionRegistry::instance().find_scalar(name);
  EXPECT_NE(def, nullptr) << name;
  BindContext ctx;
  ctx.ansi = ansi;
  ctx.literals.resize(types.size());
  return def->bind(types, ctx);
}

VectorPtr run(const BoundFunction& f, std::vector<VectorPtr> args, size_t n) {
  EvalContext ctx;
  return f.kernel->eval(args, n, ctx);
}

VectorPtr one(const Value& v) { return Vector::from_values(v.type(), {v}); }
VectorPtr strs(std::vector<std::string> v) {
  std::vector<Value> vals;
  for (auto& s : v) vals.push_back(Value::string(s));
  return Vector::from_values(DataType::string(), vals);
}

// hash(...) / xxhash64(...) of one row of the given values.
int32_t murmur(const std::vector<Value>& vals) {
  std::vector<DataType> types;
  std::vector<VectorPtr> args;
  for (const auto& v : vals) {
    types.push_back(v.type());
    args.push_back(one(v));
  }
  return run(bind_fn("hash", types), args, 1)->values<int32_t>()[0];
}
int64_t xx(const std::vector<Value>& vals) {
  std::vector<DataType> types;
  std::vector<VectorPtr> args;
  for (const auto& v : vals) {
    types.push_back(v.type());
    args.push_back(one(v));
  }
  return run(bind_fn("xxhash64", types), args, 1)->values<int64_t>()[0];
}

std::string s1(const std::string& fn, const std::string& in) {
  auto out = run(bind_fn(fn, {DataType::string()}), {strs({in})}, 1);
  return std::string(out->string_at(0));
}

TEST(HashFunctionsTest, SparkDocExamples) {
  Value arr = Value::array(DataType::int32(), {Value::int32(123)});
  // SELECT hash('Spark', array(123), 2);  -1321691492
  EXPECT_EQ(murmur({Value::string("Spark"), arr, Value::int32(2)}), -1321691492);
  // SELECT xxhash64('Spark', array(123), 2);  5602566077635097486
  EXPECT_EQ(xx({Value::string("Spark"), arr, Value::int32(2)}), 5602566077635097486LL);
  // PySpark: hash('ABC') = -757602832, hash('ABC', 'DEF') = 599895104.
  EXPECT_EQ(murmur({Value::string("ABC")}), -757602832);
  EXPECT_EQ(murmur({Value::string("ABC"), Value::string("DEF")}), 599895104);
  EXPECT_EQ(s1("md5", "Spark"), "8cde774d6f7333752ed72cacddb05126");
  EXPECT_EQ(s1("sha1", "Spark"), "85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c");
  EXPECT_EQ(s1("sha", "Spark"), "85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c");
  auto sha2 = [](const std::string& in, int bits) {
    auto out = run(bind_fn("sha2", {DataType::string(), DataType::int32()}),
                   {strs({in}), Vector::make_constant(Value::int32(bits), 1)}, 1);
    return out->is_null(0) ? std::string("NULL") : std::string(out->string_at(0));
  };
  EXPECT_EQ(sha2("Spark", 256), "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b");
  EXPECT_EQ(sha2("Spark", 0), "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b");
  EXPECT_EQ(sha2("Spark", 224), "dbeab94971678d36af2195851c0f7485775a2a7c60073d62fc04549c");
  EXPECT_EQ(
      sha2("Spark", 384),
      "1e40b8d06c248a1cc32428c22582b6219d072283078fa140d9ad297ecadf2cabefc341b857ad36226aa8d6d79f2ab67d");
  EXPECT_EQ(sha2("Spark", 512),
            "44844a586c54c9a212da1dbfe05c5f1705de1af5fda1f0d36297623249b279fd8f0ccec03f888f4fb13bf7cd83fdad"
            "58591c797f81121a23cfdd5e0897795238");
  EXPECT_EQ(sha2("Spark", 123), "NULL");  // unsupported bit length
  // SELECT crc32('Spark');  1557323817
  auto crc = run(bind_fn("crc32", {DataType::string()}), {strs({"Spark"})}, 1);
  EXPECT_EQ(crc->type(), DataType::int64());
  EXPECT_EQ(crc->values<int64_t>()[0], 1557323817);
}

TEST(HashFunctionsTest, DigestsOfLongAndEmptyInputs) {
  const std::string x =
      "The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the lazy dog";
  EXPECT_EQ(s1("md5", ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(s1("sha1", ""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(s1("md5", x), "7e65a20be400033d2fe4028e2927289f");
  EXPECT_EQ(s1("sha1", x), "a4073dbff92be1de44e79fe4d42a7afc627f86f6");
  auto out = run(bind_fn("sha2", {DataType::string(), DataType::int32()}),
                 {strs({x, ""}), Vector::make_constant(Value::int32(256), 2)}, 2);
  EXPECT_EQ(out->string_at(0), "634ab658e734a97af3340ea42ab9ae319f23789468e0361992df2aa80304755c");
  EXPECT_EQ(out->string_at(1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  auto crc = run(bind_fn("crc32", {DataType::string()}), {strs({x})}, 1);
  EXPECT_EQ(crc->values<int64_t>()[0], 333428015);
  // xxhash64 over the 32-byte stripes path must be stable and differ from a one-byte change.
  EXPECT_NE(xx({Value::string(x)}), xx({Value::string(x + "!")}));
}

TEST(HashFunctionsTest, NullsAndTypes) {
  // Nulls leave the running hash unchanged: hash(NULL) is the seed, 42.
  EXPECT_EQ(murmur({Value::null(DataType::int32())}), 42);
  EXPECT_EQ(xx({Value::null(DataType::string())}), 42);
  EXPECT_EQ(murmur({Value::null(DataType::string()), Value::string("ABC")}), murmur({Value::string("ABC")}));
  // Spark hashes ints, dates and booleans as ints, longs and timestamps as longs.
  EXPECT_EQ(murmur({Value::date(19000)}), murmur({Value::int32(19000)}));
  EXPECT_EQ(murmur({Value::boolean(true)}), murmur({Value::int32(1)}));
  EXPECT_EQ(murmur({Value::short_(7)}), murmur({Value::int32(7)}));
  EXPECT_EQ(murmur({Value::timestamp(123456789)}), murmur({Value::int64(123456789)}));
  EXPECT_NE(murmur({Value::int64(7)}), murmur({Value::int32(7)}));
  // -0.0 hashes as 0.0; a decimal(10,2) as its unscaled long.
  EXPECT_EQ(murmur({Value::float64(-0.0)}), murmur({Value::float64(0.0)}));
  EXPECT_EQ(murmur({Value::float64(0.0)}), murmur({Value::int64(0)}));
  EXPECT_EQ(xx({Value::float32(-0.0f)}), xx({Value::int32(0)}));
  EXPECT_EQ(murmur({Value::decimal(12345, 10, 2)}), murmur({Value::int64(12345)}));
  EXPECT_NE(murmur({Value::decimal(12345, 30, 2)}), murmur({Value::int64(12345)}));
  // Arrays: element by element, null elements skipped.
  Value a =
      Value::array(DataType::int32(), {Value::int32(1), Value::null(DataType::int32()), Value::int32(2)});
  EXPECT_EQ(murmur({a}), murmur({Value::int32(1), Value::int32(2)}));

  // A column with nulls, vectorised; the result is never null.
  auto f = bind_fn("hash", {DataType::string()});
  EXPECT_FALSE(f.nullable);
  auto out = run(
      f, {Vector::from_values(DataType::string(), {Value::string("ABC"), Value::null(DataType::string())})},
      2);
  EXPECT_EQ(out->values<int32_t>()[0], -757602832);
  EXPECT_EQ(out->values<int32_t>()[1], 42);
  EXPECT_FALSE(out->is_null(1));
  // md5(NULL) is NULL.
  auto m = run(bind_fn("md5", {DataType::string()}),
               {Vector::from_values(DataType::string(), {Value::null(DataType::string())})}, 1);
  EXPECT_TRUE(m->is_null(0));
}

TEST(HashFunctionsTest, TypeErrors) {
  try {
    bind_fn("md5", {DataType::int32()});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
  }
  EXPECT_THROW(bind_fn("sha2", {DataType::string(), DataType::boolean()}), EmberError);
  EXPECT_EQ(FunctionRegistry::instance().find_scalar("hash")->min_args, 1);
}

}  // namespace
}  // namespace ember
