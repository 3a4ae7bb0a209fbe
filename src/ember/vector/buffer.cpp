#include "ember/vector/buffer.h"

#include <new>

namespace ember {

std::shared_ptr<Buffer> Buffer::wrap(const void* data, size_t size, std::shared_ptr<const void> owner) {
  auto b = std::make_shared<Buffer>();
  // const_cast: see the header; wrapped memory is only ever read.
  b->data_ = static_cast<uint8_t*>(const_cast<void*>(data));
  b->size_ = size;
  b->capacity_ = size;
  b->foreign_ = true;
  b->owner_ = std::move(owner);
  return b;
}

void Buffer::reserve(size_t capacity) {
  // Wrapped memory is never grown in place: capacity_ == size_ there, so any growth copies.
  if (capacity <= capacity_) return;
  // Round to 64 bytes so SIMD loops may read whole cache lines past the last value.
  capacity = (capacity + 63) & ~size_t{63};
  auto* fresh = static_cast<uint8_t*>(::operator new (capacity, std::align_val_t{64}));
  if (data_ != nullptr) {
    std::memcpy(fresh, data_, size_);
    release();
  }
  data_ = fresh;
  capacity_ = capacity;
}

void Buffer::release() {
  if (foreign_) {
    foreign_ = false;
    owner_.reset();
  } else if (data_ != nullptr) {
    ::operator delete (data_, std::align_val_t{64});
  }
  data_ = nullptr;
  capacity_ = 0;
}

}  // namespace ember
