// ember's Parquet writer and reader together: every flat type with nulls, empty strings and
// extreme values; many row groups and pages; dictionary fallback; every codec; projections;
// statistics; and errors for bad input and bad files (never a crash).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include "ember/common/error.h"
#include "ember/io/parquet/parquet_reader.h"
#include "ember/io/parquet/parquet_writer.h"

namespace ember {
namespace {

using parquet::CompressionCodec;

class ParquetReaderWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ember_parquet_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path(const std::string& name) { return dir_ + "/" + name; }

  static std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static void spit(const std::string& p, const std::string& data) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << data;
  }

  // All rows of a file as Values, row-major, for the given projection (all columns by default).
  static std::vector<std::vector<Value>> read_all(const ParquetFileReader& r,
                                                  std::vector<int> projection = {}) {
    if (projection.empty()) {
      for (size_t i = 0; i < r.schema().size(); ++i) projection.push_back(static_cast<int>(i));
    }
    std::vector<std::vector<Value>> rows;
    for (int g = 0; g < r.num_row_groups(); ++g) {
      r.read_row_group(g, projection, [&](Batch& b) {
        EXPECT_EQ(b.num_columns(), projection.size());
        for (size_t i = 0; i < b.num_rows; ++i) {
          std::vector<Value> row;
          for (size_t c = 0; c < b.num_columns(); ++c) {
            EXPECT_EQ(b.column(c)->size(), b.num_rows);
            row.push_back(b.column(c)->value_at(i));
          }
          rows.push_back(std::move(row));
        }
      });
    }
    return rows;
  }

  static std::vector<std::vector<Value>> write_and_read(const std::string& p, const Schema& schema,
                                                        const std::vector<std::vector<Value>>& rows,
                                                        const ParquetWriteOptions& options,
                                                        size_t batch_rows = 1000) {
    {
      ParquetFileWriter w(p, schema, options);
      for (size_t start = 0; start < rows.size() || (start == 0 && rows.empty()); start += batch_rows) {
        if (rows.empty()) break;
        size_t n = std::min(batch_rows, rows.size() - start);
        std::vector<VectorPtr> cols;
        for (size_t c = 0; c < schema.size(); ++c) {
          std::vector<Value> col;
          for (size_t i = 0; i < n; ++i) col.push_back(rows[start + i][c]);
          cols.push_back(Vector::from_values(schema.field(c).type, col));
        }
        w.write(Batch(cols, n));
      }
      w.close();
    }
    auto r = ParquetFileReader::open(p);
    EXPECT_EQ(r->schema(), schema);
    EXPECT_EQ(r->num_rows(), static_cast<int64_t>(rows.size()));
    return read_all(*r);
  }

  std::string dir_;
};

Schema all_types_schema() {
  return parse_ddl_schema(
      "b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INT, i64 BIGINT, f FLOAT, d DOUBLE, s STRING, bin BINARY, "
      "dt DATE, ts TIMESTAMP, d9 DECIMAL(9,2), d18 DECIMAL(18,4), d38 DECIMAL(38,10), d20 DECIMAL(20,0)");
}

