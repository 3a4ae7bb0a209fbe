#pragma once
// Spark's QuantileSummaries: the Greenwald-Khanna summary behind percentile_approx, with Spark's
// head buffer, compression and merge, step for step, so that the same values inserted in the same
// order (and partial summaries merged in the same order) give the same percentiles as Spark.
//
//  - insert(x) appends to a head buffer; when it holds kHeadSize (50000) values they are sorted
//    and merged into the samples (a new sample gets delta = floor(2 * eps * count) unless it is
//    the new minimum or maximum), and if there are then at least compress_threshold (10000)
//    samples the summary is compressed.
//  - compress() flushes the head buffer and merges neighbouring samples, from the largest down,
//    while g + g' + delta' < 2 * eps * count; the minimum and maximum always survive.
//  - merge(other) interleaves two compressed summaries (a sample from one side gains the other
//    side's floor(2 * eps * n) of uncertainty when it falls inside the other's range) and
//    compresses the result; eps becomes the larger of the two.
//  - query: for each percentage p (in ascending order, resuming where the previous one stopped)
//    the first sample whose rank interval lies within max(g + delta) / 2 of ceil(p * count); p at
//    most eps gives the minimum, p at least 1 - eps the maximum.
// With count <= 1 / eps nothing is ever merged away and every answer is exact: the smallest value
// whose rank is at least ceil(p * count).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ember::agg {

class QuantileSummary {
 public:
  struct Sample {
    double value;
    int64_t g;      // minimum rank of this sample minus that of the previous one
    int64_t delta;  // maximum rank minus minimum rank
  };

  static constexpr size_t kHeadSize = 50000;            // Spark's defaultHeadSize
  static constexpr int32_t kCompressThreshold = 10000;  // Spark's defaultCompressThreshold

  explicit QuantileSummary(double relative_error, int32_t compress_threshold = kCompressThreshold)
      : relative_error_(relative_error), compress_threshold_(compress_threshold) {}

  void insert(double x);
  // Flushes the head buffer into the samples and compresses them.
  void compress();
  // Spark's flag: true for a new summary and after compress() or merge(); false after insert()
  // unless that insert compressed.
  bool is_compressed() const { return compressed_; }
  // Merges `other`; both must be compressed (no values in a head buffer).
  void merge(const QuantileSummary& other);

  // Values counted by the samples (the head buffer excluded; 0 after compress() means empty).
  int64_t count() const { return count_; }
  double relative_error() const { return relative_error_; }
  const std::vector<Sample>& samples() const { return samples_; }

  // out[i] = the approximate percentile at percentages[i] (each in [0, 1]). Requires a compressed
  // summary with count() > 0.
  void query(const std::vector<double>& percentages, std::vector<double>& out) const;

  // The compressed summary as bytes, and back (the layout of Spark's PercentileDigestSerializer,
  // in native byte order: ember reads what ember wrote).
  void serialize(std::string& out) const;
  static QuantileSummary deserialize(std::string_view bytes);

 private:
  // Spark's withHeadBufferInserted: sorts the head buffer into the samples.
  void insert_head_buffer();

  double relative_error_;
  int32_t compress_threshold_;
  std::vector<Sample> samples_;
  int64_t count_ = 0;
  std::vector<double> head_;
  bool compressed_ = true;
  std::vector<Sample> scratch_;  // reused by insert_head_buffer, compress and merge
};

}  // namespace ember::agg
