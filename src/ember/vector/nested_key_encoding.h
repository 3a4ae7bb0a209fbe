#pragma once
// The canonical key bytes of a value: how the hash-based paths (grouping, DISTINCT, joins, hash
// partitioning, count(DISTINCT), collect_set) hold values of any type — nested ones (arrays,
// maps, structs) included — as one flat byte string.
//
// Contract: two values of one type encode to equal bytes exactly when Spark considers them
// equal as grouping or join keys, i.e. equal after NormalizeFloatingNumbers:
//  - floats and doubles are normalised (-0.0 as 0.0, every NaN as the one canonical NaN) at any
//    depth;
//  - inside a nested value, a null element or field is distinguished from every value (an
//    array [null] differs from [] and from [0]), and two nested nulls are equal;
//  - arrays (and maps) carry their length, structs their fields in order, so the encoding of a
//    type is prefix-free and the concatenation of several values' encodings is injective too.
// Top-level nulls have no encoding: callers keep them as nulls (a null key row, a skipped row).
//
// Layout (little-endian, no padding): fixed-width values as their (normalised) native bytes
// (booleans one byte, decimals 16); string and binary as a uint32 length then the bytes; NullType
// as nothing; arrays and maps as a uint32 element count then each element (a map's element being
// its key/value entry struct); structs as their fields one after another; and every element and
// field preceded by one byte, 0 when it is null (nothing follows) and 1 when it is a value.
// The bytes are ember-internal (never persisted, never shipped between versions) and do not
// order like the values: sorts use vector/value_order.h.
#include <cstddef>
#include <string>

#include "ember/types/data_type.h"
#include "ember/vector/vector.h"

namespace ember {

// Appends the encoding of row `row` of v (not null; flat, constant or dictionary) to out.
void append_key_bytes(const Vector& v, size_t row, std::string& out);

// The encodings of rows [0, n) of v as a binary vector: row i is null where v's row i is null,
// its encoding otherwise (the same bytes append_key_bytes gives). A constant v gives a constant
// vector. Column at a time: each level of the type is one loop over the batch, sized first so
// the output is allocated once; nothing allocates per row.
VectorPtr encode_keys(const Vector& v, size_t n);

// Appends one row to `out` (a flat vector of the encoded type, built in row order) from the
// encoding at p; returns the position just past it. The inverse of append_key_bytes (up to the
// normalisation of floats).
const char* append_decoded_key(const char* p, Vector& out);

// The inverse of encode_keys: rows [0, n) of `encoded` (binary, flat) decoded into a new flat
// vector of `type`; null rows stay null.
VectorPtr decode_keys(const DataType& type, const Vector& encoded, size_t n);

}  // namespace ember