// Rows exercising nulls, empty strings, extremes and repeats (so dictionaries are used).
std::vector<std::vector<Value>> all_types_rows(size_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  Schema schema = all_types_schema();
  std::vector<std::vector<Value>> rows;
  int128_t max38 = 1;
  for (int i = 0; i < 38; ++i) max38 *= 10;
  max38 -= 1;
  for (size_t r = 0; r < n; ++r) {
    std::vector<Value> row;
    uint64_t x = rng();
    int kind = static_cast<int>(r % 7);
    auto pick = [&](int64_t lo, int64_t hi, int64_t any) { return kind == 0 ? lo : kind == 1 ? hi : any; };
    row.push_back(Value::boolean(x & 1));
    row.push_back(Value::byte(static_cast<int8_t>(pick(INT8_MIN, INT8_MAX, static_cast<int8_t>(x % 5)))));
    row.push_back(Value::short_(static_cast<int16_t>(pick(INT16_MIN, INT16_MAX, static_cast<int16_t>(x)))));
    row.push_back(
        Value::int32(static_cast<int32_t>(pick(INT32_MIN, INT32_MAX, static_cast<int32_t>(x % 1000)))));
    row.push_back(Value::int64(pick(INT64_MIN, INT64_MAX, static_cast<int64_t>(x))));
    float fs[] = {-0.0f, std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN(),
                  std::numeric_limits<float>::lowest(), 1.5f};
    row.push_back(Value::float32(kind < 5 ? fs[kind] : static_cast<float>(x % 100) / 7.0f));
    double ds[] = {std::numeric_limits<double>::max(), -std::numeric_limits<double>::infinity(), 0.0,
                   std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::quiet_NaN()};
    row.push_back(Value::float64(kind < 5 ? ds[kind] : static_cast<double>(x) / 3.0));
    std::string strs[] = {"", "ascii", "héllo wörld ✓", std::string("nul\0byte", 8), std::string(300, 'z')};
    row.push_back(Value::string(kind < 5 ? strs[kind] : "s" + std::to_string(x % 50)));
    row.push_back(
        Value::binary(kind == 0 ? std::string() : std::string("\x00\xff\x80", 3) + std::to_string(x % 9)));
    row.push_back(Value::date(static_cast<int32_t>(pick(-719162, 2932896, static_cast<int64_t>(x % 30000)))));
    row.push_back(
        Value::timestamp(pick(-62135596800000000, 253402300799999999, static_cast<int64_t>(x >> 8))));
    row.push_back(Value::decimal(pick(-999999999, 999999999, static_cast<int64_t>(x % 100000)), 9, 2));
    row.push_back(
        Value::decimal(pick(-999999999999999999, 999999999999999999, static_cast<int64_t>(x % 777)), 18, 4));
    row.push_back(Value::decimal(kind == 0   ? -max38
                                 : kind == 1 ? max38
                                             : static_cast<int128_t>(x) * 1000003,
                                 38, 10));
    row.push_back(
        Value::decimal(kind == 0 ? -max38 / 1000000000000000000 : static_cast<int128_t>(x % 10), 20, 0));
    // Every column is null now and then (on a different rhythm per column).
    for (size_t c = 0; c < row.size(); ++c) {
      if ((r + c) % 11 == 3) row[c] = Value::null(schema.field(c).type);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// NaN != NaN for Value; compare doubles bitwise-ish.
void expect_same_rows(const std::vector<std::vector<Value>>& got,
                      const std::vector<std::vector<Value>>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t r = 0; r < got.size(); ++r) {
    ASSERT_EQ(got[r].size(), want[r].size());
    for (size_t c = 0; c < got[r].size(); ++c) {
      const Value& a = got[r][c];
      const Value& b = want[r][c];
      if (!a.is_null() && !b.is_null() && a.type().is_floating() && std::isnan(a.as_double())) {
        EXPECT_TRUE(std::isnan(b.as_double())) << "row " << r << " col " << c;
        continue;
      }
      if (!a.is_null() && !b.is_null() && a.type().is_floating()) {
        EXPECT_EQ(std::signbit(a.as_double()), std::signbit(b.as_double())) << "row " << r << " col " << c;
      }
      ASSERT_EQ(a, b) << "row " << r << " col " << c << ": " << a.to_string() << " vs " << b.to_string();
    }
  }
}

TEST_F(ParquetReaderWriterTest, AllTypesRoundTripWithEveryCodec) {
  Schema schema = all_types_schema();
  auto rows = all_types_rows(3000, 1);
  for (auto codec : {CompressionCodec::kUncompressed, CompressionCodec::kSnappy, CompressionCodec::kGzip,
                     CompressionCodec::kZstd, CompressionCodec::kLz4Raw}) {
    ParquetWriteOptions o;
    o.compression = codec;
    auto got =
        write_and_read(path(std::string("all_") + parquet::codec_name(codec) + ".parquet"), schema, rows, o);
    expect_same_rows(got, rows);
  }
}

TEST_F(ParquetReaderWriterTest, ManyRowGroupsSmallPagesAndPlainOnly) {
  Schema schema = all_types_schema();
  auto rows = all_types_rows(5000, 2);
  ParquetWriteOptions o;
  o.row_group_max_rows = 700;
  o.page_size = 512;
  o.page_row_limit = 100;
  auto got = write_and_read(path("small.parquet"), schema, rows, o, 333);
  expect_same_rows(got, rows);
  auto r = ParquetFileReader::open(path("small.parquet"));
  EXPECT_EQ(r->num_row_groups(), 8);  // 7 x 700 + 100
  EXPECT_EQ(r->row_group(7).num_rows, 100);
  for (int g = 0; g < r->num_row_groups(); ++g) {
    for (const auto& cc : r->metadata().row_groups[static_cast<size_t>(g)].columns) {
      EXPECT_TRUE(cc.offset_index_offset.has_value());
    }
  }
  o.enable_dictionary = false;
  got = write_and_read(path("plain.parquet"), schema, rows, o, 4096);
  expect_same_rows(got, rows);
  auto p = ParquetFileReader::open(path("plain.parquet"));
  for (const auto& cc : p->metadata().row_groups[0].columns) {
    EXPECT_FALSE(cc.meta_data->dictionary_page_offset.has_value());
  }
}

TEST_F(ParquetReaderWriterTest, DictionaryFallsBackToPlainPastItsLimit) {
  Schema schema = parse_ddl_schema("s STRING, n BIGINT");
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 20000; ++i) {
    // Each value four times in a row: the dictionary pays off on the first page, then outgrows 4 KiB.
    rows.push_back(
        {Value::string("repeated value number " + std::to_string(i / 4)), Value::int64(i % 3 == 0 ? i : 7)});
  }
  ParquetWriteOptions o;
  o.dictionary_page_size = 4096;
  o.page_size = 8192;
  auto got = write_and_read(path("fallback.parquet"), schema, rows, o);
  expect_same_rows(got, rows);
  auto r = ParquetFileReader::open(path("fallback.parquet"));
  const auto& meta = *r->metadata().row_groups[0].columns[0].meta_data;
  bool dict_pages = false, plain_pages = false;
  for (const auto& s : meta.encoding_stats) {
    if (s.page_type == parquet::PageType::kDataPage && s.encoding == parquet::Encoding::kRleDictionary)
      dict_pages = true;
    if (s.page_type == parquet::PageType::kDataPage && s.encoding == parquet::Encoding::kPlain)
      plain_pages = true;
  }
  EXPECT_TRUE(dict_pages);
  EXPECT_TRUE(plain_pages);
}

TEST_F(ParquetReaderWriterTest, UniqueValuesAreWrittenPlainFromTheStart) {
  Schema schema = parse_ddl_schema("id BIGINT, name STRING, flag INT");
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 30000; ++i) {
    rows.push_back(
        {Value::int64(i * 7919LL), Value::string("unique name " + std::to_string(i)), Value::int32(i % 4)});
  }
  auto got = write_and_read(path("unique.parquet"), schema, rows, ParquetWriteOptions{});
  expect_same_rows(got, rows);
  auto r = ParquetFileReader::open(path("unique.parquet"));
  const auto& columns = r->metadata().row_groups[0].columns;
  EXPECT_FALSE(columns[0].meta_data->dictionary_page_offset.has_value());
  EXPECT_FALSE(columns[1].meta_data->dictionary_page_offset.has_value());
  EXPECT_TRUE(columns[2].meta_data->dictionary_page_offset.has_value());  // 4 distinct values
}

