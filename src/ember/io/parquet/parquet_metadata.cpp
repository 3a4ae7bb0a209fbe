#include "ember/io/parquet/parquet_metadata.h"

#include "ember/io/parquet/thrift_compact.h"

namespace ember::parquet {

namespace {

using Reader = ThriftCompactReader;
using Writer = ThriftCompactWriter;
using Field = ThriftCompactReader::FieldHeader;
using T = ThriftType;

// Reads a struct, calling on_field(header) for each field; on_field returns false for fields it
// does not consume (unknown ids or unexpected types), which are then skipped.
template <class F>
void read_struct(Reader& r, F&& on_field) {
  r.struct_begin();
  while (true) {
    Field h = r.read_field_header();
    if (h.type == T::kStop) break;
    if (!on_field(h)) r.skip(h.type);
  }
  r.struct_end();
}

// Reads a list whose elements must have type `element`; calls read_one() per element.
template <class F>
bool read_list(Reader& r, T element, F&& read_one) {
  Reader::ListHeader lh = r.read_list_header();
  bool bool_list = element == T::kBoolTrue || element == T::kBoolFalse;
  bool bool_elements = lh.element_type == T::kBoolTrue || lh.element_type == T::kBoolFalse;
  if (lh.size > 0 && (bool_list ? !bool_elements : lh.element_type != element)) {
    for (uint32_t i = 0; i < lh.size; ++i) {
      if (bool_elements) r.read_bool_element();
      else r.skip(lh.element_type);
    }
    return false;
  }
  for (uint32_t i = 0; i < lh.size; ++i) read_one();
  return true;
}

void require(bool present, const char* structure, const char* field) {
  if (!present) thrift_error(std::string(structure) + " lacks its required field '" + field + "'");
}

bool is(const Field& h, T t) { return Reader::is_type(h, t); }

Statistics read_statistics(Reader& r) {
  Statistics s;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (!is(h, T::kBinary)) return false;
        s.max = r.read_string();
        return true;
      case 2:
        if (!is(h, T::kBinary)) return false;
        s.min = r.read_string();
        return true;
      case 3:
        if (!is(h, T::kI64)) return false;
        s.null_count = r.read_i64();
        return true;
      case 4:
        if (!is(h, T::kI64)) return false;
        s.distinct_count = r.read_i64();
        return true;
      case 5:
        if (!is(h, T::kBinary)) return false;
        s.max_value = r.read_string();
        return true;
      case 6:
        if (!is(h, T::kBinary)) return false;
        s.min_value = r.read_string();
        return true;
      case 7:
        if (!is(h, T::kBoolTrue)) return false;
        s.is_max_value_exact = Reader::bool_field_value(h);
        return true;
      case 8:
        if (!is(h, T::kBoolTrue)) return false;
        s.is_min_value_exact = Reader::bool_field_value(h);
        return true;
      default: return false;
    }
  });
  return s;
}

TimeUnit read_time_unit(Reader& r) {
  TimeUnit unit = TimeUnit::kMillis;
  bool seen = false;
  read_struct(r, [&](const Field& h) {
    if (h.type != T::kStruct || h.id < 1 || h.id > 3) return false;
    unit = static_cast<TimeUnit>(h.id);
    seen = true;
    r.skip(T::kStruct);  // the unit structs are empty
    return true;
  });
  require(seen, "TimeUnit", "unit");
  return unit;
}

