#include "ember/functions/aggregate/quantile_summary.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "ember/common/error.h"

namespace ember::agg {

namespace {

// Java's Double.compare order, which Scala's sorted uses for the head buffer: -0.0 before 0.0,
// NaN after everything.
bool total_order_less(double a, double b) {
  if (std::isnan(b)) return !std::isnan(a);
  if (std::isnan(a)) return false;
  if (a == b) return std::signbit(a) && !std::signbit(b);
  return a < b;
}

// Spark's compressImmut: walking down from the maximum, folds a sample into its successor
// while both fit under merge_threshold; keeps the minimum (unless it is the only sample).
void compress_samples(const std::vector<QuantileSummary::Sample>& in, double merge_threshold,
                      std::vector<QuantileSummary::Sample>& out) {
  out.clear();
  if (in.empty()) return;
  QuantileSummary::Sample head = in.back();
  for (size_t i = in.size() - 2; i >= 1 && i < in.size(); --i) {
    const QuantileSummary::Sample& s = in[i];
    if (static_cast<double>(s.g + head.g + head.delta) < merge_threshold) {
      head.g += s.g;
    } else {
      out.push_back(head);
      head = s;
    }
  }
  out.push_back(head);
  if (in.front().value <= head.value && in.size() > 1) out.push_back(in.front());
  std::reverse(out.begin(), out.end());
}

}  // namespace

void QuantileSummary::insert(double x) {
  head_.push_back(x);
  compressed_ = false;
  if (head_.size() >= kHeadSize) {
    insert_head_buffer();
    if (samples_.size() >= static_cast<size_t>(compress_threshold_)) compress();
  }
}

void QuantileSummary::insert_head_buffer() {
  if (head_.empty()) return;
  std::sort(head_.begin(), head_.end(), total_order_less);
  scratch_.clear();
  scratch_.reserve(samples_.size() + head_.size());
  int64_t current_count = count_;
  size_t sample_idx = 0;
  for (size_t op = 0; op < head_.size(); ++op) {
    double x = head_[op];
    while (sample_idx < samples_.size() && samples_[sample_idx].value <= x)
      scratch_.push_back(samples_[sample_idx++]);
    ++current_count;
    // A new minimum or (for the last value) a new maximum is known exactly.
    bool exact = scratch_.empty() || (sample_idx == samples_.size() && op == head_.size() - 1);
    int64_t delta =
        exact ? 0
              : static_cast<int64_t>(std::floor(2 * relative_error_ * static_cast<double>(current_count)));
    scratch_.push_back(Sample{x, 1, delta});
  }
  while (sample_idx < samples_.size()) scratch_.push_back(samples_[sample_idx++]);
  samples_.swap(scratch_);
  count_ = current_count;
  head_.clear();
  // Spark builds a new summary here, whose compressed flag starts false.
  compressed_ = false;
}

void QuantileSummary::compress() {
  insert_head_buffer();
  compress_samples(samples_, 2 * relative_error_ * static_cast<double>(count_), scratch_);
  samples_.swap(scratch_);
  compressed_ = true;
}

void QuantileSummary::merge(const QuantileSummary& other) {
  EMBER_CHECK(head_.empty() && other.head_.empty(), "merging quantile summaries with unflushed head buffers");
  if (other.count_ == 0) return;  // Spark keeps this summary as it is (flag included)
  if (count_ == 0) {
    relative_error_ = other.relative_error_;
    compress_threshold_ = other.compress_threshold_;
    samples_ = other.samples_;
    count_ = other.count_;
    compressed_ = other.compressed_;
    return;
  }
  double merged_error = std::max(relative_error_, other.relative_error_);
  int64_t merged_count = count_ + other.count_;
  auto extra_self =
      static_cast<int64_t>(std::floor(2 * other.relative_error_ * static_cast<double>(other.count_)));
  auto extra_other = static_cast<int64_t>(std::floor(2 * relative_error_ * static_cast<double>(count_)));
  std::vector<Sample> merged;
  merged.reserve(samples_.size() + other.samples_.size());
  size_t i = 0;
  size_t j = 0;
  while (i < samples_.size() && j < other.samples_.size()) {
    const Sample& a = samples_[i];
    const Sample& b = other.samples_[j];
    if (a.value < b.value) {
      merged.push_back(Sample{a.value, a.g, a.delta + (j > 0 ? extra_self : 0)});
      ++i;
    } else {
      merged.push_back(Sample{b.value, b.g, b.delta + (i > 0 ? extra_other : 0)});
      ++j;
    }
  }
  merged.insert(merged.end(), samples_.begin() + static_cast<std::ptrdiff_t>(i), samples_.end());
  merged.insert(merged.end(), other.samples_.begin() + static_cast<std::ptrdiff_t>(j), other.samples_.end());
  compress_samples(merged, 2 * merged_error * static_cast<double>(merged_count), samples_);
  relative_error_ = merged_error;
  compress_threshold_ = other.compress_threshold_;
  count_ = merged_count;
  compressed_ = true;
}

void QuantileSummary::query(const std::vector<double>& percentages, std::vector<double>& out) const {
  EMBER_CHECK(head_.empty() && !samples_.empty(), "querying an uncompressed or empty quantile summary");
  out.assign(percentages.size(), 0.0);
  int64_t max_span = INT64_MIN;
  for (const Sample& s : samples_) max_span = std::max(max_span, s.delta + s.g);
  const auto target_error = static_cast<double>(max_span / 2);
  const size_t last = samples_.size() - 1;

  std::vector<size_t> order(percentages.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return percentages[a] < percentages[b]; });

