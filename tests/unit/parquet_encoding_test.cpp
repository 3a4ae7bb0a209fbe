// Parquet's encodings, checked against hand-worked byte sequences (most from the format's
// Encodings.md) and by round trips with extreme values.
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/io/parquet/bit_packing.h"
#include "ember/io/parquet/byte_stream_split.h"
#include "ember/io/parquet/delta_binary_packed.h"
#include "ember/io/parquet/dictionary_builder.h"
#include "ember/io/parquet/plain_encoding.h"
#include "ember/io/parquet/rle_bit_packed_hybrid.h"
#include "ember/io/parquet/values_decoder.h"

namespace ember::parquet {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

const uint8_t* u8(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

template <class F>
void expect_malformed(F&& f) {
  try {
    f();
    FAIL() << "expected kMalformedInput";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------
// bit packing

TEST(ParquetBitPackingTest, UnpackMatchesAReferenceForEveryWidth) {
  std::mt19937_64 rng(1);
  for (int width = 0; width <= 64; ++width) {
    uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    std::vector<uint64_t> values(300);
    for (auto& v : values) v = rng() & mask;
    std::string packed;
    pack_bits(values.data(), values.size(), width, packed);
    ASSERT_EQ(packed.size(), (values.size() * static_cast<size_t>(width) + 7) / 8);
    // Unpack from several starting values and lengths (the tail path included).
    for (size_t first : {size_t{0}, size_t{1}, size_t{7}, size_t{250}}) {
      std::vector<uint64_t> out(values.size() - first);
      unpack_bits<uint64_t>(u8(packed), packed.size(), width, first * static_cast<uint64_t>(width),
                            out.data(), out.size());
      for (size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], values[first + i]) << "width " << width;
    }
    if (width <= 32) {
      std::vector<uint32_t> out32(values.size());
      unpack_bits<uint32_t>(u8(packed), packed.size(), width, 0, out32.data(), out32.size());
      for (size_t i = 0; i < out32.size(); ++i) ASSERT_EQ(out32[i], values[i]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// RLE / bit-packed hybrid

TEST(ParquetRleTest, BitPackedRunFromTheSpec) {
  // Encodings.md: 0..7 at bit width 3, LSB first, is 10001000 11000110 11111010; one group of 8
  // gives the run header (1 << 1) | 1 = 3.
  std::string data = bytes({0x03, 0x88, 0xC6, 0xFA});
  RleBitPackedDecoder d(u8(data), data.size(), 3);
  uint32_t out[8];
  ASSERT_EQ(d.get_batch(out, 8), 8u);
  for (uint32_t i = 0; i < 8; ++i) EXPECT_EQ(out[i], i);
  EXPECT_EQ(d.get_batch(out, 1), 0u);

  RleBitPackedEncoder e(3);
  for (uint32_t i = 0; i < 8; ++i) e.put(i);
  std::string enc;
  e.flush(enc);
  EXPECT_EQ(enc, data);
}

TEST(ParquetRleTest, RleRun) {
  // 100 copies of 5 at width 3: header 100 << 1 = 200 (C8 01), then the value in one byte.
  std::string data = bytes({0xC8, 0x01, 0x05});
  RleBitPackedDecoder d(u8(data), data.size(), 3);
  std::vector<uint8_t> out(100);
  ASSERT_EQ(d.get_batch(out.data(), 60), 60u);
  ASSERT_EQ(d.get_batch(out.data() + 60, 50), 40u);
  for (uint8_t v : out) EXPECT_EQ(v, 5);

  RleBitPackedEncoder e(3);
  e.put_repeated(5, 100);
  std::string enc;
  e.flush(enc);
  EXPECT_EQ(enc, data);
  // Wide values take ceil(width / 8) little-endian bytes.
  RleBitPackedEncoder wide(17);
  wide.put_repeated(0x1ABCD, 9);
  enc.clear();
  wide.flush(enc);
  EXPECT_EQ(enc, bytes({0x12, 0xCD, 0xAB, 0x01}));
}

TEST(ParquetRleTest, LegacyBitPackedFromTheSpec) {
  // Encodings.md, BIT_PACKED: 0..7 at width 3, MSB first, is 00000101 00111001 01110111.
  std::string data = bytes({0x05, 0x39, 0x77});
  uint8_t out[8];
  EXPECT_EQ(decode_legacy_bit_packed(u8(data), data.size(), 3, out, 8), 3u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(out[i], i);
  expect_malformed([&] { decode_legacy_bit_packed(u8(data), 2, 3, out, 8); });
}

TEST(ParquetRleTest, EncoderRoundTripsMixedRuns) {
  std::mt19937 rng(5);
  for (int width : {1, 2, 5, 8, 13, 20, 32}) {
    uint64_t mask = width == 32 ? 0xffffffffull : (uint64_t{1} << width) - 1;
    std::vector<uint32_t> values;
    while (values.size() < 5000) {
      uint32_t v = static_cast<uint32_t>(rng() & mask);
      size_t run = rng() % 3 == 0 ? 1 + rng() % 40 : 1;
      for (size_t i = 0; i < run; ++i) values.push_back(v);
    }
    RleBitPackedEncoder e(width);
    for (uint32_t v : values) e.put(v);
    std::string enc;
    e.flush(enc);
    RleBitPackedDecoder d(u8(enc), enc.size(), width);
    std::vector<uint32_t> out(values.size());
    size_t got = 0;
    while (got < out.size()) {
      size_t k = d.get_batch(out.data() + got, std::min<size_t>(777, out.size() - got));
      ASSERT_GT(k, 0u);
      got += k;
    }
    EXPECT_EQ(out, values) << "width " << width;
  }
}

TEST(ParquetRleTest, CorruptRunsAreErrors) {
  // An RLE value wider than the bit width.
  std::string wide = bytes({0x02, 0x07});
  expect_malformed([&] {
    RleBitPackedDecoder d(u8(wide), wide.size(), 1);
    uint8_t out[1];
    d.get_batch(out, 1);
  });
  // A truncated run header and a truncated value.
  for (const std::string& s : {bytes({0x80}), bytes({0x02})}) {
    expect_malformed([&] {
      RleBitPackedDecoder d(u8(s), s.size(), 8);
      uint8_t out[1];
      d.get_batch(out, 1);
    });
  }
  // A bit-packed run claiming more groups than bytes present yields only the values present.
  std::string short_run = bytes({0x09, 0xFF});  // 4 groups of 8 at width 1 claimed, 1 byte present
  RleBitPackedDecoder d(u8(short_run), short_run.size(), 1);
  uint8_t out[32];
  EXPECT_EQ(d.get_batch(out, 32), 8u);
}

// ---------------------------------------------------------------------------------------------
// PLAIN

TEST(ParquetPlainTest, BooleansAreBitPackedLsbFirst) {
  uint8_t values[10] = {1, 0, 1, 1, 0, 0, 0, 1, 1, 0};
  std::string enc;
  plain_append_booleans(values, 10, enc);
  EXPECT_EQ(enc, bytes({0x8D, 0x01}));
  auto d = make_values_decoder(Encoding::kPlain, PhysicalType::kBoolean, 0, u8(enc), enc.size(), 10);
  uint8_t out[10];
  d->decode_fixed(out, 3);
  d->decode_fixed(out + 3, 7);
  EXPECT_EQ(std::memcmp(out, values, 10), 0);
  uint8_t more[16];
  expect_malformed([&] { d->decode_fixed(more, 7); });
}

TEST(ParquetPlainTest, ByteArraysAndFixedWidth) {
  std::string enc;
  plain_append_byte_array("ab", enc);
  plain_append_byte_array("", enc);
  plain_append_byte_array("xyz", enc);
  EXPECT_EQ(enc, bytes({2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0, 3, 0, 0, 0, 'x', 'y', 'z'}));
  auto d = make_values_decoder(Encoding::kPlain, PhysicalType::kByteArray, 0, u8(enc), enc.size(), 3);
  ByteArrayView v[3];
  d->decode_binary(v, 3);
  EXPECT_EQ(v[0].view(), "ab");
  EXPECT_EQ(v[1].view(), "");
  EXPECT_EQ(v[2].view(), "xyz");
  // A length running past the page is an error.
  std::string bad = bytes({9, 0, 0, 0, 'a'});
  auto b = make_values_decoder(Encoding::kPlain, PhysicalType::kByteArray, 0, u8(bad), bad.size(), 1);
  expect_malformed([&] { b->decode_binary(v, 1); });

  int64_t ints[3] = {INT64_MIN, 0, INT64_MAX};
  std::string fixed(reinterpret_cast<const char*>(ints), sizeof ints);
  auto f = make_values_decoder(Encoding::kPlain, PhysicalType::kInt64, 0, u8(fixed), fixed.size(), 3);
  int64_t out[3];
  f->decode_fixed(reinterpret_cast<uint8_t*>(out), 3);
  EXPECT_EQ(out[0], INT64_MIN);
  EXPECT_EQ(out[2], INT64_MAX);
  expect_malformed([&] { f->decode_fixed(reinterpret_cast<uint8_t*>(out), 1); });

  std::string flba = "abcdef";
  auto g =
      make_values_decoder(Encoding::kPlain, PhysicalType::kFixedLenByteArray, 3, u8(flba), flba.size(), 2);
  g->decode_binary(v, 2);
  EXPECT_EQ(v[1].view(), "def");
}

TEST(ParquetPlainTest, RleBooleans) {
  // 4-byte length, then an RLE run of 10 trues at width 1 (header 20, value 1).
  std::string enc = bytes({2, 0, 0, 0, 20, 1});
  auto d = make_values_decoder(Encoding::kRle, PhysicalType::kBoolean, 0, u8(enc), enc.size(), 10);
  uint8_t out[10];
  d->decode_fixed(out, 10);
  for (uint8_t b : out) EXPECT_EQ(b, 1);
  std::string bad = bytes({9, 0, 0, 0, 20, 1});
  expect_malformed(
      [&] { make_values_decoder(Encoding::kRle, PhysicalType::kBoolean, 0, u8(bad), bad.size(), 10); });
}

TEST(ParquetPlainTest, InvalidEncodingTypeCombinations) {
  std::string s(16, '\0');
  expect_malformed([&] { make_values_decoder(Encoding::kRle, PhysicalType::kInt32, 0, u8(s), s.size(), 1); });
  expect_malformed([&] {
    make_values_decoder(Encoding::kDeltaBinaryPacked, PhysicalType::kDouble, 0, u8(s), s.size(), 1);
  });
  expect_malformed([&] {
    make_values_decoder(Encoding::kByteStreamSplit, PhysicalType::kByteArray, 0, u8(s), s.size(), 1);
  });
  try {
    make_values_decoder(static_cast<Encoding>(42), PhysicalType::kInt32, 0, u8(s), s.size(), 1);
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
  }
}

// ---------------------------------------------------------------------------------------------
// DELTA_BINARY_PACKED

TEST(ParquetDeltaTest, SpecExampleConsecutiveIntegers) {
  // 1..5: block 128 (80 01), 4 miniblocks, 5 values, first value 1 (zigzag 2); one block with
  // min delta 1 (zigzag 2) and all miniblock widths 0, so no miniblock bodies.
  std::string enc = bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00});
  DeltaBinaryPackedDecoder d(u8(enc), enc.size(), 5);
  int32_t out[5];
  d.decode<int32_t>(out, 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(out[i], i + 1);
  DeltaBinaryPackedDecoder again(u8(enc), enc.size(), 5);
  EXPECT_EQ(again.skip_to_end(), u8(enc) + enc.size());
  std::string ours;
  int64_t vals[5] = {1, 2, 3, 4, 5};
  encode_delta_binary_packed(vals, 5, 32, ours);
  EXPECT_EQ(ours, enc);
}

TEST(ParquetDeltaTest, SpecExampleWithNegativeDeltas) {
  // 7 5 3 1 2 3 4 5: deltas -2 -2 -2 1 1 1 1, min delta -2 (zigzag 3), relative deltas
  // 0 0 0 3 3 3 3 at width 2 in the first miniblock (8 bytes for 32 values), widths 2 0 0 0.
  std::string enc = bytes({0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x00, 0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00,
                           0x00, 0x00, 0x00, 0x00});
  auto dec =
      make_values_decoder(Encoding::kDeltaBinaryPacked, PhysicalType::kInt64, 0, u8(enc), enc.size(), 8);
  int64_t out[8];
  dec->decode_fixed(reinterpret_cast<uint8_t*>(out), 3);
  dec->decode_fixed(reinterpret_cast<uint8_t*>(out + 3), 5);
  int64_t want[8] = {7, 5, 3, 1, 2, 3, 4, 5};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(out[i], want[i]);
  std::string ours;
  encode_delta_binary_packed(want, 8, 64, ours);
  EXPECT_EQ(ours, enc);
}

TEST(ParquetDeltaTest, RoundTripsExtremes) {
  std::mt19937_64 rng(9);
  for (int bits : {32, 64}) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{128}, size_t{129}, size_t{1000}, size_t{5000}}) {
      std::vector<int64_t> v(n);
      for (size_t i = 0; i < n; ++i) {
        switch (i % 4) {
          case 0: v[i] = bits == 32 ? INT32_MIN : INT64_MIN; break;
          case 1: v[i] = bits == 32 ? INT32_MAX : INT64_MAX; break;
          case 2: v[i] = static_cast<int64_t>(rng()); break;
          default: v[i] = static_cast<int64_t>(i); break;
        }
        if (bits == 32) v[i] = static_cast<int32_t>(v[i]);
      }
      std::string enc;
      encode_delta_binary_packed(v.data(), n, bits, enc);
      enc += "TAIL";  // bytes after the encoded data must not be consumed
      DeltaBinaryPackedDecoder d(u8(enc), enc.size(), n);
      ASSERT_EQ(d.total_values(), n);
      if (bits == 32) {
        std::vector<int32_t> out(n);
        d.decode<int32_t>(out.data(), n);
        for (size_t i = 0; i < n; ++i) ASSERT_EQ(out[i], v[i]) << i;
      } else {
        std::vector<int64_t> out(n);
        for (size_t i = 0; i < n; i += 100) d.decode<int64_t>(out.data() + i, std::min<size_t>(100, n - i));
        EXPECT_EQ(out, v);
      }
      DeltaBinaryPackedDecoder e(u8(enc), enc.size(), n);
      EXPECT_EQ(std::string(reinterpret_cast<const char*>(e.skip_to_end()), 4), "TAIL") << n;
    }
  }
}

TEST(ParquetDeltaTest, CorruptHeadersAreErrors) {
  // Block size not a multiple of 128, miniblocks not giving multiples of 32, too many values,
  // a bit width above 64, truncated miniblocks.
  for (const std::string& s : {bytes({0x40, 0x04, 0x05, 0x02}), bytes({0x80, 0x01, 0x03, 0x05, 0x02}),
                               bytes({0x80, 0x01, 0x04, 0x05, 0x02}),
                               bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x41, 0x00, 0x00, 0x00}),
                               bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x08, 0x00, 0x00, 0x00, 0x01})}) {
    expect_malformed([&] {
      DeltaBinaryPackedDecoder d(u8(s), s.size(), 4);
      int64_t out[5];
      d.decode<int64_t>(out, 5);
    });
  }
  // A header claiming billions of values over a few bytes is rejected before any allocation.
  std::string huge =
      bytes({0x80, 0x01, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00});
  expect_malformed([&] { DeltaBinaryPackedDecoder d(u8(huge), huge.size(), size_t{1} << 40); });
}

