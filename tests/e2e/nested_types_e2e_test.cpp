// Maps and structs through the DataFrame API, against Spark 4's documented answers: show() and
// printSchema of arrays, maps and structs (ToPrettyString / treeString), the struct and map
// functions (the examples of Spark's SQL function reference, hand-checked), field access in its
// three spellings, explode/posexplode of maps, to_json, collect_list of structs across a shuffle,
// and Spark's errors (DUPLICATED_MAP_KEY, NULL_MAP_KEY, FIELD_NOT_FOUND, unorderable keys).
#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>
#include <unistd.h>

#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;

const DataType kStrInt = DataType::map(DataType::string(), DataType::int32());
const DataType kAB =
    DataType::struct_({Field{"a", DataType::int32(), true}, Field{"b", DataType::string(), true}});
const DataType kInts = DataType::array(DataType::int32());

Value str(const std::string& s) { return Value::string(s); }
Value i32(int32_t x) { return Value::int32(x); }

class NestedTypesE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
  }

  // id, arr array<int>, m map<string,int>, s struct<a:int,b:string>, with nulls at every level.
  DataFrame nested() const {
    auto m = [](std::vector<std::pair<std::string, Value>> e) {
      std::vector<Value> k, v;
      for (auto& [key, value] : e) {
        k.push_back(str(key));
        v.push_back(value);
      }
      return Value::map(kStrInt, k, v);
    };
    return spark_->create_data_frame(
        {{i32(1), Value::array(DataType::int32(), {i32(1), Value::null(DataType::int32())}),
          m({{"a", i32(1)}, {"b", i32(2)}}), Value::struct_(kAB, {i32(1), str("x")})},
         {i32(2), Value::null(kInts), m({{"c", Value::null(DataType::int32())}}),
          Value::struct_(kAB, {Value::null(DataType::int32()), str("y")})},
         {i32(3), Value::array(DataType::int32(), {}), m({}), Value::null(kAB)}},
        "id INT, arr ARRAY<INT>, m MAP<STRING, INT>, s STRUCT<a: INT, b: STRING>");
  }

  static std::string error_of(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const EmberError& e) {
      return e.what();
    }
    return "<no error>";
  }

  // The single value of a one-row, one-column query, as show() prints it.
  std::string one(const Column& c) const {
    auto rows = spark_->range(0, 1, 1, 1).select(c).collect();
    return rows.at(0)[0].to_string();
  }

  std::unique_ptr<Session> spark_;
};

TEST_F(NestedTypesE2ETest, ShowAndPrintSchemaAsSpark) {
  // Spark 3.5+/4 show(): maps as {k -> v}, structs as {v1, v2}, NULL at every level.
  EXPECT_EQ(nested().show_string(),
            "+---+---------+----------------+---------+\n"
            "| id|      arr|               m|        s|\n"
            "+---+---------+----------------+---------+\n"
            "|  1|[1, NULL]|{a -> 1, b -> 2}|   {1, x}|\n"
            "|  2|     NULL|     {c -> NULL}|{NULL, y}|\n"
            "|  3|       []|              {}|     NULL|\n"
            "+---+---------+----------------+---------+\n");
  EXPECT_EQ(nested().schema_tree_string(),
            "root\n"
            " |-- id: integer (nullable = true)\n"
            " |-- arr: array (nullable = true)\n"
            " |    |-- element: integer (containsNull = true)\n"
            " |-- m: map (nullable = true)\n"
            " |    |-- key: string\n"
            " |    |-- value: integer (valueContainsNull = true)\n"
            " |-- s: struct (nullable = true)\n"
            " |    |-- a: integer (nullable = true)\n"
            " |    |-- b: string (nullable = true)\n");
  auto dtypes = nested().dtypes();
  EXPECT_EQ(dtypes[2].second, "map<string,int>");
  EXPECT_EQ(dtypes[3].second, "struct<a:int,b:string>");
  // CAST(... AS STRING) writes nested nulls as "null" (ToStringBase without the pretty flag).
  auto cast = nested().select(col("m").cast("string"), col("s").cast("string")).collect();
  EXPECT_EQ(cast[1][0].as_string(), "{c -> null}");
  EXPECT_EQ(cast[1][1].as_string(), "{null, y}");
}

