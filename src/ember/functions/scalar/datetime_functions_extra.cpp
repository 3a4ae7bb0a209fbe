// More date/time functions: to_timestamp, date_format, unix_timestamp/to_unix_timestamp,
// from_unixtime, add_months, months_between, last_day, next_day, weekofyear. Timestamps are read
// in the session time zone (EvalContext::time_zone, UTC when unset); patterns are Spark's datetime
// patterns (types/temporal.h's DateTimePattern), compiled once when the pattern is a literal.
#include <cmath>
#include <cstdint>
#include <optional>

#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"

namespace ember {

namespace {

using namespace fn;

constexpr const char* kDefaultPattern = "yyyy-MM-dd HH:mm:ss";

const TimeZone& zone(const EvalContext& ctx) { return ctx.time_zone ? *ctx.time_zone : *TimeZone::utc(); }

DataType date_arg(const char* fn, int i, const DataType& t) {
  if (t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp || t.id() == TypeId::kString ||
      t.id() == TypeId::kNull) {
    return DataType::date();
  }
  throw_input_type(fn, i, "\"DATE\"", t);
}

DataType timestamp_arg(const char* fn, int i, const DataType& t) {
  if (t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp || t.id() == TypeId::kString ||
      t.id() == TypeId::kNull) {
    return DataType::timestamp();
  }
  throw_input_type(fn, i, "\"TIMESTAMP\"", t);
}

DataType string_arg(const char* fn, int i, const DataType& t, bool ansi) {
  if (!can_implicit_cast(t, DataType::string(), ansi) || t.is_nested())
    throw_input_type(fn, i, "\"STRING\"", t);
  return DataType::string();
}

DataType int_arg(const char* fn, int i, const DataType& t, bool ansi) {
  if (!can_implicit_cast(t, DataType::int32(), ansi) || t.id() == TypeId::kBoolean || t.is_nested()) {
    throw_input_type(fn, i, "\"INT\"", t);
  }
  return DataType::int32();
}

[[noreturn]] void throw_unparsable(std::string_view s, const std::string& pattern) {
  throw_error(ErrorKind::kCast, "CANNOT_PARSE_TIMESTAMP",
              "Text '" + std::string(s) + "' could not be parsed with the pattern '" + pattern +
                  "'. Use `try_to_timestamp` to tolerate invalid input string and return NULL instead. " +
                  std::string(kAnsiHint) + " SQLSTATE: 22007");
}

// The pattern argument at `index`, compiled at bind time when it is a literal.
std::shared_ptr<const DateTimePattern> literal_pattern(const BindContext& ctx, size_t index) {
  if (ctx.literals.size() > index && ctx.literals[index] && !ctx.literals[index]->is_null() &&
      ctx.literals[index]->type().id() == TypeId::kString) {
    return std::make_shared<const DateTimePattern>(
        DateTimePattern::compile(ctx.literals[index]->as_string()));
  }
  return nullptr;
}

// Per-call pattern cache for non-literal patterns: recompiles only when the text changes.
class PatternCache {
 public:
  explicit PatternCache(std::shared_ptr<const DateTimePattern> fixed) : fixed_(std::move(fixed)) {}
  const DateTimePattern& get(const Vector* f, size_t i) {
    if (fixed_) return *fixed_;
    std::string_view text = f ? f->string_at(i) : std::string_view(kDefaultPattern);
    if (!local_ || text != last_) {
      last_.assign(text);
      local_ = DateTimePattern::compile(text);
    }
    return *local_;
  }

