#pragma once
// Page compression codecs for Parquet: UNCOMPRESSED, SNAPPY (libsnappy), GZIP (zlib), ZSTD
// (libzstd), LZ4_RAW (liblz4 block format) and, for reading only, the deprecated LZ4 codec
// (Hadoop's framing of LZ4 blocks; very old writers used a raw block, which is tried next).
// BROTLI and LZO are not supported and raise kUnsupported.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ember/io/parquet/parquet_metadata.h"

namespace ember::parquet {

// Decompresses `input` into exactly `output_size` bytes at `output`. Throws
// EmberError(kMalformedInput) when the data is corrupt or does not decompress to exactly
// output_size bytes, and kUnsupported for codecs ember does not implement.
void decompress(CompressionCodec codec, const uint8_t* input, size_t input_size, uint8_t* output,
                size_t output_size);

// Compresses `input`, appending the result to `out`. `level` is the codec's level; 0 means the
// codec's default (gzip 6, zstd 3 as in Spark). Only the codecs ember writes are accepted:
// UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW.
void compress(CompressionCodec codec, const uint8_t* input, size_t input_size, std::string& out,
              int level = 0);

}  // namespace ember::parquet
