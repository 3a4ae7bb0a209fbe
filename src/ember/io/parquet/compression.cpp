#include "ember/io/parquet/compression.h"

#include <climits>
#include <cstring>

#include <lz4.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "ember/common/error.h"

namespace ember::parquet {

namespace {

[[noreturn]] void corrupt(CompressionCodec codec, const std::string& what) {
  throw_error(ErrorKind::kMalformedInput,
              std::string("cannot decompress a ") + codec_name(codec) + " page: " + what);
}

void check_size(CompressionCodec codec, size_t got, size_t want) {
  if (got != want) {
    corrupt(codec, "it decompressed to " + std::to_string(got) + " bytes, the page header says " +
                       std::to_string(want));
  }
}

void gzip_decompress(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  z_stream s{};
  // 15 + 32: a zlib or gzip header, detected automatically (writers differ in what GZIP means).
  if (inflateInit2(&s, 15 + 32) != Z_OK) corrupt(CompressionCodec::kGzip, "zlib initialisation failed");
  s.next_in = const_cast<Bytef*>(in);
  s.avail_in = static_cast<uInt>(in_size);
  s.next_out = out;
  s.avail_out = static_cast<uInt>(out_size);
  while (true) {
    int rc = inflate(&s, Z_FINISH);
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members are one stream: keep going while input remains.
      if (s.avail_in > 0 && s.avail_out > 0 && inflateReset(&s) == Z_OK) continue;
      break;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && s.avail_out == 0) {
      inflateEnd(&s);
      corrupt(CompressionCodec::kGzip,
              "it decompresses to more than the page header's " + std::to_string(out_size) + " bytes");
    }
    std::string msg = s.msg != nullptr ? s.msg : "error " + std::to_string(rc);
    inflateEnd(&s);
    corrupt(CompressionCodec::kGzip, msg);
  }
  size_t produced = out_size - s.avail_out;
  inflateEnd(&s);
  check_size(CompressionCodec::kGzip, produced, out_size);
}

uint32_t load_be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// Hadoop's Lz4Codec output: blocks of [uncompressed size BE32][compressed size BE32][LZ4 block].
bool try_lz4_hadoop(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  size_t produced = 0;
  while (in_size > 0) {
    if (in_size < 8) return false;
    uint32_t raw = load_be32(in);
    uint32_t packed = load_be32(in + 4);
    in += 8;
    in_size -= 8;
    if (packed > in_size || raw > out_size - produced || packed > INT_MAX) return false;
    int n = LZ4_decompress_safe(reinterpret_cast<const char*>(in), reinterpret_cast<char*>(out + produced),
                                static_cast<int>(packed), static_cast<int>(raw));
    if (n < 0 || static_cast<uint32_t>(n) != raw) return false;
    produced += raw;
    in += packed;
    in_size -= packed;
  }
  return produced == out_size;
}

bool try_lz4_block(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  if (in_size > INT_MAX || out_size > INT_MAX) return false;
  int n = LZ4_decompress_safe(reinterpret_cast<const char*>(in), reinterpret_cast<char*>(out),
                              static_cast<int>(in_size), static_cast<int>(out_size));
  return n >= 0 && static_cast<size_t>(n) == out_size;
}

}  // namespace

