#include "ember/io/parquet/thrift_compact.h"

#include <cstring>

#include "ember/common/error.h"

namespace ember::parquet {

namespace {

// Deeper nesting than any Parquet structure needs (FileMetaData → RowGroup → ColumnChunk →
// ColumnMetaData → Statistics is five); the limit stops a crafted footer from exhausting the stack.
constexpr int kMaxDepth = 64;

}  // namespace

void thrift_error(const std::string& what) {
  throw_error(ErrorKind::kMalformedInput, "invalid Thrift metadata: " + what);
}

// ---------------------------------------------------------------------------------------------
// reader

void ThriftCompactReader::struct_begin() {
  if (last_field_ids_.size() >= static_cast<size_t>(kMaxDepth)) thrift_error("structures nested too deeply");
  last_field_ids_.push_back(last_field_id_);
  last_field_id_ = 0;
}

void ThriftCompactReader::struct_end() {
  if (last_field_ids_.empty()) thrift_error("unbalanced struct end");
  last_field_id_ = last_field_ids_.back();
  last_field_ids_.pop_back();
}

uint64_t ThriftCompactReader::read_varint() {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= end_) thrift_error("truncated varint at byte " + std::to_string(position()));
    uint8_t b = *pos_++;
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return result;
  }
  thrift_error("varint longer than 10 bytes at byte " + std::to_string(position()));
}

int32_t ThriftCompactReader::read_zigzag32() {
  uint64_t v = read_varint();
  if (v > 0xffffffffull) thrift_error("32-bit integer out of range at byte " + std::to_string(position()));
  auto u = static_cast<uint32_t>(v);
  return static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
}

