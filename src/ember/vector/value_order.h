#pragma once
// Spark's ordering of single values held in vectors, for the paths that compare row by row:
// nested values (arrays, structs) in sorts and comparisons. Flat kernels keep their own typed
// loops; this is the one definition of how an array or a struct orders.
//
// Arrays compare element by element, then the shorter first; structs field by field. Inside them
// a null element or field sorts before any value, whatever a sort says about top-level nulls
// (Spark's ArrayType and StructType orderings compare nested values ascending with nulls first;
// a descending sort negates the whole result). Doubles order NaN above everything and NaN equals
// NaN; strings and binary compare as unsigned bytes. Maps are not orderable (callers reject them
// with require_orderable_type).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <string_view>

#include "ember/vector/vector.h"

namespace ember {

// The orderings of single values of each kind, shared by the typed row comparators: -1, 0 or 1.
template <class T>
inline int order_values(T x, T y) {
  return x < y ? -1 : (y < x ? 1 : 0);
}

// NaN above everything, NaN equal to NaN (Spark's ordering of doubles and floats).
template <class T>
inline int order_floating(T x, T y) {
  const bool nx = std::isnan(x), ny = std::isnan(y);
  if (nx || ny) return nx == ny ? 0 : (nx ? 1 : -1);
  return order_values(x, y);
}

// Unsigned bytes, then the shorter first (strings and binary).
inline int order_bytes(std::string_view x, std::string_view y) {
  const size_t n = std::min(x.size(), y.size());
  const int c = n ? std::memcmp(x.data(), y.data(), n) : 0;
  if (c != 0) return c < 0 ? -1 : 1;
  return order_values(x.size(), y.size());
}

// <0, 0 or >0 comparing row a of x with row b of y (same type), both not null. Constant vectors
// are read at row 0.
int compare_values_at(const Vector& x, size_t a, const Vector& y, size_t b);

// The same where either may be null: a null sorts first, two nulls are equal.
int compare_nullable_values_at(const Vector& x, size_t a, const Vector& y, size_t b);

}  // namespace ember
