#pragma once
// A small codec for Apache Thrift's compact protocol: the encoding Parquet uses for its footer
// (FileMetaData), page headers and page index. Only what Parquet needs is here: structs, lists,
// maps (skipped), and the scalar types. Every read is bounds-checked and nesting is limited, so a
// corrupt footer raises an error instead of reading past the buffer or recursing without end.
//
// Why ember has its own codec rather than Debian's libthrift: see docs/parquet.md.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ember::parquet {

// Compact-protocol type codes (field headers and list element types share most values).
enum class ThriftType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,  // in a field header; as a list element type it means "bool"
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
  kUuid = 13,
};

// Thrown (as EmberError kMalformedInput) by the reader; callers add the file name.
[[noreturn]] void thrift_error(const std::string& what);

// Decodes compact-protocol values from a byte range. The caller drives it with the schema it
// knows: read_field_header() in a loop until it returns kStop, dispatching on the field id and
// calling skip() for ids it does not know (forward compatibility).
class ThriftCompactReader {
 public:
  ThriftCompactReader(const uint8_t* data, size_t size) : begin_(data), pos_(data), end_(data + size) {}

  struct FieldHeader {
    ThriftType type = ThriftType::kStop;
    int16_t id = 0;
  };
  struct ListHeader {
    ThriftType element_type = ThriftType::kStop;
    uint32_t size = 0;
  };

  // Begins a struct: pushes the field-id context (delta-encoded field ids restart per struct).
  void struct_begin();
  void struct_end();
  // The next field's header; type kStop ends the struct. For bool fields the value is carried in
  // the header: read it with bool_field_value(header).
  FieldHeader read_field_header();
  static bool bool_field_value(const FieldHeader& h) { return h.type == ThriftType::kBoolTrue; }

  ListHeader read_list_header();
  // A list element of type bool (one byte: 1 = true, anything else = false).
  bool read_bool_element();
  int8_t read_byte();
  int16_t read_i16() { return static_cast<int16_t>(read_zigzag32()); }
  int32_t read_i32() { return read_zigzag32(); }
  int64_t read_i64() { return read_zigzag64(); }
  double read_double();
  // A binary/string value; the view points into the input buffer.
  std::string_view read_binary();
  std::string read_string() { return std::string(read_binary()); }

  // Skips one value of the given type (structs, lists, maps recursively).
  void skip(ThriftType type);

  // Checks that a field has the type the schema says; skips nothing (callers skip on mismatch).
  static bool is_type(const FieldHeader& h, ThriftType expected);

  size_t position() const { return static_cast<size_t>(pos_ - begin_); }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }

 private:
  uint64_t read_varint();
  int32_t read_zigzag32();
  int64_t read_zigzag64();
  void skip_depth(ThriftType type, int depth);

  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
  std::vector<int16_t> last_field_ids_;
  int16_t last_field_id_ = 0;
};

// Encodes compact-protocol values into a growing string.
class ThriftCompactWriter {
 public:
  explicit ThriftCompactWriter(std::string& out) : out_(out) {}

  void struct_begin();
  void struct_end();  // writes the stop byte and restores the enclosing struct's field context

  void field_header(int16_t id, ThriftType type);
  // Convenience: header plus value.
  void field_bool(int16_t id, bool v);
  void field_i32(int16_t id, int32_t v) {
    field_header(id, ThriftType::kI32);
    write_i32(v);
  }
  void field_i64(int16_t id, int64_t v) {
    field_header(id, ThriftType::kI64);
    write_i64(v);
  }
  void field_binary(int16_t id, std::string_view v) {
    field_header(id, ThriftType::kBinary);
    write_binary(v);
  }
  // Header of a struct field; the caller then calls struct_begin(), the fields, struct_end().
  void field_struct(int16_t id) { field_header(id, ThriftType::kStruct); }
  void field_list(int16_t id, ThriftType element_type, size_t size) {
    field_header(id, ThriftType::kList);
    list_header(element_type, size);
  }

  void list_header(ThriftType element_type, size_t size);
  void write_bool_element(bool v) { out_.push_back(static_cast<char>(v ? 1 : 2)); }
  void write_byte(int8_t v) { out_.push_back(static_cast<char>(v)); }
  void write_i16(int16_t v) { write_i32(v); }
  void write_i32(int32_t v);
  void write_i64(int64_t v);
  void write_double(double v);
  void write_binary(std::string_view v);

 private:
  void write_varint(uint64_t v);

  std::string& out_;
  std::vector<int16_t> last_field_ids_;
  int16_t last_field_id_ = 0;
};

}  // namespace ember::parquet