int64_t ThriftCompactReader::read_zigzag64() {
  uint64_t u = read_varint();
  return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

ThriftCompactReader::FieldHeader ThriftCompactReader::read_field_header() {
  if (pos_ >= end_) thrift_error("truncated struct (no stop field) at byte " + std::to_string(position()));
  uint8_t b = *pos_++;
  FieldHeader h;
  h.type = static_cast<ThriftType>(b & 0x0f);
  if (h.type == ThriftType::kStop) return h;
  if (static_cast<uint8_t>(h.type) > static_cast<uint8_t>(ThriftType::kUuid)) {
    thrift_error("unknown field type " + std::to_string(b & 0x0f) + " at byte " +
                 std::to_string(position() - 1));
  }
  int delta = b >> 4;
  if (delta != 0) {
    h.id = static_cast<int16_t>(last_field_id_ + delta);
  } else {
    h.id = read_i16();
  }
  last_field_id_ = h.id;
  return h;
}

ThriftCompactReader::ListHeader ThriftCompactReader::read_list_header() {
  if (pos_ >= end_) thrift_error("truncated list header at byte " + std::to_string(position()));
  uint8_t b = *pos_++;
  ListHeader h;
  h.element_type = static_cast<ThriftType>(b & 0x0f);
  uint64_t size = b >> 4;
  if (size == 15) size = read_varint();
  // Every element takes at least one byte (bools included), except empty structs which still
  // take their stop byte: a size beyond the remaining bytes is corrupt.
  if (size > remaining()) {
    thrift_error("list of " + std::to_string(size) + " elements exceeds the " + std::to_string(remaining()) +
                 " remaining bytes");
  }
  h.size = static_cast<uint32_t>(size);
  return h;
}

bool ThriftCompactReader::read_bool_element() {
  if (pos_ >= end_) thrift_error("truncated bool at byte " + std::to_string(position()));
  return *pos_++ == 1;
}

int8_t ThriftCompactReader::read_byte() {
  if (pos_ >= end_) thrift_error("truncated byte at byte " + std::to_string(position()));
  return static_cast<int8_t>(*pos_++);
}

double ThriftCompactReader::read_double() {
  if (remaining() < 8) thrift_error("truncated double at byte " + std::to_string(position()));
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(pos_[i]) << (8 * i);
  pos_ += 8;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

std::string_view ThriftCompactReader::read_binary() {
  uint64_t len = read_varint();
  if (len > remaining()) {
    thrift_error("binary of " + std::to_string(len) + " bytes exceeds the " + std::to_string(remaining()) +
                 " remaining bytes");
  }
  std::string_view v(reinterpret_cast<const char*>(pos_), static_cast<size_t>(len));
  pos_ += len;
  return v;
}

bool ThriftCompactReader::is_type(const FieldHeader& h, ThriftType expected) {
  if (expected == ThriftType::kBoolTrue || expected == ThriftType::kBoolFalse) {
    return h.type == ThriftType::kBoolTrue || h.type == ThriftType::kBoolFalse;
  }
  return h.type == expected;
}

void ThriftCompactReader::skip(ThriftType type) { skip_depth(type, 0); }

void ThriftCompactReader::skip_depth(ThriftType type, int depth) {
  if (depth > kMaxDepth) thrift_error("values nested too deeply");
  switch (type) {
    case ThriftType::kBoolTrue:
    case ThriftType::kBoolFalse: return;  // a bool field's value lives in its header
    case ThriftType::kByte: read_byte(); return;
    case ThriftType::kI16:
    case ThriftType::kI32:
    case ThriftType::kI64: read_varint(); return;
    case ThriftType::kDouble:
      if (remaining() < 8) thrift_error("truncated double");
      pos_ += 8;
      return;
    case ThriftType::kBinary: read_binary(); return;
    case ThriftType::kUuid:
      if (remaining() < 16) thrift_error("truncated uuid");
      pos_ += 16;
      return;
    case ThriftType::kList:
    case ThriftType::kSet: {
      ListHeader h = read_list_header();
      for (uint32_t i = 0; i < h.size; ++i) {
        if (h.element_type == ThriftType::kBoolTrue || h.element_type == ThriftType::kBoolFalse) {
          read_bool_element();
        } else {
          skip_depth(h.element_type, depth + 1);
        }
      }
      return;
    }
    case ThriftType::kMap: {
      uint64_t size = read_varint();
      if (size == 0) return;
      if (size > remaining()) thrift_error("map size exceeds the remaining bytes");
      if (pos_ >= end_) thrift_error("truncated map header");
      uint8_t kv = *pos_++;
      auto key = static_cast<ThriftType>(kv >> 4);
      auto value = static_cast<ThriftType>(kv & 0x0f);
      for (uint64_t i = 0; i < size; ++i) {
        for (ThriftType t : {key, value}) {
          if (t == ThriftType::kBoolTrue || t == ThriftType::kBoolFalse) read_bool_element();
          else skip_depth(t, depth + 1);
        }
      }
      return;
    }
    case ThriftType::kStruct: {
      struct_begin();
      while (true) {
        FieldHeader h = read_field_header();
        if (h.type == ThriftType::kStop) break;
        skip_depth(h.type, depth + 1);
      }
      struct_end();
      return;
    }
    case ThriftType::kStop: thrift_error("unexpected stop type");
  }
  thrift_error("unknown type " + std::to_string(static_cast<int>(type)));
}

// ---------------------------------------------------------------------------------------------
// writer

void ThriftCompactWriter::struct_begin() {
  last_field_ids_.push_back(last_field_id_);
  last_field_id_ = 0;
}

void ThriftCompactWriter::struct_end() {
  out_.push_back('\0');
  last_field_id_ = last_field_ids_.empty() ? 0 : last_field_ids_.back();
  if (!last_field_ids_.empty()) last_field_ids_.pop_back();
}

void ThriftCompactWriter::field_header(int16_t id, ThriftType type) {
  int delta = id - last_field_id_;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_.push_back(static_cast<char>(type));
    write_i16(id);
  }
  last_field_id_ = id;
}

void ThriftCompactWriter::field_bool(int16_t id, bool v) {
  field_header(id, v ? ThriftType::kBoolTrue : ThriftType::kBoolFalse);
}

void ThriftCompactWriter::list_header(ThriftType element_type, size_t size) {
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4) | static_cast<size_t>(element_type)));
  } else {
    out_.push_back(static_cast<char>(0xf0 | static_cast<int>(element_type)));
    write_varint(size);
  }
}

void ThriftCompactWriter::write_varint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void ThriftCompactWriter::write_i32(int32_t v) {
  auto u = static_cast<uint32_t>(v);
  write_varint((u << 1) ^ static_cast<uint32_t>(v >> 31));
}

void ThriftCompactWriter::write_i64(int64_t v) {
  auto u = static_cast<uint64_t>(v);
  write_varint((u << 1) ^ static_cast<uint64_t>(v >> 63));
}

void ThriftCompactWriter::write_double(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

void ThriftCompactWriter::write_binary(std::string_view v) {
  write_varint(v.size());
  out_.append(v);
}

}  // namespace ember::parquet
