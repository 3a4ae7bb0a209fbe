#include <gtest/gtest.h>

#include "ember/types/coercion.h"

namespace ember {
namespace {

TEST(CoercionTest, WiderTypeNumeric) {
  EXPECT_EQ(*wider_type(DataType::int32(), DataType::int64(), true), DataType::int64());
  EXPECT_EQ(*wider_type(DataType::int32(), DataType::float64(), true), DataType::float64());
  EXPECT_EQ(*wider_type(DataType::int64(), DataType::float32(), true), DataType::float64());
  EXPECT_EQ(*wider_type(DataType::int64(), DataType::float32(), false), DataType::float32());
  EXPECT_EQ(*wider_type(DataType::float32(), DataType::float32(), true), DataType::float32());
  EXPECT_EQ(*wider_type(DataType::null(), DataType::date(), true), DataType::date());
  EXPECT_EQ(*wider_type(DataType::date(), DataType::timestamp(), true), DataType::timestamp());
}

TEST(CoercionTest, WiderTypeDecimal) {
  EXPECT_EQ(*wider_type(DataType::decimal(10, 2), DataType::decimal(5, 4), true), DataType::decimal(12, 4));
  EXPECT_EQ(*wider_type(DataType::decimal(38, 0), DataType::decimal(38, 10), true), DataType::decimal(38, 10));
  EXPECT_EQ(*wider_type(DataType::int32(), DataType::decimal(5, 2), true), DataType::decimal(12, 2));
  EXPECT_EQ(*wider_type(DataType::byte(), DataType::decimal(5, 2), true), DataType::decimal(5, 2));
  EXPECT_EQ(*wider_type(DataType::decimal(5, 2), DataType::float64(), true), DataType::float64());
}

TEST(CoercionTest, WiderTypeStrings) {
  EXPECT_EQ(*wider_type(DataType::string(), DataType::int32(), true), DataType::int64());
  EXPECT_EQ(*wider_type(DataType::decimal(5, 2), DataType::string(), true), DataType::float64());
  EXPECT_EQ(*wider_type(DataType::string(), DataType::date(), true), DataType::date());
  EXPECT_EQ(*wider_type(DataType::string(), DataType::boolean(), true), DataType::boolean());
  EXPECT_EQ(*wider_type(DataType::string(), DataType::int32(), false), DataType::string());
  EXPECT_FALSE(wider_type(DataType::string(), DataType::boolean(), false));
  EXPECT_FALSE(wider_type(DataType::date(), DataType::int32(), true));
  EXPECT_FALSE(wider_type(DataType::boolean(), DataType::int32(), true));
}

TEST(CoercionTest, ComparisonType) {
  EXPECT_EQ(*comparison_type(DataType::string(), DataType::int32(), false), DataType::int32());
  EXPECT_EQ(*comparison_type(DataType::string(), DataType::int32(), true), DataType::int64());
  EXPECT_EQ(*comparison_type(DataType::string(), DataType::timestamp(), true), DataType::timestamp());
  EXPECT_EQ(*comparison_type(DataType::decimal(5, 1), DataType::int64(), true), DataType::decimal(21, 1));
}

TEST(CoercionTest, ImplicitCast) {
  EXPECT_TRUE(can_implicit_cast(DataType::int32(), DataType::string(), true));
  EXPECT_TRUE(can_implicit_cast(DataType::string(), DataType::int32(), true));
  EXPECT_TRUE(can_implicit_cast(DataType::null(), DataType::date(), true));
  EXPECT_TRUE(can_implicit_cast(DataType::int64(), DataType::int32(), true));
  EXPECT_TRUE(can_implicit_cast(DataType::timestamp(), DataType::date(), true));
  EXPECT_FALSE(can_implicit_cast(DataType::date(), DataType::int32(), true));
  EXPECT_FALSE(can_implicit_cast(DataType::boolean(), DataType::int32(), true));
}

}  // namespace
}  // namespace ember
