#pragma once
// Spark's implicit type coercion (TypeCoercion / AnsiTypeCoercion): which common type two
// values meet at (CASE branches, UNION columns, coalesce, IN lists) and which argument types a
// function may receive through an implicit cast.
#include <optional>

#include "ember/types/data_type.h"

namespace ember {

// Spark's findWiderTypeForTwo: tightest common type, then decimal widening, then (ANSI) string
// promotion: string meets an integral as bigint, a fractional as double, any other atomic type
// as that type; without ANSI a string absorbs numbers, dates and timestamps. Two arrays meet at
// the array of their elements' wider type; an array meets no atomic type.
std::optional<DataType> wider_type(const DataType& a, const DataType& b, bool ansi);

// Spark's DecimalPrecision.widerDecimalType: decimal(max(s1,s2) + max(p1-s1, p2-s2), max(s1,s2)),
// precision capped at 38.
DataType wider_decimal(const DataType& a, const DataType& b);

// The type both sides of a comparison are cast to (Spark's comparison coercion: a string meets a
// number/date/timestamp/boolean as that type; numbers widen; date vs timestamp is timestamp).
std::optional<DataType> comparison_type(const DataType& a, const DataType& b, bool ansi);

// May a function argument of type `from` be implicitly cast to the parameter type `to`?
// ANSI (AnsiTypeCoercion.implicitCast): null to anything, string to any atomic type, numeric to
// numeric, any atomic type to string, date/timestamp to each other, an array to an array whose
// element type its element casts to. Without ANSI the same set (TypeCoercion.implicitCast is no
// stricter for the types ember has).
bool can_implicit_cast(const DataType& from, const DataType& to, bool ansi);

}  // namespace ember
