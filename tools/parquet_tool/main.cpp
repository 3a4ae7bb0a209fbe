// parquet_tool: drives ember's Parquet reader and writer from the command line, for the interop
// tests (tests/integration/test_parquet_interop.py) and for looking inside files.
//
//   parquet_tool dump <file> [--columns a,b] [--batch-size N] [--binary-as-string] [--nanos-as-long]
//       line 1: {"schema":[...],"num_rows":N,"num_row_groups":G,"created_by":"..."}
//       then one JSON array per row.
//   parquet_tool dump ... [--row-group G] [--rows a:b,c:d]
//       only row group G, and within it only the given row ranges (page-level skipping).
//   parquet_tool pages <file>
//       the page index: per row group and column, each page's first row, rows, bounds, nulls.
//   parquet_tool meta <file>
//       the footer as JSON: schema, key-value metadata, row groups with per-column codec,
//       encodings, sizes and decoded statistics.
//   parquet_tool from-jsonl <in.jsonl> <ddl> <out.parquet> [--compression C] [--row-group-rows N]
//       [--row-group-size BYTES] [--page-size BYTES] [--page-rows N] [--dictionary-page-size BYTES]
//       [--no-dictionary] [--batch-size N]
//       writes rows given as JSON arrays (one per line, in dump's value format) with schema <ddl>.
//
// Value format (dump and from-jsonl): null; booleans; integers; float/double as JSON numbers (the
// exact binary value, shortest form) or "NaN", "Infinity", "-Infinity"; decimals as strings;
// strings as JSON strings; binary as lowercase hex strings; dates as days since 1970-01-01;
// timestamps as microseconds since 1970-01-01T00:00:00Z; arrays as JSON arrays; maps as arrays of
// [key, value] pairs; structs as objects {"field": value} in dump and as arrays of field values
// (in field order) in from-jsonl.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ember/common/error.h"
#include "ember/io/parquet/parquet_reader.h"
#include "ember/io/parquet/parquet_writer.h"
#include "ember/types/decimal.h"
#include "ember/types/json_text.h"

namespace {

using ember::DataType;
using ember::TypeId;
using ember::Value;

// ---------------------------------------------------------------------------------------------
// JSON output

using ember::append_json_string;

void append_double(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "\"NaN\"";
  } else if (std::isinf(d)) {
    out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, r.ptr);
  }
}

void append_value(std::string& out, const Value& v) {
  if (v.is_null()) {
    out += "null";
    return;
  }
  switch (v.type().id()) {
    case TypeId::kBoolean: out += v.as_bool() ? "true" : "false"; break;
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kDate:
    case TypeId::kTimestamp: out += std::to_string(v.as_int64()); break;
    case TypeId::kFloat:
    case TypeId::kDouble: append_double(out, v.as_double()); break;
    case TypeId::kDecimal:
      append_json_string(out, ember::format_decimal(v.as_decimal(), v.type().scale()));
      break;
    case TypeId::kString: append_json_string(out, v.as_string()); break;
    case TypeId::kBinary: {
      static const char* kHex = "0123456789abcdef";
      std::string hex;
      for (char c : v.as_string()) {
        hex.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
        hex.push_back(kHex[static_cast<unsigned char>(c) & 15]);
      }
      append_json_string(out, hex);
      break;
    }
    case TypeId::kArray: {
      out += '[';
      for (size_t i = 0; i < v.as_array().size(); ++i) {
        if (i) out += ',';
        append_value(out, v.as_array()[i]);
      }
      out += ']';
      break;
    }
    case TypeId::kMap: {
      out += '[';
      for (size_t i = 0; i < v.map_keys().size(); ++i) {
        if (i) out += ',';
        out += '[';
        append_value(out, v.map_keys()[i]);
        out += ',';
        append_value(out, v.map_values()[i]);
        out += ']';
      }
      out += ']';
      break;
    }
    case TypeId::kStruct: {
      out += '{';
      for (size_t i = 0; i < v.as_struct().size(); ++i) {
        if (i) out += ',';
        append_json_string(out, v.type().fields()[i].name);
        out += ':';
        append_value(out, v.as_struct()[i]);
      }
      out += '}';
      break;
    }
    default: out += "null"; break;
  }
}

