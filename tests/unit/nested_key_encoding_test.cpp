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

}  // namespace
}  // namespace ember
