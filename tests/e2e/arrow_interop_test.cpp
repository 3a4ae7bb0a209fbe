// The Arrow C Data Interface (interop/arrow_interop.h) against the specification's layouts: Arrow
// structs built here by hand (bit-packed booleans, offsets, an array offset, nulls, large strings,
// millisecond timestamps) are imported and their values checked by hand; ember results are
// exported and their buffers read as the specification lays them out (ember's own buffers, not
// copies); a DataFrame of every type survives export + import; release callbacks run exactly once.
#include <algorithm>
#include <cstring>

#include <gtest/gtest.h>

#include "ember/api/dataframe_arrow.h"
#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;

class ArrowInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
  }
  std::unique_ptr<Session> spark_;
};

// A hand-made producer: one Arrow struct node whose buffers are caller-owned static arrays, and a
// release callback that counts calls.
int g_released = 0;
struct HandNode {
  std::vector<const void*> buffers;
  std::vector<ArrowArray*> children;
};
void release_hand_array(ArrowArray* a) {
  for (int64_t k = 0; k < a->n_children; ++k) {
    if (a->children[k]->release) a->children[k]->release(a->children[k]);
  }
  a->release = nullptr;
}
void release_counted(ArrowArray* a) {
  release_hand_array(a);
  ++g_released;
}
void release_hand_schema(ArrowSchema* s) { s->release = nullptr; }

ArrowArray hand_array(int64_t length, int64_t null_count, int64_t offset, std::vector<const void*>& buffers,
                      std::vector<ArrowArray*>& children) {
  ArrowArray a{};
  a.length = length;
  a.null_count = null_count;
  a.offset = offset;
  a.n_buffers = static_cast<int64_t>(buffers.size());
  a.buffers = buffers.data();
  a.n_children = static_cast<int64_t>(children.size());
  a.children = children.empty() ? nullptr : children.data();
  a.release = release_hand_array;
  return a;
}
ArrowSchema hand_schema(const char* format, const char* name, std::vector<ArrowSchema*>& children) {
  ArrowSchema s{};
  s.format = format;
  s.name = name;
  s.flags = ARROW_FLAG_NULLABLE;
  s.n_children = static_cast<int64_t>(children.size());
  s.children = children.empty() ? nullptr : children.data();
  s.release = release_hand_schema;
  return s;
}