TEST_F(NestedTypesE2ETest, MapFunctionsMatchSparkDocs) {
  // Examples from Spark's SQL function reference.
  EXPECT_EQ(one(create_map({lit(1.0), lit("2"), lit(3.0), lit("4")})), "{1.0 -> 2, 3.0 -> 4}");
  EXPECT_EQ(one(map_from_arrays(array({lit(1.0), lit(3.0)}), array({lit("2"), lit("4")}))),
            "{1.0 -> 2, 3.0 -> 4}");
  const Column m12 = create_map({lit(1), lit("a"), lit(2), lit("b")});
  EXPECT_EQ(one(map_keys(m12)), "[1, 2]");
  EXPECT_EQ(one(map_values(m12)), "[a, b]");
  EXPECT_EQ(one(map_entries(m12)), "[{1, a}, {2, b}]");
  EXPECT_EQ(one(map_contains_key(m12, lit(1))), "true");
  EXPECT_EQ(one(map_contains_key(m12, lit(3))), "false");
  EXPECT_EQ(one(element_at(m12, lit(2))), "b");
  // A missing key is null for element_at and m[k] in Spark 4, ANSI or not.
  EXPECT_EQ(one(element_at(m12, lit(3))), "NULL");
  EXPECT_EQ(one(size(m12)), "2");
  EXPECT_EQ(one(size(create_map({}))), "0");
  // A key computed per row.
  auto per_row = nested().select(col("m").get_item(lit("c")), col("m").get_item(col("s.b"))).collect();
  EXPECT_TRUE(per_row[1][0].is_null());  // {c -> NULL}
  EXPECT_TRUE(per_row[0][1].is_null());  // key "x" is absent
  // Keys meet at their wider type: an int key probes a bigint map.
  EXPECT_EQ(one(element_at(create_map({lit(int64_t{5}), lit("five")}), lit(5))), "five");
  // Column names as Spark generates them.
  DataFrame df = nested().select(col("m")["a"], element_at(col("m"), lit("b")), map_keys(col("m")));
  EXPECT_EQ(df.columns(), (std::vector<std::string>{"m[a]", "element_at(m, b)", "map_keys(m)"}));
  auto rows = df.collect();
  EXPECT_EQ(rows[0][0].to_string(), "1");
  EXPECT_EQ(rows[0][1].to_string(), "2");
  EXPECT_TRUE(rows[1][0].is_null());
  EXPECT_EQ(rows[2][2].to_string(), "[]");
  auto types = df.schema();
  EXPECT_EQ(types.field(2).type, DataType::array(DataType::string(), false));
}