std::string schema_json(const ember::Schema& schema) {
  std::string out = "[";
  for (size_t i = 0; i < schema.size(); ++i) {
    const ember::Field& f = schema.field(i);
    if (i) out += ",";
    out += "{\"name\":";
    append_json_string(out, f.name);
    out += ",\"type\":";
    append_json_string(out, f.type.simple_string());
    out += ",\"nullable\":";
    out += f.nullable ? "true" : "false";
    out += "}";
  }
  return out + "]";
}

// ---------------------------------------------------------------------------------------------
// JSON input: one array of scalars per line.

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray } kind = Kind::kNull;
  bool b = false;
  std::string text;              // number text or string contents
  std::vector<JsonValue> items;  // kArray
};

class JsonLineParser {
 public:
  explicit JsonLineParser(std::string_view s) : s_(s) {}

  std::vector<JsonValue> parse_array() {
    std::vector<JsonValue> out;
    skip_ws();
    expect('[');
    skip_ws();
    if (peek() == ']') {
      ++i_;
      return out;
    }
    while (true) {
      out.push_back(parse_scalar());
      skip_ws();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      expect(']');
      break;
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("bad JSON at character " + std::to_string(i_) + ": " + what);
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  bool take(std::string_view word) {
    if (s_.substr(i_, word.size()) == word) {
      i_ += word.size();
      return true;
    }
    return false;
  }
  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }
  uint32_t hex4() {
    if (i_ + 4 > s_.size()) fail("truncated \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
      else fail("bad \\u escape");
    }
    return v;
  }
  JsonValue parse_scalar() {
    skip_ws();
    JsonValue v;
    char c = peek();
    if (c == '[') {
      v.kind = JsonValue::Kind::kArray;
      v.items = parse_array();
      return v;
    }
    if (c == '"') {
      ++i_;
      v.kind = JsonValue::Kind::kString;
      while (true) {
        if (i_ >= s_.size()) fail("unterminated string");
        char ch = s_[i_++];
        if (ch == '"') break;
        if (ch != '\\') {
          v.text.push_back(ch);
          continue;
        }
        char e = s_[i_++];
        switch (e) {
          case '"': v.text.push_back('"'); break;
          case '\\': v.text.push_back('\\'); break;
          case '/': v.text.push_back('/'); break;
          case 'b': v.text.push_back('\b'); break;
          case 'f': v.text.push_back('\f'); break;
          case 'n': v.text.push_back('\n'); break;
          case 'r': v.text.push_back('\r'); break;
          case 't': v.text.push_back('\t'); break;
          case 'u': {
            uint32_t cp = hex4();
            if (cp >= 0xd800 && cp < 0xdc00 && take("\\u")) {
              uint32_t lo = hex4();
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            }
            append_utf8(v.text, cp);
            break;
          }
          default: fail("bad escape");
        }
      }
    } else if (take("null")) {
      v.kind = JsonValue::Kind::kNull;
    } else if (take("true")) {
      v.kind = JsonValue::Kind::kBool;
      v.b = true;
    } else if (take("false")) {
      v.kind = JsonValue::Kind::kBool;
    } else {
      size_t start = i_;
      while (i_ < s_.size() && std::strchr("+-0123456789.eE", s_[i_]) != nullptr) ++i_;
      if (start == i_) fail("expected a value");
      v.kind = JsonValue::Kind::kNumber;
      v.text = std::string(s_.substr(start, i_ - start));
    }
    return v;
  }

  std::string_view s_;
  size_t i_ = 0;
};

int64_t parse_int(const std::string& s) {
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) throw std::runtime_error("bad integer: " + s);
  return v;
}

