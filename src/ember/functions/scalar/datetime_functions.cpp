// Date and time functions: year, month, dayofmonth/day, quarter, dayofweek, dayofyear, hour,
// minute, second, to_date, date_add, date_sub, datediff, date_trunc, trunc, current_date,
// current_timestamp/now. Dates are days since the epoch; timestamps UTC microseconds, read in
// the session time zone (EvalContext::time_zone, UTC when unset).
#include <optional>

#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"

namespace ember {

namespace {

using namespace fn;

const TimeZone& zone_of(const EvalContext& ctx) { return ctx.time_zone ? *ctx.time_zone : *TimeZone::utc(); }

inline int32_t floor_mod(int64_t a, int32_t b) {
  int64_t m = a % b;
  return static_cast<int32_t>(m < 0 ? m + b : m);
}

// Date parameters take dates, timestamps (their date in the session zone) and strings.
DataType date_param(const char* fn, int i, const DataType& t) {
  if (t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp || t.id() == TypeId::kString ||
      t.id() == TypeId::kNull) {
    return DataType::date();
  }
  throw_input_type(fn, i, "\"DATE\"", t);
}

DataType timestamp_param(const char* fn, int i, const DataType& t) {
  if (t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp || t.id() == TypeId::kString ||
      t.id() == TypeId::kNull) {
    return DataType::timestamp();
  }
  throw_input_type(fn, i, "\"TIMESTAMP\"", t);
}

// ---- field extraction --------------------------------------------------------------------------

enum class DateField { kYear, kMonth, kDay, kQuarter, kDayOfWeek, kDayOfYear };

template <DateField kField>
int32_t date_field(int32_t d) {
  if constexpr (kField == DateField::kDayOfWeek) {
    return floor_mod(static_cast<int64_t>(d) + 4, 7) + 1;  // 1970-01-01 was a Thursday; 1 = Sunday
  } else {
    CivilDate c = civil_from_days(d);
    if constexpr (kField == DateField::kYear) return c.year;
    else if constexpr (kField == DateField::kMonth) return c.month;
    else if constexpr (kField == DateField::kDay) return c.day;
    else if constexpr (kField == DateField::kQuarter) return (c.month - 1) / 3 + 1;
    else return d - days_from_civil(c.year, 1, 1) + 1;
  }
}

constexpr const char* field_name(DateField f) {
  switch (f) {
    case DateField::kYear: return "year";
    case DateField::kMonth: return "month";
    case DateField::kDay: return "dayofmonth";
    case DateField::kQuarter: return "quarter";
    case DateField::kDayOfWeek: return "dayofweek";
    case DateField::kDayOfYear: return "dayofyear";
  }
  return "";
}

template <DateField kField>
BoundFunction bind_field(const std::vector<DataType>& args, const BindContext&) {
  DataType t = date_param(field_name(kField), 1, args[0]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return unary_map<int32_t, int32_t, true>(v[0], n, DataType::int32(), &date_field<kField>);
  });
  return bound(DataType::int32(), {t}, kernel);
}

enum class TimeField { kHour, kMinute, kSecond };

template <TimeField kField>
BoundFunction bind_time_field(const std::vector<DataType>& args, const BindContext&) {
  const char* name = kField == TimeField::kHour ? "hour" : kField == TimeField::kMinute ? "minute" : "second";
  DataType t = timestamp_param(name, 1, args[0]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
    const TimeZone& tz = zone_of(ctx);
    return unary_map<int64_t, int32_t, true>(v[0], n, DataType::int32(), [&](int64_t m) {
      CivilDateTime c = micros_to_civil(m, tz);
      if constexpr (kField == TimeField::kHour) return c.hour;
      else if constexpr (kField == TimeField::kMinute) return c.minute;
      else return c.second;
    });
  });
  return bound(DataType::int32(), {t}, kernel);
}

// ---- to_date -----------------------------------------------------------------------------------

[[noreturn]] void throw_cannot_parse(std::string_view s, const std::string& pattern) {
  throw_error(ErrorKind::kCast, "CANNOT_PARSE_TIMESTAMP",
              "Text '" + std::string(s) + "' could not be parsed with the pattern '" + pattern +
                  "'. Use `try_to_timestamp` to tolerate invalid input string and return NULL instead. " +
                  std::string(kAnsiHint) + " SQLSTATE: 22007");
}