TEST_F(ParquetReaderWriterTest, RequiredColumnsNullsOnlyAndEmptyFiles) {
  Schema schema({Field{"id", DataType::int64(), false}, Field{"name", DataType::string(), false},
                 Field{"maybe", DataType::int32(), true}});
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 100; ++i) {
    rows.push_back({Value::int64(i), Value::string(i % 2 ? "" : "x"), Value::null(DataType::int32())});
  }
  auto got = write_and_read(path("req.parquet"), schema, rows, ParquetWriteOptions{});
  expect_same_rows(got, rows);
  auto r = ParquetFileReader::open(path("req.parquet"));
  EXPECT_FALSE(r->schema().field(0).nullable);
  ParquetColumnStatistics s = r->column_statistics(0, 2);
  EXPECT_EQ(s.null_count, 100);
  EXPECT_FALSE(s.min.has_value());

  got = write_and_read(path("empty.parquet"), schema, {}, ParquetWriteOptions{});
  EXPECT_TRUE(got.empty());
  auto e = ParquetFileReader::open(path("empty.parquet"));
  EXPECT_EQ(e->num_row_groups(), 0);
  EXPECT_EQ(e->schema(), schema);
}

TEST_F(ParquetReaderWriterTest, ProjectionReadsOnlyRequestedColumnsInAnyOrder) {
  Schema schema = all_types_schema();
  auto rows = all_types_rows(2500, 3);
  write_and_read(path("proj.parquet"), schema, rows, ParquetWriteOptions{});
  auto r = ParquetFileReader::open(path("proj.parquet"));
  auto got = read_all(*r, {7, 0, 7, 13});
  ASSERT_EQ(got.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(got[i][0], rows[i][7]);
    EXPECT_EQ(got[i][1], rows[i][0]);
    EXPECT_EQ(got[i][2], rows[i][7]);
    EXPECT_EQ(got[i][3], rows[i][13]);
  }
  // No columns: row counts only.
  auto reader = r->row_group_reader(0, {});
  Batch b;
  size_t total = 0;
  while (reader->next(b)) {
    EXPECT_EQ(b.num_columns(), 0u);
    total += b.num_rows;
  }
  EXPECT_EQ(total, rows.size());
  EXPECT_THROW(r->row_group_reader(0, {99}), EmberError);
  EXPECT_THROW(r->row_group_reader(5, {0}), EmberError);
}