double parse_double(const JsonValue& j) {
  if (j.kind == JsonValue::Kind::kString) {
    if (j.text == "NaN") return std::nan("");
    if (j.text == "Infinity") return HUGE_VAL;
    if (j.text == "-Infinity") return -HUGE_VAL;
  }
  return std::strtod(j.text.c_str(), nullptr);
}

Value to_value(const JsonValue& j, const DataType& t) {
  if (j.kind == JsonValue::Kind::kNull) return Value::null(t);
  switch (t.id()) {
    case TypeId::kBoolean: return Value::boolean(j.b);
    case TypeId::kByte: return Value::byte(static_cast<int8_t>(parse_int(j.text)));
    case TypeId::kShort: return Value::short_(static_cast<int16_t>(parse_int(j.text)));
    case TypeId::kInt: return Value::int32(static_cast<int32_t>(parse_int(j.text)));
    case TypeId::kLong: return Value::int64(parse_int(j.text));
    case TypeId::kDate: return Value::date(static_cast<int32_t>(parse_int(j.text)));
    case TypeId::kTimestamp: return Value::timestamp(parse_int(j.text));
    case TypeId::kFloat: return Value::float32(static_cast<float>(parse_double(j)));
    case TypeId::kDouble: return Value::float64(parse_double(j));
    case TypeId::kDecimal: {
      auto d = ember::parse_decimal(j.text, t.precision(), t.scale());
      if (!d) throw std::runtime_error("bad decimal for " + t.simple_string() + ": " + j.text);
      return Value::decimal(*d, t.precision(), t.scale());
    }
    case TypeId::kString: return Value::string(j.text);
    case TypeId::kBinary: {
      std::string bytes;
      if (j.text.size() % 2 != 0) throw std::runtime_error("odd-length hex: " + j.text);
      for (size_t i = 0; i < j.text.size(); i += 2) {
        bytes.push_back(static_cast<char>(std::stoi(j.text.substr(i, 2), nullptr, 16)));
      }
      return Value::binary(bytes);
    }
    case TypeId::kArray: {
      std::vector<Value> elements;
      for (const JsonValue& x : j.items) elements.push_back(to_value(x, t.element_type()));
      return Value::array(t.element_type(), std::move(elements));
    }
    case TypeId::kMap: {
      std::vector<Value> keys, values;
      for (const JsonValue& kv : j.items) {
        if (kv.items.size() != 2) throw std::runtime_error("a map entry must be [key, value]");
        keys.push_back(to_value(kv.items[0], t.key_type()));
        values.push_back(to_value(kv.items[1], t.value_type()));
      }
      return Value::map(t, std::move(keys), std::move(values));
    }
    case TypeId::kStruct: {
      if (j.items.size() != t.fields().size())
        throw std::runtime_error("wrong field count for " + t.simple_string());
      std::vector<Value> fields;
      for (size_t k = 0; k < j.items.size(); ++k) fields.push_back(to_value(j.items[k], t.fields()[k].type));
      return Value::struct_(t, std::move(fields));
    }
    default: throw std::runtime_error("unsupported type " + t.simple_string());
  }
}

// ---------------------------------------------------------------------------------------------
// commands

std::map<std::string, std::string> parse_flags(int argc, char** argv, int first,
                                               std::vector<std::string>& positional) {
  std::map<std::string, std::string> flags;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) == 0) {
      std::string key = a.substr(2);
      static const char* kSwitches[] = {"no-dictionary", "binary-as-string", "nanos-as-long"};
      bool is_switch = false;
      for (const char* s : kSwitches) is_switch |= key == s;
      if (is_switch) {
        flags[key] = "true";
      } else {
        if (i + 1 >= argc) throw std::runtime_error("missing value for " + a);
        flags[key] = argv[++i];
      }
    } else {
      positional.push_back(a);
    }
  }
  return flags;
}

