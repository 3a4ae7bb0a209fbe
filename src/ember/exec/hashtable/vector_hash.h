#pragma once
// Vectorised row hashing for hash aggregation, hash joins and hash partitioning.
//
// Hashes are 64-bit and combine several columns. They are ember-internal: nothing persists them
// and they do not reproduce Spark's Murmur3 (Spark's `hash()` SQL function is a separate kernel).
// What they do guarantee, because grouping and partitioning depend on it:
//  - equal values of one type hash equally, whatever vector (flat or constant) carries them;
//  - a null hashes to a fixed value (nulls are one group, as in Spark);
//  - floating point is normalised as Spark's NormalizeFloatingNumbers does: -0.0 hashes as 0.0
//    and every NaN hashes as the one canonical NaN;
//  - an array, map or struct hashes as its canonical key bytes (vector/nested_key_encoding.h),
//    exactly as a binary value holding those bytes would;
//  - the low bits (used for hash-table slots) and the high bits (used for partitioning and
//    hash-table salts) are both well mixed, so the two uses do not correlate.
#include <cstdint>
#include <vector>

#include "ember/vector/vector.h"

namespace ember {

// out[i] = combined hash of row i over all of `cols` (each with at least n rows), i < n.
// The type is dispatched once per column; the inner loops are type-specialised.
void hash_columns(const std::vector<VectorPtr>& cols, size_t n, uint64_t* out);

// Hashes one column into out (when `combine` is false) or mixes it into the hashes already in
// out (when true). hash_columns is this applied to each column in turn.
void hash_column(const Vector& col, size_t n, uint64_t* out, bool combine);

// The partition in [0, num_partitions) that a row with this hash belongs to. Deterministic
// across processes. Uses the hash's high 32 bits with a multiply-shift range reduction
// (Lemire), so it costs one multiply, and is independent of the low bits a hash table uses.
inline uint32_t partition_for_hash(uint64_t hash, uint32_t num_partitions) {
  return static_cast<uint32_t>(((hash >> 32) * static_cast<uint64_t>(num_partitions)) >> 32);
}

// The 64-bit finaliser behind every fixed-width hash: a bijective avalanche mix (xor-shift /
// multiply rounds in the style of Murmur3's fmix64 with different constants). Exposed for
// callers that hash single values (e.g. distinct sets) and must agree with hash_columns.
inline uint64_t hash_mix64(uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  return x;
}

// Hash of a byte string (strings, binary); equal bytes give equal hashes.
uint64_t hash_bytes(const char* data, size_t len);

// The hash every null contributes.
constexpr uint64_t kNullHash = 0x6a09e667f3bcc909ULL;

}  // namespace ember
