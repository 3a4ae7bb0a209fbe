// The MAP and STRUCT types below the DataFrame API: DataType (names, DDL, printSchema tree,
// equality, coercion), Value (show() text), Vector (Arrow map and struct layouts through
// from_values, builders, gather, concat, constants, assemble), shuffle serialisation and casts.
// Expected texts are Spark 4's: simpleString / sql / treeString from Spark's DataType classes,
// show() cells from ToPrettyString, CAST(... AS STRING) from ToStringBase.
#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/expr/cast.h"
#include "ember/runtime/shuffle/batch_serde.h"
#include "ember/types/coercion.h"
#include "ember/vector/batch.h"

namespace ember {
namespace {

const DataType kStrInt = DataType::map(DataType::string(), DataType::int32());
const DataType kAB =
    DataType::struct_({Field{"a", DataType::int32(), true}, Field{"b", DataType::string(), true}});

Value str(const std::string& s) { return Value::string(s); }
Value i32(int32_t x) { return Value::int32(x); }
Value null_int() { return Value::null(DataType::int32()); }
Value null_str() { return Value::null(DataType::string()); }
Value str_int(std::vector<std::pair<std::string, Value>> entries) {
  std::vector<Value> k, v;
  for (auto& [key, value] : entries) {
    k.push_back(str(key));
    v.push_back(value);
  }
  return Value::map(kStrInt, std::move(k), std::move(v));
}
Value ab(Value a, Value b) { return Value::struct_(kAB, {std::move(a), std::move(b)}); }

std::vector<std::string> rendered(const Vector& v) {
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(v.value_at(i).to_string());
  return out;
}

// Rows {a -> 1, b -> NULL}, NULL, {}, {c -> 3}.
VectorPtr sample_maps() {
  return Vector::from_values(kStrInt, {str_int({{"a", i32(1)}, {"b", null_int()}}), Value::null(kStrInt),
                                       str_int({}), str_int({{"c", i32(3)}})});
}

// Rows {1, x}, NULL, {NULL, y}, {4, NULL}.
VectorPtr sample_structs() {
  return Vector::from_values(
      kAB, {ab(i32(1), str("x")), Value::null(kAB), ab(null_int(), str("y")), ab(i32(4), null_str())});
}

// ---- DataType --------------------------------------------------------------------------------

TEST(MapStructTypeTest, NamesAsSparkPrintsThem) {
  EXPECT_EQ(kStrInt.simple_string(), "map<string,int>");
  EXPECT_EQ(kStrInt.type_name(), "map");
  EXPECT_EQ(kStrInt.sql_string(), "MAP<STRING, INT>");
  EXPECT_EQ(kAB.simple_string(), "struct<a:int,b:string>");
  EXPECT_EQ(kAB.type_name(), "struct");
  EXPECT_EQ(kAB.sql_string(), "STRUCT<a: INT, b: STRING>");
  const DataType deep = DataType::array(DataType::struct_(
      {Field{"Key Name", DataType::map(DataType::int64(), DataType::array(DataType::decimal(5, 2))), true}}));
  EXPECT_EQ(deep.simple_string(), "array<struct<Key Name:map<bigint,array<decimal(5,2)>>>>");
  // toSQLType quotes a field name that is not a plain identifier.
  EXPECT_EQ(deep.sql_string(), "ARRAY<STRUCT<`Key Name`: MAP<BIGINT, ARRAY<DECIMAL(5,2)>>>>");
  EXPECT_TRUE(kStrInt.is_nested());
  EXPECT_TRUE(kStrInt.is_list_like());
  EXPECT_TRUE(kAB.is_nested());
  EXPECT_FALSE(kAB.is_list_like());
  EXPECT_EQ(kStrInt.key_type(), DataType::string());
  EXPECT_EQ(kStrInt.value_type(), DataType::int32());
  EXPECT_EQ(kAB.field_index("B"), 1);
  EXPECT_EQ(kAB.field_index("c"), -1);
  EXPECT_THROW(kAB.key_type(), EmberError);
  EXPECT_THROW(kStrInt.fields(), EmberError);
}

TEST(MapStructTypeTest, EqualityIsDeepAndIgnoresNullability) {
  EXPECT_EQ(kStrInt, DataType::map(DataType::string(), DataType::int32(), false));
  EXPECT_NE(kStrInt, DataType::map(DataType::string(), DataType::int64()));
  EXPECT_NE(kStrInt, DataType::array(DataType::string()));
  EXPECT_EQ(kAB,
            DataType::struct_({Field{"a", DataType::int32(), false}, Field{"b", DataType::string(), true}}));
  // Field names are part of a struct's identity (Spark's DataType.equals compares them exactly).
  EXPECT_NE(kAB,
            DataType::struct_({Field{"a", DataType::int32(), true}, Field{"c", DataType::string(), true}}));
  EXPECT_NE(kAB, DataType::struct_({Field{"a", DataType::int32(), true}}));
}

TEST(MapStructTypeTest, DdlParsesMapsAndStructs) {
  Schema s = parse_ddl_schema(
      "m MAP<STRING, INT>, s STRUCT<a: INT, b: STRING>, t struct<x bigint not null, y "
      "array<map<int,string>>>, "
      "e struct<>, n INT NOT NULL");
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s.field(0).type, kStrInt);
  EXPECT_EQ(s.field(1).type, kAB);
  EXPECT_EQ(s.field(2).type.simple_string(), "struct<x:bigint,y:array<map<int,string>>>");
  EXPECT_FALSE(s.field(2).type.fields()[0].nullable);
  EXPECT_TRUE(s.field(2).type.fields()[1].nullable);
  EXPECT_EQ(s.field(3).type.simple_string(), "struct<>");
  EXPECT_FALSE(s.field(4).nullable);
  EXPECT_EQ(parse_data_type(kStrInt.simple_string()), kStrInt);
  EXPECT_EQ(parse_data_type(kAB.simple_string()), kAB);
  for (const char* bad : {"map<int>", "map<int,string", "struct<a int", "struct<a>", "struct<a: strng>"}) {
    EXPECT_THROW(parse_data_type(bad), EmberError) << bad;
  }
}

TEST(MapStructTypeTest, SchemaTreeMatchesPrintSchema) {
  // The layout of Spark's StructType.treeString: "key" / "value (valueContainsNull = ...)" under a
  // map, one "name: type (nullable = ...)" line per struct field, one level deeper each time.
  Schema s({Field{"m", DataType::map(DataType::string(), DataType::array(DataType::int32()), false), true},
            Field{"s",
                  DataType::struct_({Field{"a", DataType::int32(), false},
                                     Field{"b", DataType::array(DataType::string()), true},
                                     Field{"c", DataType::map(DataType::int32(), DataType::string()), true}}),
                  false}});
  EXPECT_EQ(s.tree_string(),
            "root\n"
            " |-- m: map (nullable = true)\n"
            " |    |-- key: string\n"
            " |    |-- value: array (valueContainsNull = false)\n"
            " |    |    |-- element: integer (containsNull = true)\n"
            " |-- s: struct (nullable = false)\n"
            " |    |-- a: integer (nullable = false)\n"
            " |    |-- b: array (nullable = true)\n"
            " |    |    |-- element: string (containsNull = true)\n"
            " |    |-- c: map (nullable = true)\n"
            " |    |    |-- key: integer\n"
            " |    |    |-- value: string (valueContainsNull = true)\n");
}

TEST(MapStructTypeTest, CoercionMeetsChildTypes) {
  const DataType long_map = DataType::map(DataType::string(), DataType::int64());
  EXPECT_EQ(wider_type(kStrInt, long_map, true), long_map);
  EXPECT_EQ(wider_type(kStrInt, DataType::null(), true), kStrInt);
  const DataType ab_long =
      DataType::struct_({Field{"a", DataType::int64(), true}, Field{"b", DataType::string(), true}});
  EXPECT_EQ(wider_type(kAB, ab_long, true), ab_long);
  // Different field names never meet (findTypeForComplex requires the same names).
  const DataType xy =
      DataType::struct_({Field{"x", DataType::int32(), true}, Field{"y", DataType::string(), true}});
  EXPECT_FALSE(wider_type(kAB, xy, true).has_value());
  EXPECT_FALSE(wider_type(kAB, kStrInt, true).has_value());
  EXPECT_FALSE(can_implicit_cast(kAB, DataType::string(), true));
}

TEST(MapStructTypeTest, FlatOnlyOperationsSayUnsupported) {
  try {
    require_flat_type(kStrInt, "group by");
    FAIL() << "expected an error";
  } catch (const EmberError& e) {
    EXPECT_NE(std::string(e.what()).find("UNSUPPORTED_FEATURE"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("MAP<STRING, INT>"), std::string::npos);
  }
  EXPECT_THROW(require_flat_type(kAB, "sort by"), EmberError);
}

// ---- Value ---------------------------------------------------------------------------------------

TEST(MapStructValueTest, ShowTextIsSparks) {
  // ToPrettyString (show()): "{k -> v, ...}" for maps, "{v1, v2}" for structs, NULL inside too.
  EXPECT_EQ(str_int({{"a", i32(1)}, {"b", i32(2)}}).to_string(), "{a -> 1, b -> 2}");
  EXPECT_EQ(str_int({{"a", null_int()}}).to_string(), "{a -> NULL}");
  EXPECT_EQ(str_int({}).to_string(), "{}");
  EXPECT_EQ(ab(i32(1), str("x")).to_string(), "{1, x}");
  EXPECT_EQ(ab(null_int(), null_str()).to_string(), "{NULL, NULL}");
  EXPECT_EQ(Value::null(kAB).to_string(), "NULL");
  const DataType nested = DataType::struct_({Field{"s", kAB, true}, Field{"m", kStrInt, true},
                                             Field{"l", DataType::array(DataType::int32()), true}});
  Value v = Value::struct_(nested, {ab(i32(2), str("y")), str_int({{"k", i32(7)}}),
                                    Value::array(DataType::int32(), {i32(1), null_int()})});
  EXPECT_EQ(v.to_string(), "{{2, y}, {k -> 7}, [1, NULL]}");
}

TEST(MapStructValueTest, EqualityIsDeep) {
  EXPECT_EQ(str_int({{"a", i32(1)}}), str_int({{"a", i32(1)}}));
  EXPECT_NE(str_int({{"a", i32(1)}}), str_int({{"a", i32(2)}}));
  EXPECT_EQ(ab(i32(1), str("x")), ab(i32(1), str("x")));
  EXPECT_NE(ab(i32(1), str("x")), ab(i32(1), null_str()));
}

// ---- Vector ---------------------------------------------------------------------------------------

TEST(MapStructVectorTest, MapLayoutFromValues) {
  auto m = sample_maps();
  // Arrow's map layout: offsets over one entries child whose two fields are keys and values.
  ASSERT_EQ(m->size(), 4u);
  const int32_t* off = m->offsets();
  EXPECT_EQ((std::vector<int32_t>(off, off + 5)), (std::vector<int32_t>{0, 2, 2, 2, 3}));
  EXPECT_EQ(m->child()->type(), kStrInt.element_type());
  EXPECT_EQ(rendered(*m->map_keys()), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rendered(*m->map_values()), (std::vector<std::string>{"1", "NULL", "3"}));
  EXPECT_EQ(rendered(*m), (std::vector<std::string>{"{a -> 1, b -> NULL}", "NULL", "{}", "{c -> 3}"}));
}

TEST(MapStructVectorTest, StructLayoutFromValues) {
  auto s = sample_structs();
  ASSERT_EQ(s->num_fields(), 2u);
  EXPECT_TRUE(s->is_null(1));
  // A null struct row has null fields.
  EXPECT_TRUE(s->field(0)->is_null(1));
  EXPECT_TRUE(s->field(1)->is_null(1));
  EXPECT_EQ(rendered(*s->field(0)), (std::vector<std::string>{"1", "NULL", "NULL", "4"}));
  EXPECT_EQ(rendered(*s), (std::vector<std::string>{"{1, x}", "NULL", "{NULL, y}", "{4, NULL}"}));
}

TEST(MapStructVectorTest, BuildersAppendToFieldsAndEntries) {
  // A struct built row by row: append_rows grows every field; set_null_row nulls the fields too.
  auto s = Vector::make(kAB, 0);
  size_t r = s->append_rows(1);
  s->mutable_field(0).values<int32_t>()[r] = 5;
  s->mutable_field(1).set_string(r, "p");
  r = s->append_rows(1);
  s->set_null_row(r);
  EXPECT_EQ(rendered(*s), (std::vector<std::string>{"{5, p}", "NULL"}));
  // A map built row by row: entries appended to the child struct, then the row finished.
  auto m = Vector::make(kStrInt, 2);
  Vector& entries = m->mutable_child();
  size_t e = entries.append_rows(2);
  entries.mutable_field(0).set_string(e, "x");
  entries.mutable_field(0).set_string(e + 1, "y");
  entries.mutable_field(1).values<int32_t>()[e] = 1;
  entries.mutable_field(1).set_null(e + 1);
  m->finish_array(0);
  m->set_null_array(1);
  EXPECT_EQ(rendered(*m), (std::vector<std::string>{"{x -> 1, y -> NULL}", "NULL"}));
}

TEST(MapStructVectorTest, GatherConcatConstantsAndAssemble) {
  auto m = sample_maps();
  auto s = sample_structs();
  const uint32_t sel[] = {3, 0, 1, 0};
  EXPECT_EQ(rendered(*gather(*m, sel, 4)),
            (std::vector<std::string>{"{c -> 3}", "{a -> 1, b -> NULL}", "NULL", "{a -> 1, b -> NULL}"}));
  EXPECT_EQ(rendered(*gather(*s, sel, 4)),
            (std::vector<std::string>{"{4, NULL}", "{1, x}", "NULL", "{1, x}"}));
  auto cm = Vector::make_constant(str_int({{"k", i32(9)}}), 2);
  auto cs = Vector::make_constant(ab(i32(7), str("z")), 3);
  EXPECT_EQ(rendered(*flatten(cm)), (std::vector<std::string>{"{k -> 9}", "{k -> 9}"}));
  EXPECT_EQ(rendered(*flatten(cs)), (std::vector<std::string>{"{7, z}", "{7, z}", "{7, z}"}));
  EXPECT_EQ(rendered(*Vector::make_constant(Value::null(kAB), 2)),
            (std::vector<std::string>{"NULL", "NULL"}));
  auto mc = concat({m, cm});
  EXPECT_EQ(rendered(*mc), (std::vector<std::string>{"{a -> 1, b -> NULL}", "NULL", "{}", "{c -> 3}",
                                                     "{k -> 9}", "{k -> 9}"}));
  // A truncated struct's extra field rows are not carried along.
  auto t = sample_structs();
  t->truncate(1);
  auto sc = concat({t, cs});
  EXPECT_EQ(rendered(*sc), (std::vector<std::string>{"{1, x}", "{7, z}", "{7, z}", "{7, z}"}));
  EXPECT_EQ(sc->field(0)->size(), 4u);
  // assemble (CASE, coalesce): row i from source[i] at rows[i], or null.
  const int32_t source[] = {1, -1, 0};
  const uint32_t rows[] = {2, 0, 0};
  EXPECT_EQ(rendered(*assemble(kAB, {s, cs}, source, rows, 3)),
            (std::vector<std::string>{"{7, z}", "NULL", "{1, x}"}));
  EXPECT_EQ(rendered(*Vector::make_null(kStrInt, 2)), (std::vector<std::string>{"NULL", "NULL"}));
}

// ---- shuffle serialisation -----------------------------------------------------------------------

TEST(MapStructSerdeTest, RoundTripsMapsAndStructs) {
  const DataType deep = DataType::struct_({Field{"m", kStrInt, true}, Field{"l", DataType::array(kAB), false},
                                           Field{"x", DataType::float64(), true}});
  auto d = Vector::from_values(
      deep, {Value::struct_(deep, {str_int({{"a", i32(1)}}), Value::array(kAB, {ab(i32(1), str("q"))}),
                                   Value::float64(0.5)}),
             Value::null(deep),
             Value::struct_(deep, {Value::null(kStrInt), Value::array(kAB, {Value::null(kAB)}),
                                   Value::null(DataType::float64())}),
             Value::struct_(deep, {str_int({}), Value::array(kAB, {}), Value::float64(-1)})});
  auto truncated = sample_structs();
  truncated->truncate(3);
  auto padded = concat({truncated, Vector::make_constant(ab(i32(0), str("")), 1)});
  Batch in({sample_maps(), sample_structs(), d, Vector::make_constant(str_int({{"z", i32(0)}}), 4), padded},
           4);
  Batch out = deserialize_batch(serialize_batch(in));
  ASSERT_EQ(out.num_columns(), 5u);
  for (size_t c = 0; c < 5; ++c) {
    EXPECT_EQ(out.columns[c]->type(), in.columns[c]->type());
    EXPECT_EQ(out.columns[c]->type().simple_string(), in.columns[c]->type().simple_string());
    EXPECT_EQ(rendered(*out.columns[c]), rendered(*in.columns[c])) << c;
  }
  // Nullability and valueContainsNull survive the trip.
  EXPECT_FALSE(out.columns[2]->type().fields()[1].nullable);
  auto strict = Vector::from_values(DataType::map(DataType::int32(), DataType::int32(), false), {});
  EXPECT_FALSE(deserialize_batch(serialize_batch(Batch({strict}, 0))).columns[0]->type().contains_null());
  // Truncated input is an error, never a read past the end.
  std::string bytes = serialize_batch(in);
  for (size_t cut : {bytes.size() - 1, bytes.size() / 2, size_t{20}}) {
    EXPECT_THROW(deserialize_batch(bytes.data(), cut), EmberError) << cut;
  }
}

// ---- cast ------------------------------------------------------------------------------------------

TEST(MapStructCastTest, ToStringAndBetweenChildTypes) {
  EXPECT_TRUE(can_cast(kStrInt, DataType::string(), true));
  EXPECT_TRUE(can_cast(kAB, DataType::string(), true));
  EXPECT_TRUE(can_cast(kStrInt, DataType::map(DataType::string(), DataType::int64()), true));
  EXPECT_FALSE(can_cast(kStrInt, DataType::array(DataType::string()), false));
  EXPECT_FALSE(can_cast(kAB, DataType::struct_({Field{"a", DataType::int32(), true}}), false));
  EvalContext ctx;
  // CAST(... AS STRING) prints nested nulls as "null" (show() prints NULL).
  auto ms = cast_vector(sample_maps(), DataType::string(), ctx, "");
  EXPECT_EQ(ms->string_at(0), "{a -> 1, b -> null}");
  EXPECT_TRUE(ms->is_null(1));
  EXPECT_EQ(ms->string_at(2), "{}");
  EXPECT_EQ(ms->string_at(3), "{c -> 3}");
  auto ss = cast_vector(sample_structs(), DataType::string(), ctx, "");
  EXPECT_EQ(ss->string_at(0), "{1, x}");
  EXPECT_TRUE(ss->is_null(1));
  EXPECT_EQ(ss->string_at(2), "{null, y}");
  EXPECT_EQ(ss->string_at(3), "{4, null}");
  const DataType ab_long =
      DataType::struct_({Field{"a", DataType::int64(), true}, Field{"b", DataType::string(), true}});
  auto wide = cast_vector(sample_structs(), ab_long, ctx, "");
  EXPECT_EQ(wide->type(), ab_long);
  EXPECT_EQ(rendered(*wide), (std::vector<std::string>{"{1, x}", "NULL", "{NULL, y}", "{4, NULL}"}));
  auto wm = cast_vector(sample_maps(), DataType::map(DataType::string(), DataType::int64()), ctx, "");
  EXPECT_EQ(wm->map_values()->type(), DataType::int64());
  EXPECT_EQ(rendered(*wm), rendered(*sample_maps()));
  auto c = cast_vector(Vector::make_constant(ab(i32(3), str("c")), 2), DataType::string(), ctx, "");
  EXPECT_EQ(c->value_at(1).as_string(), "{3, c}");
}

}  // namespace
}  // namespace ember