BoundFunction bind_to_date(const std::vector<DataType>& args, const BindContext& ctx) {
  const DataType& in = args[0];
  // to_date(x) is CAST(x AS DATE) (its errors are the cast's); a date or timestamp ignores the
  // format.
  if (args.size() == 1 || in.id() == TypeId::kDate || in.id() == TypeId::kTimestamp) {
    DataType t = date_param("to_date", 1, in);
    auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t, const EvalContext&) { return v[0]; });
    std::vector<DataType> types{t};
    if (args.size() > 1) types.push_back(DataType::string());
    return bound(DataType::date(), types, kernel);
  }
  if (in.id() != TypeId::kString && in.id() != TypeId::kNull) throw_input_type("to_date", 1, "\"STRING\"", in);
  if (!can_implicit_cast(args[1], DataType::string(), ctx.ansi)) throw_input_type("to_date", 2, "\"STRING\"", args[1]);
  std::shared_ptr<const DateTimePattern> fixed;
  if (ctx.literals.size() > 1 && ctx.literals[1] && !ctx.literals[1]->is_null() &&
      ctx.literals[1]->type().id() == TypeId::kString) {
    fixed = std::make_shared<DateTimePattern>(DateTimePattern::compile(ctx.literals[1]->as_string()));
  }
  auto kernel = make_kernel([fixed](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
    const Vector& s = *v[0];
    const Vector& f = *v[1];
    auto out = Vector::make(DataType::date(), n);
    if (!and_validity(*out, {&s, &f}, n)) return Vector::make_null(DataType::date(), n);
    int32_t* o = out->values<int32_t>();
    std::optional<DateTimePattern> local;
    std::string last;
    for (size_t i = 0; i < n; ++i) {
      o[i] = 0;
      if (out->is_null(i)) continue;
      const DateTimePattern* pat = fixed.get();
      if (!pat) {
        std::string_view fs = f.string_at(i);
        if (!local || fs != last) {
          last.assign(fs);
          local = DateTimePattern::compile(fs);
        }
        pat = &*local;
      }
      std::string_view x = s.string_at(i);
      auto d = pat->parse_date(x);
      if (d) {
        o[i] = *d;
      } else {
        if (ctx.ansi) throw_cannot_parse(x, pat->pattern());
        out->set_null(i);
      }
    }
    return out;
  });
  return bound(DataType::date(), {DataType::string(), DataType::string()}, kernel, true);
}

// ---- date arithmetic ---------------------------------------------------------------------------

DataType days_param(const char* fn, const DataType& t) {
  if (t.id() == TypeId::kInt || t.id() == TypeId::kShort || t.id() == TypeId::kByte ||
      t.id() == TypeId::kString || t.id() == TypeId::kNull) {
    return DataType::int32();
  }
  throw_input_type(fn, 2, "(\"INT\" or \"SMALLINT\" or \"TINYINT\")", t);
}

template <bool kSub>
BoundFunction bind_date_add(const std::vector<DataType>& args, const BindContext&) {
  const char* name = kSub ? "date_sub" : "date_add";
  DataType d = date_param(name, 1, args[0]);
  DataType k = days_param(name, args[1]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    // Plain int arithmetic, as Spark's DateAdd.
    return binary_map<int32_t, int32_t, int32_t, true>(v[0], v[1], n, DataType::date(), [](int32_t a, int32_t b) {
      return static_cast<int32_t>(kSub ? static_cast<uint32_t>(a) - static_cast<uint32_t>(b)
                                       : static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
    });
  });
  return bound(DataType::date(), {d, k}, kernel, true);
}

BoundFunction bind_datediff(const std::vector<DataType>& args, const BindContext&) {
  DataType a = date_param("datediff", 1, args[0]);
  DataType b = date_param("datediff", 2, args[1]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return binary_map<int32_t, int32_t, int32_t, true>(v[0], v[1], n, DataType::int32(), [](int32_t end, int32_t start) {
      return static_cast<int32_t>(static_cast<uint32_t>(end) - static_cast<uint32_t>(start));
    });
  });
  return bound(DataType::int32(), {a, b}, kernel, true);
}

// ---- truncation --------------------------------------------------------------------------------

enum class Level { kMicro, kMilli, kSecond, kMinute, kHour, kDay, kWeek, kMonth, kQuarter, kYear, kInvalid };

