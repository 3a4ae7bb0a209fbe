#include "ember/vector/buffer.h"

#include <new>

namespace ember {

void Buffer::reserve(size_t capacity) {
  if (capacity <= capacity_) return;
  // Round to 64 bytes so SIMD loops may read whole cache lines past the last value.
  capacity = (capacity + 63) & ~size_t{63};
  auto* fresh = static_cast<uint8_t*>(::operator new(capacity, std::align_val_t{64}));
  if (data_ != nullptr) {
    std::memcpy(fresh, data_, size_);
    release();
  }
  data_ = fresh;
  capacity_ = capacity;
}

void Buffer::release() {
  if (data_ != nullptr) ::operator delete(data_, std::align_val_t{64});
  data_ = nullptr;
  capacity_ = 0;
}

}  // namespace ember
