#include <gtest/gtest.h>

#include <limits>

#include "ember/common/error.h"
#include "ember/runtime/shuffle/batch_serde.h"

namespace ember {
namespace {

void expect_round_trip(const Batch& in) {
  std::string bytes = serialize_batch(in);
  Batch out = deserialize_batch(bytes);
  ASSERT_EQ(out.num_rows, in.num_rows);
  ASSERT_EQ(out.num_columns(), in.num_columns());
  for (size_t c = 0; c < in.num_columns(); ++c) {
    const Vector& a = *in.columns[c];
    const Vector& b = *out.columns[c];
    ASSERT_EQ(a.type(), b.type()) << c;
    ASSERT_EQ(a.size(), b.size()) << c;
    EXPECT_FALSE(b.is_constant());
    for (size_t r = 0; r < a.size(); ++r) {
      ASSERT_EQ(a.is_null(r), b.is_null(r)) << "column " << c << " row " << r;
      EXPECT_EQ(a.value_at(r), b.value_at(r)) << "column " << c << " row " << r;
    }
  }
}

TEST(BatchSerdeTest, EveryFixedWidthTypeWithAndWithoutNulls) {
  const size_t n = 19;
  std::vector<VectorPtr> cols;
  for (DataType t : {DataType::boolean(), DataType::byte(), DataType::short_(), DataType::int32(), DataType::int64(),
                     DataType::float32(), DataType::float64(), DataType::date(), DataType::timestamp(),
                     DataType::decimal(10, 2), DataType::decimal(38, 0)}) {
    for (bool nulls : {false, true}) {
      auto v = Vector::make(t, n);
      for (size_t i = 0; i < n; ++i) {
        auto k = static_cast<int64_t>(i) - 9;
        switch (t.id()) {
          case TypeId::kBoolean: v->values<uint8_t>()[i] = i % 2; break;
          case TypeId::kByte: v->values<int8_t>()[i] = static_cast<int8_t>(k * 13); break;
          case TypeId::kShort: v->values<int16_t>()[i] = static_cast<int16_t>(k * 3001); break;
          case TypeId::kInt:
          case TypeId::kDate: v->values<int32_t>()[i] = static_cast<int32_t>(k * 100003); break;
          case TypeId::kLong:
          case TypeId::kTimestamp: v->values<int64_t>()[i] = k * 1000000000007LL; break;
          case TypeId::kFloat: v->values<float>()[i] = static_cast<float>(k) / 3.0f; break;
          case TypeId::kDouble:
            v->values<double>()[i] = i == 0 ? std::numeric_limits<double>::infinity() : static_cast<double>(k) / 7.0;
            break;
          case TypeId::kDecimal: {
            int128_t big = static_cast<int128_t>(k) * 99999999999999999LL * 1000000000000000000LL;
            v->values<int128_t>()[i] = t.precision() == 38 ? big : k * 12345;
            break;
          }
          default: break;
        }
        if (nulls && i % 3 == 0) v->set_null(i);
      }
      cols.push_back(v);
    }
  }
  expect_round_trip(Batch(cols, n));
}

TEST(BatchSerdeTest, StringsBinaryNullsAndEmptyStrings) {
  auto s = Vector::make(DataType::string(), 6);
  s->set_string(0, "héllo");
  s->set_string(1, "");
  s->set_null_string(2);
  s->set_string(3, std::string(10000, 'z'));
  s->set_string(4, std::string("nul\0byte", 8));
  s->set_string(5, "");
  auto b = Vector::make(DataType::binary(), 6);
  for (size_t i = 0; i < 6; ++i) b->set_string(i, std::string(i, static_cast<char>(0xff)));
  expect_round_trip(Batch({s, b}, 6));
  Batch out = deserialize_batch(serialize_batch(Batch({s, b}, 6)));
  EXPECT_EQ(out.columns[0]->string_at(1), "");
  EXPECT_FALSE(out.columns[0]->is_null(1));
  EXPECT_TRUE(out.columns[0]->is_null(2));
  EXPECT_EQ(out.columns[0]->string_at(4).size(), 8u);
}

TEST(BatchSerdeTest, ConstantVectorsAreFlattened) {
  Batch in({Vector::make_constant(Value::int32(7), 4), Vector::make_constant(Value::string("k"), 4),
            Vector::make_constant(Value::null(DataType::string()), 4),
            Vector::make_constant(Value::decimal(-12345, 9, 3), 4)},
           4);
  expect_round_trip(in);
}

TEST(BatchSerdeTest, NullTypeEmptyBatchesAndColumnlessRows) {
  expect_round_trip(Batch({Vector::make_null(DataType::null(), 3), Vector::make_null(DataType::string(), 3)}, 3));
  expect_round_trip(Batch({Vector::make(DataType::int64(), 0), Vector::make(DataType::string(), 0)}, 0));
  Batch rows_only({}, 42);  // e.g. count(*) over an empty projection
  EXPECT_EQ(deserialize_batch(serialize_batch(rows_only)).num_rows, 42u);
}

TEST(BatchSerdeTest, TruncatedVectorsSerialiseOnlyTheirRows) {
  auto v = Vector::make(DataType::int64(), 10);
  for (size_t i = 0; i < 10; ++i) v->values<int64_t>()[i] = static_cast<int64_t>(i);
  v->truncate(4);
  Batch out = deserialize_batch(serialize_batch(Batch({v}, 4)));
  EXPECT_EQ(out.columns[0]->size(), 4u);
  EXPECT_EQ(out.columns[0]->values<int64_t>()[3], 3);
}

TEST(BatchSerdeTest, AppendsToAnExistingBuffer) {
  std::string buf = "prefix";
  serialize_batch(Batch({Vector::make_constant(Value::int64(1), 2)}, 2), buf);
  EXPECT_EQ(buf.substr(0, 6), "prefix");
  EXPECT_EQ(deserialize_batch(buf.data() + 6, buf.size() - 6).num_rows, 2u);
}

TEST(BatchSerdeTest, CorruptInputIsReportedNotCrashed) {
  auto s = Vector::make(DataType::string(), 2);
  s->set_string(0, "abc");
  s->set_string(1, "de");
  std::string bytes = serialize_batch(Batch({s}, 2));
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    try {
      deserialize_batch(bytes.data(), cut);
      ADD_FAILURE() << "truncated at " << cut;
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput);
    }
  }
  std::string bad = bytes;
  bad[0] = 'X';
  EXPECT_THROW(deserialize_batch(bad), EmberError);
  EXPECT_THROW(deserialize_batch(bytes + "junk"), EmberError);
}

}  // namespace
}  // namespace ember
