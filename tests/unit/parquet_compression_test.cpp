// Page codecs: round trips, Hadoop-framed LZ4, and corrupt or mis-sized input.
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <lz4.h>

#include "ember/common/error.h"
#include "ember/io/parquet/compression.h"

namespace ember::parquet {
namespace {

std::string sample_data(size_t n, bool compressible) {
  std::mt19937 rng(3);
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i)
    s[i] = compressible ? static_cast<char>("abcab"[i % 5] + (i / 1000) % 3) : static_cast<char>(rng());
  return s;
}

std::string roundtrip(CompressionCodec codec, const std::string& in) {
  std::string packed;
  compress(codec, reinterpret_cast<const uint8_t*>(in.data()), in.size(), packed);
  std::string out(in.size(), '\0');
  decompress(codec, reinterpret_cast<const uint8_t*>(packed.data()), packed.size(),
             reinterpret_cast<uint8_t*>(out.data()), out.size());
  return out;
}

TEST(ParquetCompressionTest, EveryWrittenCodecRoundTrips) {
  for (CompressionCodec c : {CompressionCodec::kUncompressed, CompressionCodec::kSnappy,
                             CompressionCodec::kGzip, CompressionCodec::kZstd, CompressionCodec::kLz4Raw}) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, size_t{300000}}) {
      for (bool compressible : {true, false}) {
        std::string in = sample_data(n, compressible);
        EXPECT_EQ(roundtrip(c, in), in) << codec_name(c) << " n=" << n;
      }
    }
  }
}

TEST(ParquetCompressionTest, CompressibleDataShrinks) {
  std::string in = sample_data(100000, true);
  for (CompressionCodec c : {CompressionCodec::kSnappy, CompressionCodec::kGzip, CompressionCodec::kZstd,
                             CompressionCodec::kLz4Raw}) {
    std::string packed;
    compress(c, reinterpret_cast<const uint8_t*>(in.data()), in.size(), packed);
    EXPECT_LT(packed.size(), in.size() / 4) << codec_name(c);
  }
}

TEST(ParquetCompressionTest, GzipHeaderIsGzip) {
  std::string in = sample_data(100, true), packed;
  compress(CompressionCodec::kGzip, reinterpret_cast<const uint8_t*>(in.data()), in.size(), packed);
  ASSERT_GE(packed.size(), 2u);
  EXPECT_EQ(static_cast<uint8_t>(packed[0]), 0x1f);
  EXPECT_EQ(static_cast<uint8_t>(packed[1]), 0x8b);
}

// Hadoop's Lz4Codec framing: [uncompressed size BE32][compressed size BE32][LZ4 block], repeated.
TEST(ParquetCompressionTest, LegacyLz4ReadsHadoopFramingAndRawBlocks) {
  std::string part1 = sample_data(5000, true), part2 = sample_data(3000, false);
  std::string framed;
  for (const std::string* part : {&part1, &part2}) {
    std::string block(static_cast<size_t>(LZ4_compressBound(static_cast<int>(part->size()))), '\0');
    int n = LZ4_compress_default(part->data(), block.data(), static_cast<int>(part->size()),
                                 static_cast<int>(block.size()));
    block.resize(static_cast<size_t>(n));
    auto be32 = [&](uint32_t v) {
      for (int s = 24; s >= 0; s -= 8) framed.push_back(static_cast<char>((v >> s) & 0xff));
    };
    be32(static_cast<uint32_t>(part->size()));
    be32(static_cast<uint32_t>(block.size()));
    framed += block;
  }
  std::string want = part1 + part2, got(want.size(), '\0');
  decompress(CompressionCodec::kLz4, reinterpret_cast<const uint8_t*>(framed.data()), framed.size(),
             reinterpret_cast<uint8_t*>(got.data()), got.size());
  EXPECT_EQ(got, want);
  // A raw block (what some old writers produced for LZ4) is accepted too.
  std::string raw;
  compress(CompressionCodec::kLz4Raw, reinterpret_cast<const uint8_t*>(part1.data()), part1.size(), raw);
  std::string got1(part1.size(), '\0');
  decompress(CompressionCodec::kLz4, reinterpret_cast<const uint8_t*>(raw.data()), raw.size(),
             reinterpret_cast<uint8_t*>(got1.data()), got1.size());
  EXPECT_EQ(got1, part1);
}

TEST(ParquetCompressionTest, WrongSizesAndCorruptDataAreErrors) {
  std::string in = sample_data(10000, true);
  for (CompressionCodec c : {CompressionCodec::kUncompressed, CompressionCodec::kSnappy,
                             CompressionCodec::kGzip, CompressionCodec::kZstd, CompressionCodec::kLz4Raw}) {
    std::string packed;
    compress(c, reinterpret_cast<const uint8_t*>(in.data()), in.size(), packed);
    std::string out(in.size() + 10, '\0');
    for (size_t claimed : {in.size() - 1, in.size() + 10}) {
      try {
        decompress(c, reinterpret_cast<const uint8_t*>(packed.data()), packed.size(),
                   reinterpret_cast<uint8_t*>(out.data()), claimed);
        ADD_FAILURE() << codec_name(c) << " accepted a wrong size " << claimed;
      } catch (const EmberError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput) << e.what();
      }
    }
    if (c == CompressionCodec::kUncompressed) continue;
    std::mt19937 rng(11);
    for (int trial = 0; trial < 200; ++trial) {
      std::string bad = packed;
      bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
      if (trial % 2) bad.resize(rng() % bad.size());
      std::string o(in.size(), '\0');
      try {
        decompress(c, reinterpret_cast<const uint8_t*>(bad.data()), bad.size(),
                   reinterpret_cast<uint8_t*>(o.data()), o.size());
      } catch (const EmberError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput) << e.what();
      }
    }
  }
}

TEST(ParquetCompressionTest, UnsupportedCodecs) {
  uint8_t b[4] = {0, 0, 0, 0};
  for (CompressionCodec c : {CompressionCodec::kBrotli, CompressionCodec::kLzo}) {
    try {
      decompress(c, b, 4, b, 4);
      ADD_FAILURE();
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
      EXPECT_NE(std::string(e.what()).find(codec_name(c)), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace ember::parquet