TEST_F(NestedTypesE2ETest, MapKeyErrorsAreSparks) {
  std::string dup = error_of([&] { one(create_map({lit(1), lit("a"), lit(1), lit("b")})); });
  EXPECT_NE(dup.find("DUPLICATED_MAP_KEY"), std::string::npos) << dup;
  EXPECT_NE(dup.find("Duplicate map key 1"), std::string::npos) << dup;
  EXPECT_NE(dup.find("spark.sql.mapKeyDedupPolicy"), std::string::npos) << dup;
  std::string null_key = error_of([&] { one(create_map({lit(Value::null(DataType::int32())), lit("a")})); });
  EXPECT_NE(null_key.find("NULL_MAP_KEY"), std::string::npos) << null_key;
  // A long row goes the sorting way: 40 keys, one repeated.
  std::vector<Column> keys;
  for (int i = 0; i < 40; ++i) keys.push_back(lit(std::to_string(i % 39)));
  std::string long_dup = error_of([&] {
    one(map_from_arrays(array(std::vector<ColumnOrName>(keys.begin(), keys.end())),
                        array(std::vector<ColumnOrName>(keys.begin(), keys.end()))));
  });
  EXPECT_NE(long_dup.find("Duplicate map key 0"), std::string::npos) << long_dup;
  // The same with array keys ([0] .. [38], [0] again): compared as their key bytes.
  std::vector<ColumnOrName> array_keys;
  for (int i = 0; i < 40; ++i) array_keys.emplace_back(array({lit(i % 39)}));
  std::string nested_dup = error_of([&] { one(map_from_arrays(array(array_keys), array(array_keys))); });
  EXPECT_NE(nested_dup.find("DUPLICATED_MAP_KEY"), std::string::npos) << nested_dup;
  array_keys.pop_back();  // 39 distinct array keys build a map
  EXPECT_EQ(one(size(map_from_arrays(array(array_keys), array(array_keys)))), "39");
  std::string odd = error_of([&] { one(create_map({lit(1)})); });
  EXPECT_NE(odd.find("WRONG_NUM_ARGS"), std::string::npos) << odd;
  std::string lengths = error_of([&] { one(map_from_arrays(array({lit(1)}), array({}))); });
  EXPECT_NE(lengths.find("same length"), std::string::npos) << lengths;
  // Spark cannot group, sort, hash or distinct maps either.
  std::string group = error_of([&] { nested().group_by(col("m")).count().collect(); });
  EXPECT_NE(group.find("[GROUP_EXPRESSION_TYPE_IS_NOT_ORDERABLE] The expression \"m\" cannot be used as a "
                       "grouping expression because its data type \"MAP<STRING, INT>\" is not an orderable "
                       "data type."),
            std::string::npos)
      << group;
  std::string distinct = error_of([&] { nested().distinct().collect(); });
  EXPECT_NE(distinct.find("[UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE]"), std::string::npos) << distinct;
  std::string dedup = error_of([&] { nested().drop_duplicates({"m"}).collect(); });
  EXPECT_NE(
      dedup.find("SET_OPERATION_ON_MAP_TYPE] The feature is not supported: Cannot have MAP type columns in "
                 "DataFrame which calls set operations (INTERSECT, EXCEPT, etc.), but the type of column "
                 "`m` is \"MAP<STRING, INT>\"."),
      std::string::npos)
      << dedup;
  std::string intersect = error_of([&] { nested().intersect(nested()).collect(); });
  EXPECT_NE(intersect.find("SET_OPERATION_ON_MAP_TYPE"), std::string::npos) << intersect;
  std::string hash_map = error_of([&] { nested().select(hash({col("m")})).collect(); });
  EXPECT_NE(hash_map.find("HASH_MAP_TYPE"), std::string::npos) << hash_map;
}

TEST_F(NestedTypesE2ETest, StructsAndFieldAccess) {
  // named_struct("a", 1, "b", 2, "c", 3) from Spark's reference; struct(...) names fields after
  // the columns, col1.. for other expressions.
  EXPECT_EQ(one(named_struct({lit("a"), lit(1), lit("b"), lit(2), lit("c"), lit(3)})), "{1, 2, 3}");
  DataFrame built = nested().select(struct_({col("id"), col("s.b"), lit(7)}).alias("t"));
  EXPECT_EQ(built.schema().field(0).type.simple_string(), "struct<id:int,b:string,col3:int>");
  EXPECT_EQ(built.collect()[0][0].to_string(), "{1, x, 7}");
  // Three spellings of field access; s.a names its column after the field, the others as Spark.
  DataFrame fields = nested().select(col("s.a"), col("s").get_field("b"), col("s")["a"]);
  EXPECT_EQ(fields.columns(), (std::vector<std::string>{"a", "s.b", "s.a"}));
  EXPECT_EQ(fields.show_string(),
            "+----+----+----+\n"
            "|   a| s.b| s.a|\n"
            "+----+----+----+\n"
            "|   1|   x|   1|\n"
            "|NULL|   y|NULL|\n"
            "|NULL|NULL|NULL|\n"
            "+----+----+----+\n");
  // Filters and nested structs.
  EXPECT_EQ(nested().filter(col("s.b") == lit("y")).select("id").collect().at(0)[0].to_string(), "2");
  DataFrame deep = nested().select(struct_({col("s"), col("id")}).alias("o"));
  EXPECT_EQ(deep.select(col("o.s.b")).collect()[0][0].to_string(), "x");
  std::string missing = error_of([&] { nested().select(col("s").get_field("z")).collect(); });
  EXPECT_NE(missing.find("FIELD_NOT_FOUND"), std::string::npos) << missing;
  // Structs sort field by field, a null field first (Spark's ordering): NULL, {NULL, y}, {1, x}.
  std::vector<std::string> ids;
  for (const auto& r : nested().order_by(col("s")).collect()) ids.push_back(r["id"].to_string());
  EXPECT_EQ(ids, (std::vector<std::string>{"3", "2", "1"}));
  // Maps are not orderable, in Spark either.
  std::string sort_map = error_of([&] { nested().order_by(col("m")).collect(); });
  EXPECT_NE(sort_map.find("INVALID_ORDERING_TYPE"), std::string::npos) << sort_map;
}