void decompress(CompressionCodec codec, const uint8_t* input, size_t input_size, uint8_t* output,
                size_t output_size) {
  switch (codec) {
    case CompressionCodec::kUncompressed:
      check_size(codec, input_size, output_size);
      if (input_size > 0) std::memcpy(output, input, input_size);
      return;
    case CompressionCodec::kSnappy: {
      size_t len = 0;
      const auto* in = reinterpret_cast<const char*>(input);
      if (snappy_uncompressed_length(in, input_size, &len) != SNAPPY_OK) corrupt(codec, "bad snappy header");
      check_size(codec, len, output_size);
      if (snappy_uncompress(in, input_size, reinterpret_cast<char*>(output), &len) != SNAPPY_OK) {
        corrupt(codec, "corrupt snappy data");
      }
      check_size(codec, len, output_size);
      return;
    }
    case CompressionCodec::kGzip: gzip_decompress(input, input_size, output, output_size); return;
    case CompressionCodec::kZstd: {
      size_t n = ZSTD_decompress(output, output_size, input, input_size);
      if (ZSTD_isError(n)) corrupt(codec, ZSTD_getErrorName(n));
      check_size(codec, n, output_size);
      return;
    }
    case CompressionCodec::kLz4Raw:
      if (!try_lz4_block(input, input_size, output, output_size)) corrupt(codec, "corrupt LZ4 block");
      return;
    case CompressionCodec::kLz4:
      if (try_lz4_hadoop(input, input_size, output, output_size)) return;
      if (try_lz4_block(input, input_size, output, output_size)) return;
      corrupt(codec, "neither Hadoop-framed LZ4 nor a raw LZ4 block");
    case CompressionCodec::kLzo:
    case CompressionCodec::kBrotli:
      throw_error(ErrorKind::kUnsupported,
                  std::string("Parquet compression codec ") + codec_name(codec) + " is not supported");
  }
  throw_error(ErrorKind::kUnsupported,
              "unknown Parquet compression codec " + std::to_string(static_cast<int>(codec)));
}

void compress(CompressionCodec codec, const uint8_t* input, size_t input_size, std::string& out, int level) {
  size_t start = out.size();
  switch (codec) {
    case CompressionCodec::kUncompressed:
      out.append(reinterpret_cast<const char*>(input), input_size);
      return;
    case CompressionCodec::kSnappy: {
      size_t cap = snappy_max_compressed_length(input_size);
      out.resize(start + cap);
      size_t len = cap;
      if (snappy_compress(reinterpret_cast<const char*>(input), input_size, out.data() + start, &len) !=
          SNAPPY_OK) {
        throw_error(ErrorKind::kInternal, "snappy compression failed");
      }
      out.resize(start + len);
      return;
    }
    case CompressionCodec::kGzip: {
      z_stream s{};
      // 15 + 16: a gzip header, which is what Parquet's GZIP means (RFC 1952).
      if (deflateInit2(&s, level == 0 ? 6 : level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw_error(ErrorKind::kInternal, "zlib initialisation failed");
      }
      size_t cap = deflateBound(&s, static_cast<uLong>(input_size));
      out.resize(start + cap);
      s.next_in = const_cast<Bytef*>(input);
      s.avail_in = static_cast<uInt>(input_size);
      s.next_out = reinterpret_cast<Bytef*>(out.data() + start);
      s.avail_out = static_cast<uInt>(cap);
      int rc = deflate(&s, Z_FINISH);
      size_t len = cap - s.avail_out;
      deflateEnd(&s);
      if (rc != Z_STREAM_END) throw_error(ErrorKind::kInternal, "gzip compression failed");
      out.resize(start + len);
      return;
    }
    case CompressionCodec::kZstd: {
      size_t cap = ZSTD_compressBound(input_size);
      out.resize(start + cap);
      size_t len = ZSTD_compress(out.data() + start, cap, input, input_size, level == 0 ? 3 : level);
      if (ZSTD_isError(len)) {
        throw_error(ErrorKind::kInternal, std::string("zstd compression failed: ") + ZSTD_getErrorName(len));
      }
      out.resize(start + len);
      return;
    }
    case CompressionCodec::kLz4Raw: {
      if (input_size > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
        throw_error(ErrorKind::kUnsupported, "a page is too large for LZ4 compression");
      }
      int cap = LZ4_compressBound(static_cast<int>(input_size));
      out.resize(start + static_cast<size_t>(cap));
      int len = LZ4_compress_default(reinterpret_cast<const char*>(input), out.data() + start,
                                     static_cast<int>(input_size), cap);
      if (len <= 0 && input_size > 0) throw_error(ErrorKind::kInternal, "lz4 compression failed");
      out.resize(start + static_cast<size_t>(len));
      return;
    }
    default:
      throw_error(ErrorKind::kUnsupported, std::string("writing Parquet compression codec ") +
                                               codec_name(codec) + " is not supported");
  }
}

}  // namespace ember::parquet