ember::ParquetReadOptions read_options(const std::map<std::string, std::string>& flags) {
  ember::ParquetReadOptions o;
  if (flags.count("binary-as-string")) o.binary_as_string = true;
  if (flags.count("nanos-as-long")) o.nanos_as_long = true;
  if (flags.count("batch-size")) o.batch_size = static_cast<size_t>(parse_int(flags.at("batch-size")));
  return o;
}

int cmd_dump(const std::vector<std::string>& args, const std::map<std::string, std::string>& flags) {
  if (args.size() != 1) throw std::runtime_error("usage: parquet_tool dump <file>");
  auto reader = ember::ParquetFileReader::open(args[0], read_options(flags));
  const ember::Schema& schema = reader->schema();
  std::vector<int> projection;
  if (flags.count("columns")) {
    std::string list = flags.at("columns");
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      int idx = schema.index_of(name);
      if (idx < 0) throw std::runtime_error("no column " + name);
      projection.push_back(idx);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else {
    for (size_t i = 0; i < schema.size(); ++i) projection.push_back(static_cast<int>(i));
  }
  std::vector<ember::Field> fields;
  for (int i : projection) fields.push_back(schema.field(static_cast<size_t>(i)));
  std::string out = "{\"schema\":" + schema_json(ember::Schema(fields)) +
                    ",\"num_rows\":" + std::to_string(reader->num_rows()) +
                    ",\"num_row_groups\":" + std::to_string(reader->num_row_groups()) + ",\"created_by\":";
  append_json_string(out, reader->created_by());
  out += "}\n";
  std::cout << out;
  auto print_batch = [](ember::Batch& batch) {
    std::string lines;
    for (size_t r = 0; r < batch.num_rows; ++r) {
      lines.push_back('[');
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        if (c) lines.push_back(',');
        append_value(lines, batch.column(c)->value_at(r));
      }
      lines += "]\n";
    }
    std::cout << lines;
  };
  if (flags.count("row-group")) {
    int g = static_cast<int>(parse_int(flags.at("row-group")));
    std::vector<ember::ParquetRowRange> ranges;
    if (flags.count("rows")) {
      std::string list = flags.at("rows") + ",";
      size_t start = 0, comma;
      while ((comma = list.find(',', start)) != std::string::npos) {
        std::string item = list.substr(start, comma - start);
        size_t colon = item.find(':');
        if (colon == std::string::npos) throw std::runtime_error("bad row range " + item + " (want a:b)");
        ranges.push_back({parse_int(item.substr(0, colon)), parse_int(item.substr(colon + 1))});
        start = comma + 1;
      }
    } else {
      ranges.push_back({0, reader->row_group(g).num_rows});
    }
    auto rows = reader->row_group_reader(g, projection, ranges);
    ember::Batch batch;
    while (rows->next(batch)) print_batch(batch);
    return 0;
  }
  for (int g = 0; g < reader->num_row_groups(); ++g) reader->read_row_group(g, projection, print_batch);
  return 0;
}

int cmd_pages(const std::vector<std::string>& args, const std::map<std::string, std::string>& flags) {
  if (args.size() != 1) throw std::runtime_error("usage: parquet_tool pages <file>");
  auto reader = ember::ParquetFileReader::open(args[0], read_options(flags));
  const ember::Schema& schema = reader->schema();
  std::string out = "[";
  for (int g = 0; g < reader->num_row_groups(); ++g) {
    if (g) out += ",";
    out += "[";
    for (size_t c = 0; c < schema.size(); ++c) {
      if (c) out += ",";
      auto pages = reader->page_statistics(g, static_cast<int>(c));
      if (!pages) {
        out += "null";
        continue;
      }
      out += "[";
      for (size_t p = 0; p < pages->size(); ++p) {
        const ember::ParquetPageStatistics& s = (*pages)[p];
        if (p) out += ",";
        out += "{\"first_row\":" + std::to_string(s.first_row) +
               ",\"num_rows\":" + std::to_string(s.num_rows) +
               ",\"all_null\":" + (s.all_null ? "true" : "false") +
               ",\"null_count\":" + (s.null_count ? std::to_string(*s.null_count) : std::string("null")) +
               ",\"min\":";
        append_value(out, s.min.value_or(Value()));
        out += ",\"max\":";
        append_value(out, s.max.value_or(Value()));
        out += "}";
      }
      out += "]";
    }
    out += "]";
  }
  std::cout << out << "]\n";
  return 0;
}

