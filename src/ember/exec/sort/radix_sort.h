#pragma once
// Fixed-width records of W host-order uint64 words that compare as unsigned lexicographic arrays
// (normalized sort keys, see normalized_sort_key.h): the last word's low 32 bits hold the row
// index. An LSD radix sort over their key bytes, skipping bytes every record shares.
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

// Stable LSD radix sort of recs by their first key_bytes bytes.
template <size_t W>
void lsd_radix_sort(std::vector<Record<W>>& recs, size_t key_bytes) {
  const size_t n = recs.size();
  if (n < 2 || key_bytes == 0) return;
  std::vector<uint32_t> hist(key_bytes * 256, 0);
  for (size_t i = 0; i < n; ++i) {
    const Record<W>& r = recs[i];
    size_t p = 0;
    for (size_t wi = 0; wi < W && p < key_bytes; ++wi) {
      uint64_t w = r.w[wi];
      for (int shift = 56; shift >= 0 && p < key_bytes; shift -= 8, ++p) ++hist[p * 256 + ((w >> shift) & 0xFF)];
    }
  }
  std::vector<Record<W>> tmp(n);
  Record<W>* src = recs.data();
  Record<W>* dst = tmp.data();
  for (size_t p = key_bytes; p-- > 0;) {
    uint32_t* h = &hist[p * 256];
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
  if (src != recs.data()) recs.swap(tmp);
}

}  // namespace ember::radix