// Spark's DateTimeUtils.parseTruncLevel (case-insensitive).
Level parse_level(std::string_view fmt) {
  std::string f = to_lower(fmt);
  if (f == "year" || f == "yyyy" || f == "yy") return Level::kYear;
  if (f == "quarter") return Level::kQuarter;
  if (f == "month" || f == "mm" || f == "mon") return Level::kMonth;
  if (f == "week") return Level::kWeek;
  if (f == "day" || f == "dd") return Level::kDay;
  if (f == "hour") return Level::kHour;
  if (f == "minute") return Level::kMinute;
  if (f == "second") return Level::kSecond;
  if (f == "millisecond") return Level::kMilli;
  if (f == "microsecond") return Level::kMicro;
  return Level::kInvalid;
}

// Date levels only (week starts on Monday; 1970-01-05 was one).
int32_t trunc_date(int32_t d, Level level) {
  switch (level) {
    case Level::kWeek: return d - floor_mod(static_cast<int64_t>(d) - 4, 7);
    case Level::kMonth: {
      CivilDate c = civil_from_days(d);
      return days_from_civil(c.year, c.month, 1);
    }
    case Level::kQuarter: {
      CivilDate c = civil_from_days(d);
      return days_from_civil(c.year, (c.month - 1) / 3 * 3 + 1, 1);
    }
    case Level::kYear: return days_from_civil(civil_from_days(d).year, 1, 1);
    default: return d;
  }
}

int64_t floor_to(int64_t m, int64_t unit) {
  int64_t r = m % unit;
  return m - (r < 0 ? r + unit : r);
}

// Spark's DateTimeUtils.truncTimestamp: sub-minute levels on the UTC instant, minute/hour/day
// on the wall clock of the zone, coarser levels through the date.
int64_t trunc_timestamp(int64_t m, Level level, const TimeZone& tz) {
  switch (level) {
    case Level::kMicro: return m;
    case Level::kMilli: return floor_to(m, 1000);
    case Level::kSecond: return floor_to(m, kMicrosPerSecond);
    case Level::kMinute:
    case Level::kHour:
    case Level::kDay: {
      CivilDateTime c = micros_to_civil(m, tz);
      c.micros = 0;
      c.second = 0;
      if (level != Level::kMinute) c.minute = 0;
      if (level == Level::kDay) c.hour = 0;
      return civil_to_micros(c, tz);
    }
    default: return days_to_micros(trunc_date(micros_to_days(m, tz), level), tz);
  }
}

std::optional<Level> literal_level(const BindContext& ctx, size_t i) {
  if (ctx.literals.size() > i && ctx.literals[i] && !ctx.literals[i]->is_null() &&
      ctx.literals[i]->type().id() == TypeId::kString) {
    return parse_level(ctx.literals[i]->as_string());
  }
  return std::nullopt;
}

// date_trunc(fmt, ts) -> timestamp; an unknown fmt yields NULL.
BoundFunction bind_date_trunc(const std::vector<DataType>& args, const BindContext& ctx) {
  if (!can_implicit_cast(args[0], DataType::string(), ctx.ansi)) throw_input_type("date_trunc", 1, "\"STRING\"", args[0]);
  DataType t = timestamp_param("date_trunc", 2, args[1]);
  std::optional<Level> fixed = literal_level(ctx, 0);
  std::shared_ptr<const ScalarKernel> kernel;
  if (fixed) {
    Level level = *fixed;
    kernel = make_kernel([level](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
      if (level == Level::kInvalid) return Vector::make_null(DataType::timestamp(), n);
      const TimeZone& tz = zone_of(ctx);
      return unary_map<int64_t, int64_t, true>(v[1], n, DataType::timestamp(),
                                               [&](int64_t m) { return trunc_timestamp(m, level, tz); });
    });
  } else {
    // Per-row formats (rare): a straightforward loop.
    kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
      const TimeZone& tz = zone_of(ctx);
      const Vector& f = *v[0];
      const Vector& ts = *v[1];
      auto out = Vector::make(DataType::timestamp(), n);
      if (!and_validity(*out, {&f, &ts}, n)) return Vector::make_null(DataType::timestamp(), n);
      int64_t* o = out->values<int64_t>();
      for (size_t i = 0; i < n; ++i) {
        o[i] = 0;
        if (out->is_null(i)) continue;
        Level level = parse_level(f.string_at(i));
        if (level == Level::kInvalid) out->set_null(i);
        else o[i] = trunc_timestamp(value_at<int64_t>(ts, i), level, tz);
      }
      return out;
    });
  }
  return bound(DataType::timestamp(), {DataType::string(), t}, kernel, true);
}

