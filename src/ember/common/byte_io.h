#pragma once
// Bytes of plain values in ember's own in-process formats (serialized batches, cached blocks,
// nested key encodings): host byte order, written and read by the same build, never a file format
// other tools read (Parquet has its own encoders).
#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>

#include "ember/common/error.h"

namespace ember {

// Appends the bytes of a trivially copyable value.
template <class T>
void append_pod(std::string& out, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

// Reads values back from a byte range; a range that ends early is malformed input, reported as
// "<context>: truncated while reading <what>".
class ByteReader {
 public:
  ByteReader(const char* data, size_t size, const char* context)
      : p_(data), end_(data + size), context_(context) {}

  template <class T>
  T get(const char* what) {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    std::memcpy(&v, take(sizeof(T), what), sizeof(T));
    return v;
  }
  // The next n bytes (valid as long as the underlying range).
  const char* take(size_t n, const char* what) {
    if (static_cast<size_t>(end_ - p_) < n) {
      throw_error(ErrorKind::kMalformedInput, std::string(context_) + ": truncated while reading " + what);
    }
    const char* at = p_;
    p_ += n;
    return at;
  }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool at_end() const { return p_ == end_; }

 private:
  const char* p_;
  const char* end_;
  const char* context_;
};

}  // namespace ember
