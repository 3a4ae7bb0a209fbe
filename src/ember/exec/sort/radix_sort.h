#pragma once
// Fixed-width records of W host-order uint64 words that compare as unsigned lexicographic arrays
// (normalized sort keys, see normalized_sort_key.h): the last word's low 32 bits hold the row
// index. A radix sort over their key bytes (MSD while ranges are larger than the cache, then LSD),
// skipping bytes every record shares.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ember::radix {

// Below this many rows std::sort on the records is as fast as radix passes.
constexpr size_t kMinRadixRows = 256;

template <size_t W>
struct Record {
  uint64_t w[W];
};

template <size_t W>
inline uint32_t row_of(const Record<W>& r) {
  return static_cast<uint32_t>(r.w[W - 1]);
}

// Whole-record order (keys, then row index).
template <size_t W>
inline bool less(const Record<W>& a, const Record<W>& b) {
  for (size_t i = 0; i + 1 < W; ++i) {
    if (a.w[i] != b.w[i]) return a.w[i] < b.w[i];
  }
  return a.w[W - 1] < b.w[W - 1];
}

// Order of the key bytes only (the row index excluded): <0, 0, >0.
template <size_t W>
inline int compare_keys(const Record<W>& a, const Record<W>& b) {
  for (size_t i = 0; i + 1 < W; ++i) {
    if (a.w[i] != b.w[i]) return a.w[i] < b.w[i] ? -1 : 1;
  }
  uint64_t x = a.w[W - 1] >> 32, y = b.w[W - 1] >> 32;
  return x == y ? 0 : (x < y ? -1 : 1);
}

// Byte p (0 = most significant) of the record's byte string.
template <size_t W>
inline uint8_t byte_at(const Record<W>& r, size_t p) {
  return static_cast<uint8_t>(r.w[p >> 3] >> ((7 - (p & 7)) * 8));
}

// Below this many records a range is sorted with LSD passes (it fits in L2); above, an MSD pass
// splits it into buckets first so the passes over each bucket stay in cache.
constexpr size_t kLsdRows = size_t{1} << 16;

// Stable LSD radix sort of data[0, n) by bytes [first, last); scratch holds n records. The result
// ends in data.
template <size_t W>
void lsd_bytes(Record<W>* data, Record<W>* scratch, size_t n, size_t first, size_t last) {
  if (n < 2 || first >= last) return;
  const size_t nbytes = last - first;
  std::vector<uint32_t> hist(nbytes * 256, 0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t p = first; p < last; ++p) ++hist[(p - first) * 256 + byte_at(data[i], p)];
  }
  Record<W>* src = data;
  Record<W>* dst = scratch;
  for (size_t p = last; p-- > first;) {
    uint32_t* h = &hist[(p - first) * 256];
    if (h[byte_at(src[0], p)] == n) continue;  // every record has this byte
    uint32_t sum = 0;
    for (size_t b = 0; b < 256; ++b) {
      uint32_t c = h[b];
      h[b] = sum;
      sum += c;
    }
    const size_t word = p >> 3;
    const int shift = static_cast<int>((7 - (p & 7)) * 8);
    for (size_t i = 0; i < n; ++i) dst[h[(src[i].w[word] >> shift) & 0xFF]++] = src[i];
    std::swap(src, dst);
  }
  if (src != data) std::copy(src, src + n, data);
}

// Stable radix sort of src[0, n) by bytes [first, last): MSD passes while ranges are large, LSD
// once they fit in cache. other holds n records; the result ends in other when to_other, else in
// src (MSD levels alternate the two buffers instead of copying back).
template <size_t W>
void radix_bytes(Record<W>* src, Record<W>* other, size_t n, size_t first, size_t last, bool to_other) {
  while (n > kLsdRows && first < last) {
    uint32_t h[256] = {};
    for (size_t i = 0; i < n; ++i) ++h[byte_at(src[i], first)];
    if (h[byte_at(src[0], first)] == n) {
      ++first;  // every record has this byte
      continue;
    }
    uint32_t start[256];
    uint32_t sum = 0;
    for (size_t b = 0; b < 256; ++b) {
      start[b] = sum;
      sum += h[b];
    }
    uint32_t pos[256];
    std::copy(start, start + 256, pos);
    const size_t word = first >> 3;
    const int shift = static_cast<int>((7 - (first & 7)) * 8);
    for (size_t i = 0; i < n; ++i) other[pos[(src[i].w[word] >> shift) & 0xFF]++] = src[i];
    for (size_t b = 0; b < 256; ++b) {
      if (h[b] > 0) radix_bytes(other + start[b], src + start[b], h[b], first + 1, last, !to_other);
    }
    return;
  }
  lsd_bytes(src, other, n, first, last);
  if (to_other) std::copy(src, src + n, other);
}

// Stable radix sort of recs by their first key_bytes bytes.
template <size_t W>
void radix_sort(std::vector<Record<W>>& recs, size_t key_bytes) {
  if (recs.size() < 2 || key_bytes == 0) return;
  std::vector<Record<W>> scratch(recs.size());
  radix_bytes(recs.data(), scratch.data(), recs.size(), 0, key_bytes, false);
}

}  // namespace ember::radix