LogicalType read_logical_type(Reader& r) {
  LogicalType lt;
  read_struct(r, [&](const Field& h) {
    if (h.type != T::kStruct) return false;
    lt.raw_kind = h.id;
    switch (h.id) {
      case 5: {
        lt.kind = LogicalType::Kind::kDecimal;
        bool has_scale = false, has_precision = false;
        read_struct(r, [&](const Field& f) {
          if (f.id == 1 && is(f, T::kI32)) {
            lt.scale = r.read_i32();
            has_scale = true;
            return true;
          }
          if (f.id == 2 && is(f, T::kI32)) {
            lt.precision = r.read_i32();
            has_precision = true;
            return true;
          }
          return false;
        });
        require(has_scale && has_precision, "DecimalType", "scale/precision");
        return true;
      }
      case 7:
      case 8: {
        lt.kind = h.id == 7 ? LogicalType::Kind::kTime : LogicalType::Kind::kTimestamp;
        bool has_unit = false;
        read_struct(r, [&](const Field& f) {
          if (f.id == 1 && is(f, T::kBoolTrue)) {
            lt.is_adjusted_to_utc = Reader::bool_field_value(f);
            return true;
          }
          if (f.id == 2 && is(f, T::kStruct)) {
            lt.unit = read_time_unit(r);
            has_unit = true;
            return true;
          }
          return false;
        });
        require(has_unit, h.id == 7 ? "TimeType" : "TimestampType", "unit");
        return true;
      }
      case 10: {
        lt.kind = LogicalType::Kind::kInteger;
        bool has_width = false;
        read_struct(r, [&](const Field& f) {
          if (f.id == 1 && is(f, T::kByte)) {
            lt.bit_width = r.read_byte();
            has_width = true;
            return true;
          }
          if (f.id == 2 && is(f, T::kBoolTrue)) {
            lt.is_signed = Reader::bool_field_value(f);
            return true;
          }
          return false;
        });
        require(has_width, "IntType", "bitWidth");
        return true;
      }
      case 1:
      case 2:
      case 3:
      case 4:
      case 6:
      case 11:
      case 12:
      case 13:
      case 14:
      case 15:
      case 16:
      case 17:
      case 18:
        lt.kind = static_cast<LogicalType::Kind>(h.id);
        r.skip(T::kStruct);
        return true;
      default:
        lt.kind = LogicalType::Kind::kNone;  // a kind newer than ember: unknown annotation
        return false;
    }
  });
  return lt;
}

SchemaElement read_schema_element(Reader& r) {
  SchemaElement e;
  bool has_name = false;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (!is(h, T::kI32)) return false;
        e.type = static_cast<PhysicalType>(r.read_i32());
        return true;
      case 2:
        if (!is(h, T::kI32)) return false;
        e.type_length = r.read_i32();
        return true;
      case 3:
        if (!is(h, T::kI32)) return false;
        e.repetition_type = static_cast<Repetition>(r.read_i32());
        return true;
      case 4:
        if (!is(h, T::kBinary)) return false;
        e.name = r.read_string();
        has_name = true;
        return true;
      case 5:
        if (!is(h, T::kI32)) return false;
        e.num_children = r.read_i32();
        return true;
      case 6:
        if (!is(h, T::kI32)) return false;
        e.converted_type = static_cast<ConvertedType>(r.read_i32());
        return true;
      case 7:
        if (!is(h, T::kI32)) return false;
        e.scale = r.read_i32();
        return true;
      case 8:
        if (!is(h, T::kI32)) return false;
        e.precision = r.read_i32();
        return true;
      case 9:
        if (!is(h, T::kI32)) return false;
        e.field_id = r.read_i32();
        return true;
      case 10:
        if (!is(h, T::kStruct)) return false;
        e.logical_type = read_logical_type(r);
        return true;
      default: return false;
    }
  });
  require(has_name, "SchemaElement", "name");
  return e;
}

KeyValue read_key_value(Reader& r) {
  KeyValue kv;
  bool has_key = false;
  read_struct(r, [&](const Field& h) {
    if (h.id == 1 && is(h, T::kBinary)) {
      kv.key = r.read_string();
      has_key = true;
      return true;
    }
    if (h.id == 2 && is(h, T::kBinary)) {
      kv.value = r.read_string();
      return true;
    }
    return false;
  });
  require(has_key, "KeyValue", "key");
  return kv;
}

