#include "ember/exec/runtime_filter.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "ember/common/error.h"
#include "ember/exec/hashtable/vector_hash.h"

namespace ember {

namespace {

// Calls f(values) with the column's values as the integer type they are stored in.
template <class F>
void with_int_values(const Vector& col, F&& f) {
  switch (col.type().id()) {
    case TypeId::kByte: f(col.values<int8_t>()); return;
    case TypeId::kShort: f(col.values<int16_t>()); return;
    case TypeId::kInt:
    case TypeId::kDate: f(col.values<int32_t>()); return;
    case TypeId::kLong:
    case TypeId::kTimestamp: f(col.values<int64_t>()); return;
    default: EMBER_CHECK(false, "runtime filter range over a non-integer column"); return;
  }
}

// Keeps the selected rows whose value in `col` is not null.
void keep_non_null(const Vector& col, std::vector<uint32_t>& sel) {
  if (col.type().id() == TypeId::kNull) {
    sel.clear();
    return;
  }
  const uint8_t* valid = col.validity();
  if (valid == nullptr) return;
  size_t kept = 0;
  for (uint32_t row : sel) {
    sel[kept] = row;
    kept += bit_is_set(valid, row) ? 1 : 0;
  }
  sel.resize(kept);
}

std::vector<VectorPtr> flattened(const std::vector<VectorPtr>& keys) {
  std::vector<VectorPtr> out;
  out.reserve(keys.size());
  for (const auto& k : keys) out.push_back(k->is_constant() ? flatten(k) : k);
  return out;
}

}  // namespace

bool RuntimeFilter::rangeable(const DataType& type) {
  switch (type.id()) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kLong:
    case TypeId::kTimestamp: return true;
    default: return false;
  }
}

std::optional<std::pair<Value, Value>> RuntimeFilter::range_values(size_t k) const {
  if (k >= ranges.size() || !ranges[k].ranged || creation_rows == 0) return std::nullopt;
  auto make = [&](int64_t v) {
    switch (key_types[k].id()) {
      case TypeId::kByte: return Value::byte(static_cast<int8_t>(v));
      case TypeId::kShort: return Value::short_(static_cast<int16_t>(v));
      case TypeId::kInt: return Value::int32(static_cast<int32_t>(v));
      case TypeId::kDate: return Value::date(static_cast<int32_t>(v));
      case TypeId::kTimestamp: return Value::timestamp(v);
      default: return Value::int64(v);
    }
  };
  return std::make_pair(make(ranges[k].lo), make(ranges[k].hi));
}

void RuntimeFilter::apply(const std::vector<VectorPtr>& key_columns, size_t n, bool use_bloom,
                          std::vector<uint32_t>& sel, std::vector<uint64_t>& hashes) const {
  sel.resize(n);
  std::iota(sel.begin(), sel.end(), 0u);
  if (creation_rows == 0) {
    sel.clear();
    return;
  }
  const std::vector<VectorPtr> keys = flattened(key_columns);
  for (const auto& k : keys) keep_non_null(*k, sel);
  for (size_t k = 0; k < keys.size() && !sel.empty(); ++k) {
    if (!ranges[k].ranged) continue;
    const int64_t lo = ranges[k].lo, hi = ranges[k].hi;
    with_int_values(*keys[k], [&](const auto* values) {
      size_t kept = 0;
      for (uint32_t row : sel) {
        const auto v = static_cast<int64_t>(values[row]);
        sel[kept] = row;
        kept += (v >= lo && v <= hi) ? 1 : 0;
      }
      sel.resize(kept);
    });
  }
  if (!use_bloom || !bloom || sel.empty()) return;
  if (hashes.size() < n) hashes.resize(n);
  hash_columns(keys, n, hashes.data());
  sel.resize(bloom->filter(hashes.data(), sel.data(), sel.size(), sel.data()));
}

RuntimeFilterBuilder::RuntimeFilterBuilder(std::vector<DataType> key_types, int64_t max_items, double fpp,
                                           size_t max_bytes)
    : key_types_(std::move(key_types)), max_items_(max_items), fpp_(fpp), max_bytes_(max_bytes) {}

RuntimeFilterBuilder::Partial RuntimeFilterBuilder::new_partial() const {
  Partial p;
  p.ranges.resize(key_types_.size());
  for (size_t k = 0; k < key_types_.size(); ++k) {
    p.ranges[k].ranged = RuntimeFilter::rangeable(key_types_[k]);
    p.ranges[k].lo = std::numeric_limits<int64_t>::max();
    p.ranges[k].hi = std::numeric_limits<int64_t>::min();
  }
  return p;
}

void RuntimeFilterBuilder::add(Partial& partial, const std::vector<VectorPtr>& key_columns, size_t n) const {
  if (n == 0) return;
  EMBER_CHECK(key_columns.size() == key_types_.size(), "runtime filter key count mismatch");
  const std::vector<VectorPtr> keys = flattened(key_columns);
  std::vector<uint32_t> sel(n);
  std::iota(sel.begin(), sel.end(), 0u);
  for (const auto& k : keys) keep_non_null(*k, sel);
  if (sel.empty()) return;
  partial.rows += static_cast<int64_t>(sel.size());
  for (size_t k = 0; k < keys.size(); ++k) {
    if (!partial.ranges[k].ranged) continue;
    int64_t lo = partial.ranges[k].lo, hi = partial.ranges[k].hi;
    with_int_values(*keys[k], [&](const auto* values) {
      for (uint32_t row : sel) {
        const auto v = static_cast<int64_t>(values[row]);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    });
    partial.ranges[k].lo = lo;
    partial.ranges[k].hi = hi;
  }
  if (partial.overflow) return;
  if (partial.rows > max_items_) {
    // Too many rows for a bloom filter worth its memory: keep the ranges only.
    partial.overflow = true;
    partial.hashes = {};
    return;
  }
  std::vector<uint64_t> hashes(n);
  hash_columns(keys, n, hashes.data());
  for (uint32_t row : sel) partial.hashes.push_back(hashes[row]);
}

void RuntimeFilterBuilder::commit(int partition, Partial partial) {
  std::lock_guard<std::mutex> lock(mu_);
  committed_[partition] = std::move(partial);
}

std::shared_ptr<const RuntimeFilter> RuntimeFilterBuilder::finish() {
  std::lock_guard<std::mutex> lock(mu_);
  auto filter = std::make_shared<RuntimeFilter>();
  filter->key_types = key_types_;
  filter->ranges = new_partial().ranges;
  bool overflow = false;
  size_t hashes = 0;
  for (const auto& [partition, p] : committed_) {
    filter->creation_rows += p.rows;
    overflow |= p.overflow;
    hashes += p.hashes.size();
    for (size_t k = 0; k < filter->ranges.size(); ++k) {
      filter->ranges[k].lo = std::min(filter->ranges[k].lo, p.ranges[k].lo);
      filter->ranges[k].hi = std::max(filter->ranges[k].hi, p.ranges[k].hi);
    }
  }
  if (!overflow && filter->creation_rows <= max_items_ && filter->creation_rows > 0) {
    filter->bloom.emplace(hashes, fpp_, max_bytes_);
    for (const auto& [partition, p] : committed_) filter->bloom->insert(p.hashes.data(), p.hashes.size());
  }
  committed_.clear();
  return filter;
}

}  // namespace ember