TEST_F(ParquetReaderWriterTest, BatchesAreAtMostTheBatchSize) {
  Schema schema = parse_ddl_schema("x INT");
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 10000; ++i) rows.push_back({Value::int32(i)});
  write_and_read(path("batches.parquet"), schema, rows, ParquetWriteOptions{}, 10000);
  ParquetReadOptions ro;
  ro.batch_size = 3000;
  auto r = ParquetFileReader::open(path("batches.parquet"), ro);
  std::vector<size_t> sizes;
  r->read_row_group(0, {0}, [&](Batch& b) { sizes.push_back(b.num_rows); });
  EXPECT_EQ(sizes, (std::vector<size_t>{3000, 3000, 3000, 1000}));
  auto d = ParquetFileReader::open(path("batches.parquet"));
  sizes.clear();
  d->read_row_group(0, {0}, [&](Batch& b) { sizes.push_back(b.num_rows); });
  EXPECT_EQ(sizes, (std::vector<size_t>{4096, 4096, 1808}));
}

TEST_F(ParquetReaderWriterTest, StatisticsUseTheColumnsOrder) {
  Schema schema = parse_ddl_schema("i INT, s STRING, d DOUBLE, dec DECIMAL(38,2), b BINARY, ts TIMESTAMP");
  std::vector<std::vector<Value>> rows = {
      {Value::int32(-5), Value::string("b"), Value::float64(-0.0), Value::decimal(-100, 38, 2),
       Value::binary("\x7f"), Value::timestamp(-1)},
      {Value::int32(3), Value::string("\xc3\xa9"), Value::float64(std::nan("")), Value::decimal(5, 38, 2),
       Value::binary("\x80"), Value::timestamp(10)},
      {Value::null(DataType::int32()), Value::string("a"), Value::float64(2.5),
       Value::null(DataType::decimal(38, 2)), Value::binary(""), Value::null(DataType::timestamp())},
  };
  write_and_read(path("stats.parquet"), schema, rows, ParquetWriteOptions{});
  auto r = ParquetFileReader::open(path("stats.parquet"));
  ParquetRowGroupInfo info = r->row_group(0);
  EXPECT_EQ(info.num_rows, 3);
  EXPECT_EQ(info.stats(0).min, Value::int32(-5));
  EXPECT_EQ(info.stats(0).max, Value::int32(3));
  EXPECT_EQ(info.stats(0).null_count, 1);
  // Strings order as unsigned bytes: "é" (0xC3...) sorts after ASCII.
  EXPECT_EQ(info.stats(1).min, Value::string("a"));
  EXPECT_EQ(info.stats(1).max, Value::string("\xc3\xa9"));
  // NaN is left out of the bounds; a zero minimum is written as -0.0.
  ASSERT_TRUE(info.stats(2).min.has_value());
  EXPECT_EQ(info.stats(2).min->as_double(), 0.0);
  EXPECT_TRUE(std::signbit(info.stats(2).min->as_double()));
  EXPECT_EQ(info.stats(2).max, Value::float64(2.5));
  EXPECT_EQ(info.stats(3).min, Value::decimal(-100, 38, 2));
  EXPECT_EQ(info.stats(3).max, Value::decimal(5, 38, 2));
  EXPECT_EQ(info.stats(4).min, Value::binary(""));
  EXPECT_EQ(info.stats(4).max, Value::binary("\x80"));
  EXPECT_EQ(info.stats(5).min, Value::timestamp(-1));
  EXPECT_EQ(info.stats(5).num_values, 3);
}