 private:
  std::shared_ptr<const DateTimePattern> fixed_;
  std::optional<DateTimePattern> local_;
  std::string last_;
};

// ---- to_timestamp ------------------------------------------------------------------------------

// Parses string rows with a pattern into timestamps (micros): `convert` maps micros to the result
// value. ANSI: an unparsable string is CANNOT_PARSE_TIMESTAMP; otherwise NULL.
template <class R, class Convert>
VectorPtr parse_strings(const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx, const DataType& rt,
                        const std::shared_ptr<const DateTimePattern>& fixed, Convert convert) {
  const Vector& s = *v[0];
  const Vector* f = v.size() > 1 ? v[1].get() : nullptr;
  auto out = Vector::make(rt, n);
  bool any = f ? and_validity(*out, {&s, f}, n) : and_validity(*out, {&s}, n);
  if (!any) return Vector::make_null(rt, n);
  R* o = out->values<R>();
  const TimeZone& tz = zone(ctx);
  PatternCache patterns(fixed);
  for (size_t i = 0; i < n; ++i) {
    o[i] = R{};
    if (out->is_null(i)) continue;
    const DateTimePattern& pat = patterns.get(f, i);
    std::string_view x = s.string_at(i);
    auto m = pat.parse_timestamp(x, tz);
    if (m) {
      o[i] = convert(*m);
    } else {
      if (ctx.ansi) throw_unparsable(x, pat.pattern());
      out->set_null(i);
    }
  }
  return out;
}

BoundFunction bind_to_timestamp(const std::vector<DataType>& args, const BindContext& ctx) {
  const DataType& in = args[0];
  // to_timestamp(x) is CAST(x AS TIMESTAMP); a date or timestamp ignores the format.
  if (args.size() == 1 || in.id() == TypeId::kDate || in.id() == TypeId::kTimestamp) {
    DataType t = timestamp_arg("to_timestamp", 1, in);
    auto kernel =
        make_kernel([](const std::vector<VectorPtr>& v, size_t, const EvalContext&) { return v[0]; });
    std::vector<DataType> types{t};
    if (args.size() > 1) types.push_back(string_arg("to_timestamp", 2, args[1], ctx.ansi));
    return bound(DataType::timestamp(), types, kernel);
  }
  if (in.id() != TypeId::kString && in.id() != TypeId::kNull)
    throw_input_type("to_timestamp", 1, "\"STRING\"", in);
  string_arg("to_timestamp", 2, args[1], ctx.ansi);
  auto fixed = literal_pattern(ctx, 1);
  auto kernel = make_kernel([fixed](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
    return parse_strings<int64_t>(v, n, ctx, DataType::timestamp(), fixed, [](int64_t m) { return m; });
  });
  return bound(DataType::timestamp(), {DataType::string(), DataType::string()}, kernel, true);
}

// ---- date_format / from_unixtime -----------------------------------------------------------------

// Formats timestamps (micros) with a pattern; `micros_of` maps an input value to micros.
template <class T, class MicrosOf>
VectorPtr format_values(const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx,
                        const std::shared_ptr<const DateTimePattern>& fixed, MicrosOf micros_of) {
  const Vector& x = *v[0];
  const Vector* f = v.size() > 1 ? v[1].get() : nullptr;
  const TimeZone& tz = zone(ctx);
  PatternCache patterns(fixed);
  return string_map(v, n, DataType::string(), n * 20, [&](size_t i, std::string& out) {
    out += patterns.get(f, i).format_timestamp(micros_of(value_at<T>(x, i)), tz);
    return true;
  });
}

BoundFunction bind_date_format(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = timestamp_arg("date_format", 1, args[0]);
  DataType f = string_arg("date_format", 2, args[1], ctx.ansi);
  auto fixed = literal_pattern(ctx, 1);
  auto kernel = make_kernel([fixed](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
    return format_values<int64_t>(v, n, ctx, fixed, [](int64_t m) { return m; });
  });
  return bound(DataType::string(), {t, f}, kernel, true);
}

BoundFunction bind_from_unixtime(const std::vector<DataType>& args, const BindContext& ctx) {
  if (!(args[0].is_numeric() || args[0].id() == TypeId::kString || args[0].id() == TypeId::kNull)) {
    throw_input_type("from_unixtime", 1, "\"BIGINT\"", args[0]);
  }
  std::vector<DataType> types{DataType::int64()};
  if (args.size() > 1) types.push_back(string_arg("from_unixtime", 2, args[1], ctx.ansi));
  auto fixed = args.size() > 1
                   ? literal_pattern(ctx, 1)
                   : std::make_shared<const DateTimePattern>(DateTimePattern::compile(kDefaultPattern));
  auto kernel = make_kernel([fixed](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
    // Plain multiplication, as Spark's FromUnixTime.
    return format_values<int64_t>(v, n, ctx, fixed, [](int64_t s) {
      return static_cast<int64_t>(static_cast<uint64_t>(s) * static_cast<uint64_t>(kMicrosPerSecond));
    });
  });
  return bound(DataType::string(), types, kernel, true);
}

// ---- unix_timestamp ----------------------------------------------------------------------------

inline int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// unix_timestamp([x[, fmt]]): seconds since the epoch; no argument means the query's current
// timestamp; timestamps and dates (midnight in the session zone) ignore the format.
BoundFunction bind_unix_timestamp(const std::vector<DataType>& args, const BindContext& ctx) {
  if (args.empty()) {
    auto kernel = make_kernel([](const std::vector<VectorPtr>&, size_t n, const EvalContext& ctx) {
      auto out = Vector::make(DataType::int64(), n);
      int64_t* o = out->values<int64_t>();
      int64_t s = floor_div(ctx.current_timestamp, kMicrosPerSecond);
      for (size_t i = 0; i < n; ++i) o[i] = s;
      return out;
    });
    return bound(DataType::int64(), {}, kernel, false, /*nullable=*/false);
  }
  const DataType& in = args[0];
  std::vector<DataType> types;
  if (args.size() > 1) types.push_back(string_arg("unix_timestamp", 2, args[1], ctx.ansi));
  if (in.id() == TypeId::kTimestamp || in.id() == TypeId::kDate) {
    types.insert(types.begin(), in);
    bool is_date = in.id() == TypeId::kDate;
    auto kernel = make_kernel([is_date](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
      if (is_date) {
        const TimeZone& tz = zone(ctx);
        return unary_map<int32_t, int64_t, true>(v[0], n, DataType::int64(), [&](int32_t d) {
          return floor_div(days_to_micros(d, tz), kMicrosPerSecond);
        });
      }
      return unary_map<int64_t, int64_t, true>(v[0], n, DataType::int64(),
                                               [](int64_t m) { return floor_div(m, kMicrosPerSecond); });
    });
    return bound(DataType::int64(), types, kernel, true);
  }
  if (in.id() != TypeId::kString && in.id() != TypeId::kNull)
    throw_input_type("unix_timestamp", 1, "\"STRING\"", in);
  types.insert(types.begin(), DataType::string());
  auto fixed = args.size() > 1
                   ? literal_pattern(ctx, 1)
                   : std::make_shared<const DateTimePattern>(DateTimePattern::compile(kDefaultPattern));
  auto kernel = make_kernel([fixed](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
    return parse_strings<int64_t>(v, n, ctx, DataType::int64(), fixed,
                                  [](int64_t m) { return floor_div(m, kMicrosPerSecond); });
  });
  return bound(DataType::int64(), types, kernel, true);
}

// ---- add_months / last_day / next_day / weekofyear -------------------------------------------------

// java.time's LocalDate.plusMonths: the day is clamped to the new month's length.
int32_t add_months(int32_t d, int32_t months) {
  CivilDate c = civil_from_days(d);
  int64_t total = int64_t{c.year} * 12 + (c.month - 1) + months;
  int64_t y = total >= 0 ? total / 12 : (total - 11) / 12;
  int32_t m = static_cast<int32_t>(total - y * 12) + 1;
  int32_t year = static_cast<int32_t>(y);
  return days_from_civil(year, m, std::min(c.day, days_in_month(year, m)));
}

BoundFunction bind_add_months(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType d = date_arg("add_months", 1, args[0]);
  DataType k = int_arg("add_months", 2, args[1], ctx.ansi);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return binary_map<int32_t, int32_t, int32_t, true>(v[0], v[1], n, DataType::date(), &add_months);
  });
  return bound(DataType::date(), {d, k}, kernel, true);
}