// trunc(date, fmt) -> date; only year/quarter/month/week levels, anything else yields NULL.
BoundFunction bind_trunc(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType d = date_param("trunc", 1, args[0]);
  if (!can_implicit_cast(args[1], DataType::string(), ctx.ansi)) throw_input_type("trunc", 2, "\"STRING\"", args[1]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& x = *v[0];
    const Vector& f = *v[1];
    auto out = Vector::make(DataType::date(), n);
    if (!and_validity(*out, {&x, &f}, n)) return Vector::make_null(DataType::date(), n);
    int32_t* o = out->values<int32_t>();
    Level level = f.is_constant() ? parse_level(f.string_at(0)) : Level::kInvalid;
    for (size_t i = 0; i < n; ++i) {
      o[i] = 0;
      if (out->is_null(i)) continue;
      if (!f.is_constant()) level = parse_level(f.string_at(i));
      if (level == Level::kWeek || level == Level::kMonth || level == Level::kQuarter || level == Level::kYear) {
        o[i] = trunc_date(value_at<int32_t>(x, i), level);
      } else {
        out->set_null(i);
      }
    }
    return out;
  });
  return bound(DataType::date(), {d, DataType::string()}, kernel, true);
}

// ---- current_date / current_timestamp -----------------------------------------------------------

BoundFunction bind_current_date(const std::vector<DataType>&, const BindContext&) {
  auto kernel = make_kernel([](const std::vector<VectorPtr>&, size_t n, const EvalContext& ctx) {
    auto out = Vector::make(DataType::date(), n);
    int32_t* o = out->values<int32_t>();
    for (size_t i = 0; i < n; ++i) o[i] = ctx.current_date;
    return out;
  });
  return bound(DataType::date(), {}, kernel, false, /*nullable=*/false);
}

BoundFunction bind_current_timestamp(const std::vector<DataType>&, const BindContext&) {
  auto kernel = make_kernel([](const std::vector<VectorPtr>&, size_t n, const EvalContext& ctx) {
    auto out = Vector::make(DataType::timestamp(), n);
    int64_t* o = out->values<int64_t>();
    for (size_t i = 0; i < n; ++i) o[i] = ctx.current_timestamp;
    return out;
  });
  return bound(DataType::timestamp(), {}, kernel, false, /*nullable=*/false);
}

}  // namespace

void register_datetime_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"year", 1, 1, &bind_field<DateField::kYear>});
  r.add(FunctionDef{"month", 1, 1, &bind_field<DateField::kMonth>});
  r.add(FunctionDef{"dayofmonth", 1, 1, &bind_field<DateField::kDay>});
  r.add(FunctionDef{"quarter", 1, 1, &bind_field<DateField::kQuarter>});
  r.add(FunctionDef{"dayofweek", 1, 1, &bind_field<DateField::kDayOfWeek>});
  r.add(FunctionDef{"dayofyear", 1, 1, &bind_field<DateField::kDayOfYear>});
  r.add(FunctionDef{"hour", 1, 1, &bind_time_field<TimeField::kHour>});
  r.add(FunctionDef{"minute", 1, 1, &bind_time_field<TimeField::kMinute>});
  r.add(FunctionDef{"second", 1, 1, &bind_time_field<TimeField::kSecond>});
  r.add(FunctionDef{"to_date", 1, 2, &bind_to_date});
  r.add(FunctionDef{"date_add", 2, 2, &bind_date_add<false>});
  r.add(FunctionDef{"date_sub", 2, 2, &bind_date_add<true>});
  r.add(FunctionDef{"datediff", 2, 2, &bind_datediff});
  r.add(FunctionDef{"date_trunc", 2, 2, &bind_date_trunc});
  r.add(FunctionDef{"trunc", 2, 2, &bind_trunc});
  r.add(FunctionDef{"current_date", 0, 0, &bind_current_date});
  r.add(FunctionDef{"current_timestamp", 0, 0, &bind_current_timestamp});
  r.add_alias("day", "dayofmonth");
  r.add_alias("now", "current_timestamp");
  r.add_alias("dateadd", "date_add");
  r.add_alias("date_diff", "datediff");
}

}  // namespace ember