TEST_F(NestedTypesE2ETest, ExplodeMapsAsSpark) {
  // explode(map('a', 1, 'b', 2)): columns key and value; posexplode adds pos.
  DataFrame e = nested().select(col("id"), explode(col("m")));
  EXPECT_EQ(e.columns(), (std::vector<std::string>{"id", "key", "value"}));
  EXPECT_EQ(e.show_string(),
            "+---+---+-----+\n"
            "| id|key|value|\n"
            "+---+---+-----+\n"
            "|  1|  a|    1|\n"
            "|  1|  b|    2|\n"
            "|  2|  c| NULL|\n"
            "+---+---+-----+\n");
  DataFrame p = nested().select(posexplode_outer(col("m")));
  EXPECT_EQ(p.columns(), (std::vector<std::string>{"pos", "key", "value"}));
  auto rows = p.collect();
  ASSERT_EQ(rows.size(), 4u);  // the empty map keeps a row of nulls
  EXPECT_EQ(rows[1][0].to_string(), "1");
  EXPECT_EQ(rows[1][1].to_string(), "b");
  EXPECT_TRUE(rows[3][1].is_null());
}

TEST_F(NestedTypesE2ETest, ToJsonIsSparksText) {
  // Examples from Spark's reference for to_json.
  EXPECT_EQ(one(to_json(named_struct({lit("a"), lit(1), lit("b"), lit(2)}))), "{\"a\":1,\"b\":2}");
  EXPECT_EQ(one(to_json(array({named_struct({lit("a"), lit(1), lit("b"), lit(2)})}))), "[{\"a\":1,\"b\":2}]");
  EXPECT_EQ(one(to_json(create_map({lit("a"), named_struct({lit("b"), lit(1)})}))), "{\"a\":{\"b\":1}}");
  EXPECT_EQ(one(to_json(create_map({lit("a"), lit(1)}))), "{\"a\":1}");
  EXPECT_EQ(one(to_json(array({create_map({lit("a"), lit(1)})}))), "[{\"a\":1}]");
  // Null struct fields are left out (ignoreNullFields); null map values and elements stay null;
  // doubles as Java prints them, NaN quoted; strings escaped.
  auto rows = nested().select(to_json(col("s")), to_json(col("m")), to_json(col("arr"))).collect();
  EXPECT_EQ(rows[0][0].as_string(), "{\"a\":1,\"b\":\"x\"}");
  EXPECT_EQ(rows[1][0].as_string(), "{\"b\":\"y\"}");
  EXPECT_TRUE(rows[2][0].is_null());
  EXPECT_EQ(rows[1][1].as_string(), "{\"c\":null}");
  EXPECT_EQ(rows[0][2].as_string(), "[1,null]");
  EXPECT_EQ(one(to_json(named_struct(
                {lit("d"), lit(1e10), lit("n"), lit(std::nan("")), lit("s"), lit("q\"\\\n\x01")}))),
            "{\"d\":1.0E10,\"n\":\"NaN\",\"s\":\"q\\\"\\\\\\n\\u0001\"}");
  // Jackson writes control characters as \u00XX with uppercase hex digits.
  EXPECT_EQ(one(to_json(named_struct({lit("c"), lit("\x1f")}))), "{\"c\":\"\\u001F\"}");
  // Dates and timestamps as Spark's JSON options format them (session time zone UTC here).
  spark_->conf().set("spark.sql.session.timeZone", "UTC");
  EXPECT_EQ(one(to_json(named_struct({lit("t"), lit("2015-08-26 01:02:03.5").cast("timestamp"), lit("d"),
                                      lit("2015-08-26").cast("date")}))),
            "{\"t\":\"2015-08-26T01:02:03.500Z\",\"d\":\"2015-08-26\"}");
  std::string flat = error_of([&] { one(to_json(lit(1))); });
  EXPECT_NE(flat.find("INVALID_JSON_SCHEMA"), std::string::npos) << flat;
}