ColumnMetaData read_column_metadata(Reader& r) {
  ColumnMetaData m;
  bool has_type = false, has_codec = false, has_num_values = false, has_data_page_offset = false;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (!is(h, T::kI32)) return false;
        m.type = static_cast<PhysicalType>(r.read_i32());
        has_type = true;
        return true;
      case 2:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kI32, [&] { m.encodings.push_back(static_cast<Encoding>(r.read_i32())); });
        return true;
      case 3:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kBinary, [&] { m.path_in_schema.push_back(r.read_string()); });
        return true;
      case 4:
        if (!is(h, T::kI32)) return false;
        m.codec = static_cast<CompressionCodec>(r.read_i32());
        has_codec = true;
        return true;
      case 5:
        if (!is(h, T::kI64)) return false;
        m.num_values = r.read_i64();
        has_num_values = true;
        return true;
      case 6:
        if (!is(h, T::kI64)) return false;
        m.total_uncompressed_size = r.read_i64();
        return true;
      case 7:
        if (!is(h, T::kI64)) return false;
        m.total_compressed_size = r.read_i64();
        return true;
      case 8:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kStruct, [&] { m.key_value_metadata.push_back(read_key_value(r)); });
        return true;
      case 9:
        if (!is(h, T::kI64)) return false;
        m.data_page_offset = r.read_i64();
        has_data_page_offset = true;
        return true;
      case 10:
        if (!is(h, T::kI64)) return false;
        m.index_page_offset = r.read_i64();
        return true;
      case 11:
        if (!is(h, T::kI64)) return false;
        m.dictionary_page_offset = r.read_i64();
        return true;
      case 12:
        if (!is(h, T::kStruct)) return false;
        m.statistics = read_statistics(r);
        return true;
      case 13:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kStruct, [&] {
          PageEncodingStats s;
          read_struct(r, [&](const Field& f) {
            if (!is(f, T::kI32)) return false;
            if (f.id == 1) s.page_type = static_cast<PageType>(r.read_i32());
            else if (f.id == 2) s.encoding = static_cast<Encoding>(r.read_i32());
            else if (f.id == 3) s.count = r.read_i32();
            else return false;
            return true;
          });
          m.encoding_stats.push_back(s);
        });
        return true;
      case 14:
        if (!is(h, T::kI64)) return false;
        m.bloom_filter_offset = r.read_i64();
        return true;
      case 15:
        if (!is(h, T::kI32)) return false;
        m.bloom_filter_length = r.read_i32();
        return true;
      default: return false;
    }
  });
  require(has_type, "ColumnMetaData", "type");
  require(has_codec, "ColumnMetaData", "codec");
  require(has_num_values, "ColumnMetaData", "num_values");
  require(has_data_page_offset, "ColumnMetaData", "data_page_offset");
  return m;
}

ColumnChunk read_column_chunk(Reader& r) {
  ColumnChunk c;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (!is(h, T::kBinary)) return false;
        c.file_path = r.read_string();
        return true;
      case 2:
        if (!is(h, T::kI64)) return false;
        c.file_offset = r.read_i64();
        return true;
      case 3:
        if (!is(h, T::kStruct)) return false;
        c.meta_data = read_column_metadata(r);
        return true;
      case 4:
        if (!is(h, T::kI64)) return false;
        c.offset_index_offset = r.read_i64();
        return true;
      case 5:
        if (!is(h, T::kI32)) return false;
        c.offset_index_length = r.read_i32();
        return true;
      case 6:
        if (!is(h, T::kI64)) return false;
        c.column_index_offset = r.read_i64();
        return true;
      case 7:
        if (!is(h, T::kI32)) return false;
        c.column_index_length = r.read_i32();
        return true;
      case 8:
      case 9: c.encrypted = true; return false;
      default: return false;
    }
  });
  return c;
}

RowGroup read_row_group(Reader& r) {
  RowGroup g;
  bool has_columns = false, has_num_rows = false;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kStruct, [&] { g.columns.push_back(read_column_chunk(r)); });
        has_columns = true;
        return true;
      case 2:
        if (!is(h, T::kI64)) return false;
        g.total_byte_size = r.read_i64();
        return true;
      case 3:
        if (!is(h, T::kI64)) return false;
        g.num_rows = r.read_i64();
        has_num_rows = true;
        return true;
      case 4:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kStruct, [&] {
          SortingColumn s;
          read_struct(r, [&](const Field& f) {
            if (f.id == 1 && is(f, T::kI32)) s.column_idx = r.read_i32();
            else if (f.id == 2 && is(f, T::kBoolTrue)) s.descending = Reader::bool_field_value(f);
            else if (f.id == 3 && is(f, T::kBoolTrue)) s.nulls_first = Reader::bool_field_value(f);
            else return false;
            return true;
          });
          g.sorting_columns.push_back(s);
        });
        return true;
      case 5:
        if (!is(h, T::kI64)) return false;
        g.file_offset = r.read_i64();
        return true;
      case 6:
        if (!is(h, T::kI64)) return false;
        g.total_compressed_size = r.read_i64();
        return true;
      case 7:
        if (!is(h, T::kI16)) return false;
        g.ordinal = r.read_i16();
        return true;
      default: return false;
    }
  });
  require(has_columns, "RowGroup", "columns");
  require(has_num_rows, "RowGroup", "num_rows");
  return g;
}