// ---- date / timestamp ± INTERVAL literal -----------------------------------------------------------

// What an interval literal's units make it, as Spark types it: year-month (YEAR, MONTH), day-time
// of whole days (DAY, WEEK), day-time with hours/minutes/seconds, or both kinds (a calendar
// interval). The SQL parser passes it with the literal's months, days and microseconds.
enum IntervalClass : int32_t { kYearMonth = 0, kWholeDays = 1, kCalendar = 2, kDayTime = 3 };

[[noreturn]] void interval_overflow() { throw_arith_overflow("Datetime operation overflow", nullptr); }

int64_t checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) interval_overflow();
  return r;
}

// A timestamp's wall clock in `tz` moved by whole months then days (java.time's
// LocalDateTime.plusMonths(m).plusDays(d)), back to an instant: Spark's timestampAddInterval.
int64_t add_local_months_days(int64_t t, int32_t months, int32_t days, const TimeZone& tz) {
  CivilDateTime c = micros_to_civil(t, tz);
  int64_t d = int64_t{add_months(days_from_civil(c.date.year, c.date.month, c.date.day), months)} + days;
  if (d < INT32_MIN || d > INT32_MAX) interval_overflow();
  c.date = civil_from_days(static_cast<int32_t>(d));
  return civil_to_micros(c, tz);
}

