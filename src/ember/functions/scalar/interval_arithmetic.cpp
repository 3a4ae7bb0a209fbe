// Spark's datetime arithmetic with its ANSI interval types (resolved as Spark's
// BinaryArithmetic rules do): date - date is an INTERVAL DAY (SubtractDates), timestamp -
// timestamp an INTERVAL DAY TO SECOND (SubtractTimestamps), intervals of one kind add and
// subtract, a date moves by a year-month interval or whole days and stays a date
// (DateAddYMInterval, DateAdd), becomes a timestamp with a day-time interval that has a time part
// (TimeAdd), and a timestamp moves by its wall clock for months (TimestampAddYMInterval) and by
// exact microseconds for day-time intervals. Overflow is ARITHMETIC_OVERFLOW, as Spark's exact
// arithmetic raises it in every mode.
#include "ember/functions/scalar/interval_arithmetic.h"

#include <algorithm>
#include <cstdint>

#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/interval.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"

namespace ember {

namespace {

using namespace fn;

const TimeZone& zone(const EvalContext& ctx) { return ctx.time_zone ? *ctx.time_zone : *TimeZone::utc(); }

[[noreturn]] void overflow(const char* what) { throw_arith_overflow(what, nullptr); }

int64_t add64(int64_t a, int64_t b, const char* what) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) overflow(what);
  return r;
}

int32_t add32(int32_t a, int32_t b, const char* what) {
  int32_t r;
  if (__builtin_add_overflow(a, b, &r)) overflow(what);
  return r;
}

// java.time's LocalDate.plusMonths: the day is clamped to the new month's length.
int32_t date_plus_months(int32_t d, int64_t months) {
  CivilDate c = civil_from_days(d);
  int64_t total = int64_t{c.year} * 12 + (c.month - 1) + months;
  int64_t y = total >= 0 ? total / 12 : (total - 11) / 12;
  if (y < -5'000'000 || y > 5'000'000) overflow("Datetime operation");
  int32_t m = static_cast<int32_t>(total - y * 12) + 1;
  int32_t year = static_cast<int32_t>(y);
  return days_from_civil(year, m, std::min(c.day, days_in_month(year, m)));
}

// A timestamp's wall clock in `tz` moved by whole months, back to an instant.
int64_t timestamp_plus_months(int64_t t, int64_t months, const TimeZone& tz) {
  CivilDateTime c = micros_to_civil(t, tz);
  c.date = civil_from_days(date_plus_months(days_from_civil(c.date.year, c.date.month, c.date.day), months));
  return civil_to_micros(c, tz);
}

bool is_date_like(TypeId t) { return t == TypeId::kDate || t == TypeId::kTimestamp; }

[[noreturn]] void mismatch(char op, const DataType& a, const DataType& b) {
  throw_mismatch(std::string(1, op), std::string("the left and right operands of the binary operator have "
                                                 "incompatible types (\"") +
                                         a.sql_string() + "\" and \"" + b.sql_string() + "\")");
}

}  // namespace

BoundFunction bind_interval_negative(const DataType& type) {
  auto kernel = make_kernel([type](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    if (type.id() == TypeId::kYearMonthInterval) {
      return unary_map<int32_t, int32_t>(v[0], n, type, [](int32_t x) {
        if (x == INT32_MIN) overflow("Interval negation");
        return -x;
      });
    }
    return unary_map<int64_t, int64_t>(v[0], n, type, [](int64_t x) {
      if (x == INT64_MIN) overflow("Interval negation");
      return -x;
    });
  });
  return bound(type, {type}, kernel);
}