DataPageHeader read_data_page_header(Reader& r) {
  DataPageHeader d;
  bool has_num_values = false, has_encoding = false;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (!is(h, T::kI32)) return false;
        d.num_values = r.read_i32();
        has_num_values = true;
        return true;
      case 2:
        if (!is(h, T::kI32)) return false;
        d.encoding = static_cast<Encoding>(r.read_i32());
        has_encoding = true;
        return true;
      case 3:
        if (!is(h, T::kI32)) return false;
        d.definition_level_encoding = static_cast<Encoding>(r.read_i32());
        return true;
      case 4:
        if (!is(h, T::kI32)) return false;
        d.repetition_level_encoding = static_cast<Encoding>(r.read_i32());
        return true;
      case 5:
        if (!is(h, T::kStruct)) return false;
        d.statistics = read_statistics(r);
        return true;
      default: return false;
    }
  });
  require(has_num_values, "DataPageHeader", "num_values");
  require(has_encoding, "DataPageHeader", "encoding");
  return d;
}

DictionaryPageHeader read_dictionary_page_header(Reader& r) {
  DictionaryPageHeader d;
  bool has_num_values = false;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (!is(h, T::kI32)) return false;
        d.num_values = r.read_i32();
        has_num_values = true;
        return true;
      case 2:
        if (!is(h, T::kI32)) return false;
        d.encoding = static_cast<Encoding>(r.read_i32());
        return true;
      case 3:
        if (!is(h, T::kBoolTrue)) return false;
        d.is_sorted = Reader::bool_field_value(h);
        return true;
      default: return false;
    }
  });
  require(has_num_values, "DictionaryPageHeader", "num_values");
  return d;
}

DataPageHeaderV2 read_data_page_header_v2(Reader& r) {
  DataPageHeaderV2 d;
  int seen = 0;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
      case 2:
      case 3:
      case 4:
      case 5:
      case 6: {
        if (!is(h, T::kI32)) return false;
        int32_t v = r.read_i32();
        seen |= 1 << h.id;
        if (h.id == 1) d.num_values = v;
        else if (h.id == 2) d.num_nulls = v;
        else if (h.id == 3) d.num_rows = v;
        else if (h.id == 4) d.encoding = static_cast<Encoding>(v);
        else if (h.id == 5) d.definition_levels_byte_length = v;
        else d.repetition_levels_byte_length = v;
        return true;
      }
      case 7:
        if (!is(h, T::kBoolTrue)) return false;
        d.is_compressed = Reader::bool_field_value(h);
        return true;
      case 8:
        if (!is(h, T::kStruct)) return false;
        d.statistics = read_statistics(r);
        return true;
      default: return false;
    }
  });
  require((seen & 0x7e) == 0x7e, "DataPageHeaderV2", "num_values/num_nulls/num_rows/encoding/level lengths");
  return d;
}

// ---------------------------------------------------------------------------------------------
// encoding

void write_statistics(Writer& w, const Statistics& s) {
  w.struct_begin();
  if (s.max) w.field_binary(1, *s.max);
  if (s.min) w.field_binary(2, *s.min);
  if (s.null_count) w.field_i64(3, *s.null_count);
  if (s.distinct_count) w.field_i64(4, *s.distinct_count);
  if (s.max_value) w.field_binary(5, *s.max_value);
  if (s.min_value) w.field_binary(6, *s.min_value);
  if (s.is_max_value_exact) w.field_bool(7, *s.is_max_value_exact);
  if (s.is_min_value_exact) w.field_bool(8, *s.is_min_value_exact);
  w.struct_end();
}

void write_empty_struct_field(Writer& w, int16_t id) {
  w.field_struct(id);
  w.struct_begin();
  w.struct_end();
}