TEST_F(ArrowInteropTest, ImportsHandBuiltArraysWithOffsetNullsAndConversions) {
  // Logical rows start at offset 1 of every child (the struct's offset), 3 rows.
  // flag: bits of [x, true, false, true] -> 0b1010 ; validity all set.
  static const uint8_t flag_bits[] = {0b1010};
  std::vector<const void*> flag_buffers = {nullptr, flag_bits};
  // n: int32 [x, 10, NULL, 30]; validity 0b1011.
  static const uint8_t n_valid[] = {0b1011};
  alignas(8) static const int32_t n_values[] = {-1, 10, 0, 30};
  std::vector<const void*> n_buffers = {n_valid, n_values};
  // s: large utf8 ["x", "héllo", "", "z"].
  alignas(8) static const int64_t s_offsets[] = {0, 1, 7, 7, 8};
  static const char s_chars[] =
      "xhéllo"
      "z";
  std::vector<const void*> s_buffers = {nullptr, s_offsets, s_chars};
  // t: timestamp[ms] [x, 1000, -1, 86400000].
  alignas(8) static const int64_t t_values[] = {0, 1000, -1, 86'400'000};
  std::vector<const void*> t_buffers = {nullptr, t_values};
  // l: list<int64> [x, [1, 2], [], [3]].
  alignas(8) static const int32_t l_offsets[] = {0, 0, 2, 2, 3};
  alignas(8) static const int64_t l_items[] = {1, 2, 3};
  std::vector<const void*> item_buffers = {nullptr, l_items};
  std::vector<const void*> l_buffers = {nullptr, l_offsets};
  std::vector<ArrowArray*> none;
  ArrowArray item = hand_array(3, 0, 0, item_buffers, none);
  std::vector<ArrowArray*> l_children = {&item};
  ArrowArray flag = hand_array(4, 0, 0, flag_buffers, none);
  ArrowArray n = hand_array(4, 1, 0, n_buffers, none);
  ArrowArray s = hand_array(4, 0, 0, s_buffers, none);
  ArrowArray t = hand_array(4, 0, 0, t_buffers, none);
  ArrowArray l = hand_array(4, 0, 0, l_buffers, l_children);
  std::vector<ArrowArray*> columns = {&flag, &n, &s, &t, &l};
  std::vector<const void*> top_buffers = {nullptr};
  ArrowArray top = hand_array(3, 0, 1, top_buffers, columns);
  top.release = release_counted;

  std::vector<ArrowSchema*> no_schema;
  ArrowSchema item_s = hand_schema("l", "item", no_schema);
  std::vector<ArrowSchema*> l_schema_children = {&item_s};
  ArrowSchema flag_s = hand_schema("b", "flag", no_schema), n_s = hand_schema("i", "n", no_schema),
              s_s = hand_schema("U", "s", no_schema), t_s = hand_schema("tsm:", "t", no_schema),
              l_s = hand_schema("+l", "l", l_schema_children);
  std::vector<ArrowSchema*> column_schemas = {&flag_s, &n_s, &s_s, &t_s, &l_s};
  ArrowSchema top_s = hand_schema("+s", "", column_schemas);

  g_released = 0;
  {
    DataFrame df = from_arrow(*spark_, &top_s, &top);
    EXPECT_EQ(top.release, nullptr);  // moved out: ember owns it now
    EXPECT_EQ(df.schema().to_ddl(), "flag boolean, n int, s string, t timestamp, l array<bigint>");
    auto rows = df.collect();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0][0], Value::boolean(true));
    EXPECT_EQ(rows[1][0], Value::boolean(false));
    EXPECT_EQ(rows[2][0], Value::boolean(true));
    EXPECT_EQ(rows[0][1], Value::int32(10));
    EXPECT_TRUE(rows[1][1].is_null());
    EXPECT_EQ(rows[2][1], Value::int32(30));
    EXPECT_EQ(rows[0][2], Value::string("héllo"));
    EXPECT_EQ(rows[1][2], Value::string(""));
    EXPECT_EQ(rows[2][2], Value::string("z"));
    EXPECT_EQ(rows[0][3], Value::timestamp(1'000'000));
    EXPECT_EQ(rows[1][3], Value::timestamp(-1000));
    EXPECT_EQ(rows[2][3], Value::timestamp(86'400'000'000));
    EXPECT_EQ(rows[0][4].to_string(), "[1, 2]");
    EXPECT_EQ(rows[1][4].to_string(), "[]");
    EXPECT_EQ(rows[2][4].to_string(), "[3]");
    EXPECT_EQ(df.agg(sum(col("n"))).collect()[0][0], Value::int64(40));
    // Still held: the int32 column's values are the producer's own memory (zero-copy import).
    EXPECT_EQ(g_released, 0);
  }
  EXPECT_EQ(g_released, 1);           // released exactly once, with the DataFrame that shared it
  EXPECT_EQ(top_s.release, nullptr);  // the schema is consumed too
}

TEST_F(ArrowInteropTest, ImportSharesFixedWidthBuffersAndReleasesWithTheLastVector) {
  // Every child has array offset 1 and the struct has offset 1 too, so the 3 logical rows are
  // elements 2..4 of each buffer (Arrow applies a struct's offset to its children):
  // id int64 [2, NULL, 4]; day date32 [19782, 1, -1]; amount decimal128(10,2) [-0.50, 0, 100.00].
  alignas(64) static const int64_t ids[] = {-9, -9, 2, 0, 4};
  static const uint8_t id_valid[] = {0b10111};
  alignas(64) static const int32_t days[] = {-9, -9, 19782, 1, -1};
  alignas(64) static const __int128 amounts[] = {0, 0, -50, 0, 10000};
  std::vector<const void*> id_buffers = {id_valid, ids};
  std::vector<const void*> day_buffers = {nullptr, days};
  std::vector<const void*> amount_buffers = {nullptr, amounts};
  std::vector<ArrowArray*> none;
  ArrowArray id = hand_array(4, 1, 1, id_buffers, none);
  ArrowArray day = hand_array(4, 0, 1, day_buffers, none);
  ArrowArray amount = hand_array(4, 0, 1, amount_buffers, none);
  std::vector<ArrowArray*> columns = {&id, &day, &amount};
  std::vector<const void*> top_buffers = {nullptr};
  ArrowArray top = hand_array(3, 0, 1, top_buffers, columns);
  top.release = release_counted;
  std::vector<ArrowSchema*> no_schema;
  ArrowSchema id_s = hand_schema("l", "id", no_schema), day_s = hand_schema("tdD", "day", no_schema),
              amount_s = hand_schema("d:10,2", "amount", no_schema);
  std::vector<ArrowSchema*> column_schemas = {&id_s, &day_s, &amount_s};
  ArrowSchema top_s = hand_schema("+s", "", column_schemas);

  g_released = 0;
  {
    DataFrame df = from_arrow(*spark_, &top_s, &top);
    auto rows = df.collect();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0][0], Value::int64(2));
    EXPECT_TRUE(rows[1][0].is_null());
    EXPECT_EQ(rows[2][0], Value::int64(4));
    EXPECT_EQ(rows[0][1], Value::date(19782));  // 2024-02-29
    EXPECT_EQ(rows[2][1], Value::date(-1));
    EXPECT_EQ(rows[0][2], Value::decimal(-50, 10, 2));
    EXPECT_EQ(rows[2][2], Value::decimal(10000, 10, 2));
    // Exported again, the columns point at the producer's memory: no copy on the way in or out.
    // (The validity bitmap starts at bit 2, not on a byte, so it is the one shifted copy.)
    ArrowBatch out = to_arrow(df);
    ASSERT_EQ(out.array.n_children, 3);
    EXPECT_EQ(out.array.children[0]->buffers[1], static_cast<const void*>(ids + 2));
    EXPECT_EQ(out.array.children[1]->buffers[1], static_cast<const void*>(days + 2));
    EXPECT_EQ(out.array.children[2]->buffers[1], static_cast<const void*>(amounts + 2));
    EXPECT_EQ(g_released, 0);
  }
  EXPECT_EQ(g_released, 1);  // the last vector sharing the producer's memory is gone
}

