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
#include <cstddef>

#include "ember/vector/vector.h"

namespace ember {

// <0, 0 or >0 comparing row a of x with row b of y (same type), both not null. Constant vectors
// are read at row 0.
int compare_values_at(const Vector& x, size_t a, const Vector& y, size_t b);

// The same where either may be null: a null sorts first, two nulls are equal.
int compare_nullable_values_at(const Vector& x, size_t a, const Vector& y, size_t b);

}  // namespace ember