TEST_F(NestedTypesE2ETest, CollectListOfStructsRoundTripsThroughAShuffle) {
  // 300 rows in 4 partitions, grouped into 3 keys after a hash exchange; each group's list of
  // structs holds its rows, and exploding it gives the input back.
  DataFrame rows =
      spark_->range(0, 300, 1, 4)
          .select((col("id") % lit(3)).alias("g"),
                  named_struct({lit("id"), col("id"), lit("tag"), col("id").cast("string")}).alias("s"));
  DataFrame grouped = rows.group_by("g").agg(collect_list(col("s")).alias("items"));
  EXPECT_EQ(grouped.schema().field(1).type.simple_string(), "array<struct<id:bigint,tag:string>>");
  auto groups = grouped.order_by("g").collect();
  ASSERT_EQ(groups.size(), 3u);
  for (const Row& r : groups) {
    const auto& items = r["items"].as_array();
    ASSERT_EQ(items.size(), 100u);
    for (const Value& item : items) {
      EXPECT_EQ(item.as_struct()[0].as_int64() % 3, r["g"].as_int64());
      EXPECT_EQ(item.as_struct()[1].as_string(), std::to_string(item.as_struct()[0].as_int64()));
    }
  }
  DataFrame back = grouped.select(explode(col("items")).alias("s")).select(col("s.id"), col("s.tag"));
  auto total = back.agg(sum(col("id")).alias("t"), count(col("tag")).alias("n")).collect();
  EXPECT_EQ(total[0]["t"].as_int64(), 299 * 300 / 2);
  EXPECT_EQ(total[0]["n"].as_int64(), 300);
}

TEST_F(NestedTypesE2ETest, SqlFieldAccessSubscriptsAndConstructors) {
  nested().create_or_replace_temp_view("t");
  DataFrame df = spark_->sql(
      "SELECT s.a, t.s.b, m['a'], get(arr, 0), s['b'] AS sb, named_struct('x', id, 'y', s.b) AS n, "
      "map_keys(map('p', 1, 'q', 2)) AS ks, CAST(m AS STRING) AS mt FROM t ORDER BY id");
  EXPECT_EQ(df.columns(), (std::vector<std::string>{"a", "b", "m[a]", "get(arr, 0)", "sb", "n", "ks", "mt"}));
  EXPECT_EQ(df.show_string(),
            "+----+----+----+-----------+----+---------+------+----------------+\n"
            "|   a|   b|m[a]|get(arr, 0)|  sb|        n|    ks|              mt|\n"
            "+----+----+----+-----------+----+---------+------+----------------+\n"
            "|   1|   x|   1|          1|   x|   {1, x}|[p, q]|{a -> 1, b -> 2}|\n"
            "|NULL|   y|NULL|       NULL|   y|   {2, y}|[p, q]|     {c -> null}|\n"
            "|NULL|NULL|NULL|       NULL|NULL|{3, NULL}|[p, q]|              {}|\n"
            "+----+----+----+-----------+----+---------+------+----------------+\n");
  EXPECT_EQ(
      spark_
          ->sql("SELECT CAST(NULL AS MAP<STRING, INT>) AS e, CAST(s AS STRUCT<a: BIGINT, b: STRING>) AS w "
                "FROM t WHERE id = 1")
          .schema()
          .to_ddl(),
      "e map<string,int>, w struct<a:bigint,b:string>");
}