// x + INTERVAL ..., with Spark's result types: a date stays a date for year-month intervals, whole
// days and calendar intervals without a time part (DateAddYMInterval, DateAdd, DateAddInterval),
// and becomes a timestamp (midnight in the session zone) for a day-time interval with hours,
// minutes or seconds (TimeAdd); a timestamp moves by its wall clock for months and calendar days
// and by exact microseconds for day-time intervals.
BoundFunction bind_interval_add(const std::vector<DataType>& args, const BindContext& ctx) {
  for (size_t i = 1; i < 5; ++i) {
    if (i >= ctx.literals.size() || !ctx.literals[i] || ctx.literals[i]->is_null()) {
      throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
                  "the interval of __interval_add must be literals (it is written as x + INTERVAL ...)");
    }
  }
  const int32_t months = static_cast<int32_t>(ctx.literals[1]->as_int64());
  const int64_t days = ctx.literals[2]->as_int64();
  const int64_t micros = ctx.literals[3]->as_int64();
  const int32_t cls = static_cast<int32_t>(ctx.literals[4]->as_int64());
  const std::vector<DataType> arg_types{args[0], DataType::int32(), DataType::int64(), DataType::int64(),
                                        DataType::int32()};
  const TypeId x = args[0].id() == TypeId::kNull ? TypeId::kDate : args[0].id();
  if (x == TypeId::kDate && cls != kDayTime) {
    if (cls == kCalendar && micros != 0) {
      throw_error(
          ErrorKind::kIllegalArgument, "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
          "Cannot add hours, minutes or seconds, milliseconds, microseconds to a date; cast the date to "
          "a timestamp first");
    }
    std::vector<DataType> types = arg_types;
    types[0] = DataType::date();
    auto kernel = make_kernel([months, days](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
      return unary_map<int32_t, int32_t>(v[0], n, DataType::date(), [&](int32_t d) {
        int64_t r = int64_t{months != 0 ? add_months(d, months) : d} + days;
        if (r < INT32_MIN || r > INT32_MAX) interval_overflow();
        return static_cast<int32_t>(r);
      });
    });
    return bound(DataType::date(), types, kernel);
  }
  if (x != TypeId::kDate && x != TypeId::kTimestamp) {
    throw_input_type("+", 1, "\"DATE\" or \"TIMESTAMP\"", args[0]);
  }
  std::vector<DataType> types = arg_types;
  types[0] = DataType::timestamp();  // a date reads as midnight in the session zone
  const bool exact = cls == kWholeDays || cls == kDayTime;
  auto kernel = make_kernel(
      [months, days, micros, exact](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
        const TimeZone& tz = zone(ctx);
        return unary_map<int64_t, int64_t>(v[0], n, DataType::timestamp(), [&](int64_t t) {
          if (exact) {
            int64_t span;
            if (__builtin_mul_overflow(days, kMicrosPerDay, &span)) interval_overflow();
            return checked_add(t, checked_add(span, micros));
          }
          if (days < INT32_MIN || days > INT32_MAX) interval_overflow();
          return checked_add(add_local_months_days(t, months, static_cast<int32_t>(days), tz), micros);
        });
      });
  return bound(DataType::timestamp(), types, kernel);
}

