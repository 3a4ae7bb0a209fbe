// The Thrift compact-protocol codec and Parquet's metadata structures: known byte sequences from
// the protocol spec, round trips, skipping of unknown fields, and errors on corrupt input.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/io/parquet/parquet_metadata.h"
#include "ember/io/parquet/thrift_compact.h"

namespace ember::parquet {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

ThriftCompactReader reader_of(const std::string& s) {
  return ThriftCompactReader(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

template <class F>
void expect_malformed(F&& f, const std::string& fragment) {
  try {
    f();
    FAIL() << "expected an error mentioning '" << fragment << "'";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(ThriftCompactTest, ZigzagVarintsMatchTheSpec) {
  std::string out;
  ThriftCompactWriter w(out);
  w.write_i32(0);
  w.write_i32(-1);
  w.write_i32(1);
  w.write_i32(-2);
  w.write_i32(2);
  EXPECT_EQ(out, bytes({0x00, 0x01, 0x02, 0x03, 0x04}));
  out.clear();
  // The spec's var int example: 50399 is 0xDF 0x89 0x03. -25200 is the integer whose zigzag form
  // is 50399 ((25200 << 1) - 1).
  w.write_i64(-25200);
  EXPECT_EQ(out, bytes({0xDF, 0x89, 0x03}));
  out.clear();
  w.write_i64(INT64_MIN);
  auto r = reader_of(out);
  EXPECT_EQ(r.read_i64(), INT64_MIN);
}

TEST(ThriftCompactTest, FieldHeadersShortAndLongForm) {
  std::string out;
  ThriftCompactWriter w(out);
  w.struct_begin();
  w.field_i32(1, 1);    // delta 1, type 5
  w.field_i32(3, -1);   // delta 2
  w.field_i32(100, 7);  // delta 97: long form, id as zigzag i16 (200 = C8 01)
  w.field_bool(101, true);
  w.field_bool(102, false);
  w.struct_end();
  EXPECT_EQ(out, bytes({0x15, 0x02, 0x25, 0x01, 0x05, 0xC8, 0x01, 0x0E, 0x11, 0x12, 0x00}));

  auto r = reader_of(out);
  r.struct_begin();
  auto h = r.read_field_header();
  EXPECT_EQ(h.id, 1);
  EXPECT_EQ(h.type, ThriftType::kI32);
  EXPECT_EQ(r.read_i32(), 1);
  h = r.read_field_header();
  EXPECT_EQ(h.id, 3);
  EXPECT_EQ(r.read_i32(), -1);
  h = r.read_field_header();
  EXPECT_EQ(h.id, 100);
  EXPECT_EQ(r.read_i32(), 7);
  h = r.read_field_header();
  EXPECT_EQ(h.id, 101);
  EXPECT_TRUE(ThriftCompactReader::bool_field_value(h));
  h = r.read_field_header();
  EXPECT_EQ(h.id, 102);
  EXPECT_FALSE(ThriftCompactReader::bool_field_value(h));
  EXPECT_EQ(r.read_field_header().type, ThriftType::kStop);
  r.struct_end();
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactTest, ListsBinaryAndDouble) {
  std::string out;
  ThriftCompactWriter w(out);
  w.list_header(ThriftType::kI32, 3);
  w.list_header(ThriftType::kBinary, 20);
  w.write_binary("abc");
  w.write_double(1.0);
  EXPECT_EQ(out, bytes({0x35, 0xF8, 0x14, 0x03, 'a', 'b', 'c', 0, 0, 0, 0, 0, 0, 0xF0, 0x3F}));
}

TEST(ThriftCompactTest, RandomRoundTrip) {
  std::mt19937_64 rng(42);
  std::vector<int64_t> values;
  for (int i = 0; i < 2000; ++i) {
    int shift = static_cast<int>(rng() % 64);
    values.push_back(static_cast<int64_t>(rng()) >> shift);
  }
  std::string out;
  ThriftCompactWriter w(out);
  for (int64_t v : values) {
    w.write_i64(v);
    w.write_i32(static_cast<int32_t>(v));
  }
  auto r = reader_of(out);
  for (int64_t v : values) {
    EXPECT_EQ(r.read_i64(), v);
    EXPECT_EQ(r.read_i32(), static_cast<int32_t>(v));
  }
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactTest, SkipsEveryTypeOfUnknownField) {
  std::string out;
  ThriftCompactWriter w(out);
  w.struct_begin();
  w.field_header(1, ThriftType::kDouble);
  w.write_double(3.5);
  w.field_list(2, ThriftType::kStruct, 2);
  for (int i = 0; i < 2; ++i) {
    w.struct_begin();
    w.field_binary(1, "x");
    w.struct_end();
  }
  w.field_header(3, ThriftType::kMap);
  out.push_back(0x02);                     // 2 entries
  out.push_back(static_cast<char>(0x85));  // binary → i32
  w.write_binary("k1");
  w.write_i32(1);
  w.write_binary("k2");
  w.write_i32(2);
  w.field_list(4, ThriftType::kBoolTrue, 2);
  w.write_bool_element(true);
  w.write_bool_element(false);
  w.field_header(5, ThriftType::kByte);
  w.write_byte(-3);
  w.field_i32(9, 99);
  w.struct_end();

  auto r = reader_of(out);
  r.struct_begin();
  int32_t found = 0;
  while (true) {
    auto h = r.read_field_header();
    if (h.type == ThriftType::kStop) break;
    if (h.id == 9) found = r.read_i32();
    else r.skip(h.type);
  }
  r.struct_end();
  EXPECT_EQ(found, 99);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactTest, CorruptInputIsAnErrorNotACrash) {
  expect_malformed([] { reader_of(bytes({0x80, 0x80})).read_i64(); }, "truncated varint");
  expect_malformed(
      [] {
        reader_of(bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})).read_i64();
      },
      "varint");
  expect_malformed([] { reader_of(bytes({0x05, 'a'})).read_binary(); }, "exceeds");
  expect_malformed(
      [] {
        reader_of(bytes({0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x07})).read_list_header();
      },
      "exceeds");
  expect_malformed([] { reader_of(bytes({0x0F})).read_field_header(); }, "unknown field type");
  // A struct nested 100 deep: the skip recursion is bounded.
  std::string deep;
  for (int i = 0; i < 100; ++i) deep.push_back(static_cast<char>(0x1C));
  expect_malformed(
      [&] {
        auto r = reader_of(deep);
        r.skip(ThriftType::kStruct);
      },
      "nested too deeply");
}

// ---------------------------------------------------------------------------------------------
// metadata

FileMetaData sample_metadata() {
  FileMetaData m;
  m.version = 1;
  SchemaElement root;
  root.name = "spark_schema";
  root.num_children = 3;
  m.schema.push_back(root);
  SchemaElement a;
  a.name = "id";
  a.type = PhysicalType::kInt64;
  a.repetition_type = Repetition::kRequired;
  m.schema.push_back(a);
  SchemaElement b;
  b.name = "price";
  b.type = PhysicalType::kFixedLenByteArray;
  b.type_length = 16;
  b.repetition_type = Repetition::kOptional;
  b.converted_type = ConvertedType::kDecimal;
  b.precision = 38;
  b.scale = 10;
  LogicalType dec;
  dec.kind = LogicalType::Kind::kDecimal;
  dec.precision = 38;
  dec.scale = 10;
  b.logical_type = dec;
  m.schema.push_back(b);
  SchemaElement c;
  c.name = "ts";
  c.type = PhysicalType::kInt64;
  c.repetition_type = Repetition::kOptional;
  LogicalType ts;
  ts.kind = LogicalType::Kind::kTimestamp;
  ts.is_adjusted_to_utc = true;
  ts.unit = TimeUnit::kNanos;
  c.logical_type = ts;
  m.schema.push_back(c);
  m.num_rows = 1234567890123;
  for (int g = 0; g < 2; ++g) {
    RowGroup rg;
    rg.num_rows = 100 + g;
    rg.total_byte_size = 5000;
    rg.file_offset = 4;
    rg.total_compressed_size = 4000;
    rg.ordinal = static_cast<int16_t>(g);
    for (int col = 0; col < 3; ++col) {
      ColumnChunk cc;
      cc.file_offset = 4 + col;
      ColumnMetaData cm;
      cm.type = m.schema[static_cast<size_t>(col + 1)].type.value();
      cm.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
      cm.path_in_schema = {m.schema[static_cast<size_t>(col + 1)].name};
      cm.codec = CompressionCodec::kZstd;
      cm.num_values = 100;
      cm.total_uncompressed_size = 900;
      cm.total_compressed_size = 800;
      cm.data_page_offset = 40;
      cm.dictionary_page_offset = 4;
      Statistics s;
      s.null_count = 3;
      s.min_value = std::string("\x01\x00\x00\x00\x00\x00\x00\x00", 8);
      s.max_value = std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8);
      cm.statistics = s;
      cm.encoding_stats.push_back({PageType::kDictionaryPage, Encoding::kPlain, 1});
      cc.meta_data = cm;
      cc.column_index_offset = 9999;
      cc.column_index_length = 20;
      cc.offset_index_offset = 10019;
      cc.offset_index_length = 12;
      rg.columns.push_back(cc);
    }
    m.row_groups.push_back(rg);
  }
  m.key_value_metadata.push_back({"k", std::string("v")});
  m.key_value_metadata.push_back({"no value", std::nullopt});
  m.created_by = "ember version 0.1.0";
  m.column_orders = std::vector<ColumnOrder>(3, ColumnOrder::kTypeDefined);
  return m;
}

TEST(ParquetMetadataTest, FileMetaDataRoundTrip) {
  FileMetaData m = sample_metadata();
  std::string out;
  encode_file_metadata(m, out);
  FileMetaData d = decode_file_metadata(reinterpret_cast<const uint8_t*>(out.data()), out.size());
  ASSERT_EQ(d.schema.size(), 4u);
  EXPECT_EQ(d.schema[0].num_children, 3);
  EXPECT_EQ(d.schema[2].type_length, 16);
  EXPECT_EQ(d.schema[2].converted_type, ConvertedType::kDecimal);
  ASSERT_TRUE(d.schema[2].logical_type);
  EXPECT_EQ(d.schema[2].logical_type->kind, LogicalType::Kind::kDecimal);
  EXPECT_EQ(d.schema[2].logical_type->precision, 38);
  EXPECT_EQ(d.schema[2].logical_type->scale, 10);
  ASSERT_TRUE(d.schema[3].logical_type);
  EXPECT_EQ(d.schema[3].logical_type->kind, LogicalType::Kind::kTimestamp);
  EXPECT_EQ(d.schema[3].logical_type->unit, TimeUnit::kNanos);
  EXPECT_TRUE(d.schema[3].logical_type->is_adjusted_to_utc);
  EXPECT_EQ(d.num_rows, 1234567890123);
  ASSERT_EQ(d.row_groups.size(), 2u);
  EXPECT_EQ(d.row_groups[1].num_rows, 101);
  EXPECT_EQ(d.row_groups[1].ordinal, 1);
  const ColumnMetaData& cm = *d.row_groups[1].columns[2].meta_data;
  EXPECT_EQ(cm.codec, CompressionCodec::kZstd);
  EXPECT_EQ(cm.encodings.size(), 3u);
  EXPECT_EQ(cm.path_in_schema, std::vector<std::string>{"ts"});
  EXPECT_EQ(cm.dictionary_page_offset, 4);
  EXPECT_EQ(cm.statistics->null_count, 3);
  EXPECT_EQ(cm.statistics->max_value->size(), 8u);
  EXPECT_EQ(cm.encoding_stats.size(), 1u);
  EXPECT_EQ(d.row_groups[1].columns[2].column_index_offset, 9999);
  EXPECT_EQ(d.key_value_metadata.size(), 2u);
  EXPECT_FALSE(d.key_value_metadata[1].value.has_value());
  EXPECT_EQ(d.created_by, "ember version 0.1.0");
  ASSERT_TRUE(d.column_orders);
  EXPECT_EQ((*d.column_orders)[2], ColumnOrder::kTypeDefined);
  // Re-encoding the decoded structure gives the same bytes.
  std::string again;
  encode_file_metadata(d, again);
  EXPECT_EQ(again, out);
}

TEST(ParquetMetadataTest, PageHeaderKnownBytes) {
  // PageHeader{type: DATA_PAGE, uncompressed 10, compressed 10,
  //            data_page_header: {num_values 5, PLAIN, RLE, RLE}}
  std::string b = bytes({0x15, 0x00, 0x15, 0x14, 0x15, 0x14, 0x2C, 0x15, 0x0A, 0x15, 0x00, 0x15, 0x06, 0x15,
                         0x06, 0x00, 0x00, 0xAB});
  size_t used = 0;
  PageHeader h = decode_page_header(reinterpret_cast<const uint8_t*>(b.data()), b.size(), &used);
  EXPECT_EQ(used, b.size() - 1);  // the trailing byte is page data
  EXPECT_EQ(h.type, PageType::kDataPage);
  EXPECT_EQ(h.uncompressed_page_size, 10);
  ASSERT_TRUE(h.data_page_header);
  EXPECT_EQ(h.data_page_header->num_values, 5);
  EXPECT_EQ(h.data_page_header->encoding, Encoding::kPlain);
  EXPECT_EQ(h.data_page_header->definition_level_encoding, Encoding::kRle);
  std::string out;
  encode_page_header(h, out);
  EXPECT_EQ(out, b.substr(0, b.size() - 1));
}

TEST(ParquetMetadataTest, PageHeaderV2AndDictionaryRoundTrip) {
  PageHeader h;
  h.type = PageType::kDataPageV2;
  h.uncompressed_page_size = 100;
  h.compressed_page_size = 50;
  DataPageHeaderV2 v2;
  v2.num_values = 10;
  v2.num_nulls = 2;
  v2.num_rows = 10;
  v2.encoding = Encoding::kDeltaBinaryPacked;
  v2.definition_levels_byte_length = 3;
  v2.repetition_levels_byte_length = 0;
  v2.is_compressed = false;
  h.data_page_header_v2 = v2;
  std::string out;
  encode_page_header(h, out);
  size_t used = 0;
  PageHeader d = decode_page_header(reinterpret_cast<const uint8_t*>(out.data()), out.size(), &used);
  EXPECT_EQ(used, out.size());
  ASSERT_TRUE(d.data_page_header_v2);
  EXPECT_EQ(d.data_page_header_v2->num_nulls, 2);
  EXPECT_FALSE(d.data_page_header_v2->is_compressed);
  EXPECT_EQ(d.data_page_header_v2->encoding, Encoding::kDeltaBinaryPacked);

  PageHeader dict;
  dict.type = PageType::kDictionaryPage;
  dict.dictionary_page_header = DictionaryPageHeader{7, Encoding::kPlainDictionary, true};
  out.clear();
  encode_page_header(dict, out);
  d = decode_page_header(reinterpret_cast<const uint8_t*>(out.data()), out.size(), &used);
  ASSERT_TRUE(d.dictionary_page_header);
  EXPECT_EQ(d.dictionary_page_header->num_values, 7);
  EXPECT_EQ(d.dictionary_page_header->is_sorted, true);
}

TEST(ParquetMetadataTest, PageIndexRoundTrip) {
  OffsetIndex oi;
  oi.page_locations = {{4, 100, 0}, {104, 90, 20000}};
  std::string out;
  encode_offset_index(oi, out);
  OffsetIndex d = decode_offset_index(reinterpret_cast<const uint8_t*>(out.data()), out.size());
  ASSERT_EQ(d.page_locations.size(), 2u);
  EXPECT_EQ(d.page_locations[1].first_row_index, 20000);
  ColumnIndex ci;
  ci.null_pages = {false, true};
  ci.min_values = {"a", ""};
  ci.max_values = {"z", ""};
  ci.boundary_order = BoundaryOrder::kAscending;
  ci.null_counts = {0, 5};
  out.clear();
  encode_column_index(ci, out);
  ColumnIndex c = decode_column_index(reinterpret_cast<const uint8_t*>(out.data()), out.size());
  EXPECT_EQ(c.null_pages, ci.null_pages);
  EXPECT_EQ(c.min_values, ci.min_values);
  EXPECT_EQ(c.boundary_order, BoundaryOrder::kAscending);
  EXPECT_EQ(c.null_counts, ci.null_counts);
}

TEST(ParquetMetadataTest, UnknownFieldsAreSkipped) {
  // A FileMetaData with an extra field 42 (a struct holding a list) between known fields.
  FileMetaData m = sample_metadata();
  std::string known;
  encode_file_metadata(m, known);
  // Re-encode by hand: version, a field 42, then the rest is too involved; instead append an
  // unknown field to a KeyValue-sized struct and decode it as a page header.
  std::string out;
  ThriftCompactWriter w(out);
  w.struct_begin();
  w.field_i32(1, 0);
  w.field_i32(2, 8);
  w.field_i32(3, 8);
  w.field_struct(42);
  w.struct_begin();
  w.field_list(1, ThriftType::kI64, 2);
  w.write_i64(1);
  w.write_i64(2);
  w.struct_end();
  w.field_struct(43);
  w.struct_begin();
  w.struct_end();
  w.struct_end();
  size_t used = 0;
  PageHeader h = decode_page_header(reinterpret_cast<const uint8_t*>(out.data()), out.size(), &used);
  EXPECT_EQ(used, out.size());
  EXPECT_EQ(h.compressed_page_size, 8);
  FileMetaData d = decode_file_metadata(reinterpret_cast<const uint8_t*>(known.data()), known.size());
  EXPECT_EQ(d.row_groups.size(), 2u);
}

TEST(ParquetMetadataTest, MissingRequiredFieldsAndTruncationAreErrors) {
  std::string out;
  ThriftCompactWriter w(out);
  w.struct_begin();
  w.field_i32(1, 0);
  w.struct_end();
  size_t used = 0;
  expect_malformed(
      [&] { decode_page_header(reinterpret_cast<const uint8_t*>(out.data()), out.size(), &used); },
      "uncompressed_page_size");
  FileMetaData m = sample_metadata();
  std::string full;
  encode_file_metadata(m, full);
  for (size_t cut : {size_t{0}, size_t{1}, full.size() / 3, full.size() / 2, full.size() - 1}) {
    expect_malformed([&] { decode_file_metadata(reinterpret_cast<const uint8_t*>(full.data()), cut); }, "");
  }
}

TEST(ParquetMetadataTest, RandomCorruptionNeverCrashes) {
  FileMetaData m = sample_metadata();
  std::string full;
  encode_file_metadata(m, full);
  std::mt19937 rng(7);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string s = full;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) s[rng() % s.size()] = static_cast<char>(rng());
    try {
      decode_file_metadata(reinterpret_cast<const uint8_t*>(s.data()), s.size());
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput);
    }
  }
}

}  // namespace
}  // namespace ember::parquet