int cmd_meta(const std::vector<std::string>& args, const std::map<std::string, std::string>& flags) {
  if (args.size() != 1) throw std::runtime_error("usage: parquet_tool meta <file>");
  auto reader = ember::ParquetFileReader::open(args[0], read_options(flags));
  const auto& m = reader->metadata();
  const ember::Schema& schema = reader->schema();
  std::string out = "{\"schema\":" + schema_json(schema) +
                    ",\"num_rows\":" + std::to_string(reader->num_rows()) + ",\"created_by\":";
  append_json_string(out, reader->created_by());
  out += ",\"key_value\":{";
  for (size_t i = 0; i < m.key_value_metadata.size(); ++i) {
    if (i) out += ",";
    append_json_string(out, m.key_value_metadata[i].key);
    out += ":";
    append_json_string(out, m.key_value_metadata[i].value.value_or(""));
  }
  out += "},\"row_groups\":[";
  for (int g = 0; g < reader->num_row_groups(); ++g) {
    if (g) out += ",";
    ember::ParquetRowGroupInfo info = reader->row_group(g);
    const auto& rg = m.row_groups[static_cast<size_t>(g)];
    out += "{\"num_rows\":" + std::to_string(info.num_rows) + ",\"columns\":[";
    for (size_t c = 0; c < schema.size(); ++c) {
      if (c) out += ",";
      const auto& cc = rg.columns[c];
      const auto& cm = *cc.meta_data;
      const ember::ParquetColumnStatistics& s = info.stats(c);
      out += "{\"name\":";
      append_json_string(out, schema.field(c).name);
      out += ",\"physical\":\"" + std::string(ember::parquet::physical_type_name(cm.type)) + "\"";
      out += ",\"codec\":\"" + std::string(ember::parquet::codec_name(cm.codec)) + "\"";
      out += ",\"encodings\":[";
      for (size_t e = 0; e < cm.encodings.size(); ++e) {
        if (e) out += ",";
        out += "\"" + std::string(ember::parquet::encoding_name(cm.encodings[e])) + "\"";
      }
      out += "],\"num_values\":" + std::to_string(cm.num_values);
      out += ",\"compressed_size\":" + std::to_string(cm.total_compressed_size);
      out += ",\"uncompressed_size\":" + std::to_string(cm.total_uncompressed_size);
      out += ",\"null_count\":" + (s.null_count ? std::to_string(*s.null_count) : std::string("null"));
      out += ",\"min\":";
      append_value(out, s.min.value_or(Value()));
      out += ",\"max\":";
      append_value(out, s.max.value_or(Value()));
      out += ",\"has_column_index\":";
      out += cc.column_index_offset ? "true" : "false";
      out += ",\"has_offset_index\":";
      out += cc.offset_index_offset ? "true" : "false";
      out += "}";
    }
    out += "]}";
  }
  out += "]}\n";
  std::cout << out;
  return 0;
}

