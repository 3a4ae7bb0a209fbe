#pragma once
// Compares rows of key columns under sort orders (ascending/descending, nulls first/last), with
// Spark's ordering: NaN sorts above every other double, strings compare as unsigned bytes, arrays
// element by element then by length, structs field by field (a null element or field first).
// Maps are not orderable (DATATYPE_MISMATCH.INVALID_ORDERING_TYPE), as in Spark.
// The type switch happens once per key column when the comparator is built; compare() only walks
// the prepared keys.
#include <vector>

#include "ember/vector/vector.h"

namespace ember {

struct SortKeySpec {
  bool ascending = true;
  bool nulls_first = true;
};

class RowComparator {
 public:
  RowComparator(std::vector<VectorPtr> keys, std::vector<SortKeySpec> specs);
  // <0, 0, >0 comparing row a with row b of the same key columns.
  int compare(size_t a, size_t b) const;
  // Compares row a of these keys with row b of `other` (same types and specs).
  int compare_with(size_t a, const RowComparator& other, size_t b) const;
  bool less(size_t a, size_t b) const { return compare(a, b) < 0; }

 private:
  struct Key {
    TypeId type;
    const Vector* vector;
    const uint8_t* data;
    SortKeySpec spec;
  };
  std::vector<VectorPtr> owned_;
  std::vector<Key> keys_;
};

}  // namespace ember
