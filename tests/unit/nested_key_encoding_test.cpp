// The canonical key bytes of nested values (vector/nested_key_encoding.h) and what the hash
// tables built on them promise: equal bytes exactly for values Spark groups together, a
// lossless decode, and hashes that agree with the bytes.
#include "ember/vector/nested_key_encoding.h"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/exec/hashtable/group_hash_table.h"
#include "ember/exec/hashtable/vector_hash.h"

namespace ember {
namespace {

const DataType kInt = DataType::int32();
const DataType kInts = DataType::array(DataType::int32());
const DataType kDoubles = DataType::array(DataType::float64());

Value ints(std::vector<Value> v) { return Value::array(kInt, std::move(v)); }
Value i(int32_t x) { return Value::int32(x); }
Value null_int() { return Value::null(kInt); }

std::string bytes_of(const DataType& t, const Value& v) {
  auto vec = Vector::from_values(t, {v});
  std::string out;
  append_key_bytes(*vec, 0, out);
  return out;
}

TEST(NestedKeyEncodingTest, NestedNullsEmptyArraysAndValuesAreAllDistinct) {
  // [], [NULL], [0], [NULL, NULL], [0, NULL] and [NULL, 0]: six different keys, as in Spark.
  std::vector<Value> xs{ints({}),
                        ints({null_int()}),
                        ints({i(0)}),
                        ints({null_int(), null_int()}),
                        ints({i(0), null_int()}),
                        ints({null_int(), i(0)})};
  for (size_t a = 0; a < xs.size(); ++a) {
    for (size_t b = 0; b < xs.size(); ++b) {
      EXPECT_EQ(bytes_of(kInts, xs[a]) == bytes_of(kInts, xs[b]), a == b) << a << " vs " << b;
    }
  }
  // Concatenated keys stay unambiguous: ([1], [2, 3]) differs from ([1, 2], [3]).
  EXPECT_NE(bytes_of(kInts, ints({i(1)})) + bytes_of(kInts, ints({i(2), i(3)})),
            bytes_of(kInts, ints({i(1), i(2)})) + bytes_of(kInts, ints({i(3)})));
}

TEST(NestedKeyEncodingTest, FloatsAreNormalisedAtAnyDepth) {
  auto d = [](double x) { return Value::array(DataType::float64(), {Value::float64(x)}); };
  EXPECT_EQ(bytes_of(kDoubles, d(0.0)), bytes_of(kDoubles, d(-0.0)));
  EXPECT_EQ(bytes_of(kDoubles, d(std::nan(""))), bytes_of(kDoubles, d(-std::nan("1"))));
  EXPECT_NE(bytes_of(kDoubles, d(0.0)), bytes_of(kDoubles, d(std::nan(""))));
  const DataType st = DataType::struct_({Field{"f", DataType::float32(), true}});
  EXPECT_EQ(bytes_of(st, Value::struct_(st, {Value::float32(-0.0f)})),
            bytes_of(st, Value::struct_(st, {Value::float32(0.0f)})));
}

TEST(NestedKeyEncodingTest, RoundTripsArraysOfStructsAndStructsOfArraysWithNullsAtEveryLevel) {
  const DataType inner = DataType::struct_({Field{"k", DataType::string(), true}, Field{"v", kInts, true}});
  const DataType outer = DataType::array(inner);
  auto s = [&](Value k, Value v) { return Value::struct_(inner, {std::move(k), std::move(v)}); };
  std::vector<Value> rows{
      Value::array(inner, {s(Value::string("a"), ints({i(1), null_int()})), Value::null(inner),
                           s(Value::null(DataType::string()), Value::null(kInts))}),
      Value::null(outer),
      Value::array(inner, {}),
      Value::array(inner, {s(Value::string(""), ints({}))}),
  };
  auto v = Vector::from_values(outer, rows);
  VectorPtr encoded = encode_keys(*v, rows.size());
  ASSERT_EQ(encoded->type(), DataType::binary());
  EXPECT_TRUE(encoded->is_null(1));
  VectorPtr decoded = decode_keys(outer, *encoded, rows.size());
  for (size_t r = 0; r < rows.size(); ++r) EXPECT_EQ(decoded->value_at(r), rows[r]) << r;
  // A map round-trips too (its entries in their order).
  const DataType m = DataType::map(DataType::string(), kInt);
  std::vector<Value> maps{Value::map(m, {Value::string("x"), Value::string("y")}, {i(1), null_int()})};
  auto mv = Vector::from_values(m, maps);
  EXPECT_EQ(decode_keys(m, *encode_keys(*mv, 1), 1)->value_at(0), maps[0]);
}

// A random value of `t` with nulls at every level (a fixed seed: reproducible).
Value random_value(const DataType& t, uint64_t& seed, int depth = 0) {
  seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  const uint64_t r = seed >> 33;
  if (r % 7 == 0) return Value::null(t);
  switch (t.id()) {
    case TypeId::kInt: return Value::int32(static_cast<int32_t>(r % 5) - 2);
    case TypeId::kDouble: {
      const double ds[] = {0.0, -0.0, 1.5, std::nan(""), -std::nan(""), -2.0};
      return Value::float64(ds[r % 6]);
    }
    case TypeId::kString: return Value::string(std::string(r % 3, static_cast<char>('a' + r % 2)));
    case TypeId::kArray: {
      std::vector<Value> xs;
      for (uint64_t k = 0; k < (r >> 3) % (depth > 1 ? 2 : 4); ++k)
        xs.push_back(random_value(t.element_type(), seed, depth + 1));
      return Value::array(t.element_type(), std::move(xs));
    }
    case TypeId::kStruct: {
      std::vector<Value> fs;
      for (const Field& f : t.fields()) fs.push_back(random_value(f.type, seed, depth + 1));
      return Value::struct_(t, std::move(fs));
    }
    default: return Value::null(t);
  }
}

TEST(NestedKeyEncodingTest, ColumnAtATimeEncodingEqualsTheRowByRowBytes) {
  // array<struct<a: int, b: array<double>, c: string>> and struct<x: array<array<int>>, y: string>,
  // 2,000 random rows each: encode_keys must give exactly append_key_bytes' bytes, and decode back.
  const DataType inner = DataType::struct_(
      {Field{"a", kInt, true}, Field{"b", kDoubles, true}, Field{"c", DataType::string(), true}});
  const DataType types[] = {
      DataType::array(inner),
      DataType::struct_({Field{"x", DataType::array(kInts), true}, Field{"y", DataType::string(), true}})};
  uint64_t seed = 7;
  for (const DataType& t : types) {
    std::vector<Value> rows;
    for (int r = 0; r < 2000; ++r) rows.push_back(random_value(t, seed));
    auto v = Vector::from_values(t, rows);
    VectorPtr encoded = encode_keys(*v, rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
      ASSERT_EQ(encoded->is_null(r), rows[r].is_null()) << r;
      if (rows[r].is_null()) continue;
      std::string want;
      append_key_bytes(*v, r, want);
      ASSERT_EQ(encoded->string_at(r), want) << t.simple_string() << " row " << r;
    }
    VectorPtr decoded = decode_keys(t, *encoded, rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
      // Equal as keys: re-encoding the decoded row gives the same bytes (floats come back normalised).
      if (rows[r].is_null()) continue;
      std::string again;
      append_key_bytes(*decoded, r, again);
      ASSERT_EQ(encoded->string_at(r), again) << r;
    }
  }
  // A struct over a constant field (what struct(col, lit(1)) builds) encodes the constant per row.
  auto ks = Vector::from_values(kInt, {i(1), null_int(), i(3)});
  const DataType st = DataType::struct_({Field{"k", kInt, true}, Field{"one", kInt, true}});
  auto sv = Vector::make_struct(st, 3, {ks, Vector::make_constant(i(1), 3)});
  VectorPtr enc = encode_keys(*sv, 3);
  EXPECT_EQ(enc->string_at(1), bytes_of(st, Value::struct_(st, {null_int(), i(1)})));
  EXPECT_EQ(enc->string_at(2), bytes_of(st, Value::struct_(st, {i(3), i(1)})));
}

TEST(NestedKeyEncodingTest, ConstantVectorsEncodeAsTheirOneValue) {
  auto c = Vector::make_constant(ints({i(4), null_int()}), 3);
  VectorPtr encoded = encode_keys(*c, 3);
  EXPECT_TRUE(encoded->is_constant());
  EXPECT_EQ(encoded->string_at(2), bytes_of(kInts, ints({i(4), null_int()})));
}

TEST(NestedKeyEncodingTest, HashesAgreeWithTheBytesAndIgnoreTheVectorLayout) {
  // Row 0 and row 2 are equal values ([-0.0] and [0.0]); a constant of the same value hashes alike.
  auto d = [](double x) { return Value::array(DataType::float64(), {Value::float64(x)}); };
  auto v = Vector::from_values(kDoubles, {d(-0.0), d(1.0), d(0.0), Value::null(kDoubles)});
  std::vector<uint64_t> h(4), he(4), hc(4);
  hash_columns({v}, 4, h.data());
  hash_columns({encode_keys(*v, 4)}, 4, he.data());
  hash_columns({Vector::make_constant(d(0.0), 4)}, 4, hc.data());
  EXPECT_EQ(h, he);
  EXPECT_EQ(h[0], h[2]);
  EXPECT_NE(h[0], h[1]);
  EXPECT_EQ(h[3], kNullHash);
  EXPECT_EQ(hc[0], h[0]);
}

TEST(NestedKeyEncodingTest, GroupHashTableGroupsAndReturnsNestedKeys) {
  // Struct keys {a: [1, 2], b: NULL} (twice), {a: [], b: 1}, NULL, {a: NULL, b: NULL}.
  const DataType st = DataType::struct_({Field{"a", kInts, true}, Field{"b", kInt, true}});
  std::vector<Value> keys{Value::struct_(st, {ints({i(1), i(2)}), null_int()}),
                          Value::struct_(st, {ints({}), i(1)}), Value::null(st),
                          Value::struct_(st, {ints({i(1), i(2)}), null_int()}),
                          Value::struct_(st, {Value::null(kInts), null_int()})};
  GroupHashTable table({st}, sizeof(int64_t), alignof(int64_t));
  std::vector<uint8_t*> rows(keys.size());
  table.find_or_insert({Vector::from_values(st, keys)}, keys.size(), rows.data(),
                       [](uint8_t* p) { *reinterpret_cast<int64_t*>(p) = 0; });
  for (uint8_t* p : rows) ++*reinterpret_cast<int64_t*>(p);
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(rows[0], rows[3]);
  std::vector<VectorPtr> out;
  std::vector<uint8_t*> payloads(4);
  table.read_groups(0, 4, out, payloads.data());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]->type(), st);
  EXPECT_EQ(out[0]->value_at(0), keys[0]);
  EXPECT_EQ(out[0]->value_at(1), keys[1]);
  EXPECT_TRUE(out[0]->is_null(2));
  EXPECT_EQ(out[0]->value_at(3), keys[4]);
  EXPECT_EQ(*reinterpret_cast<int64_t*>(payloads[0]), 2);
}