// Value ordering for bound checks (the column's sort order; strings and binary as unsigned bytes).
bool value_less(const Value& a, const Value& b) {
  switch (a.type().id()) {
    case TypeId::kBoolean: return a.as_bool() < b.as_bool();
    case TypeId::kFloat:
    case TypeId::kDouble: return a.as_double() < b.as_double();
    case TypeId::kDecimal: return a.as_decimal() < b.as_decimal();
    case TypeId::kString:
    case TypeId::kBinary: return a.as_string() < b.as_string();
    default: return a.as_int64() < b.as_int64();
  }
}

TEST_F(ParquetReaderWriterTest, PageIndexBoundsEveryPage) {
  Schema schema = all_types_schema();
  auto rows = all_types_rows(5000, 6);
  ParquetWriteOptions o;
  o.page_row_limit = 100;
  o.row_group_max_rows = 2000;
  write_and_read(path("pages.parquet"), schema, rows, o);
  auto r = ParquetFileReader::open(path("pages.parquet"));
  ASSERT_EQ(r->num_row_groups(), 3);
  for (int g = 0; g < r->num_row_groups(); ++g) {
    for (size_t c = 0; c < schema.size(); ++c) {
      auto pages = r->page_statistics(g, static_cast<int>(c));
      ASSERT_TRUE(pages.has_value());
      int64_t next_row = 0;
      for (const ParquetPageStatistics& p : *pages) {
        EXPECT_EQ(p.first_row, next_row);
        next_row += p.num_rows;
        int64_t nulls = 0;
        for (int64_t i = p.first_row; i < p.first_row + p.num_rows; ++i) {
          const Value& v = rows[static_cast<size_t>(g * 2000 + i)][c];
          if (v.is_null()) {
            ++nulls;
            continue;
          }
          if (v.type().is_floating() && std::isnan(v.as_double())) continue;
          if (c == 0 || !p.min) continue;  // booleans: only checked for presence below
          ASSERT_FALSE(value_less(v, *p.min)) << "column " << c << " page at " << p.first_row;
          ASSERT_FALSE(value_less(*p.max, v)) << "column " << c << " page at " << p.first_row;
        }
        EXPECT_EQ(p.null_count, nulls);
        EXPECT_EQ(p.all_null, nulls == p.num_rows);
      }
      EXPECT_EQ(next_row, r->row_group(g).num_rows);
    }
  }
}