// ---------------------------------------------------------------------------------------------
// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY

std::string delta_lengths(const std::vector<int64_t>& lengths) {
  std::string out;
  encode_delta_binary_packed(lengths.data(), lengths.size(), 32, out);
  return out;
}

TEST(ParquetDeltaByteArrayTest, DeltaLengthFromTheSpec) {
  // Encodings.md: "Hello", "World", "Foobar", "ABCDEF" → lengths 5 5 6 6, then the bytes.
  std::string enc = delta_lengths({5, 5, 6, 6}) + "HelloWorldFoobarABCDEF";
  auto d = make_values_decoder(Encoding::kDeltaLengthByteArray, PhysicalType::kByteArray, 0, u8(enc),
                               enc.size(), 4);
  ByteArrayView v[4];
  d->decode_binary(v, 1);
  d->decode_binary(v + 1, 3);
  EXPECT_EQ(v[0].view(), "Hello");
  EXPECT_EQ(v[1].view(), "World");
  EXPECT_EQ(v[2].view(), "Foobar");
  EXPECT_EQ(v[3].view(), "ABCDEF");
  std::string bad = delta_lengths({5, 5, 6, 60}) + "HelloWorldFoobarABCDEF";
  expect_malformed([&] {
    make_values_decoder(Encoding::kDeltaLengthByteArray, PhysicalType::kByteArray, 0, u8(bad), bad.size(), 4);
  });
}