TEST_F(ArrowInteropTest, ExportLaysOutBuffersAsTheSpecificationSays) {
  Schema schema({Field{"b", DataType::boolean(), true}, Field{"i", DataType::int32(), false},
                 Field{"d", DataType::decimal(10, 2), true}, Field{"s", DataType::string(), true},
                 Field{"day", DataType::date(), true}, Field{"ts", DataType::timestamp(), true},
                 Field{"a", DataType::array(DataType::int32()), true}});
  std::vector<std::vector<Value>> rows = {
      {Value::boolean(true), Value::int32(1), Value::decimal(12345, 10, 2), Value::string("ab"),
       Value::date(1), Value::timestamp(5), Value::array(DataType::int32(), {Value::int32(7)})},
      {Value::null(DataType::boolean()), Value::int32(2), Value::null(DataType::decimal(10, 2)),
       Value::string("c"), Value::date(-1), Value::timestamp(-5),
       Value::null(DataType::array(DataType::int32()))},
      {Value::boolean(true), Value::int32(3), Value::decimal(-1, 10, 2), Value::null(DataType::string()),
       Value::date(0), Value::timestamp(0), Value::array(DataType::int32(), {})}};
  Batch batch;
  batch.num_rows = 3;
  for (size_t c = 0; c < schema.size(); ++c) {
    std::vector<Value> column;
    for (const auto& r : rows) column.push_back(r[c]);
    batch.columns.push_back(Vector::from_values(schema.field(c).type, column));
  }
  ArrowBatch out = export_arrow_batch(batch, schema);
  ASSERT_EQ(std::string(out.schema.format), "+s");
  ASSERT_EQ(out.schema.n_children, 7);
  std::vector<std::string> formats;
  for (int k = 0; k < 7; ++k) formats.push_back(out.schema.children[k]->format);
  EXPECT_EQ(formats, (std::vector<std::string>{"b", "i", "d:10,2", "u", "tdD", "tsu:UTC", "+l"}));
  EXPECT_EQ(out.schema.children[1]->flags & ARROW_FLAG_NULLABLE, 0);
  EXPECT_EQ(std::string(out.schema.children[3]->name), "s");
  ASSERT_EQ(out.array.length, 3);
  ArrowArray* b = out.array.children[0];
  EXPECT_EQ(b->null_count, 1);
  EXPECT_EQ(static_cast<const uint8_t*>(b->buffers[1])[0] & 0b101, 0b101);  // rows 0 and 2 true
  EXPECT_EQ(static_cast<const uint8_t*>(b->buffers[0])[0] & 0b111, 0b101);  // row 1 null
  // Fixed-width, decimal, string and list buffers are ember's own (zero-copy).
  EXPECT_EQ(out.array.children[1]->buffers[1], batch.columns[1]->data_buffer()->data());
  EXPECT_EQ(out.array.children[2]->buffers[1], batch.columns[2]->data_buffer()->data());
  EXPECT_EQ(out.array.children[3]->buffers[2], batch.columns[3]->chars_buffer()->data());
  const auto* dec = static_cast<const int64_t*>(out.array.children[2]->buffers[1]);
  EXPECT_EQ(dec[0], 12345);  // little-endian decimal128: low word
  EXPECT_EQ(dec[1], 0);
  EXPECT_EQ(dec[4], -1);  // -1 sign-extended across both words
  EXPECT_EQ(dec[5], -1);
  const auto* offsets = static_cast<const int32_t*>(out.array.children[3]->buffers[1]);
  EXPECT_EQ(std::string(static_cast<const char*>(out.array.children[3]->buffers[2]) + offsets[0],
                        static_cast<size_t>(offsets[2] - offsets[0])),
            "abc");
  ArrowArray* a = out.array.children[6];
  EXPECT_EQ(a->n_children, 1);
  EXPECT_EQ(a->children[0]->length, 1);
  // The export outlives the batch: it holds ember's buffers.
  batch = Batch();
  EXPECT_EQ(static_cast<const int32_t*>(out.array.children[1]->buffers[1])[2], 3);
}