void write_logical_type(Writer& w, const LogicalType& lt) {
  w.struct_begin();
  auto id = static_cast<int16_t>(lt.kind);
  switch (lt.kind) {
    case LogicalType::Kind::kNone: break;
    case LogicalType::Kind::kDecimal:
      w.field_struct(id);
      w.struct_begin();
      w.field_i32(1, lt.scale);
      w.field_i32(2, lt.precision);
      w.struct_end();
      break;
    case LogicalType::Kind::kTime:
    case LogicalType::Kind::kTimestamp:
      w.field_struct(id);
      w.struct_begin();
      w.field_bool(1, lt.is_adjusted_to_utc);
      w.field_struct(2);
      w.struct_begin();
      write_empty_struct_field(w, static_cast<int16_t>(lt.unit));
      w.struct_end();
      w.struct_end();
      break;
    case LogicalType::Kind::kInteger:
      w.field_struct(id);
      w.struct_begin();
      w.field_header(1, ThriftType::kByte);
      w.write_byte(lt.bit_width);
      w.field_bool(2, lt.is_signed);
      w.struct_end();
      break;
    default: write_empty_struct_field(w, id); break;
  }
  w.struct_end();
}

void write_schema_element(Writer& w, const SchemaElement& e) {
  w.struct_begin();
  if (e.type) w.field_i32(1, static_cast<int32_t>(*e.type));
  if (e.type_length) w.field_i32(2, *e.type_length);
  if (e.repetition_type) w.field_i32(3, static_cast<int32_t>(*e.repetition_type));
  w.field_binary(4, e.name);
  if (e.num_children) w.field_i32(5, *e.num_children);
  if (e.converted_type) w.field_i32(6, static_cast<int32_t>(*e.converted_type));
  if (e.scale) w.field_i32(7, *e.scale);
  if (e.precision) w.field_i32(8, *e.precision);
  if (e.field_id) w.field_i32(9, *e.field_id);
  if (e.logical_type && e.logical_type->kind != LogicalType::Kind::kNone) {
    w.field_struct(10);
    write_logical_type(w, *e.logical_type);
  }
  w.struct_end();
}

void write_key_values(Writer& w, int16_t id, const std::vector<KeyValue>& kvs) {
  w.field_list(id, ThriftType::kStruct, kvs.size());
  for (const KeyValue& kv : kvs) {
    w.struct_begin();
    w.field_binary(1, kv.key);
    if (kv.value) w.field_binary(2, *kv.value);
    w.struct_end();
  }
}

void write_column_metadata(Writer& w, const ColumnMetaData& m) {
  w.struct_begin();
  w.field_i32(1, static_cast<int32_t>(m.type));
  w.field_list(2, ThriftType::kI32, m.encodings.size());
  for (Encoding e : m.encodings) w.write_i32(static_cast<int32_t>(e));
  w.field_list(3, ThriftType::kBinary, m.path_in_schema.size());
  for (const std::string& p : m.path_in_schema) w.write_binary(p);
  w.field_i32(4, static_cast<int32_t>(m.codec));
  w.field_i64(5, m.num_values);
  w.field_i64(6, m.total_uncompressed_size);
  w.field_i64(7, m.total_compressed_size);
  if (!m.key_value_metadata.empty()) write_key_values(w, 8, m.key_value_metadata);
  w.field_i64(9, m.data_page_offset);
  if (m.index_page_offset) w.field_i64(10, *m.index_page_offset);
  if (m.dictionary_page_offset) w.field_i64(11, *m.dictionary_page_offset);
  if (m.statistics) {
    w.field_struct(12);
    write_statistics(w, *m.statistics);
  }
  if (!m.encoding_stats.empty()) {
    w.field_list(13, ThriftType::kStruct, m.encoding_stats.size());
    for (const PageEncodingStats& s : m.encoding_stats) {
      w.struct_begin();
      w.field_i32(1, static_cast<int32_t>(s.page_type));
      w.field_i32(2, static_cast<int32_t>(s.encoding));
      w.field_i32(3, s.count);
      w.struct_end();
    }
  }
  if (m.bloom_filter_offset) w.field_i64(14, *m.bloom_filter_offset);
  if (m.bloom_filter_length) w.field_i32(15, *m.bloom_filter_length);
  w.struct_end();
}

