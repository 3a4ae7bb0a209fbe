// The ARRAY type end to end below the DataFrame API: DataType (DDL, names, schema tree, coercion),
// Value (show() text), Vector (Arrow list layout, builders, gather/concat/constants), shuffle
// serialisation, casts, and the CSV writer's refusal. Expected texts are what Spark 4 prints.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "ember/api/show_format.h"
#include "ember/common/error.h"
#include "ember/expr/cast.h"
#include "ember/io/csv/csv_writer.h"
#include "ember/runtime/shuffle/batch_serde.h"
#include "ember/types/coercion.h"
#include "ember/types/time_zone.h"
#include "ember/vector/batch.h"

namespace ember {
namespace {

const DataType kStrings = DataType::array(DataType::string());
const DataType kInts = DataType::array(DataType::int32());

Value str(const std::string& s) { return Value::string(s); }
Value null_str() { return Value::null(DataType::string()); }
Value strs(std::vector<Value> v) { return Value::array(DataType::string(), std::move(v)); }
Value ints(std::vector<int32_t> v) {
  std::vector<Value> out;
  for (int32_t x : v) out.push_back(Value::int32(x));
  return Value::array(DataType::int32(), std::move(out));
}

// Rows [a, NULL, c], NULL, [], [""], [d]: nulls in rows and in elements, empty arrays.
VectorPtr sample_strings() {
  return Vector::from_values(kStrings, {strs({str("a"), null_str(), str("c")}), Value::null(kStrings),
                                        strs({}), strs({str("")}), strs({str("d")})});
}

std::vector<std::string> rendered(const Vector& v) {
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(v.value_at(i).to_string());
  return out;
}

// ---- DataType --------------------------------------------------------------------------------

TEST(ArrayTypeTest, NamesAsSparkPrintsThem) {
  EXPECT_EQ(kStrings.simple_string(), "array<string>");
  EXPECT_EQ(kStrings.type_name(), "array");
  EXPECT_EQ(kStrings.sql_string(), "ARRAY<STRING>");
  EXPECT_EQ(DataType::array(kInts).simple_string(), "array<array<int>>");
  EXPECT_EQ(DataType::array(DataType::decimal(10, 2)).simple_string(), "array<decimal(10,2)>");
  EXPECT_TRUE(kStrings.is_nested());
  EXPECT_FALSE(DataType::string().is_nested());
  EXPECT_EQ(kStrings.element_type(), DataType::string());
  EXPECT_EQ(kStrings.fixed_width(), 0);
}

TEST(ArrayTypeTest, EqualityIsDeepAndIgnoresContainsNull) {
  EXPECT_EQ(kStrings, DataType::array(DataType::string()));
  EXPECT_NE(kStrings, kInts);
  EXPECT_NE(kStrings, DataType::string());
  EXPECT_EQ(DataType::array(kInts), DataType::array(DataType::array(DataType::int32())));
  EXPECT_NE(DataType::array(kInts), DataType::array(DataType::array(DataType::int64())));
  EXPECT_EQ(DataType::array(DataType::string(), false), kStrings);
  EXPECT_FALSE(DataType::array(DataType::string(), false).contains_null());
  // element_type() of a flat type is a bug, reported as an internal error rather than a crash.
  EXPECT_THROW(DataType::string().element_type(), EmberError);
}

TEST(ArrayTypeTest, DdlParsesArrays) {
  Schema s = parse_ddl_schema("id INT, parts ARRAY<STRING>, grid array< array<int> >, d array<decimal(5,1)>");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.field(1).type, kStrings);
  EXPECT_EQ(s.field(2).type, DataType::array(kInts));
  EXPECT_EQ(s.field(3).type, DataType::array(DataType::decimal(5, 1)));
  EXPECT_EQ(s.to_ddl(), "id int, parts array<string>, grid array<array<int>>, d array<decimal(5,1)>");
  EXPECT_EQ(parse_data_type("array<bigint>"), DataType::array(DataType::int64()));
  for (const char* bad : {"array", "array<int", "array<>", "array<strng>"}) {
    EXPECT_THROW(parse_data_type(bad), EmberError) << bad;
  }
}

TEST(ArrayTypeTest, SchemaTreeMatchesPrintSchema) {
  Schema s({Field{"parts", DataType::array(DataType::string(), false), true},
            Field{"grid", DataType::array(kInts), false}, Field{"n", DataType::int64(), true}});
  EXPECT_EQ(s.tree_string(),
            "root\n"
            " |-- parts: array (nullable = true)\n"
            " |    |-- element: string (containsNull = false)\n"
            " |-- grid: array (nullable = false)\n"
            " |    |-- element: array (containsNull = true)\n"
            " |    |    |-- element: integer (containsNull = true)\n"
            " |-- n: long (nullable = true)\n");
}

TEST(ArrayTypeTest, CoercionMeetsElementTypes) {
  EXPECT_EQ(wider_type(kInts, DataType::array(DataType::int64()), true), DataType::array(DataType::int64()));
  EXPECT_EQ(wider_type(kInts, DataType::null(), true), kInts);
  EXPECT_FALSE(wider_type(kInts, DataType::int32(), true).has_value());
  EXPECT_FALSE(wider_type(kStrings, DataType::string(), true).has_value());
  EXPECT_FALSE(wider_type(kStrings, DataType::string(), false).has_value());
  EXPECT_FALSE(wider_type(kInts, DataType::array(DataType::boolean()), true).has_value());
  EXPECT_TRUE(can_implicit_cast(kInts, DataType::array(DataType::int64()), true));
  EXPECT_FALSE(can_implicit_cast(DataType::string(), kStrings, true));
  EXPECT_FALSE(can_implicit_cast(kStrings, DataType::string(), true));
  EXPECT_FALSE(can_implicit_cast(DataType::int32(), kInts, false));
  // containsNull: the meeting type may hold nulls when either side may.
  auto w = wider_type(DataType::array(DataType::string(), false), kStrings, true);
  ASSERT_TRUE(w.has_value());
  EXPECT_TRUE(w->contains_null());
}

TEST(ArrayTypeTest, FlatOnlyOperationsSayUnsupported) {
  require_flat_type(DataType::int32(), "sort by");
  try {
    require_flat_type(kStrings, "sort by");
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    EXPECT_EQ(std::string(e.what()),
              "[UNSUPPORTED_FEATURE] ember cannot sort by a value of type \"ARRAY<STRING>\" yet.");
  }
}

// ---- Value -------------------------------------------------------------------------------------

TEST(ArrayValueTest, ShowTextIsSparks) {
  // Spark 4's show() (ToPrettyString): ", " between elements, NULL for null elements and arrays.
  EXPECT_EQ(strs({str("a"), str("b"), str("c")}).to_string(), "[a, b, c]");
  EXPECT_EQ(strs({str("a"), null_str(), str("c")}).to_string(), "[a, NULL, c]");
  EXPECT_EQ(strs({}).to_string(), "[]");
  EXPECT_EQ(strs({str("")}).to_string(), "[]");
  EXPECT_EQ(strs({str(""), str("")}).to_string(), "[, ]");
  EXPECT_EQ(Value::null(kStrings).to_string(), "NULL");
  EXPECT_EQ(Value::array(kInts, {ints({1, 2}), Value::null(kInts), ints({})}).to_string(),
            "[[1, 2], NULL, []]");
  EXPECT_EQ(Value::array(DataType::float64(), {Value::float64(1.0), Value::float64(0.5)}).to_string(),
            "[1.0, 0.5]");
  EXPECT_EQ(Value::array(DataType::decimal(5, 2), {Value::decimal(150, 5, 2)}).to_string(), "[1.50]");
  EXPECT_EQ(Value::array(DataType::date(), {Value::date(0)}).to_string(), "[1970-01-01]");
  EXPECT_EQ(Value::array(DataType::timestamp(), {Value::timestamp(0)}).to_string(*TimeZone::find("UTC")),
            "[1970-01-01 00:00:00]");
}

TEST(ArrayValueTest, EqualityIsDeep) {
  EXPECT_EQ(ints({1, 2}), ints({1, 2}));
  EXPECT_NE(ints({1, 2}), ints({1, 3}));
  EXPECT_NE(ints({1, 2}), ints({1}));
  EXPECT_NE(ints({}), Value::null(kInts));
  EXPECT_EQ(ints({1}).type(), kInts);
  EXPECT_EQ(ints({7}).as_array()[0].as_int64(), 7);
}

// ---- Vector ------------------------------------------------------------------------------------

TEST(ArrayVectorTest, ListLayoutFromValues) {
  auto v = sample_strings();
  ASSERT_EQ(v->size(), 5u);
  const int32_t* off = v->offsets();
  EXPECT_EQ(std::vector<int32_t>(off, off + 6), (std::vector<int32_t>{0, 3, 3, 3, 4, 5}));
  EXPECT_EQ(v->child()->size(), 5u);
  EXPECT_TRUE(v->child()->is_null(1));
  EXPECT_TRUE(v->is_null(1));
  EXPECT_EQ(v->count_nulls(), 1u);
  EXPECT_EQ(v->array_size(0), 3u);
  EXPECT_EQ(v->array_offset(4), 4u);
  EXPECT_EQ(rendered(*v), (std::vector<std::string>{"[a, NULL, c]", "NULL", "[]", "[]", "[d]"}));
  EXPECT_EQ(v->value_at(0), strs({str("a"), null_str(), str("c")}));
  EXPECT_EQ(v->value_at(3), strs({str("")}));
}

TEST(ArrayVectorTest, BuildersAppendElementsInRowOrder) {
  auto v = Vector::make(kStrings, 3);
  Vector& child = v->mutable_child();
  child.append_string("x");
  child.append_null_string();
  v->finish_array(0);
  v->set_null_array(1);
  for (int k = 0; k < 100; ++k) child.append_string(std::to_string(k));
  v->finish_array(2);
  EXPECT_EQ(v->value_at(0).to_string(), "[x, NULL]");
  EXPECT_TRUE(v->is_null(1));
  EXPECT_EQ(v->array_size(1), 0u);
  EXPECT_EQ(v->array_size(2), 100u);
  EXPECT_EQ(v->value_at(2).as_array()[99].as_string(), "99");

  // Fixed-width children grow too, keeping validity for the rows already written.
  auto n = Vector::make(kInts, 2);
  Vector& nums = n->mutable_child();
  for (int k = 0; k < 20; ++k) {
    size_t at = nums.append_rows(1);
    nums.values<int32_t>()[at] = k;
    if (k % 7 == 3) nums.set_null(at);
  }
  n->finish_array(0);
  n->finish_array(1);
  EXPECT_EQ(n->value_at(0).to_string(),
            "[0, 1, 2, NULL, 4, 5, 6, 7, 8, 9, NULL, 11, 12, 13, 14, 15, 16, NULL, 18, 19]");
  EXPECT_EQ(n->value_at(1).to_string(), "[]");
}

TEST(ArrayVectorTest, AppendRowsAfterTruncateResetsValidity) {
  auto v = Vector::from_values(DataType::int32(),
                               {Value::int32(1), Value::null(DataType::int32()), Value::int32(3)});
  v->truncate(1);
  size_t at = v->append_rows(2);
  EXPECT_EQ(at, 1u);
  v->values<int32_t>()[1] = 5;
  v->values<int32_t>()[2] = 6;
  EXPECT_FALSE(v->is_null(1));
  EXPECT_EQ(v->value_at(2).as_int64(), 6);
}

TEST(ArrayVectorTest, GatherMovesElementsWithTheirRows) {
  auto v = sample_strings();
  uint32_t sel[] = {4, 1, 0, 0, 2};
  auto g = gather(*v, sel, 5);
  EXPECT_EQ(rendered(*g), (std::vector<std::string>{"[d]", "NULL", "[a, NULL, c]", "[a, NULL, c]", "[]"}));
  EXPECT_EQ(g->child()->size(), 7u);  // null and empty rows hold no elements
  Batch b({v, Vector::from_values(DataType::int32(), {Value::int32(0), Value::int32(1), Value::int32(2),
                                                      Value::int32(3), Value::int32(4)})},
          5);
  uint32_t rows[] = {3, 0};
  Batch s = b.select(rows, 2);
  EXPECT_EQ(rendered(*s.columns[0]), (std::vector<std::string>{"[]", "[a, NULL, c]"}));
  EXPECT_GT(b.byte_size(), 0u);
}

TEST(ArrayVectorTest, ConcatRebasesOffsets) {
  auto a = sample_strings();
  auto b = Vector::from_values(kStrings, {strs({str("x"), str("y")}), Value::null(kStrings)});
  auto c = Vector::make_constant(strs({str("k")}), 2);
  auto all = concat({a, b, c});
  EXPECT_EQ(rendered(*all), (std::vector<std::string>{"[a, NULL, c]", "NULL", "[]", "[]", "[d]", "[x, y]",
                                                      "NULL", "[k]", "[k]"}));
  // A truncated part contributes only the elements its rows span.
  auto t = Vector::from_values(kStrings, {strs({str("p")}), strs({str("q"), str("r")})});
  t->truncate(1);
  auto tc = concat({t, b});
  EXPECT_EQ(rendered(*tc), (std::vector<std::string>{"[p]", "[x, y]", "NULL"}));
  EXPECT_EQ(tc->child()->size(), 3u);
  Batch joined = concat_batches({Batch({a}, 5), Batch({b}, 2)});
  EXPECT_EQ(joined.num_rows, 7u);
  EXPECT_EQ(joined.columns[0]->value_at(5).to_string(), "[x, y]");
}

TEST(ArrayVectorTest, ConstantsFlattenAndGather) {
  auto c = Vector::make_constant(strs({str("a"), null_str()}), 3);
  EXPECT_TRUE(c->is_constant());
  EXPECT_EQ(c->value_at(2).to_string(), "[a, NULL]");
  EXPECT_EQ(c->array_size(2), 2u);
  auto f = flatten(c);
  EXPECT_FALSE(f->is_constant());
  EXPECT_EQ(rendered(*f), (std::vector<std::string>(3, "[a, NULL]")));
  EXPECT_EQ(f->child()->size(), 6u);
  uint32_t sel[] = {0, 2};
  EXPECT_EQ(rendered(*gather(*c, sel, 2)), (std::vector<std::string>(2, "[a, NULL]")));
  auto n = Vector::make_constant(Value::null(kStrings), 2);
  EXPECT_TRUE(n->is_null(1));
  EXPECT_EQ(rendered(*flatten(n)), (std::vector<std::string>(2, "NULL")));
  auto nulls = Vector::make_null(kInts, 4);
  EXPECT_EQ(nulls->count_nulls(), 4u);
  EXPECT_EQ(nulls->array_size(3), 0u);
}

TEST(ArrayVectorTest, NestedArraysAndAssemble) {
  const DataType grid = DataType::array(kInts);
  auto v = Vector::from_values(grid, {Value::array(kInts, {ints({1, 2}), Value::null(kInts)}),
                                      Value::null(grid), Value::array(kInts, {ints({})})});
  EXPECT_EQ(rendered(*v), (std::vector<std::string>{"[[1, 2], NULL]", "NULL", "[[]]"}));
  uint32_t sel[] = {2, 0};
  EXPECT_EQ(rendered(*gather(*v, sel, 2)), (std::vector<std::string>{"[[]]", "[[1, 2], NULL]"}));

  // assemble: row i from sources[source[i]] at rows[i]; -1 is null (CASE / coalesce).
  auto a = sample_strings();
  auto b = Vector::make_constant(strs({str("z")}), 5);
  int32_t source[] = {1, 0, -1, 0, 1};
  uint32_t rows[] = {0, 0, 0, 4, 3};
  auto out = assemble(kStrings, {a, b}, source, rows, 5);
  EXPECT_EQ(rendered(*out), (std::vector<std::string>{"[z]", "[a, NULL, c]", "NULL", "[d]", "[z]"}));
  // Flat types take the same path callers always had.
  int32_t flat_source[] = {0, -1, 0};
  uint32_t flat_rows[] = {1, 0, 0};
  auto flat = assemble(DataType::int32(),
                       {Vector::from_values(DataType::int32(), {Value::int32(4), Value::int32(5)})},
                       flat_source, flat_rows, 3);
  EXPECT_EQ(rendered(*flat), (std::vector<std::string>{"5", "NULL", "4"}));
}

// ---- shuffle serialisation ---------------------------------------------------------------------

TEST(ArraySerdeTest, RoundTripsArraysOfEveryShape) {
  const DataType grid = DataType::array(kInts);
  auto strings = sample_strings();
  auto nested =
      Vector::from_values(grid, {Value::array(kInts, {ints({1, 2}), Value::null(kInts)}), Value::null(grid),
                                 Value::array(kInts, {}), Value::array(kInts, {ints({3})}),
                                 Value::array(kInts, {ints({4, 5, 6})})});
  auto constant = Vector::make_constant(ints({9, 8}), 5);
  auto truncated = Vector::from_values(kStrings, {strs({str("p")}), strs({str("q")}), strs({str("r")}),
                                                  strs({}), strs({str("s")}), strs({str("t"), str("u")})});
  truncated->truncate(5);
  auto empty_elements = Vector::from_values(
      DataType::array(DataType::null()),
      {Value::array(DataType::null(), {}), Value::null(DataType::array(DataType::null()))});
  Batch in({strings, nested, constant, truncated}, 5);
  std::string bytes = serialize_batch(in);
  Batch out = deserialize_batch(bytes);
  ASSERT_EQ(out.num_rows, 5u);
  ASSERT_EQ(out.num_columns(), 4u);
  for (size_t c = 0; c < 4; ++c) {
    EXPECT_EQ(out.columns[c]->type(), in.columns[c]->type());
    EXPECT_FALSE(out.columns[c]->is_constant());
    EXPECT_EQ(rendered(*out.columns[c]), rendered(*in.columns[c])) << c;
  }
  EXPECT_EQ(out.columns[3]->child()->size(), 4u);  // only the elements the five rows span
  Batch e = deserialize_batch(serialize_batch(Batch({empty_elements}, 2)));
  EXPECT_EQ(rendered(*e.columns[0]), (std::vector<std::string>{"[]", "NULL"}));
  // containsNull survives the trip.
  auto split_like = Vector::from_values(DataType::array(DataType::string(), false), {strs({str("x")})});
  EXPECT_FALSE(deserialize_batch(serialize_batch(Batch({split_like}, 1))).columns[0]->type().contains_null());
}

TEST(ArraySerdeTest, CorruptArrayInputIsAnError) {
  std::string bytes = serialize_batch(Batch({sample_strings()}, 5));
  // Chop the child's data off: the reader must report truncation, not read past the end.
  for (size_t cut : {bytes.size() - 1, bytes.size() - 10, bytes.size() / 2}) {
    EXPECT_THROW(deserialize_batch(bytes.data(), cut), EmberError) << cut;
  }
}

// ---- cast ----------------------------------------------------------------------------------------

TEST(ArrayCastTest, ToStringAndBetweenElementTypes) {
  EXPECT_TRUE(can_cast(kInts, DataType::string(), true));
  EXPECT_TRUE(can_cast(kInts, DataType::array(DataType::int64()), true));
  EXPECT_FALSE(can_cast(DataType::string(), kInts, false));
  EXPECT_FALSE(can_cast(kInts, DataType::int32(), false));
  EvalContext ctx;
  auto v = Vector::from_values(
      kInts, {ints({1, 2}), Value::null(kInts),
              Value::array(DataType::int32(), {Value::int32(3), Value::null(DataType::int32())})});
  // Spark's CAST(array AS STRING) writes null elements as "null" (ToPrettyString, used by show(),
  // writes NULL).
  auto s = cast_vector(v, DataType::string(), ctx, "");
  EXPECT_EQ(s->string_at(0), "[1, 2]");
  EXPECT_TRUE(s->is_null(1));
  EXPECT_EQ(s->string_at(2), "[3, null]");
  auto w = cast_vector(v, DataType::array(DataType::int64()), ctx, "");
  EXPECT_EQ(w->type(), DataType::array(DataType::int64()));
  EXPECT_EQ(rendered(*w), (std::vector<std::string>{"[1, 2]", "NULL", "[3, NULL]"}));
  auto c = cast_vector(Vector::make_constant(ints({7}), 2), DataType::string(), ctx, "");
  EXPECT_EQ(c->value_at(1).as_string(), "[7]");
}

// ---- show() ----------------------------------------------------------------------------------------

TEST(ArrayShowTest, CellsRenderAndTruncateAsSpark) {
  auto parts = Vector::from_values(kStrings, {strs({str("one"), str("two"), str("three"), str("")}),
                                              strs({str("a")}), strs({}), Value::null(kStrings),
                                              strs({str("a"), str("b"), str("c"), str("d"), str("e"),
                                                    str("f"), str("g"), str("h"), str("i"), str("j")})});
  std::vector<std::vector<std::string>> rows;
  for (const std::string& cell : rendered(*parts)) rows.push_back({cell});
  EXPECT_EQ(format_show_table({"parts"}, rows, 20, 20, false, false),
            "+--------------------+\n"
            "|               parts|\n"
            "+--------------------+\n"
            "| [one, two, three, ]|\n"
            "|                 [a]|\n"
            "|                  []|\n"
            "|                NULL|\n"
            "|[a, b, c, d, e, f...|\n"
            "+--------------------+\n");
  EXPECT_EQ(format_show_table({"parts"}, rows, 20, 0, false, false),
            "+------------------------------+\n"
            "|parts                         |\n"
            "+------------------------------+\n"
            "|[one, two, three, ]           |\n"
            "|[a]                           |\n"
            "|[]                            |\n"
            "|NULL                          |\n"
            "|[a, b, c, d, e, f, g, h, i, j]|\n"
            "+------------------------------+\n");
}

// ---- CSV ----------------------------------------------------------------------------------------

TEST(ArrayCsvTest, WriterRejectsArrayColumnsBeforeCreatingTheFile) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("ember_array_csv_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Schema schema({Field{"id", DataType::int64(), true}, Field{"parts", kStrings, true}});
  try {
    CsvWriter w((dir / "part-0.csv").string(), schema, CsvOptions::parse({}), *TimeZone::find("UTC"));
    FAIL() << "expected an error";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
    EXPECT_EQ(e.error_class(), "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE");
    EXPECT_EQ(
        std::string(e.what()),
        "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The CSV datasource doesn't support the column `parts` of the "
        "type \"ARRAY<STRING>\".");
  }
  EXPECT_FALSE(fs::exists(dir / "part-0.csv"));
  EXPECT_NO_THROW(CsvWriter::verify_schema(Schema({Field{"id", DataType::int64(), true}})));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ember
