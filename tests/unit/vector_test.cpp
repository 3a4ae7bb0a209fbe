#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/types/data_type.h"
#include "ember/vector/batch.h"

namespace ember {
namespace {

TEST(VectorTest, FixedWidthValuesAndNulls) {
  auto v = Vector::make(DataType::int32(), 4);
  for (int i = 0; i < 4; ++i) v->values<int32_t>()[i] = i * 10;
  EXPECT_FALSE(v->may_have_nulls());
  v->set_null(2);
  EXPECT_TRUE(v->is_null(2));
  EXPECT_FALSE(v->is_null(1));
  EXPECT_EQ(v->count_nulls(), 1u);
  EXPECT_EQ(v->value_at(3).as_int64(), 30);
}

TEST(VectorTest, StringsUseArrowOffsets) {
  auto v = Vector::make(DataType::string(), 3);
  v->set_string(0, "ab");
  v->set_null_string(1);
  v->set_string(2, "xyz");
  EXPECT_EQ(v->offsets()[0], 0);
  EXPECT_EQ(v->offsets()[1], 2);
  EXPECT_EQ(v->offsets()[2], 2);
  EXPECT_EQ(v->offsets()[3], 5);
  EXPECT_EQ(v->string_at(2), "xyz");
  EXPECT_TRUE(v->is_null(1));
}

TEST(VectorTest, GatherKeepsNullsAndStrings) {
  auto v = Vector::from_values(DataType::string(),
                               {Value::string("a"), Value::null(DataType::string()), Value::string("c")});
  uint32_t sel[] = {2, 1};
  auto g = gather(*v, sel, 2);
  EXPECT_EQ(g->string_at(0), "c");
  EXPECT_TRUE(g->is_null(1));
}

TEST(VectorTest, ConstantFlattens) {
  auto c = Vector::make_constant(Value::int64(7), 5);
  EXPECT_TRUE(c->is_constant());
  auto f = flatten(c);
  ASSERT_EQ(f->size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(f->values<int64_t>()[i], 7);
}

TEST(VectorTest, ConcatBatches) {
  Batch a({Vector::from_values(DataType::int64(), {Value::int64(1), Value::int64(2)})}, 2);
  Batch b({Vector::from_values(DataType::int64(), {Value::null(DataType::int64())})}, 1);
  Batch c = concat_batches({a, b});
  ASSERT_EQ(c.num_rows, 3u);
  EXPECT_EQ(c.columns[0]->values<int64_t>()[1], 2);
  EXPECT_TRUE(c.columns[0]->is_null(2));
}

TEST(SchemaTest, ParsesDdl) {
  Schema s = parse_ddl_schema("id INT, name STRING, price DECIMAL(10,2), d date");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.field(2).type, DataType::decimal(10, 2));
  EXPECT_EQ(s.to_ddl(), "id int, name string, price decimal(10,2), d date");
  EXPECT_EQ(s.index_of("NAME"), 1);
}

TEST(SchemaTest, BadDdlNamesThePosition) {
  try {
    parse_ddl_schema("id INT, name STRNG");
    FAIL() << "expected a parse error";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kParse);
    EXPECT_NE(std::string(e.what()).find("unknown data type 'strng'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("position 14"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ember