void write_row_group(Writer& w, const RowGroup& g) {
  w.struct_begin();
  w.field_list(1, ThriftType::kStruct, g.columns.size());
  for (const ColumnChunk& c : g.columns) {
    w.struct_begin();
    if (c.file_path) w.field_binary(1, *c.file_path);
    w.field_i64(2, c.file_offset);
    if (c.meta_data) {
      w.field_struct(3);
      write_column_metadata(w, *c.meta_data);
    }
    if (c.offset_index_offset) w.field_i64(4, *c.offset_index_offset);
    if (c.offset_index_length) w.field_i32(5, *c.offset_index_length);
    if (c.column_index_offset) w.field_i64(6, *c.column_index_offset);
    if (c.column_index_length) w.field_i32(7, *c.column_index_length);
    w.struct_end();
  }
  w.field_i64(2, g.total_byte_size);
  w.field_i64(3, g.num_rows);
  if (!g.sorting_columns.empty()) {
    w.field_list(4, ThriftType::kStruct, g.sorting_columns.size());
    for (const SortingColumn& s : g.sorting_columns) {
      w.struct_begin();
      w.field_i32(1, s.column_idx);
      w.field_bool(2, s.descending);
      w.field_bool(3, s.nulls_first);
      w.struct_end();
    }
  }
  if (g.file_offset) w.field_i64(5, *g.file_offset);
  if (g.total_compressed_size) w.field_i64(6, *g.total_compressed_size);
  if (g.ordinal) {
    w.field_header(7, ThriftType::kI16);
    w.write_i16(*g.ordinal);
  }
  w.struct_end();
}

}  // namespace

const char* physical_type_name(PhysicalType t) {
  switch (t) {
    case PhysicalType::kBoolean: return "BOOLEAN";
    case PhysicalType::kInt32: return "INT32";
    case PhysicalType::kInt64: return "INT64";
    case PhysicalType::kInt96: return "INT96";
    case PhysicalType::kFloat: return "FLOAT";
    case PhysicalType::kDouble: return "DOUBLE";
    case PhysicalType::kByteArray: return "BYTE_ARRAY";
    case PhysicalType::kFixedLenByteArray: return "FIXED_LEN_BYTE_ARRAY";
  }
  return "UNKNOWN";
}

const char* encoding_name(Encoding e) {
  switch (e) {
    case Encoding::kPlain: return "PLAIN";
    case Encoding::kPlainDictionary: return "PLAIN_DICTIONARY";
    case Encoding::kRle: return "RLE";
    case Encoding::kBitPacked: return "BIT_PACKED";
    case Encoding::kDeltaBinaryPacked: return "DELTA_BINARY_PACKED";
    case Encoding::kDeltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::kDeltaByteArray: return "DELTA_BYTE_ARRAY";
    case Encoding::kRleDictionary: return "RLE_DICTIONARY";
    case Encoding::kByteStreamSplit: return "BYTE_STREAM_SPLIT";
  }
  return "UNKNOWN";
}

const char* codec_name(CompressionCodec c) {
  switch (c) {
    case CompressionCodec::kUncompressed: return "UNCOMPRESSED";
    case CompressionCodec::kSnappy: return "SNAPPY";
    case CompressionCodec::kGzip: return "GZIP";
    case CompressionCodec::kLzo: return "LZO";
    case CompressionCodec::kBrotli: return "BROTLI";
    case CompressionCodec::kLz4: return "LZ4";
    case CompressionCodec::kZstd: return "ZSTD";
    case CompressionCodec::kLz4Raw: return "LZ4_RAW";
  }
  return "UNKNOWN";
}

