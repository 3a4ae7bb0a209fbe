#include "ember/types/decimal.h"

#include <string>

#include <gtest/gtest.h>

namespace ember {
namespace {

int128_t parse_i128(const std::string& digits) {
  int128_t v = 0;
  bool negative = !digits.empty() && digits[0] == '-';
  for (char c : digits) {
    if (c != '-') v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

TEST(Decimal, PowersOfTen) {
  EXPECT_EQ(pow10_int128(0), 1);
  EXPECT_EQ(pow10_int128(18), int128_t{1'000'000'000'000'000'000LL});
  EXPECT_EQ(pow10_int128(38), parse_i128("1" + std::string(38, '0')));
}

TEST(Decimal, FitsPrecision) {
  EXPECT_TRUE(decimal_fits(99999, 5));
  EXPECT_FALSE(decimal_fits(100000, 5));
  EXPECT_TRUE(decimal_fits(-99999, 5));
  EXPECT_FALSE(decimal_fits(-100000, 5));
  EXPECT_TRUE(decimal_fits(parse_i128(std::string(38, '9')), 38));
  EXPECT_FALSE(decimal_fits(pow10_int128(38), 38));
}

TEST(Decimal, RescaleRoundsHalfUp) {
  EXPECT_EQ(decimal_rescale(12345, 2, 1, 10), 1235);    // 123.45 -> 123.5
  EXPECT_EQ(decimal_rescale(12344, 2, 1, 10), 1234);    // 123.44 -> 123.4
  EXPECT_EQ(decimal_rescale(-12345, 2, 1, 10), -1235);  // away from zero
  EXPECT_EQ(decimal_rescale(-12344, 2, 1, 10), -1234);
  EXPECT_EQ(decimal_rescale(5, 1, 0, 10), 1);  // 0.5 -> 1
  EXPECT_EQ(decimal_rescale(-5, 1, 0, 10), -1);
  EXPECT_EQ(decimal_rescale(4, 1, 0, 10), 0);
  EXPECT_EQ(decimal_rescale(15, 1, 3, 10), 1500);
  EXPECT_EQ(decimal_rescale(9999, 2, 0, 2), std::nullopt);  // 99.99 -> 100 needs 3 digits
  EXPECT_EQ(decimal_rescale(1, 0, 38, 38), std::nullopt);
  EXPECT_EQ(decimal_rescale(parse_i128(std::string(38, '9')), 0, 1, 38), std::nullopt);
  EXPECT_EQ(decimal_rescale(7, 38, 0, 1), 0);
}

TEST(Decimal, ParsesText) {
  EXPECT_EQ(parse_decimal("1.005", 10, 2), 101);
  EXPECT_EQ(parse_decimal("-1.005", 10, 2), -101);
  EXPECT_EQ(parse_decimal("1.004", 10, 2), 100);
  EXPECT_EQ(parse_decimal("123.45", 5, 2), 12345);
  EXPECT_EQ(parse_decimal("-0.5", 3, 1), -5);
  EXPECT_EQ(parse_decimal("+7", 3, 0), 7);
  EXPECT_EQ(parse_decimal("  7 ", 3, 0), 7);
  EXPECT_EQ(parse_decimal("1e3", 10, 0), 1000);
  EXPECT_EQ(parse_decimal("1.5E-2", 10, 3), 15);
  EXPECT_EQ(parse_decimal("2.5e+1", 10, 1), 250);
  EXPECT_EQ(parse_decimal(".5", 3, 1), 5);
  EXPECT_EQ(parse_decimal("5.", 3, 1), 50);
  EXPECT_EQ(parse_decimal("0000123.4500", 10, 2), 12345);
  EXPECT_EQ(parse_decimal("0", 1, 0), 0);
  EXPECT_EQ(parse_decimal("-0.000", 5, 2), 0);
  EXPECT_EQ(parse_decimal("0.0000001", 10, 2), 0);
  EXPECT_EQ(parse_decimal("1e-100", 10, 2), 0);
  EXPECT_EQ(parse_decimal("0.995", 3, 2), 100);
}

TEST(Decimal, ParseDetectsOverflowAndGarbage) {
  const std::string nines38(38, '9');
  EXPECT_EQ(parse_decimal(nines38, 38, 0), parse_i128(nines38));
  EXPECT_EQ(parse_decimal("-" + nines38, 38, 0), -parse_i128(nines38));
  EXPECT_EQ(parse_decimal("1" + std::string(38, '0'), 38, 0), std::nullopt);  // 39 digits
  EXPECT_EQ(parse_decimal(nines38 + ".5", 38, 0), std::nullopt);              // rounds up to 10^38
  EXPECT_EQ(parse_decimal(nines38 + ".4", 38, 0), parse_i128(nines38));
  EXPECT_EQ(parse_decimal("0." + std::string(45, '3'), 38, 38), parse_i128(std::string(38, '3')));
  EXPECT_EQ(parse_decimal("0." + std::string(38, '3') + "5", 38, 38), parse_i128(std::string(37, '3') + "4"));
  EXPECT_EQ(parse_decimal(std::string(38, '1') + "1", 38, 0), std::nullopt);
  EXPECT_EQ(parse_decimal("99.995", 4, 2), std::nullopt);  // 100.00 needs 5 digits
  EXPECT_EQ(parse_decimal("1000", 3, 0), std::nullopt);
  EXPECT_EQ(parse_decimal("1e40", 38, 0), std::nullopt);
  for (const char* bad :
       {"", "  ", ".", "-", "abc", "1.2.3", "1e", "1e+", "12a", "--1", "1 2", "0x10", "NaN", "Infinity"}) {
    EXPECT_EQ(parse_decimal(bad, 10, 2), std::nullopt) << bad;
  }
}

TEST(Decimal, FormatsWithExactScale) {
  EXPECT_EQ(format_decimal(12345, 2), "123.45");
  EXPECT_EQ(format_decimal(-5, 2), "-0.05");
  EXPECT_EQ(format_decimal(0, 3), "0.000");
  EXPECT_EQ(format_decimal(7, 0), "7");
  EXPECT_EQ(format_decimal(-7, 0), "-7");
  EXPECT_EQ(format_decimal(150, 2), "1.50");
  EXPECT_EQ(format_decimal(parse_i128(std::string(38, '9')), 38), "0." + std::string(38, '9'));
  EXPECT_EQ(format_decimal(-parse_i128(std::string(38, '9')), 0), "-" + std::string(38, '9'));
  std::string out = "x=";
  append_decimal(out, 101, 2);
  EXPECT_EQ(out, "x=1.01");
}

TEST(Decimal, DoubleConversions) {
  EXPECT_DOUBLE_EQ(decimal_to_double(12345, 2), 123.45);
  EXPECT_EQ(decimal_to_double(1, 1), 0.1);  // correctly rounded
  EXPECT_EQ(decimal_to_double(-25, 1), -2.5);
  EXPECT_EQ(decimal_from_double(1.005, 10, 2), 101);  // via "1.005", as Spark does
  EXPECT_EQ(decimal_from_double(-2.5, 10, 0), -3);
  EXPECT_EQ(decimal_from_double(0.1 + 0.2, 20, 17), 30000000000000004);  // 0.30000000000000004
  EXPECT_EQ(decimal_from_double(0.1 + 0.2, 20, 16), 3000000000000000);
  EXPECT_EQ(decimal_from_double(1e20, 10, 0), std::nullopt);
  EXPECT_EQ(decimal_from_double(1.0 / 0.0, 10, 0), std::nullopt);
  EXPECT_EQ(decimal_from_double(1e-20, 10, 2), 0);
}

}  // namespace
}  // namespace ember