TEST_F(ParquetReaderWriterTest, RowRangesSkipPagesAndReturnOnlySelectedRows) {
  Schema schema = all_types_schema();
  auto rows = all_types_rows(6000, 7);
  ParquetWriteOptions o;
  o.page_row_limit = 128;
  o.dictionary_page_size = 2048;  // dictionary pages first, then PLAIN pages
  for (auto codec : {CompressionCodec::kUncompressed, CompressionCodec::kZstd}) {
    o.compression = codec;
    write_and_read(path("ranges.parquet"), schema, rows, o);
    ParquetReadOptions ro;
    ro.batch_size = 100;
    auto r = ParquetFileReader::open(path("ranges.parquet"), ro);
    std::vector<ParquetRowRange> ranges = {{0, 1},       {130, 420},   {999, 1000},
                                           {1024, 1024}, {3000, 5500}, {5999, 6000}};
    std::vector<int> projection(schema.size());
    for (size_t i = 0; i < schema.size(); ++i) projection[i] = static_cast<int>(i);
    auto reader = r->row_group_reader(0, projection, ranges);
    std::vector<std::vector<Value>> got;
    Batch b;
    while (reader->next(b)) {
      EXPECT_LE(b.num_rows, 100u);
      for (size_t i = 0; i < b.num_rows; ++i) {
        std::vector<Value> row;
        for (size_t c = 0; c < b.num_columns(); ++c) row.push_back(b.column(c)->value_at(i));
        got.push_back(std::move(row));
      }
    }
    EXPECT_EQ(reader->rows_left(), 0);
    std::vector<std::vector<Value>> want;
    for (const ParquetRowRange& range : ranges) {
      for (int64_t i = range.begin; i < range.end; ++i) want.push_back(rows[static_cast<size_t>(i)]);
    }
    expect_same_rows(got, want);
    // Only the pages holding selected rows are read from disk (found through the offset index):
    // one page of 47 per column, plus the offset indexes and dictionary pages.
    {
      auto fresh = ParquetFileReader::open(path("ranges.parquet"), ro);
      auto drain = [](ParquetRowGroupReader& rg) {
        Batch fb;
        while (rg.next(fb)) {
        }
      };
      const int64_t opened = fresh->bytes_read();
      drain(*fresh->row_group_reader(0, projection, {{130, 140}}));
      const int64_t few_bytes = fresh->bytes_read() - opened;
      drain(*fresh->row_group_reader(0, projection));
      const int64_t all_bytes = fresh->bytes_read() - opened - few_bytes;
      EXPECT_LT(few_bytes * 4, all_bytes) << few_bytes << " of " << all_bytes;
    }
    // Nothing selected: no batches.
    auto none = r->row_group_reader(0, {0, 7}, {});
    EXPECT_FALSE(none->next(b));
    for (std::vector<ParquetRowRange> bad :
         {std::vector<ParquetRowRange>{{10, 5}}, std::vector<ParquetRowRange>{{0, 10}, {5, 20}},
          std::vector<ParquetRowRange>{{0, 6001}}}) {
      EXPECT_THROW(r->row_group_reader(0, {0}, bad), EmberError);
    }
  }
}

TEST_F(ParquetReaderWriterTest, SparkMetadataInTheFooter) {
  Schema schema({Field{"id", DataType::int64(), true}, Field{"na\"me", DataType::string(), false},
                 Field{"p", DataType::decimal(10, 2), true}});
  write_and_read(path("meta.parquet"), schema, {}, ParquetWriteOptions{});
  auto r = ParquetFileReader::open(path("meta.parquet"));
  EXPECT_EQ(r->key_value("org.apache.spark.sql.parquet.row.metadata"),
            "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,"
            "\"metadata\":{}},"
            "{\"name\":\"na\\\"me\",\"type\":\"string\",\"nullable\":false,\"metadata\":{}},"
            "{\"name\":\"p\",\"type\":\"decimal(10,2)\",\"nullable\":true,\"metadata\":{}}]}");
  EXPECT_EQ(r->created_by(), "ember version 0.1.0");
  const auto& schema_elements = r->metadata().schema;
  EXPECT_EQ(schema_elements[0].name, "spark_schema");
  EXPECT_EQ(schema_elements[3].type, parquet::PhysicalType::kInt64);  // decimal(10,2) in INT64
}

