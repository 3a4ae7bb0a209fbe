// Nested Parquet schemas mapped to ember types and levels, including the legacy shapes pyarrow
// cannot write: two-level lists (Spark's isElementType rules), bare repeated fields and
// MAP_KEY_VALUE maps. Expected types follow Spark's ParquetToSparkSchemaConverter; expected levels
// are the Dremel definition/repetition levels counted by hand from each schema.
#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/io/parquet/parquet_schema.h"

namespace ember::parquet {
namespace {

SchemaElement group(std::string name, Repetition r, int children,
                    std::optional<ConvertedType> ct = std::nullopt) {
  SchemaElement e;
  e.name = std::move(name);
  e.repetition_type = r;
  e.num_children = children;
  e.converted_type = ct;
  return e;
}

SchemaElement leaf(std::string name, Repetition r, PhysicalType t, bool utf8 = false) {
  SchemaElement e;
  e.name = std::move(name);
  e.repetition_type = r;
  e.type = t;
  if (utf8) e.converted_type = ConvertedType::kUtf8;
  return e;
}

MappedSchema map(std::vector<SchemaElement> fields, int top) {
  std::vector<SchemaElement> all{group("root", Repetition::kRequired, top)};
  all.insert(all.end(), fields.begin(), fields.end());
  return map_parquet_schema(all, ParquetReadOptions{});
}

TEST(ParquetNestedSchemaTest, TwoLevelListsAndBareRepeatedFields) {
  using R = Repetition;
  MappedSchema m = map({group("a", R::kOptional, 1, ConvertedType::kList),  // primitive element
                        leaf("array", R::kRepeated, PhysicalType::kInt32),
                        group("b", R::kOptional, 1, ConvertedType::kList),  // <name>_tuple group element
                        group("b_tuple", R::kRepeated, 1), leaf("x", R::kOptional, PhysicalType::kInt64),
                        group("c", R::kRequired, 1, ConvertedType::kList),  // group of two fields
                        group("bag", R::kRepeated, 2), leaf("p", R::kRequired, PhysicalType::kInt32),
                        leaf("q", R::kOptional, PhysicalType::kByteArray, true),
                        leaf("r", R::kRepeated, PhysicalType::kDouble)},  // bare repeated field
                       4);
  ASSERT_EQ(m.schema.size(), 4u);
  EXPECT_EQ(m.schema.field(0).type.simple_string(), "array<int>");
  EXPECT_FALSE(m.schema.field(0).type.contains_null());
  EXPECT_EQ(m.schema.field(1).type.simple_string(), "array<struct<x:bigint>>");
  EXPECT_EQ(m.schema.field(2).type.simple_string(), "array<struct<p:int,q:string>>");
  EXPECT_FALSE(m.schema.field(2).nullable);
  EXPECT_EQ(m.schema.field(3).type.simple_string(), "array<double>");
  EXPECT_FALSE(m.schema.field(3).nullable);
  // Leaves in file order with their levels: a.array (def 2: a, element; rep 1), b.b_tuple.x (def 3),
  // c.bag.p (def 1: the repeated group only), c.bag.q (def 2), r (def 1, rep 1).
  ASSERT_EQ(m.leaves.size(), 5u);
  const int want_def[] = {2, 3, 1, 2, 1};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(m.leaves[i].max_definition_level, want_def[i]) << m.leaves[i].name;
    EXPECT_EQ(m.leaves[i].max_repetition_level, 1) << m.leaves[i].name;
  }
  EXPECT_EQ(m.columns[2].leaf_index, 2);
  EXPECT_EQ(m.columns[2].num_leaves, 2);
  EXPECT_EQ(m.leaves[3].name, "c.bag.q");
}

TEST(ParquetNestedSchemaTest, ThreeLevelListsMapsAndStructs) {
  using R = Repetition;
  MappedSchema m =
      map({group("l", R::kOptional, 1, ConvertedType::kList), group("list", R::kRepeated, 1),
           group("element", R::kOptional, 1, ConvertedType::kList), group("list", R::kRepeated, 1),
           leaf("element", R::kOptional, PhysicalType::kInt32),
           group("m", R::kOptional, 1, ConvertedType::kMapKeyValue), group("map", R::kRepeated, 2),
           leaf("key", R::kRequired, PhysicalType::kByteArray, true),
           leaf("value", R::kOptional, PhysicalType::kInt64), group("s", R::kOptional, 2),
           leaf("a", R::kRequired, PhysicalType::kInt32), leaf("b", R::kOptional, PhysicalType::kFloat)},
          3);
  EXPECT_EQ(m.schema.field(0).type.simple_string(), "array<array<int>>");
  EXPECT_EQ(m.schema.field(1).type.simple_string(), "map<string,bigint>");
  EXPECT_EQ(m.schema.field(2).type.simple_string(), "struct<a:int,b:float>");
  EXPECT_FALSE(m.schema.field(2).type.fields()[0].nullable);
  // l.list.element.list.element: l, list, element, list, element = def 5, rep 2; key def 2, rep 1;
  // value def 3; s.a def 1 (s only), s.b def 2.
  const int want_def[] = {5, 2, 3, 1, 2};
  const int want_rep[] = {2, 1, 1, 0, 0};
  ASSERT_EQ(m.leaves.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(m.leaves[i].max_definition_level, want_def[i]) << m.leaves[i].name;
    EXPECT_EQ(m.leaves[i].max_repetition_level, want_rep[i]) << m.leaves[i].name;
  }
}

TEST(ParquetNestedSchemaTest, MalformedGroupsAreErrors) {
  using R = Repetition;
  // A LIST group whose field is not repeated, and a map with an optional key.
  EXPECT_THROW(
      map({group("l", R::kOptional, 1, ConvertedType::kList), leaf("x", R::kOptional, PhysicalType::kInt32)},
          1),
      EmberError);
  EXPECT_THROW(map({group("m", R::kOptional, 1, ConvertedType::kMap), group("key_value", R::kRepeated, 2),
                    leaf("key", R::kOptional, PhysicalType::kInt32),
                    leaf("value", R::kOptional, PhysicalType::kInt32)},
                   1),
               EmberError);
  // A group that claims more children than the schema holds.
  EXPECT_THROW(map({group("s", R::kOptional, 3), leaf("a", R::kOptional, PhysicalType::kInt32)}, 1),
               EmberError);
}

}  // namespace
}  // namespace ember::parquet
