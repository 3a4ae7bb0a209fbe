#include "ember/exec/hashtable/blocked_bloom_filter.h"

#include <algorithm>
#include <cmath>

#include "ember/common/error.h"

namespace ember {

BlockedBloomFilter::BlockedBloomFilter(size_t expected_items, double fpp, size_t max_bytes) {
  EMBER_CHECK(fpp > 0 && fpp < 1, "bloom filter false-positive rate must be in (0, 1)");
  // A classic bloom filter needs -ln(p) / ln(2)^2 bits per item; the blocked layout needs about
  // 20% more for the same rate (blocks fill unevenly), measured in the unit test.
  const double bits_per_item = -std::log(fpp) / (std::log(2.0) * std::log(2.0)) * 1.2;
  const double bits = std::max(1.0, static_cast<double>(expected_items) * bits_per_item);
  auto blocks = static_cast<size_t>(std::ceil(bits / (kBlockBytes * 8)));
  if (max_bytes > 0) blocks = std::min(blocks, std::max<size_t>(1, max_bytes / kBlockBytes));
  // The block index is a 32-bit multiply-shift.
  num_blocks_ = std::clamp<size_t>(blocks, 1, size_t{1} << 31);
  words_.assign(num_blocks_ * 8, 0);
}

size_t BlockedBloomFilter::filter(const uint64_t* hashes, const uint32_t* sel, size_t n,
                                  uint32_t* out) const {
  size_t kept = 0;
  for (size_t k = 0; k < n; ++k) {
    const uint32_t row = sel[k];
    out[kept] = row;
    kept += may_contain(hashes[row]) ? 1 : 0;
  }
  return kept;
}

}  // namespace ember