FileMetaData decode_file_metadata(const uint8_t* data, size_t size) {
  Reader r(data, size);
  FileMetaData m;
  bool has_version = false, has_schema = false, has_num_rows = false, has_row_groups = false;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (!is(h, T::kI32)) return false;
        m.version = r.read_i32();
        has_version = true;
        return true;
      case 2:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kStruct, [&] { m.schema.push_back(read_schema_element(r)); });
        has_schema = true;
        return true;
      case 3:
        if (!is(h, T::kI64)) return false;
        m.num_rows = r.read_i64();
        has_num_rows = true;
        return true;
      case 4:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kStruct, [&] { m.row_groups.push_back(read_row_group(r)); });
        has_row_groups = true;
        return true;
      case 5:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kStruct, [&] { m.key_value_metadata.push_back(read_key_value(r)); });
        return true;
      case 6:
        if (!is(h, T::kBinary)) return false;
        m.created_by = r.read_string();
        return true;
      case 7: {
        if (!is(h, T::kList)) return false;
        std::vector<ColumnOrder> orders;
        read_list(r, T::kStruct, [&] {
          ColumnOrder order = ColumnOrder::kUnknown;
          read_struct(r, [&](const Field& f) {
            if (f.type != T::kStruct) return false;
            if (f.id >= 1 && f.id <= 3) order = static_cast<ColumnOrder>(f.id);
            r.skip(T::kStruct);
            return true;
          });
          orders.push_back(order);
        });
        m.column_orders = std::move(orders);
        return true;
      }
      case 8: m.encrypted = true; return false;
      default: return false;
    }
  });
  require(has_version, "FileMetaData", "version");
  require(has_schema, "FileMetaData", "schema");
  require(has_num_rows, "FileMetaData", "num_rows");
  require(has_row_groups, "FileMetaData", "row_groups");
  return m;
}

PageHeader decode_page_header(const uint8_t* data, size_t size, size_t* header_size) {
  Reader r(data, size);
  PageHeader p;
  bool has_type = false, has_uncompressed = false, has_compressed = false;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (!is(h, T::kI32)) return false;
        p.type = static_cast<PageType>(r.read_i32());
        has_type = true;
        return true;
      case 2:
        if (!is(h, T::kI32)) return false;
        p.uncompressed_page_size = r.read_i32();
        has_uncompressed = true;
        return true;
      case 3:
        if (!is(h, T::kI32)) return false;
        p.compressed_page_size = r.read_i32();
        has_compressed = true;
        return true;
      case 4:
        if (!is(h, T::kI32)) return false;
        p.crc = r.read_i32();
        return true;
      case 5:
        if (!is(h, T::kStruct)) return false;
        p.data_page_header = read_data_page_header(r);
        return true;
      case 7:
        if (!is(h, T::kStruct)) return false;
        p.dictionary_page_header = read_dictionary_page_header(r);
        return true;
      case 8:
        if (!is(h, T::kStruct)) return false;
        p.data_page_header_v2 = read_data_page_header_v2(r);
        return true;
      default: return false;
    }
  });
  require(has_type, "PageHeader", "type");
  require(has_uncompressed, "PageHeader", "uncompressed_page_size");
  require(has_compressed, "PageHeader", "compressed_page_size");
  *header_size = r.position();
  return p;
}

OffsetIndex decode_offset_index(const uint8_t* data, size_t size) {
  Reader r(data, size);
  OffsetIndex index;
  read_struct(r, [&](const Field& h) {
    if (h.id != 1 || !is(h, T::kList)) return false;
    read_list(r, T::kStruct, [&] {
      PageLocation loc;
      int seen = 0;
      read_struct(r, [&](const Field& f) {
        if (f.id == 1 && is(f, T::kI64)) loc.offset = r.read_i64();
        else if (f.id == 2 && is(f, T::kI32)) loc.compressed_page_size = r.read_i32();
        else if (f.id == 3 && is(f, T::kI64)) loc.first_row_index = r.read_i64();
        else return false;
        seen |= 1 << f.id;
        return true;
      });
      require(seen == 0xe, "PageLocation", "offset/compressed_page_size/first_row_index");
      index.page_locations.push_back(loc);
    });
    return true;
  });
  return index;
}

ColumnIndex decode_column_index(const uint8_t* data, size_t size) {
  Reader r(data, size);
  ColumnIndex index;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kBoolTrue, [&] { index.null_pages.push_back(r.read_bool_element()); });
        return true;
      case 2:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kBinary, [&] { index.min_values.push_back(r.read_string()); });
        return true;
      case 3:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kBinary, [&] { index.max_values.push_back(r.read_string()); });
        return true;
      case 4:
        if (!is(h, T::kI32)) return false;
        index.boundary_order = static_cast<BoundaryOrder>(r.read_i32());
        return true;
      case 5:
        if (!is(h, T::kList)) return false;
        read_list(r, T::kI64, [&] { index.null_counts.push_back(r.read_i64()); });
        return true;
      default: return false;
    }
  });
  return index;
}