TEST_F(ParquetReaderWriterTest, ConstantVectorsAndTypeMismatches) {
  Schema schema = parse_ddl_schema("x INT, s STRING");
  {
    ParquetFileWriter w(path("const.parquet"), schema);
    w.write(
        Batch({Vector::make_constant(Value::int32(7), 5), Vector::make_constant(Value::string("k"), 5)}, 5));
    EXPECT_THROW(
        w.write(Batch(
            {Vector::make_constant(Value::int64(7), 5), Vector::make_constant(Value::string("k"), 5)}, 5)),
        EmberError);
    EXPECT_THROW(w.write(Batch({Vector::make_constant(Value::int32(7), 5)}, 5)), EmberError);
    w.close();
  }
  auto r = ParquetFileReader::open(path("const.parquet"));
  auto rows = read_all(*r);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[4][0], Value::int32(7));
  EXPECT_EQ(rows[4][1], Value::string("k"));

  Schema required({Field{"x", DataType::int32(), false}});
  ParquetFileWriter w(path("req_null.parquet"), required);
  try {
    w.write(Batch({Vector::from_values(DataType::int32(), {Value::int32(1), Value::null(DataType::int32())})},
                  2));
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIllegalArgument);
    EXPECT_NE(std::string(e.what()).find("'x'"), std::string::npos);
  }
}

