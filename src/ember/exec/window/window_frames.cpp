#include "ember/exec/window/window_frames.h"

#include <algorithm>
#include <cmath>

#include "ember/common/error.h"
#include "ember/exec/operators/window_operator.h"

namespace ember {

WindowRows find_partitions_and_peers(const std::vector<VectorPtr>& partition_keys,
                                     const std::vector<VectorPtr>& order_keys,
                                     const std::vector<SortKeySpec>& order_specs, size_t num_rows) {
  WindowRows r;
  r.num_rows = num_rows;
  r.partition_begin.resize(num_rows);
  r.partition_end.resize(num_rows);
  r.peer_begin.resize(num_rows);
  r.peer_end.resize(num_rows);
  // Equality is all a partition boundary needs, so the partition keys' sort direction is moot.
  RowComparator partitions(partition_keys, std::vector<SortKeySpec>(partition_keys.size()));
  RowComparator orders(order_keys, order_specs);
  const bool partitioned = !partition_keys.empty();
  const bool ordered = !order_keys.empty();

  size_t part_begin = 0;
  size_t peer_begin = 0;
  auto close_peers = [&](size_t end) {
    for (size_t j = peer_begin; j < end; ++j) {
      r.peer_begin[j] = static_cast<uint32_t>(peer_begin);
      r.peer_end[j] = static_cast<uint32_t>(end);
    }
    peer_begin = end;
  };
  for (size_t i = 1; i <= num_rows; ++i) {
    const bool new_partition = i == num_rows || (partitioned && partitions.compare(i - 1, i) != 0);
    if (new_partition) {
      close_peers(i);
      for (size_t j = part_begin; j < i; ++j) {
        r.partition_begin[j] = static_cast<uint32_t>(part_begin);
        r.partition_end[j] = static_cast<uint32_t>(i);
      }
      part_begin = i;
      continue;
    }
    if (!ordered) continue;
    int c = orders.compare(i - 1, i);
    EMBER_CHECK(c <= 0, "window input rows " + std::to_string(i - 1) + " and " + std::to_string(i) +
                            " are not sorted by the window's order keys");
    if (c != 0) close_peers(i);
  }
  return r;
}

bool range_offsets_supported(const DataType& type) { return type.is_numeric() || type.id() == TypeId::kDate; }

namespace {

// Clamps i + offset into [lo, hi] without overflowing (offsets may be any int64).
uint32_t clamp_offset(size_t i, int64_t offset, uint32_t lo, uint32_t hi) {
  const auto limit = static_cast<int64_t>(hi) + 1;
  int64_t t = static_cast<int64_t>(i) + std::clamp<int64_t>(offset, -limit, limit);
  return static_cast<uint32_t>(std::clamp<int64_t>(t, lo, hi));
}

void rows_bounds(const WindowFrame& f, const WindowRows& rows, FrameBounds& b) {
  for (size_t i = 0; i < rows.num_rows; ++i) {
    uint32_t ps = rows.partition_begin[i];
    uint32_t pe = rows.partition_end[i];
    b.begin[i] = f.lower == WindowFrame::kUnboundedPreceding ? ps : clamp_offset(i, f.lower, ps, pe);
    if (f.upper == WindowFrame::kUnboundedFollowing) {
      b.end[i] = pe;
    } else {
      // The frame ends one past the row at i + upper; clamp first so the + 1 cannot overflow.
      int64_t upper = std::clamp<int64_t>(f.upper, -static_cast<int64_t>(pe) - 1, pe);
      b.end[i] = clamp_offset(i, upper + 1, ps, pe);
    }
  }
}

// Spark's ordering of floating-point keys: NaN above every other value and equal to itself.
template <class T>
int compare_keys(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    bool na = std::isnan(a), nb = std::isnan(b);
    if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
  }
  return a < b ? -1 : (b < a ? 1 : 0);
}

int128_t saturate_add(int128_t a, int128_t b) {
  int128_t r;
  if (!__builtin_add_overflow(a, b, &r)) return r;
  // Decimal values stay below 10^38, far inside int128, so a saturated bound orders correctly.
  return b > 0 ? std::numeric_limits<int128_t>::max() : std::numeric_limits<int128_t>::min();
}

// One bound (lower or upper) of a RANGE frame with an offset, for every row. For a row with key v
// the bound value is v + delta (delta = offset, negated for a descending key, as Spark flips it);
// the frame starts at the first row not before that value in sort order (lower) or ends at the
// first row after it (upper). Bound values only move forward in sort order as rows do, so one
// pointer per partition suffices. A row with a null key is bounded by its peers (the null group).
template <class Load, class Shift>
void range_offset_bounds(const WindowRows& rows, const Vector& key, const SortKeySpec& spec, int64_t offset,
                         bool lower, uint32_t* out, Load load, Shift shift) {
  const int128_t delta = spec.ascending ? static_cast<int128_t>(offset) : -static_cast<int128_t>(offset);
  const bool asc = spec.ascending;
  size_t p = 0;
  for (size_t i = 0; i < rows.num_rows; ++i) {
    const uint32_t pe = rows.partition_end[i];
    if (i == rows.partition_begin[i]) p = i;
    if (key.is_null(i)) {
      out[i] = lower ? rows.peer_begin[i] : rows.peer_end[i];
      continue;
    }
    const auto bound = shift(load(i), delta);
    if (lower) {
      // Skip rows before the bound: nulls when they sort first, smaller (asc) / larger (desc) keys.
      while (p < pe) {
        bool before = key.is_null(p)
                          ? spec.nulls_first
                          : (asc ? compare_keys(load(p), bound) < 0 : compare_keys(load(p), bound) > 0);
        if (!before) break;
        ++p;
      }
    } else {
      // Take rows up to the bound: stop at the first row after it.
      while (p < pe) {
        bool after = key.is_null(p)
                         ? !spec.nulls_first
                         : (asc ? compare_keys(load(p), bound) > 0 : compare_keys(load(p), bound) < 0);
        if (after) break;
        ++p;
      }
    }
    out[i] = static_cast<uint32_t>(p);
  }
}

template <class T>
void integral_range_bounds(const WindowRows& rows, const Vector& key, const SortKeySpec& spec, int64_t offset,
                           bool lower, uint32_t* out) {
  const T* values = key.values<T>();
  range_offset_bounds(
      rows, key, spec, offset, lower, out, [&](size_t i) { return static_cast<int128_t>(values[i]); },
      [](int128_t v, int128_t d) { return v + d; });  // |v|, |d| < 2^64: exact
}

template <class T>
void floating_range_bounds(const WindowRows& rows, const Vector& key, const SortKeySpec& spec, int64_t offset,
                           bool lower, uint32_t* out) {
  const T* values = key.values<T>();
  // Spark casts the offset to the key's type and adds in that type.
  range_offset_bounds(
      rows, key, spec, offset, lower, out, [&](size_t i) { return values[i]; },
      [](T v, int128_t d) { return v + static_cast<T>(d); });
}

void decimal_range_bounds(const WindowRows& rows, const Vector& key, const SortKeySpec& spec, int64_t offset,
                          bool lower, uint32_t* out) {
  const int128_t* values = key.values<int128_t>();
  // The offset is a whole number of units: scale it to the key's unscaled representation.
  int128_t unit = 1;
  for (int s = 0; s < key.type().scale(); ++s) unit *= 10;
  range_offset_bounds(
      rows, key, spec, offset, lower, out, [&](size_t i) { return values[i]; },
      [unit](int128_t v, int128_t d) {
        int128_t scaled;
        if (__builtin_mul_overflow(d, unit, &scaled)) {
          scaled = d > 0 ? std::numeric_limits<int128_t>::max() : std::numeric_limits<int128_t>::min();
        }
        return saturate_add(v, scaled);
      });
}

void range_bounds_by_offset(const WindowRows& rows, const Vector& key, const SortKeySpec& spec,
                            int64_t offset, bool lower, uint32_t* out) {
  switch (key.type().id()) {
    case TypeId::kByte: return integral_range_bounds<int8_t>(rows, key, spec, offset, lower, out);
    case TypeId::kShort: return integral_range_bounds<int16_t>(rows, key, spec, offset, lower, out);
    case TypeId::kInt:
    case TypeId::kDate: return integral_range_bounds<int32_t>(rows, key, spec, offset, lower, out);
    case TypeId::kLong: return integral_range_bounds<int64_t>(rows, key, spec, offset, lower, out);
    case TypeId::kFloat: return floating_range_bounds<float>(rows, key, spec, offset, lower, out);
    case TypeId::kDouble: return floating_range_bounds<double>(rows, key, spec, offset, lower, out);
    case TypeId::kDecimal: return decimal_range_bounds(rows, key, spec, offset, lower, out);
    default:
      throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.RANGE_FRAME_INVALID_TYPE",
                  "a RANGE window frame with offsets needs a numeric or date ORDER BY key, not " +
                      key.type().simple_string());
  }
}

