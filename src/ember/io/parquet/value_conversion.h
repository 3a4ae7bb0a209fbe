#pragma once
// Turning decoded Parquet physical values into ember vector values (and scalar Values for
// statistics), per the column's ValueConversion: widening and narrowing integers, decimals from
// integers and big-endian byte arrays, timestamps from milliseconds, nanoseconds and INT96,
// UUIDs to their text form. Loops run over whole runs of values.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "ember/io/parquet/parquet_schema.h"
#include "ember/io/parquet/values_decoder.h"
#include "ember/types/value.h"
#include "ember/vector/vector.h"

namespace ember::parquet {

// True when the physical values, as decode_fixed writes them, are already the vector's values
// (BOOLEAN, INT32 → int/date, INT64 → bigint/timestamp, FLOAT, DOUBLE): decode straight into the
// vector.
bool is_identity_conversion(ValueConversion c);
// True when the physical type decodes through decode_binary (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY).
bool is_binary_physical(PhysicalType t);
// True when the output vector holds strings/binary built from byte-array views.
bool produces_strings(ValueConversion c);

// Converts n fixed-width physical values into out's values at rows [row, row + n). Throws
// kMalformedInput when a value cannot be represented (a millisecond timestamp out of range).
void convert_fixed(ValueConversion c, const uint8_t* physical, size_t n, Vector& out, size_t row);
// Converts n byte-array views into out's fixed-width values (decimals) at rows [row, row + n).
// Throws kMalformedInput for a decimal wider than 16 bytes that is not a sign extension.
void convert_binary_to_fixed(ValueConversion c, const ByteArrayView* values, size_t n, Vector& out,
                             size_t row);

// Appends byte arrays to a string/binary vector filled in row order. Reserve first with the
// total byte count, then append row by row (nulls included).
class StringAppender {
 public:
  StringAppender(Vector& out, size_t row);
  // Makes room for `bytes` more bytes of values; throws kUnsupported past 2 GiB per vector.
  void reserve(size_t bytes);
  void append(const uint8_t* data, size_t size) {
    if (size > 0) std::memcpy(chars_ + end_, data, size);
    end_ += size;
    offsets_[++row_] = static_cast<int32_t>(end_);
  }
  void append_null() {
    offsets_[row_ + 1] = offsets_[row_];
    ++row_;
  }
  // The 36-character text form of a 16-byte UUID.
  void append_uuid(const uint8_t* bytes);
  // Finalises the chars buffer's size; call once after the appends.
  void finish();
  size_t row() const { return row_; }

 private:
  Vector& out_;
  int32_t* offsets_;
  uint8_t* chars_ = nullptr;
  size_t end_;
  size_t row_;
};

// Bytes a value takes in the string vector for the conversion (UUIDs grow to 36 characters).
inline size_t string_bytes(ValueConversion c, const ByteArrayView& v) {
  return c == ValueConversion::kUuidToString ? 36 : v.size;
}

// One physical value in PLAIN form (without a length prefix for byte arrays), as statistics store
// it, to an ember Value of the column's type; nullopt when the bytes do not fit the type.
std::optional<Value> physical_to_value(const ColumnDescriptor& column, std::string_view bytes);

}  // namespace ember::parquet