TEST_F(ParquetReaderWriterTest, WriteErrorsNameTheFile) {
  Schema schema = parse_ddl_schema("x INT");
  try {
    ParquetFileWriter w(path("no/such/dir/out.parquet"), schema);
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(e.what()).find("no/such/dir/out.parquet"), std::string::npos);
  }
  if (access("/dev/full", W_OK) == 0) {
    try {
      ParquetFileWriter w("/dev/full", schema);
      w.write(Batch({Vector::make_constant(Value::int32(1), 10)}, 10));
      w.close();
      FAIL() << "writing to /dev/full succeeded";
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kIo);
      EXPECT_NE(std::string(e.what()).find("/dev/full"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(ParquetFileWriter(path("void.parquet"), Schema({Field{"v", DataType::null(), true}})),
               EmberError);
}

TEST_F(ParquetReaderWriterTest, NotParquetMissingAndTruncatedFiles) {
  try {
    ParquetFileReader::open(path("missing.parquet"));
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_EQ(e.error_class(), "PATH_NOT_FOUND");
  }
  spit(path("text.parquet"), "this is not a parquet file at all");
  try {
    ParquetFileReader::open(path("text.parquet"));
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput);
    EXPECT_NE(std::string(e.what()).find("text.parquet"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("PAR1"), std::string::npos);
  }
  spit(path("tiny.parquet"), "PAR1");
  EXPECT_THROW(ParquetFileReader::open(path("tiny.parquet")), EmberError);

  Schema schema = all_types_schema();
  auto rows = all_types_rows(2000, 4);
  write_and_read(path("good.parquet"), schema, rows, ParquetWriteOptions{});
  std::string good = slurp(path("good.parquet"));
  for (size_t cut : {good.size() - 1, good.size() - 8, good.size() / 2, size_t{100}}) {
    spit(path("cut.parquet"), good.substr(0, cut));
    try {
      auto r = ParquetFileReader::open(path("cut.parquet"));
      read_all(*r);
      FAIL() << "a file cut at " << cut << " was read";
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput) << e.what();
      EXPECT_NE(std::string(e.what()).find("cut.parquet"), std::string::npos) << e.what();
    }
  }
}

TEST_F(ParquetReaderWriterTest, CorruptDataNamesFileAndColumnAndNeverCrashes) {
  Schema schema = all_types_schema();
  auto rows = all_types_rows(3000, 5);
  for (auto codec : {CompressionCodec::kUncompressed, CompressionCodec::kSnappy}) {
    ParquetWriteOptions o;
    o.compression = codec;
    o.page_size = 4096;
    write_and_read(path("src.parquet"), schema, rows, o);
    std::string good = slurp(path("src.parquet"));
    auto r = ParquetFileReader::open(path("src.parquet"));
    int64_t data_end = r->metadata().row_groups[0].columns.back().meta_data->data_page_offset +
                       r->metadata().row_groups[0].columns.back().meta_data->total_compressed_size;
    std::mt19937 rng(static_cast<uint32_t>(codec) + 17);
    int errors = 0;
    for (int trial = 0; trial < 300; ++trial) {
      std::string bad = good;
      int flips = 1 + static_cast<int>(rng() % 8);
      for (int f = 0; f < flips; ++f) {
        size_t at = 4 + rng() % static_cast<size_t>(data_end - 4);
        bad[at] = static_cast<char>(rng());
      }
      spit(path("bad.parquet"), bad);
      try {
        auto br = ParquetFileReader::open(path("bad.parquet"));
        read_all(*br);
      } catch (const EmberError& e) {
        ++errors;
        ASSERT_TRUE(e.kind() == ErrorKind::kMalformedInput || e.kind() == ErrorKind::kUnsupported)
            << e.what();
        std::string msg = e.what();
        EXPECT_NE(msg.find("bad.parquet"), std::string::npos) << msg;
        EXPECT_NE(msg.find("column '"), std::string::npos) << msg;
      }
    }
    EXPECT_GT(errors, 0);
  }
}

TEST_F(ParquetReaderWriterTest, CorruptFootersAndIndexesNeverCrash) {
  Schema schema = all_types_schema();
  auto rows = all_types_rows(1500, 8);
  ParquetWriteOptions o;
  o.page_row_limit = 200;
  o.row_group_max_rows = 600;
  write_and_read(path("src.parquet"), schema, rows, o);
  std::string good = slurp(path("src.parquet"));
  auto r = ParquetFileReader::open(path("src.parquet"));
  // The page index and footer live after the last column chunk.
  const auto& last = r->metadata().row_groups.back().columns.back().meta_data;
  auto tail_start = static_cast<size_t>(last->data_page_offset + last->total_compressed_size);
  std::mt19937 rng(23);
  for (int trial = 0; trial < 600; ++trial) {
    std::string bad = good;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      size_t at = tail_start + rng() % (good.size() - tail_start);
      bad[at] = static_cast<char>(rng());
    }
    spit(path("bad.parquet"), bad);
    try {
      auto br = ParquetFileReader::open(path("bad.parquet"));
      for (int g = 0; g < br->num_row_groups(); ++g) {
        br->row_group(g);
        for (size_t c = 0; c < br->schema().size(); ++c) br->page_statistics(g, static_cast<int>(c));
      }
      read_all(*br);
      // Part of each row group: the chunks are then read page by page through the (possibly
      // corrupt) offset index.
      std::vector<int> projection(br->schema().size());
      for (size_t c = 0; c < projection.size(); ++c) projection[c] = static_cast<int>(c);
      for (int g = 0; g < br->num_row_groups(); ++g) {
        auto part = br->row_group_reader(g, projection, {ParquetRowRange{10, 20}, ParquetRowRange{250, 300}});
        Batch batch;
        while (part->next(batch)) {
        }
      }
    } catch (const EmberError& e) {
      ASSERT_TRUE(e.kind() == ErrorKind::kMalformedInput || e.kind() == ErrorKind::kUnsupported ||
                  e.kind() == ErrorKind::kIllegalArgument || e.kind() == ErrorKind::kAnalysis)
          << error_kind_name(e.kind()) << ": " << e.what();
    }
  }
}

TEST_F(ParquetReaderWriterTest, RowGroupsReadConcurrently) {
  Schema schema = all_types_schema();
  auto rows = all_types_rows(8000, 9);
  ParquetWriteOptions o;
  o.row_group_max_rows = 1000;
  write_and_read(path("threads.parquet"), schema, rows, o);
  auto r = ParquetFileReader::open(path("threads.parquet"));
  std::vector<int> projection(schema.size());
  for (size_t i = 0; i < schema.size(); ++i) projection[i] = static_cast<int>(i);
  std::vector<std::vector<std::vector<Value>>> per_group(static_cast<size_t>(r->num_row_groups()));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int g = t; g < r->num_row_groups(); g += 4) {
        r->read_row_group(g, projection, [&](Batch& b) {
          for (size_t i = 0; i < b.num_rows; ++i) {
            std::vector<Value> row;
            for (size_t c = 0; c < b.num_columns(); ++c) row.push_back(b.column(c)->value_at(i));
            per_group[static_cast<size_t>(g)].push_back(std::move(row));
          }
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<std::vector<Value>> got;
  for (auto& g : per_group) got.insert(got.end(), g.begin(), g.end());
  expect_same_rows(got, rows);
}

}  // namespace
}  // namespace ember