// A calendar INTERVAL literal (year-month and day-time units together) the SQL parser could not
// fold into date arithmetic (sql/expression_parser.cpp keeps it as this marker call): ember has no
// calendar interval type to hold it.
BoundFunction bind_interval_value(const std::vector<DataType>&, const BindContext&) {
  throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
              "an INTERVAL mixing year-month and day-time units is supported only in date and timestamp "
              "arithmetic (x + INTERVAL ..., x - INTERVAL ...); ember has no calendar interval type");
}

BoundFunction bind_last_day(const std::vector<DataType>& args, const BindContext&) {
  DataType d = date_arg("last_day", 1, args[0]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return unary_map<int32_t, int32_t, true>(v[0], n, DataType::date(), [](int32_t x) {
      CivilDate c = civil_from_days(x);
      return days_from_civil(c.year, c.month, days_in_month(c.year, c.month));
    });
  });
  return bound(DataType::date(), {d}, kernel);
}

// Spark's DateTimeUtils.getDayOfWeekFromString: 0 = Monday .. 6 = Sunday, -1 when unknown.
int32_t parse_day_of_week(std::string_view s) {
  std::string u;
  for (char c : s) u += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const char* const kNames[7][3] = {{"MO", "MON", "MONDAY"},    {"TU", "TUE", "TUESDAY"},
                                           {"WE", "WED", "WEDNESDAY"}, {"TH", "THU", "THURSDAY"},
                                           {"FR", "FRI", "FRIDAY"},    {"SA", "SAT", "SATURDAY"},
                                           {"SU", "SUN", "SUNDAY"}};
  for (int d = 0; d < 7; ++d) {
    for (const char* name : kNames[d]) {
      if (u == name) return d;
    }
  }
  return -1;
}

[[noreturn]] void throw_illegal_day(std::string_view s) {
  throw_error(ErrorKind::kIllegalArgument, "ILLEGAL_DAY_OF_WEEK",
              "Illegal input for day of week: " + std::string(s) + ". SQLSTATE: 22009");
}

// next_day(date, dayOfWeek): the first such day strictly after date. An unknown day name is an
// error under ANSI (ILLEGAL_DAY_OF_WEEK), NULL otherwise.
BoundFunction bind_next_day(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType d = date_arg("next_day", 1, args[0]);
  DataType s = string_arg("next_day", 2, args[1], ctx.ansi);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
    const Vector& x = *v[0];
    const Vector& name = *v[1];
    auto out = Vector::make(DataType::date(), n);
    if (!and_validity(*out, {&x, &name}, n)) return Vector::make_null(DataType::date(), n);
    int32_t* o = out->values<int32_t>();
    int32_t fixed = name.is_constant() ? parse_day_of_week(name.string_at(0)) : -2;
    for (size_t i = 0; i < n; ++i) {
      o[i] = 0;
      if (out->is_null(i)) continue;
      int32_t want = fixed != -2 ? fixed : parse_day_of_week(name.string_at(i));
      if (want < 0) {
        if (ctx.ansi) throw_illegal_day(name.string_at(i));
        out->set_null(i);
        continue;
      }
      int32_t day = value_at<int32_t>(x, i);
      int32_t delta = ((want - day_of_week(day)) % 7 + 7) % 7;
      o[i] = day + (delta == 0 ? 7 : delta);
    }
    return out;
  });
  return bound(DataType::date(), {d, s}, kernel, true);
}

// ISO-8601 week of the year (weeks start on Monday; week 1 holds the year's first Thursday).
int32_t iso_week(int32_t d) {
  int32_t dow = day_of_week(d);  // 0 = Monday
  int32_t thursday = d - dow + 3;
  int32_t year = civil_from_days(thursday).year;
  return (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
}

BoundFunction bind_weekofyear(const std::vector<DataType>& args, const BindContext&) {
  DataType d = date_arg("weekofyear", 1, args[0]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return unary_map<int32_t, int32_t, true>(v[0], n, DataType::int32(), &iso_week);
  });
  return bound(DataType::int32(), {d}, kernel);
}