namespace {

std::optional<BoundFunction> bind_ordered(char op, const DataType& a, const DataType& b,
                                          const std::vector<DataType>& args) {
  const bool minus = op == '-';
  const TypeId x = a.id(), y = b.id();
  if (!a.is_interval() && !b.is_interval()) {
    if (!minus || !is_date_like(x) || !is_date_like(y)) return std::nullopt;
    if (x == TypeId::kDate && y == TypeId::kDate) {
      // date - date: whole days.
      const DataType rt = DataType::day_time_interval(kIntervalDay, kIntervalDay);
      auto kernel = make_kernel([rt](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
        return binary_map<int32_t, int32_t, int64_t, true>(v[0], v[1], n, rt, [](int32_t p, int32_t q) {
          return (int64_t{p} - int64_t{q}) * kMicrosPerDay;
        });
      });
      return bound(rt, {DataType::date(), DataType::date()}, kernel, true);
    }
    // timestamp - timestamp (a date reads as midnight in the session zone).
    const DataType rt = DataType::day_time_interval(kIntervalDay, kIntervalSecond);
    auto kernel = make_kernel([rt](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
      return binary_map<int64_t, int64_t, int64_t>(v[0], v[1], n, rt, [](int64_t p, int64_t q) {
        int64_t r;
        if (__builtin_sub_overflow(p, q, &r)) overflow("Timestamp subtraction");
        return r;
      });
    });
    return bound(rt, {DataType::timestamp(), DataType::timestamp()}, kernel, true);
  }
  if (a.is_interval() && (b.is_interval() || y == TypeId::kNull)) {
    // Intervals of one kind: the result spans both types' fields.
    if (y != TypeId::kNull && x != y) mismatch(op, args[0], args[1]);
    const DataType rt = y == TypeId::kNull ? a
                        : x == TypeId::kYearMonthInterval
                            ? DataType::year_month_interval(std::min(a.start_field(), b.start_field()),
                                                            std::max(a.end_field(), b.end_field()))
                            : DataType::day_time_interval(std::min(a.start_field(), b.start_field()),
                                                          std::max(a.end_field(), b.end_field()));
    auto kernel = make_kernel([rt, minus](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
      if (rt.id() == TypeId::kYearMonthInterval) {
        return binary_map<int32_t, int32_t, int32_t>(v[0], v[1], n, rt, [minus](int32_t p, int32_t q) {
          if (minus && q == INT32_MIN) overflow("Interval arithmetic");
          return add32(p, minus ? -q : q, "Interval arithmetic");
        });
      }
      return binary_map<int64_t, int64_t, int64_t>(v[0], v[1], n, rt, [minus](int64_t p, int64_t q) {
        if (minus && q == INT64_MIN) overflow("Interval arithmetic");
        return add64(p, minus ? -q : q, "Interval arithmetic");
      });
    });
    return bound(rt, {rt, rt}, kernel, true);
  }
  // date / timestamp ± interval.
  if (!b.is_interval() || !(is_date_like(x) || x == TypeId::kNull)) mismatch(op, args[0], args[1]);
  const int sign = minus ? -1 : 1;
  if (y == TypeId::kYearMonthInterval) {
    if (x == TypeId::kTimestamp) {
      auto kernel = make_kernel([sign](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
        const TimeZone& tz = zone(ctx);
        return binary_map<int64_t, int32_t, int64_t>(
            v[0], v[1], n, DataType::timestamp(),
            [&](int64_t t, int32_t m) { return timestamp_plus_months(t, int64_t{sign} * m, tz); });
      });
      return bound(DataType::timestamp(), {DataType::timestamp(), b}, kernel, true);
    }
    auto kernel = make_kernel([sign](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
      return binary_map<int32_t, int32_t, int32_t>(
          v[0], v[1], n, DataType::date(),
          [&](int32_t d, int32_t m) { return date_plus_months(d, int64_t{sign} * m); });
    });
    return bound(DataType::date(), {DataType::date(), b}, kernel, true);
  }
  if (x != TypeId::kTimestamp && b.end_field() == kIntervalDay) {
    // A date moves by whole days and stays a date.
    auto kernel = make_kernel([sign](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
      return binary_map<int32_t, int64_t, int32_t>(
          v[0], v[1], n, DataType::date(), [&](int32_t d, int64_t us) {
            const int64_t r = int64_t{d} + sign * (us / kMicrosPerDay);
            if (r < INT32_MIN || r > INT32_MAX) overflow("Date arithmetic");
            return static_cast<int32_t>(r);
          });
    });
    return bound(DataType::date(), {DataType::date(), b}, kernel, true);
  }
  auto kernel = make_kernel([sign](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return binary_map<int64_t, int64_t, int64_t>(v[0], v[1], n, DataType::timestamp(),
                                                 [&](int64_t t, int64_t us) {
                                                   if (sign < 0 && us == INT64_MIN)
                                                     overflow("Timestamp arithmetic");
                                                   return add64(t, sign * us, "Timestamp arithmetic");
                                                 });
  });
  return bound(DataType::timestamp(), {DataType::timestamp(), b}, kernel, true);
}

}  // namespace

std::optional<BoundFunction> bind_datetime_interval_arithmetic(char op, const std::vector<DataType>& args,
                                                               const BindContext&) {
  // interval + date / timestamp is date / timestamp + interval with the arguments swapped.
  if (op == '+' && args[0].is_interval() && (is_date_like(args[1].id()) || args[1].id() == TypeId::kNull)) {
    std::optional<BoundFunction> f = bind_ordered(op, args[1], args[0], args);
    std::swap(f->arg_types[0], f->arg_types[1]);
    auto inner = f->kernel;
    f->kernel = make_kernel([inner](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
      return inner->eval({v[1], v[0]}, n, ctx);
    });
    return f;
  }
  return bind_ordered(op, args[0], args[1], args);
}

}  // namespace ember