  // Resumes where the previous (smaller) percentage stopped, as Spark's findApproxQuantile does.
  size_t index = 0;
  int64_t min_rank = samples_[0].g;
  for (size_t pos : order) {
    double p = percentages[pos];
    if (p <= relative_error_) {
      out[pos] = samples_.front().value;
      continue;
    }
    if (p >= 1 - relative_error_) {
      out[pos] = samples_.back().value;
      continue;
    }
    const auto rank = static_cast<double>(static_cast<int64_t>(std::ceil(p * static_cast<double>(count_))));
    size_t i = index;
    int64_t r = min_rank;
    bool found = false;
    while (i < last) {
      const Sample& cur = samples_[i];
      auto max_rank = static_cast<double>(r + cur.delta);
      if (max_rank - target_error <= rank && rank <= static_cast<double>(r) + target_error) {
        found = true;
        break;
      }
      ++i;
      r += samples_[i].g;
    }
    if (found) {
      index = i;
      min_rank = r;
      out[pos] = samples_[i].value;
    } else {
      index = last;
      min_rank = 0;
      out[pos] = samples_[last].value;
    }
  }
}

void QuantileSummary::serialize(std::string& out) const {
  EMBER_CHECK(head_.empty(), "serializing a quantile summary with an unflushed head buffer");
  auto n = static_cast<int32_t>(samples_.size());
  size_t size = sizeof(int32_t) + sizeof(double) + sizeof(int64_t) + sizeof(int32_t) + samples_.size() * 24;
  out.resize(size);
  char* p = out.data();
  auto put = [&p](const auto& v) {
    std::memcpy(p, &v, sizeof(v));
    p += sizeof(v);
  };
  put(compress_threshold_);
  put(relative_error_);
  put(count_);
  put(n);
  for (const Sample& s : samples_) {
    put(s.value);
    put(s.g);
    put(s.delta);
  }
}

QuantileSummary QuantileSummary::deserialize(std::string_view bytes) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  auto get = [&](auto& v) {
    EMBER_CHECK(p + sizeof(v) <= end,
                "truncated quantile summary of " + std::to_string(bytes.size()) + " bytes");
    std::memcpy(&v, p, sizeof(v));
    p += sizeof(v);
  };
  int32_t threshold = 0;
  double error = 0;
  int64_t count = 0;
  int32_t n = 0;
  get(threshold);
  get(error);
  get(count);
  get(n);
  EMBER_CHECK(n >= 0, "negative quantile summary size");
  QuantileSummary s(error, threshold);
  s.count_ = count;
  s.samples_.resize(static_cast<size_t>(n));
  for (Sample& x : s.samples_) {
    get(x.value);
    get(x.g);
    get(x.delta);
  }
  s.compressed_ = true;
  return s;
}

}  // namespace ember::agg