TEST(ParquetDeltaByteArrayTest, IncrementalFromTheSpec) {
  // Encodings.md: "axis", "axle", "babble", "babyhood" → prefix lengths 0 2 0 3, suffixes
  // "axis" "le" "babble" "yhood".
  std::string enc = delta_lengths({0, 2, 0, 3}) + delta_lengths({4, 2, 6, 5}) + "axislebabbleyhood";
  auto d =
      make_values_decoder(Encoding::kDeltaByteArray, PhysicalType::kByteArray, 0, u8(enc), enc.size(), 4);
  ByteArrayView v[4];
  d->decode_binary(v, 4);
  EXPECT_EQ(v[0].view(), "axis");
  EXPECT_EQ(v[1].view(), "axle");
  EXPECT_EQ(v[2].view(), "babble");
  EXPECT_EQ(v[3].view(), "babyhood");
  // A prefix longer than the previous value is corrupt.
  std::string bad = delta_lengths({0, 9}) + delta_lengths({4, 2}) + "axisle";
  expect_malformed([&] {
    make_values_decoder(Encoding::kDeltaByteArray, PhysicalType::kByteArray, 0, u8(bad), bad.size(), 2);
  });
  // FIXED_LEN_BYTE_ARRAY values must keep their length.
  std::string fixed = delta_lengths({0, 2}) + delta_lengths({3, 1}) + "abcd";
  auto f = make_values_decoder(Encoding::kDeltaByteArray, PhysicalType::kFixedLenByteArray, 3, u8(fixed),
                               fixed.size(), 2);
  f->decode_binary(v, 2);
  EXPECT_EQ(v[1].view(), "abd");
  expect_malformed([&] {
    make_values_decoder(Encoding::kDeltaByteArray, PhysicalType::kFixedLenByteArray, 4, u8(fixed),
                        fixed.size(), 2);
  });
}

