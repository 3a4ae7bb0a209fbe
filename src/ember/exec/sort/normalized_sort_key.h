#pragma once
// Normalized sort keys (as DuckDB's): every row's key columns are encoded once into a fixed-width
// byte string whose unsigned lexicographic (memcmp) order is RowComparator's order, so the sort
// compares or radix-sorts plain bytes instead of walking typed columns per comparison.
//
// Layout of one row, `width()` bytes (a multiple of 8), per key in order:
//   - a null byte: 0/1 so that nulls land first or last whatever the direction;
//   - the value, big-endian, transformed so its bytes order like the value (zero for nulls), and
//     bitwise inverted when descending:
//       integers, dates, timestamps, decimals, booleans: two's complement with the sign bit flipped;
//       float/double: -0.0 folded into 0.0, every NaN one value above +inf (Spark's order);
//       string/binary: the first P bytes (zero padded), then min(length, P + 1) in one byte. A
//       string longer than P is "truncated": the bytes of every later key are zeroed in that row,
//       so rows that tie on a truncated prefix tie on the whole key and are then ordered with the
//       full comparator (RowComparator from the first string key);
//   - zero padding, then the row index (uint32, big-endian) in the last 4 bytes, which makes every
//     key unique and the order of equal keys their input order.
// Read as big-endian 64-bit words, the rows compare as arrays of uint64_t (what the sort uses).
#include <cstdint>
#include <memory>
#include <vector>

#include "ember/exec/sort/row_comparator.h"
#include "ember/vector/vector.h"

namespace ember {

class NormalizedSortKeys {
 public:
  // Keys are any flat-able vectors of one length; arrays raise the same error as RowComparator.
  NormalizedSortKeys(const std::vector<VectorPtr>& keys, const std::vector<SortKeySpec>& specs);

  size_t num_rows() const { return rows_; }
  size_t width() const { return width_; }              // bytes per row, a multiple of 8
  size_t words() const { return width_ / 8; }          // uint64 words per row
  size_t key_bytes() const { return key_bytes_; }      // bytes before the padding and row index
  bool has_strings() const { return first_string_ >= 0; }

  // Writes rows [0, num_rows) as host-order words (`words()` per row, compare as unsigned
  // lexicographic arrays) into out, which holds num_rows * words() uint64_t. When truncated is not
  // null it receives one flag per row: 1 when a string key of that row was longer than the prefix.
  // Returns true when any row was truncated.
  bool encode(uint64_t* out, uint8_t* truncated) const;
  // The same for rows [begin, begin + n) (row indices stay absolute); out holds n rows and
  // truncated (if not null) n flags.
  bool encode_rows(size_t begin, size_t n, uint64_t* out, uint8_t* truncated) const;

  // Full order of rows a and b, for rows whose words are equal except the row index: compares the
  // keys from the first string key on with RowComparator (0 when there are no string keys).
  int tie_break(size_t a, size_t b) const { return tail_ ? tail_->compare(a, b) : 0; }

 private:
  struct Slot {
    TypeId type;
    const Vector* vector;
    SortKeySpec spec;
    size_t offset;       // of the null byte
    size_t value_width;  // bytes after the null byte
  };
  std::vector<VectorPtr> owned_;
  std::vector<Slot> slots_;
  size_t rows_ = 0;
  size_t width_ = 0;
  size_t key_bytes_ = 0;
  size_t prefix_ = 8;  // P, string prefix bytes
  int first_string_ = -1;
  std::unique_ptr<RowComparator> tail_;
};

// The row order of sorting `keys` under `specs` (RowComparator's order, ties by row index), the
// first `limit` rows of it when 0 <= limit < rows. Uses normalized keys and a radix sort; falls
// back to comparing with RowComparator when keys are too wide to normalize.
std::vector<uint32_t> sort_rows(const std::vector<VectorPtr>& keys, const std::vector<SortKeySpec>& specs,
                                int64_t limit = -1);

// The same result computed only with RowComparator (the reference the tests compare against).
std::vector<uint32_t> sort_rows_with_comparator(const std::vector<VectorPtr>& keys,
                                                const std::vector<SortKeySpec>& specs, int64_t limit = -1);

}  // namespace ember