TEST_F(ArrowInteropTest, EveryTypeSurvivesExportAndImport) {
  DataFrame df = spark_->range(0, 10000).select(
      col("id"), expr("CAST(id % 100 AS TINYINT)").alias("b"), expr("CAST(id AS SMALLINT)").alias("sh"),
      expr("CAST(id AS INT)").alias("i"), expr("CAST(id AS FLOAT) / 4").alias("f"),
      expr("CAST(id AS DOUBLE) / 3").alias("d"), expr("CAST(id AS DECIMAL(20, 3)) / 7").alias("dec"),
      expr("CASE WHEN id % 3 = 0 THEN NULL ELSE CONCAT('v', CAST(id AS STRING)) END").alias("s"),
      expr("CAST(CONCAT('b', CAST(id AS STRING)) AS BINARY)").alias("bin"), expr("id % 2 = 0").alias("flag"),
      expr("CASE WHEN id % 5 = 0 THEN NULL ELSE DATE_ADD(DATE'2024-02-28', CAST(id AS INT)) END")
          .alias("day"),
      expr("TO_TIMESTAMP(CONCAT('2024-01-01 00:00:', LPAD(CAST(id % 60 AS STRING), 2, '0')))").alias("ts"),
      expr(
          "CASE WHEN id % 4 = 1 THEN NULL ELSE ARRAY(id, CASE WHEN id % 3 = 0 THEN NULL ELSE id + 1 END) END")
          .alias("arr"),
      expr("MAP('k', CAST(id AS INT))").alias("m"),
      expr("NAMED_STRUCT('x', id, 'y', CAST(id AS STRING))").alias("st"), expr("NULL").alias("nothing"));
  auto expected = df.order_by(col("id")).collect();
  ASSERT_EQ(expected.size(), 10000u);
  DataFrame back = from_arrow(*spark_, to_arrow(df));
  EXPECT_EQ(back.schema().to_ddl(), df.schema().to_ddl());
  EXPECT_EQ(back.order_by(col("id")).collect(), expected);
  // Batch by batch too.
  std::vector<Row> rows;
  for (ArrowBatch& b : to_arrow_batches(df)) {
    for (Row& r : from_arrow(*spark_, std::move(b)).collect()) rows.push_back(r);
  }
  std::sort(rows.begin(), rows.end(),
            [](const Row& x, const Row& y) { return x[0].as_int64() < y[0].as_int64(); });
  EXPECT_EQ(rows, expected);
}

TEST_F(ArrowInteropTest, StreamHandsOverEveryBatch) {
  DataFrame df = spark_->range(0, 20000, 1, 3).select(col("id"), expr("CAST(id AS STRING)").alias("s"));
  ArrowArrayStream stream{};
  to_arrow_stream(df, &stream);
  // Consume it by hand, as the specification describes: schema, then arrays until one is released.
  ArrowSchema schema{};
  ASSERT_EQ(stream.get_schema(&stream, &schema), 0);
  EXPECT_EQ(std::string(schema.format), "+s");
  int64_t rows = 0, batches = 0;
  for (;;) {
    ArrowArray array{};
    ASSERT_EQ(stream.get_next(&stream, &array), 0);
    if (array.release == nullptr) break;
    rows += array.length;
    ++batches;
    array.release(&array);
  }
  schema.release(&schema);
  stream.release(&stream);
  EXPECT_EQ(rows, 20000);
  EXPECT_GE(batches, 3);  // one per ember batch, never concatenated
  // And ember reads a stream back.
  ArrowArrayStream again{};
  to_arrow_stream(df, &again);
  DataFrame back = from_arrow_stream(*spark_, &again);
  EXPECT_EQ(again.release, nullptr);
  EXPECT_EQ(back.order_by(col("id")).collect(), df.order_by(col("id")).collect());
}

TEST_F(ArrowInteropTest, UnsupportedTypeNamesTheColumn) {
  std::vector<ArrowSchema*> none;
  ArrowSchema u = hand_schema("I", "counts", none);
  std::vector<ArrowSchema*> children = {&u};
  ArrowSchema top = hand_schema("+s", "", children);
  try {
    import_arrow_schema(&top);
    FAIL() << "expected an error";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "UNSUPPORTED_ARROWTYPE");
    EXPECT_NE(std::string(e.what()).find("'counts'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ember
