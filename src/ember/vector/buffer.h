#pragma once
// A 64-byte aligned, growable byte buffer: the storage under every vector. Buffers are shared
// (std::shared_ptr) so a projection or a pass-through filter hands columns on without copying.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace ember {

class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(size_t size) { resize(size); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { release(); }

  // A buffer over memory ember did not allocate (an imported Arrow buffer): `owner` keeps that
  // memory alive until the last vector using it lets go. Such memory is read-only by contract
  // (ember never writes into the vectors it reads), and it carries no padding past `size`, so a
  // reserve() copies it into ember's own allocation first.
  static std::shared_ptr<Buffer> wrap(const void* data, size_t size, std::shared_ptr<const void> owner);

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

  // Grows (never shrinks) the allocation; new bytes are uninitialised.
  void reserve(size_t capacity);
  void resize(size_t size) {
    if (size > capacity_) reserve(size < 2 * capacity_ ? 2 * capacity_ : size);
    size_ = size;
  }

 private:
  void release();
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  bool foreign_ = false;               // wrap(): data_ is not ours to delete
  std::shared_ptr<const void> owner_;  // wrap(): keeps the foreign memory alive
};

using BufferPtr = std::shared_ptr<Buffer>;

inline BufferPtr make_buffer(size_t size) { return std::make_shared<Buffer>(size); }

// Validity bitmaps use Arrow's convention: bit i set means row i is valid (not null).
inline bool bit_is_set(const uint8_t* bits, size_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }
inline void set_bit(uint8_t* bits, size_t i) { bits[i >> 3] |= static_cast<uint8_t>(1u << (i & 7)); }
inline void clear_bit(uint8_t* bits, size_t i) { bits[i >> 3] &= static_cast<uint8_t>(~(1u << (i & 7))); }
inline size_t bitmap_bytes(size_t bits) { return (bits + 7) / 8; }

}  // namespace ember