TEST_F(NestedTypesE2ETest, FirstLastAndDropDuplicatesCarryNestedValues) {
  // first()/last() keep a nested value per group (partial states cross a shuffle), which is how
  // drop_duplicates(subset) keeps the other columns, as Spark's does.
  DataFrame rows =
      spark_->range(0, 40, 1, 4)
          .select((col("id") % lit(4)).alias("g"),
                  named_struct({lit("id"), col("id"), lit("tags"), array({col("id"), col("id")})}).alias("s"),
                  create_map({lit("k"), col("id")}).alias("m"));
  auto firsts = rows.group_by("g")
                    .agg(min(col("s.id")).alias("lo"), first(col("s")).alias("fs"),
                         call_function("last", {col("m")}).alias("lm"))
                    .order_by("g")
                    .collect();
  ASSERT_EQ(firsts.size(), 4u);
  for (const Row& r : firsts) {
    const int64_t g = r["g"].as_int64();
    EXPECT_EQ(r["fs"].type().simple_string(), "struct<id:bigint,tags:array<bigint>>");
    // first()/last() depend on row order as in Spark; the value is some row of the group.
    const int64_t id = r["fs"].as_struct()[0].as_int64();
    EXPECT_EQ(id % 4, g);
    EXPECT_EQ(r["fs"].as_struct()[1].to_string(), "[" + std::to_string(id) + ", " + std::to_string(id) + "]");
    EXPECT_EQ(r["lm"].map_values()[0].as_int64() % 4, g);
  }
  DataFrame dedup = rows.drop_duplicates({"g"});
  EXPECT_EQ(dedup.count(), 4);
  for (const Row& r : dedup.collect()) EXPECT_EQ(r["s"].as_struct()[0].as_int64() % 4, r["g"].as_int64());
  // Over a window: the first struct of each partition by id.
  auto w = Window::partition_by("g").order_by(col("s.id"));
  auto windowed = rows.select(col("g"), first_value(col("s")).over(w).alias("f")).collect();
  ASSERT_EQ(windowed.size(), 40u);
  for (const Row& r : windowed)
    EXPECT_EQ(r["f"].as_struct()[0].as_int64(), r["g"].as_int64()) << r.to_string();
  // Null nested values stay null through first().
  DataFrame nulls = nested()
                        .group_by(col("id") > lit(1))
                        .agg(first(col("s"), true).alias("f"), first(col("arr")).alias("a"));
  EXPECT_EQ(nulls.count(), 2);
}

TEST_F(NestedTypesE2ETest, NestedColumnsRideThroughJoinsCacheUnionAndNa) {
  DataFrame left = nested();
  DataFrame right = nested().select(col("id"), struct_({col("m"), col("arr")}).alias("t"));
  // Shuffled and broadcast hash joins carry nested payload columns on both sides.
  for (const char* threshold : {"-1", "10MB"}) {
    spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", threshold);
    DataFrame j = left.join(right, "id", "left").order_by("id");
    EXPECT_EQ(j.select(col("id"), col("s"), col("t")).show_string(),
              "+---+---------+--------------------+\n"
              "| id|        s|                   t|\n"
              "+---+---------+--------------------+\n"
              "|  1|   {1, x}|{{a -> 1, b -> 2}...|\n"
              "|  2|{NULL, y}| {{c -> NULL}, NULL}|\n"
              "|  3|     NULL|            {{}, []}|\n"
              "+---+---------+--------------------+\n")
        << threshold;
  }
  DataFrame cached = left.cache();
  EXPECT_EQ(cached.count(), 3);
  EXPECT_EQ(cached.order_by("id").show_string(), left.order_by("id").show_string());
  EXPECT_EQ(left.union_all(left).count(), 6);
  EXPECT_EQ(left.na().drop().count(), 1);
}

TEST_F(NestedTypesE2ETest, ParquetRoundTripThroughDataFrames) {
  // Arrays, maps and structs written by the DataFrame writer and read back by spark.read: the same
  // rows, the same types (Spark's metadata keeps the schema), and a filter on a flat column still
  // prunes while nested columns ride along.
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("ember_nested_parquet_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  DataFrame in =
      nested().select(col("id"), col("arr"), col("m"), col("s"), array({col("s"), col("s")}).alias("ss"),
                      create_map({lit("k"), col("arr")}).alias("ma"));
  in.write().mode("overwrite").parquet(dir.string());
  DataFrame back = spark_->read().parquet(dir.string());
  EXPECT_EQ(back.schema_tree_string(), in.schema_tree_string());
  EXPECT_EQ(back.order_by("id").show_string(), in.order_by("id").show_string());
  auto rows =
      back.filter(col("id") == lit(2)).select(col("m")["c"].is_null(), col("s.b"), size(col("ss"))).collect();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].to_string(), "true");
  EXPECT_EQ(rows[0][1].to_string(), "y");
  EXPECT_EQ(rows[0][2].to_string(), "2");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ember