// ---------------------------------------------------------------------------------------------
// BYTE_STREAM_SPLIT

TEST(ParquetByteStreamSplitTest, FloatsFromHand) {
  // 1.0f = 00 00 80 3F, 2.0f = 00 00 00 40: streams of byte 0, 1, 2, 3 of each value.
  std::string enc = bytes({0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x3F, 0x40});
  auto d = make_values_decoder(Encoding::kByteStreamSplit, PhysicalType::kFloat, 0, u8(enc), enc.size(), 2);
  float out[2];
  d->decode_fixed(reinterpret_cast<uint8_t*>(out), 1);
  d->decode_fixed(reinterpret_cast<uint8_t*>(out + 1), 1);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], 2.0f);
  float in[2] = {1.0f, 2.0f};
  std::string ours;
  encode_byte_stream_split(reinterpret_cast<const uint8_t*>(in), 2, 4, ours);
  EXPECT_EQ(ours, enc);
  std::string odd = enc.substr(0, 7);
  expect_malformed([&] {
    make_values_decoder(Encoding::kByteStreamSplit, PhysicalType::kFloat, 0, u8(odd), odd.size(), 2);
  });
}

TEST(ParquetByteStreamSplitTest, DoublesInt64AndFixedRoundTrip) {
  std::vector<double> d = {0.0, -0.0, 1e308, -1e-308, std::numeric_limits<double>::infinity(), 3.25};
  std::string enc;
  encode_byte_stream_split(reinterpret_cast<const uint8_t*>(d.data()), d.size(), 8, enc);
  auto dec = make_values_decoder(Encoding::kByteStreamSplit, PhysicalType::kDouble, 0, u8(enc), enc.size(),
                                 d.size());
  std::vector<double> out(d.size());
  dec->decode_fixed(reinterpret_cast<uint8_t*>(out.data()), d.size());
  EXPECT_EQ(std::memcmp(out.data(), d.data(), d.size() * 8), 0);
  std::string flba = "abcdefghijkl";  // 4 values of 3 bytes
  std::string split;
  encode_byte_stream_split(u8(flba), 4, 3, split);
  auto f = make_values_decoder(Encoding::kByteStreamSplit, PhysicalType::kFixedLenByteArray, 3, u8(split),
                               split.size(), 4);
  ByteArrayView v[4];
  f->decode_binary(v, 4);
  EXPECT_EQ(v[0].view(), "abc");
  EXPECT_EQ(v[3].view(), "jkl");
}

// ---------------------------------------------------------------------------------------------
// dictionaries

TEST(ParquetDictionaryTest, AssignsIndicesInFirstSeenOrder) {
  FixedDictionary<uint64_t> d;
  for (uint64_t round = 0; round < 3; ++round) {
    for (uint64_t v = 0; v < 5000; ++v) EXPECT_EQ(d.get_or_insert(v * 7919), v);
  }
  EXPECT_EQ(d.size(), 5000u);
  BinaryDictionary b;
  EXPECT_EQ(b.get_or_insert("x"), 0u);
  EXPECT_EQ(b.get_or_insert(""), 1u);
  EXPECT_EQ(b.get_or_insert("x"), 0u);
  for (int i = 0; i < 3000; ++i) b.get_or_insert("value-" + std::to_string(i));
  EXPECT_EQ(b.get_or_insert("value-1234"), 1236u);
  EXPECT_EQ(b.value(1236), "value-1234");
  EXPECT_EQ(b.size(), 3002u);
}

}  // namespace
}  // namespace ember::parquet