void range_bounds(const WindowFrame& f, const WindowRows& rows, const Vector* key, const SortKeySpec& spec,
                  FrameBounds& b) {
  const bool lower_offset =
      f.lower != WindowFrame::kUnboundedPreceding && f.lower != WindowFrame::kCurrentRow;
  const bool upper_offset =
      f.upper != WindowFrame::kUnboundedFollowing && f.upper != WindowFrame::kCurrentRow;
  if ((lower_offset || upper_offset) && key == nullptr) {
    throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.RANGE_FRAME_WITHOUT_ORDER",
                "a RANGE window frame with offsets needs exactly one ORDER BY key");
  }
  if (f.lower == WindowFrame::kUnboundedPreceding) {
    std::copy(rows.partition_begin.begin(), rows.partition_begin.end(), b.begin.begin());
  } else if (f.lower == WindowFrame::kCurrentRow) {
    std::copy(rows.peer_begin.begin(), rows.peer_begin.end(), b.begin.begin());
  } else {
    range_bounds_by_offset(rows, *key, spec, f.lower, /*lower=*/true, b.begin.data());
  }
  if (f.upper == WindowFrame::kUnboundedFollowing) {
    std::copy(rows.partition_end.begin(), rows.partition_end.end(), b.end.begin());
  } else if (f.upper == WindowFrame::kCurrentRow) {
    std::copy(rows.peer_end.begin(), rows.peer_end.end(), b.end.begin());
  } else {
    range_bounds_by_offset(rows, *key, spec, f.upper, /*lower=*/false, b.end.data());
  }
}

}  // namespace

FrameBounds compute_frame_bounds(const WindowFrame& frame, const WindowRows& rows, const Vector* order_key,
                                 const SortKeySpec& order_spec) {
  FrameBounds b;
  b.begin.resize(rows.num_rows);
  b.end.resize(rows.num_rows);
  if (frame.type == WindowFrame::Type::kRows) rows_bounds(frame, rows, b);
  else range_bounds(frame, rows, order_key, order_spec, b);
  for (size_t i = 0; i < rows.num_rows; ++i) b.end[i] = std::max(b.end[i], b.begin[i]);
  return b;
}

}  // namespace ember
