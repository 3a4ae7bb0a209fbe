// CAST between every pair of types that matters, ANSI errors vs legacy NULLs.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ember/common/error.h"
#include "ember/expr/cast.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"

namespace ember {
namespace {

VectorPtr cast1(const Value& v, const DataType& to, bool ansi = true, const char* tz = nullptr) {
  EvalContext ctx;
  ctx.ansi = ansi;
  if (tz) ctx.time_zone = TimeZone::find(tz);
  return cast_vector(Vector::from_values(v.type(), {v}), to, ctx, "CAST(x AS " + to.simple_string() + ")");
}

Value c(const Value& v, const DataType& to, bool ansi = true) { return cast1(v, to, ansi)->value_at(0); }

std::string error_of(const Value& v, const DataType& to) {
  try {
    cast1(v, to, true);
  } catch (const EmberError& e) {
    return e.what();
  }
  return "";
}

TEST(CastTest, StringToIntMalformed) {
  EXPECT_EQ(c(Value::string(" 42 "), DataType::int32()), Value::int32(42));
  EXPECT_EQ(c(Value::string("-7.9"), DataType::int32()), Value::int32(-7));  // fraction dropped
  EXPECT_EQ(c(Value::string("-2147483648"), DataType::int32()), Value::int32(INT32_MIN));
  EXPECT_EQ(error_of(Value::string("abc"), DataType::int32()),
            "[CAST_INVALID_INPUT] The value 'abc' of the type \"STRING\" cannot be cast to \"INT\" because it is "
            "malformed. Correct the value as per the syntax, or change its target type. Use `try_cast` to tolerate "
            "malformed input and return NULL instead. SQLSTATE: 22018");
  EXPECT_NE(error_of(Value::string("2147483648"), DataType::int32()).find("CAST_INVALID_INPUT"), std::string::npos);
  EXPECT_TRUE(c(Value::string("abc"), DataType::int32(), false).is_null());
  EXPECT_TRUE(c(Value::string(""), DataType::int64(), false).is_null());
  EXPECT_TRUE(c(Value::string("1e3"), DataType::int64(), false).is_null());
  EXPECT_EQ(c(Value::string("127"), DataType::byte()), Value::byte(127));
  EXPECT_TRUE(c(Value::string("128"), DataType::byte(), false).is_null());
}

TEST(CastTest, StringToFloatingAndBoolean) {
  EXPECT_EQ(c(Value::string("1.5e3"), DataType::float64()), Value::float64(1500));
  EXPECT_EQ(c(Value::string(" -Infinity"), DataType::float64()), Value::float64(-INFINITY));
  EXPECT_TRUE(std::isnan(c(Value::string("NaN"), DataType::float64()).as_double()));
  EXPECT_EQ(c(Value::string("2.5d"), DataType::float64()), Value::float64(2.5));
  EXPECT_THROW(c(Value::string("1.2.3"), DataType::float64()), EmberError);
  EXPECT_EQ(c(Value::string("YES"), DataType::boolean()), Value::boolean(true));
  EXPECT_EQ(c(Value::string("0"), DataType::boolean()), Value::boolean(false));
  EXPECT_THROW(c(Value::string("maybe"), DataType::boolean()), EmberError);
  EXPECT_TRUE(c(Value::string("maybe"), DataType::boolean(), false).is_null());
}

TEST(CastTest, NumericNarrowingAndOverflow) {
  EXPECT_EQ(error_of(Value::float64(1e10), DataType::int32()),
            "[CAST_OVERFLOW] The value 1.0E10D of the type \"DOUBLE\" cannot be cast to \"INT\" due to an overflow. Use "
            "`try_cast` to tolerate overflow and return NULL instead. SQLSTATE: 22003");
  EXPECT_EQ(c(Value::float64(1e10), DataType::int32(), false), Value::int32(INT32_MAX));  // Java saturates
  EXPECT_EQ(c(Value::float64(std::nan("")), DataType::int64(), false), Value::int64(0));
  EXPECT_THROW(c(Value::float64(std::nan("")), DataType::int64()), EmberError);
  EXPECT_EQ(c(Value::float64(-3.99), DataType::int32()), Value::int32(-3));
  EXPECT_EQ(c(Value::int32(300), DataType::byte(), false), Value::byte(44));  // wraps
  EXPECT_NE(error_of(Value::int32(300), DataType::byte()).find("The value 300 of the type \"INT\""), std::string::npos);
  EXPECT_NE(error_of(Value::int64(1LL << 40), DataType::int32()).find("1099511627776L"), std::string::npos);
  EXPECT_EQ(c(Value::int32(7), DataType::float64()), Value::float64(7));
  EXPECT_EQ(c(Value::int32(0), DataType::boolean()), Value::boolean(false));
  EXPECT_EQ(c(Value::boolean(true), DataType::int64()), Value::int64(1));
}

TEST(CastTest, Decimals) {
  // Rescale rounds HALF_UP.
  EXPECT_EQ(c(Value::decimal(12345, 10, 3), DataType::decimal(10, 2)).as_decimal(), 1235);
  EXPECT_EQ(c(Value::decimal(-12345, 10, 3), DataType::decimal(10, 2)).as_decimal(), -1235);
  EXPECT_EQ(c(Value::string("3.14159"), DataType::decimal(5, 2)).as_decimal(), 314);
  EXPECT_EQ(c(Value::float64(2.5), DataType::decimal(3, 0)).as_decimal(), 3);
  EXPECT_EQ(c(Value::int32(42), DataType::decimal(4, 2)).as_decimal(), 4200);
  EXPECT_NE(error_of(Value::int32(420), DataType::decimal(4, 2)).find("NUMERIC_VALUE_OUT_OF_RANGE"), std::string::npos);
  EXPECT_TRUE(c(Value::int32(420), DataType::decimal(4, 2), false).is_null());
  EXPECT_NE(error_of(Value::string("12345"), DataType::decimal(4, 2)).find("NUMERIC_VALUE_OUT_OF_RANGE"), std::string::npos);
  EXPECT_NE(error_of(Value::string("x"), DataType::decimal(4, 2)).find("CAST_INVALID_INPUT"), std::string::npos);
  EXPECT_EQ(c(Value::decimal(-1999, 10, 3), DataType::int32()), Value::int32(-1));  // truncates
  EXPECT_EQ(c(Value::decimal(125, 5, 2), DataType::float64()), Value::float64(1.25));
  EXPECT_EQ(c(Value::decimal(125, 5, 2), DataType::string()), Value::string("1.25"));
}

TEST(CastTest, DatesAndTimestamps) {
  int32_t d = days_from_civil(2024, 2, 29);
  EXPECT_EQ(c(Value::string("2024-02-29"), DataType::date()), Value::date(d));
  EXPECT_EQ(c(Value::string("1960-1-5"), DataType::date()), Value::date(days_from_civil(1960, 1, 5)));
  EXPECT_NE(error_of(Value::string("2023-02-29"), DataType::date()).find("\"DATE\" because it is malformed"),
            std::string::npos);
  EXPECT_TRUE(c(Value::string("2023-02-29"), DataType::date(), false).is_null());
  EXPECT_EQ(c(Value::date(d), DataType::string()), Value::string("2024-02-29"));
  int64_t midnight = int64_t{d} * kMicrosPerDay;
  EXPECT_EQ(c(Value::string("2024-02-29 01:02:03.5"), DataType::timestamp()),
            Value::timestamp(midnight + (3723 * 1000000LL + 500000)));
  EXPECT_EQ(c(Value::date(d), DataType::timestamp()), Value::timestamp(midnight));
  EXPECT_EQ(c(Value::timestamp(midnight - 1), DataType::date()), Value::date(d - 1));  // pre-midnight floors
  EXPECT_EQ(c(Value::timestamp(-1), DataType::int64()), Value::int64(-1));          // floor of seconds
  EXPECT_EQ(c(Value::timestamp(1500000), DataType::float64()), Value::float64(1.5));
  EXPECT_EQ(c(Value::int64(86400), DataType::timestamp()), Value::timestamp(kMicrosPerDay));
  EXPECT_EQ(c(Value::timestamp(midnight + 1000), DataType::string()), Value::string("2024-02-29 00:00:00.001"));
  // The session zone moves the wall clock.
  auto v = cast1(Value::timestamp(midnight), DataType::string(), true, "+05:30");
  EXPECT_EQ(v->value_at(0), Value::string("2024-02-29 05:30:00"));
  auto dd = cast1(Value::timestamp(midnight - 3600LL * 1000000), DataType::date(), true, "+05:30");
  EXPECT_EQ(dd->value_at(0), Value::date(d));
  EXPECT_TRUE(c(Value::date(d), DataType::int32(), false).is_null());  // legacy only
}

TEST(CastTest, ToStringAndBinaryAndNull) {
  EXPECT_EQ(c(Value::float64(1e7), DataType::string()), Value::string("1.0E7"));
  EXPECT_EQ(c(Value::float32(0.1f), DataType::string()), Value::string("0.1"));
  EXPECT_EQ(c(Value::boolean(true), DataType::string()), Value::string("true"));
  EXPECT_EQ(c(Value::int64(-9), DataType::string()), Value::string("-9"));
  EXPECT_EQ(c(Value::string("hi"), DataType::binary()), Value::binary("hi"));
  EXPECT_EQ(c(Value::binary("hi"), DataType::string()), Value::string("hi"));
  EXPECT_EQ(c(Value::int32(258), DataType::binary(), false), Value::binary(std::string("\0\0\1\2", 4)));
  EXPECT_TRUE(c(Value(), DataType::int32()).is_null());
  EXPECT_EQ(c(Value(), DataType::int32()).type(), DataType::int32());
}

TEST(CastTest, ConstantsAndNullsStayInPlace) {
  EvalContext ctx;
  auto k = Vector::make_constant(Value::string("12"), 5);
  auto out = cast_vector(k, DataType::int32(), ctx, "");
  EXPECT_TRUE(out->is_constant());
  EXPECT_EQ(out->size(), 5u);
  EXPECT_EQ(out->value_at(4), Value::int32(12));
  auto v = Vector::from_values(DataType::string(), {Value::string("1"), Value::null(DataType::string()), Value::string("x")});
  ctx.ansi = false;
  auto r = cast_vector(v, DataType::int64(), ctx, "");
  EXPECT_EQ(r->value_at(0), Value::int64(1));
  EXPECT_TRUE(r->is_null(1));
  EXPECT_TRUE(r->is_null(2));
}

TEST(CastTest, CanCast) {
  EXPECT_TRUE(can_cast(DataType::string(), DataType::int32(), true));
  EXPECT_TRUE(can_cast(DataType::int32(), DataType::string(), true));
  EXPECT_TRUE(can_cast(DataType::null(), DataType::date(), true));
  EXPECT_TRUE(can_cast(DataType::int64(), DataType::timestamp(), true));
  EXPECT_FALSE(can_cast(DataType::date(), DataType::int32(), true));
  EXPECT_TRUE(can_cast(DataType::date(), DataType::int32(), false));
  EXPECT_FALSE(can_cast(DataType::int32(), DataType::date(), false));
  EXPECT_FALSE(can_cast(DataType::boolean(), DataType::timestamp(), true));
  EXPECT_TRUE(can_cast(DataType::boolean(), DataType::timestamp(), false));
  EXPECT_FALSE(can_cast(DataType::int32(), DataType::binary(), true));
  EXPECT_FALSE(can_cast(DataType::binary(), DataType::int32(), false));
  EXPECT_FALSE(can_cast(DataType::date(), DataType::binary()));
}

}  // namespace
}  // namespace ember
