#pragma once
// A compact binary form of a Batch, used for shuffle spill files. Not a stable on-disk format:
// it is written and read by the same process run (a version byte guards against mixing builds).
//
// Layout (little-endian host order; ember runs on little-endian targets):
//   "EMBB" magic, u8 version, u64 num_rows, u32 num_columns, then per column:
//     type: u8 type id, u8 precision, u8 scale; an array adds u8 containsNull and its element's
//       type (recursively),
//     u8 flags (bit 0: validity bitmap follows),
//     u64 length (rows),
//     [validity: ceil(length/8) bytes, Arrow bit order],
//     fixed width: length * width bytes;
//     string/binary: (length + 1) int32 offsets rebased to start at 0, then the chars they span;
//     array: (length + 1) int32 offsets rebased to start at 0, then the elements they span as a
//       column of their own (flags, length, ... as above, without the type);
//     null type: nothing more.
// Constant vectors are flattened, so the reader always produces flat vectors.
#include <cstddef>
#include <string>

#include "ember/vector/batch.h"

namespace ember {

// Appends the serialised batch to `out` (so many batches can share one buffer).
void serialize_batch(const Batch& batch, std::string& out);
std::string serialize_batch(const Batch& batch);

// Parses exactly one batch from data[0..size). Truncated or corrupt input →
// EmberError(kMalformedInput) describing what was wrong. Every returned vector owns fresh buffers.
Batch deserialize_batch(const char* data, size_t size);
inline Batch deserialize_batch(const std::string& bytes) {
  return deserialize_batch(bytes.data(), bytes.size());
}

}  // namespace ember