TEST(NestedKeyEncodingTest, StructsOfFixedWidthFieldsDecodeInPlace) {
  // struct<a: int, b: double>: NULL fields, -0.0 (grouped with 0.0, returned as 0.0), a NULL struct.
  const DataType st = DataType::struct_({Field{"a", kInt, true}, Field{"b", DataType::float64(), true}});
  auto s = [&](Value a, Value b) { return Value::struct_(st, {std::move(a), std::move(b)}); };
  const Value nd = Value::null(DataType::float64());
  std::vector<Value> keys{
      s(i(1), Value::float64(-0.0)), s(null_int(), nd), Value::null(st),
      s(i(1), Value::float64(0.0)),  s(i(2), nd),       s(null_int(), Value::float64(2.5))};
  auto v = Vector::from_values(st, keys);
  VectorPtr decoded = decode_keys(st, *encode_keys(*v, keys.size()), keys.size());
  EXPECT_EQ(decoded->value_at(0), s(i(1), Value::float64(0.0)));
  for (size_t r = 1; r < keys.size(); ++r) EXPECT_EQ(decoded->value_at(r), keys[r]) << r;
  GroupHashTable table({st}, 8, 8);
  std::vector<uint8_t*> rows(keys.size());
  table.find_or_insert({v}, keys.size(), rows.data(), [](uint8_t*) {});
  EXPECT_EQ(table.size(), 5u);  // {1, -0.0} and {1, 0.0} are one group
  EXPECT_EQ(rows[0], rows[3]);
}

}  // namespace
}  // namespace ember
