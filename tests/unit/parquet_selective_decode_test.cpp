// The RLE / bit-packed hybrid decoder's skip() and get_selected(), which a scan uses to pass over
// dictionary indices of rows its filter dropped: checked against the values that were encoded,
// for runs of both kinds, every width class and selections dense and sparse.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/io/parquet/rle_bit_packed_hybrid.h"

namespace ember::parquet {
namespace {

// Values with long repeats (RLE runs) between stretches of random ones (bit-packed runs).
std::vector<uint32_t> mixed_values(int width, size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  const uint64_t limit = width == 32 ? 0xffffffffULL : (uint64_t{1} << width) - 1;
  std::uniform_int_distribution<uint64_t> value(0, limit);
  std::vector<uint32_t> out;
  while (out.size() < n) {
    const auto v = static_cast<uint32_t>(value(rng));
    const size_t len = rng() % 3 == 0 ? 20 + rng() % 50 : 1;
    for (size_t i = 0; i < len && out.size() < n; ++i) out.push_back(v);
  }
  return out;
}

TEST(RleSelectiveDecode, SkipAndSelectedGiveTheEncodedValues) {
  for (int width : {0, 1, 3, 8, 13, 17, 25, 32}) {
    SCOPED_TRACE(width);
    const size_t n = 5000;
    std::vector<uint32_t> values =
        width == 0 ? std::vector<uint32_t>(n, 0) : mixed_values(width, n, 7u + static_cast<uint32_t>(width));
    RleBitPackedEncoder enc(width);
    for (uint32_t v : values) enc.put(v);
    std::string bytes;
    enc.flush(bytes);
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());

    RleBitPackedDecoder dec(data, bytes.size(), width);
    std::mt19937 rng(99);
    size_t at = 0;
    int step = 0;
    while (at < n) {
      const size_t k = std::min<size_t>(n - at, 1 + rng() % 700);
      switch (step++ % 3) {
        case 0: ASSERT_EQ(dec.skip(k), k); break;
        case 1: {
          // Sparse and dense selections, first and last rows included now and then.
          std::vector<uint32_t> positions;
          const unsigned every = 1 + rng() % 40;
          for (size_t i = 0; i < k; ++i) {
            if (i % every == 0 || i + 1 == k) positions.push_back(static_cast<uint32_t>(i));
          }
          std::vector<uint32_t> got(positions.size());
          ASSERT_EQ(dec.get_selected(positions.data(), positions.size(), k, got.data()), k);
          for (size_t j = 0; j < positions.size(); ++j)
            ASSERT_EQ(got[j], values[at + positions[j]]) << at + positions[j];
          break;
        }
        default: {
          std::vector<uint32_t> got(k);
          ASSERT_EQ(dec.get_batch(got.data(), k), k);
          for (size_t j = 0; j < k; ++j) ASSERT_EQ(got[j], values[at + j]) << at + j;
        }
      }
      at += k;
    }
    // The data ends (a bit-packed run may carry up to 7 padding values past the last).
    EXPECT_LT(dec.skip(100), 8u);
  }
}

}  // namespace
}  // namespace ember::parquet