int cmd_from_jsonl(const std::vector<std::string>& args, const std::map<std::string, std::string>& flags) {
  if (args.size() != 3)
    throw std::runtime_error("usage: parquet_tool from-jsonl <in.jsonl> <ddl> <out.parquet>");
  ember::Schema schema = ember::parse_ddl_schema(args[1]);
  // DDL columns are nullable; a trailing " NOT NULL" is not DDL ember parses, so --required lists
  // the columns to write as REQUIRED.
  if (flags.count("required")) {
    std::vector<ember::Field> fields = schema.fields();
    std::string list = flags.at("required") + ",";
    size_t start = 0, comma;
    while ((comma = list.find(',', start)) != std::string::npos) {
      std::string name = list.substr(start, comma - start);
      int idx = schema.index_of(name);
      if (idx < 0) throw std::runtime_error("no column " + name);
      fields[static_cast<size_t>(idx)].nullable = false;
      start = comma + 1;
    }
    schema = ember::Schema(fields);
  }
  ember::ParquetWriteOptions o;
  if (flags.count("compression")) o.compression = ember::parse_parquet_compression(flags.at("compression"));
  if (flags.count("row-group-rows")) o.row_group_max_rows = parse_int(flags.at("row-group-rows"));
  if (flags.count("row-group-size")) o.row_group_size = parse_int(flags.at("row-group-size"));
  if (flags.count("page-size")) o.page_size = parse_int(flags.at("page-size"));
  if (flags.count("page-rows")) o.page_row_limit = parse_int(flags.at("page-rows"));
  if (flags.count("dictionary-page-size"))
    o.dictionary_page_size = parse_int(flags.at("dictionary-page-size"));
  if (flags.count("no-dictionary")) o.enable_dictionary = false;
  size_t batch_size =
      flags.count("batch-size") ? static_cast<size_t>(parse_int(flags.at("batch-size"))) : 4096;

  std::ifstream in(args[0]);
  if (!in) throw std::runtime_error("cannot open " + args[0]);
  ember::ParquetFileWriter writer(args[2], schema, o);
  std::vector<std::vector<Value>> columns(schema.size());
  size_t rows = 0;
  auto flush = [&] {
    if (rows == 0) return;
    std::vector<ember::VectorPtr> vecs;
    for (size_t c = 0; c < schema.size(); ++c) {
      vecs.push_back(ember::Vector::from_values(schema.field(c).type, columns[c]));
      columns[c].clear();
    }
    writer.write(ember::Batch(vecs, rows));
    rows = 0;
  };
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::vector<JsonValue> row = JsonLineParser(line).parse_array();
    if (row.size() != schema.size()) {
      throw std::runtime_error("line " + std::to_string(line_no) + " has " + std::to_string(row.size()) +
                               " values, the schema " + std::to_string(schema.size()));
    }
    for (size_t c = 0; c < schema.size(); ++c) columns[c].push_back(to_value(row[c], schema.field(c).type));
    if (++rows == batch_size) flush();
  }
  flush();
  writer.close();
  return 0;
}

void usage(std::ostream& out) {
  out << "usage: parquet_tool dump <file> [--columns a,b] [--batch-size N] [--binary-as-string] "
         "[--nanos-as-long]\n"
         "       parquet_tool meta <file>\n"
         "       parquet_tool from-jsonl <in.jsonl> <ddl> <out.parquet> [--compression C] [--row-group-rows "
         "N]\n"
         "            [--row-group-size BYTES] [--page-size BYTES] [--page-rows N] [--dictionary-page-size "
         "BYTES]\n"
         "            [--no-dictionary] [--batch-size N] [--required col,col]\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    usage(std::cout);
    return 0;
  }
  try {
    std::vector<std::string> args;
    auto flags = parse_flags(argc, argv, 2, args);
    if (cmd == "dump") return cmd_dump(args, flags);
    if (cmd == "meta") return cmd_meta(args, flags);
    if (cmd == "pages") return cmd_pages(args, flags);
    if (cmd == "from-jsonl") return cmd_from_jsonl(args, flags);
    usage(std::cerr);
    return 2;
  } catch (const ember::EmberError& e) {
    std::cerr << "error [" << ember::error_kind_name(e.kind()) << "]";
    if (!e.error_class().empty()) std::cerr << " [" << e.error_class() << "]";
    std::cerr << ": " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
