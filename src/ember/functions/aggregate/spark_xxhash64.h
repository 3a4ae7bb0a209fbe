#pragma once
// Spark's XxHash64Function, the 64-bit hash behind approx_count_distinct (seed 42) and the SQL
// function xxhash64: XXH64 over the bytes Spark feeds it for each type.
//   boolean, byte, short, int, date       -> the value as a 4-byte int (false/true as 0/1);
//   bigint, timestamp                     -> the 8-byte long;
//   float                                 -> Float.floatToIntBits, with -0.0 hashed as 0 and every
//                                            NaN as the canonical NaN (Spark's normaliser);
//   double                                -> Double.doubleToLongBits, likewise normalised;
//   decimal(p <= 18, s)                   -> the unscaled value as a long;
//   decimal(p > 18, s)                    -> BigInteger.toByteArray of the unscaled value (the
//                                            shortest big-endian two's complement bytes);
//   string (UTF8_BINARY), binary          -> the bytes;
//   array, map, struct                    -> each element (a map: each key, then its value) or
//                                            field in turn, seeded with the hash so far; a null
//                                            element or field is skipped.
// Numbers are read little-endian, as Spark's Platform reads them on every machine it runs on.
#include <cstddef>
#include <cstdint>

#include "ember/vector/vector.h"

namespace ember::agg {

// XXH64 of `len` bytes (the reference algorithm, identical to Spark's hashUnsafeBytes).
uint64_t xxhash64_bytes(const void* data, size_t len, uint64_t seed);
// Spark's XXH64.hashInt / hashLong: XXH64 of the 4 / 8 little-endian bytes of the value.
uint64_t xxhash64_int(int32_t value, uint64_t seed);
uint64_t xxhash64_long(int64_t value, uint64_t seed);

// hashes[i] = Spark's xxhash64 of row i of `v` (flat or constant, any type), for the non-null
// rows i < n; null rows are left untouched (Spark skips them).
void spark_xxhash64_rows(const Vector& v, size_t n, uint64_t seed, uint64_t* hashes);

}  // namespace ember::agg
