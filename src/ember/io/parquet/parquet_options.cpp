#include "ember/io/parquet/parquet_options.h"

#include <charconv>

#include "ember/common/error.h"
#include "ember/types/data_type.h"

namespace ember {

namespace {

[[noreturn]] void bad_option(const std::string& key, const std::string& value, const std::string& why) {
  throw_error(ErrorKind::kIllegalArgument,
              "invalid value '" + value + "' for Parquet option '" + key + "': " + why);
}

bool parse_bool(const std::string& key, const std::string& value) {
  if (equals_ignore_case(value, "true")) return true;
  if (equals_ignore_case(value, "false")) return false;
  bad_option(key, value, "expected true or false");
}

int64_t parse_positive(const std::string& key, const std::string& value, bool allow_zero = false) {
  int64_t v = 0;
  auto res = std::from_chars(value.data(), value.data() + value.size(), v);
  if (res.ec != std::errc() || res.ptr != value.data() + value.size() || v < 0 || (v == 0 && !allow_zero)) {
    bad_option(key, value, allow_zero ? "expected a non-negative integer" : "expected a positive integer");
  }
  return v;
}

}  // namespace

parquet::CompressionCodec parse_parquet_compression(const std::string& name) {
  using parquet::CompressionCodec;
  std::string n = to_lower(name);
  if (n == "none" || n == "uncompressed") return CompressionCodec::kUncompressed;
  if (n == "snappy") return CompressionCodec::kSnappy;
  if (n == "gzip") return CompressionCodec::kGzip;
  if (n == "zstd") return CompressionCodec::kZstd;
  if (n == "lz4" || n == "lz4_raw") return CompressionCodec::kLz4Raw;
  if (n == "lzo" || n == "brotli") {
    throw_error(ErrorKind::kUnsupported,
                "Parquet compression codec '" + name + "' is not supported by ember");
  }
  throw_error(ErrorKind::kIllegalArgument, "CODEC_NOT_AVAILABLE",
              "Codec [" + name +
                  "] is not available. Available codecs are none, uncompressed, snappy, gzip, "
                  "zstd, lz4, lz4_raw.");
}

ParquetReadOptions ParquetReadOptions::parse(const std::map<std::string, std::string>& options) {
  ParquetReadOptions o;
  for (const auto& [raw_key, value] : options) {
    std::string key = to_lower(raw_key);
    if (key == "binaryasstring" || key == "spark.sql.parquet.binaryasstring") {
      o.binary_as_string = parse_bool(raw_key, value);
    } else if (key == "nanosaslong" || key == "spark.sql.legacy.parquet.nanosaslong") {
      o.nanos_as_long = parse_bool(raw_key, value);
    } else if (key == "batchsize" || key == "spark.sql.parquet.columnarreaderbatchsize") {
      o.batch_size = static_cast<size_t>(parse_positive(raw_key, value));
    } else if (key == "dictionaryvectors") {
      o.dictionary_vectors = parse_bool(raw_key, value);
    }
  }
  return o;
}

ParquetWriteOptions ParquetWriteOptions::parse(const std::map<std::string, std::string>& options) {
  ParquetWriteOptions o;
  for (const auto& [raw_key, value] : options) {
    std::string key = to_lower(raw_key);
    if (key == "compression" || key == "spark.sql.parquet.compression.codec" ||
        key == "parquet.compression") {
      o.compression = parse_parquet_compression(value);
    } else if (key == "compression.level") {
      o.compression_level = static_cast<int>(parse_positive(raw_key, value, true));
    } else if (key == "parquet.block.size") {
      o.row_group_size = parse_positive(raw_key, value);
    } else if (key == "rowgroupmaxrows") {
      o.row_group_max_rows = parse_positive(raw_key, value, true);
    } else if (key == "parquet.page.size") {
      o.page_size = parse_positive(raw_key, value);
    } else if (key == "parquet.page.row.count.limit") {
      o.page_row_limit = parse_positive(raw_key, value);
    } else if (key == "parquet.enable.dictionary") {
      o.enable_dictionary = parse_bool(raw_key, value);
    } else if (key == "parquet.dictionary.page.size") {
      o.dictionary_page_size = parse_positive(raw_key, value);
    }
  }
  return o;
}

}  // namespace ember