void encode_file_metadata(const FileMetaData& m, std::string& out) {
  Writer w(out);
  w.struct_begin();
  w.field_i32(1, m.version);
  w.field_list(2, ThriftType::kStruct, m.schema.size());
  for (const SchemaElement& e : m.schema) write_schema_element(w, e);
  w.field_i64(3, m.num_rows);
  w.field_list(4, ThriftType::kStruct, m.row_groups.size());
  for (const RowGroup& g : m.row_groups) write_row_group(w, g);
  if (!m.key_value_metadata.empty()) write_key_values(w, 5, m.key_value_metadata);
  if (m.created_by) w.field_binary(6, *m.created_by);
  if (m.column_orders) {
    w.field_list(7, ThriftType::kStruct, m.column_orders->size());
    for (ColumnOrder order : *m.column_orders) {
      w.struct_begin();
      if (order != ColumnOrder::kUnknown) write_empty_struct_field(w, static_cast<int16_t>(order));
      w.struct_end();
    }
  }
  w.struct_end();
}

void encode_page_header(const PageHeader& p, std::string& out) {
  Writer w(out);
  w.struct_begin();
  w.field_i32(1, static_cast<int32_t>(p.type));
  w.field_i32(2, p.uncompressed_page_size);
  w.field_i32(3, p.compressed_page_size);
  if (p.crc) w.field_i32(4, *p.crc);
  if (p.data_page_header) {
    const DataPageHeader& d = *p.data_page_header;
    w.field_struct(5);
    w.struct_begin();
    w.field_i32(1, d.num_values);
    w.field_i32(2, static_cast<int32_t>(d.encoding));
    w.field_i32(3, static_cast<int32_t>(d.definition_level_encoding));
    w.field_i32(4, static_cast<int32_t>(d.repetition_level_encoding));
    if (d.statistics) {
      w.field_struct(5);
      write_statistics(w, *d.statistics);
    }
    w.struct_end();
  }
  if (p.dictionary_page_header) {
    const DictionaryPageHeader& d = *p.dictionary_page_header;
    w.field_struct(7);
    w.struct_begin();
    w.field_i32(1, d.num_values);
    w.field_i32(2, static_cast<int32_t>(d.encoding));
    if (d.is_sorted) w.field_bool(3, *d.is_sorted);
    w.struct_end();
  }
  if (p.data_page_header_v2) {
    const DataPageHeaderV2& d = *p.data_page_header_v2;
    w.field_struct(8);
    w.struct_begin();
    w.field_i32(1, d.num_values);
    w.field_i32(2, d.num_nulls);
    w.field_i32(3, d.num_rows);
    w.field_i32(4, static_cast<int32_t>(d.encoding));
    w.field_i32(5, d.definition_levels_byte_length);
    w.field_i32(6, d.repetition_levels_byte_length);
    w.field_bool(7, d.is_compressed);
    if (d.statistics) {
      w.field_struct(8);
      write_statistics(w, *d.statistics);
    }
    w.struct_end();
  }
  w.struct_end();
}

void encode_offset_index(const OffsetIndex& index, std::string& out) {
  Writer w(out);
  w.struct_begin();
  w.field_list(1, ThriftType::kStruct, index.page_locations.size());
  for (const PageLocation& loc : index.page_locations) {
    w.struct_begin();
    w.field_i64(1, loc.offset);
    w.field_i32(2, loc.compressed_page_size);
    w.field_i64(3, loc.first_row_index);
    w.struct_end();
  }
  w.struct_end();
}

void encode_column_index(const ColumnIndex& index, std::string& out) {
  Writer w(out);
  w.struct_begin();
  w.field_list(1, ThriftType::kBoolTrue, index.null_pages.size());
  for (bool b : index.null_pages) w.write_bool_element(b);
  w.field_list(2, ThriftType::kBinary, index.min_values.size());
  for (const std::string& v : index.min_values) w.write_binary(v);
  w.field_list(3, ThriftType::kBinary, index.max_values.size());
  for (const std::string& v : index.max_values) w.write_binary(v);
  w.field_i32(4, static_cast<int32_t>(index.boundary_order));
  if (!index.null_counts.empty()) {
    w.field_list(5, ThriftType::kI64, index.null_counts.size());
    for (int64_t n : index.null_counts) w.write_i64(n);
  }
  w.struct_end();
}

}  // namespace ember::parquet