// ---- months_between ----------------------------------------------------------------------------

// Spark's DateTimeUtils.monthsBetween: whole months when both days of month are equal or both are
// month ends; otherwise the day and time difference over a 31-day month, rounded to 8 digits when
// roundOff.
double months_between(int64_t m1, int64_t m2, bool round_off, const TimeZone& tz) {
  CivilDateTime a = micros_to_civil(m1, tz);
  CivilDateTime b = micros_to_civil(m2, tz);
  int64_t months1 = int64_t{a.date.year} * 12 + a.date.month;
  int64_t months2 = int64_t{b.date.year} * 12 + b.date.month;
  double month_diff = static_cast<double>(months1 - months2);
  bool end1 = a.date.day == days_in_month(a.date.year, a.date.month);
  bool end2 = b.date.day == days_in_month(b.date.year, b.date.month);
  if (a.date.day == b.date.day || (end1 && end2)) return month_diff;
  auto micros_of_day = [](const CivilDateTime& c) {
    return (int64_t{c.hour} * 3600 + c.minute * 60 + c.second) * kMicrosPerSecond + c.micros;
  };
  int64_t diff_micros =
      int64_t{a.date.day - b.date.day} * kMicrosPerDay + micros_of_day(a) - micros_of_day(b);
  double diff = month_diff + static_cast<double>(diff_micros) / static_cast<double>(31 * kMicrosPerDay);
  if (!round_off) return diff;
  return std::floor(diff * 1e8 + 0.5) / 1e8;  // Java's Math.round(diff * 1e8) / 1e8
}

BoundFunction bind_months_between(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types{timestamp_arg("months_between", 1, args[0]),
                              timestamp_arg("months_between", 2, args[1])};
  if (args.size() > 2) {
    if (args[2].id() != TypeId::kBoolean && args[2].id() != TypeId::kNull) {
      throw_input_type("months_between", 3, "\"BOOLEAN\"", args[2]);
    }
    types.push_back(DataType::boolean());
  }
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
    const TimeZone& tz = zone(ctx);
    auto out = Vector::make(DataType::float64(), n);
    if (!and_validity(*out, v, n)) return Vector::make_null(DataType::float64(), n);
    double* o = out->values<double>();
    const uint8_t* valid = out->validity();
    const Vector& a = *v[0];
    const Vector& b = *v[1];
    const Vector* r = v.size() > 2 ? v[2].get() : nullptr;
    for (size_t i = 0; i < n; ++i) {
      if (valid && !bit_is_set(valid, i)) {
        o[i] = 0;
        continue;
      }
      bool round_off = r ? value_at<uint8_t>(*r, i) != 0 : true;
      o[i] = months_between(value_at<int64_t>(a, i), value_at<int64_t>(b, i), round_off, tz);
    }
    return out;
  });
  return bound(DataType::float64(), types, kernel, true);
}

}  // namespace

void register_datetime_extra_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"to_timestamp", 1, 2, &bind_to_timestamp});
  r.add(FunctionDef{"date_format", 2, 2, &bind_date_format});
  r.add(FunctionDef{"unix_timestamp", 0, 2, &bind_unix_timestamp});
  r.add(FunctionDef{"from_unixtime", 1, 2, &bind_from_unixtime});
  r.add(FunctionDef{"add_months", 2, 2, &bind_add_months});
  // x ± INTERVAL literal (the SQL parser writes it; not a Spark function name).
  r.add(FunctionDef{"__interval_add", 5, 5, &bind_interval_add});
  r.add(FunctionDef{"__sql_interval", 4, 4, &bind_interval_value});
  r.add(FunctionDef{"months_between", 2, 3, &bind_months_between});
  r.add(FunctionDef{"last_day", 1, 1, &bind_last_day});
  r.add(FunctionDef{"next_day", 2, 2, &bind_next_day});
  r.add(FunctionDef{"weekofyear", 1, 1, &bind_weekofyear});
  r.add_alias("to_unix_timestamp", "unix_timestamp");
}

}  // namespace ember
