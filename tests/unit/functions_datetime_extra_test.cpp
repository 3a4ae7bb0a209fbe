// to_timestamp, date_format, unix_timestamp, from_unixtime, add_months, months_between, last_day,
// next_day, weekofyear. Golden values are the examples of Spark's SQL function reference
// (spark.apache.org/docs/latest/api/sql, "Date and Timestamp Functions"), which Spark generates
// with the session time zone America/Los_Angeles; the tests use that zone too.
#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/functions/registry.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"

namespace ember {
namespace {

const TimeZone* la() { return TimeZone::find("America/Los_Angeles"); }

BoundFunction bind_fn(const std::string& name, const std::vector<DataType>& types, bool ansi = true,
                      std::vector<std::optional<Value>> literals = {}) {
  const FunctionDef* def = FunctionRegistry::instance().find_scalar(name);
  EXPECT_NE(def, nullptr) << name;
  BindContext ctx;
  ctx.ansi = ansi;
  literals.resize(types.size());
  ctx.literals = literals;
  return def->bind(types, ctx);
}

// name(values...) on one row in Los Angeles; the values already have the bound argument types.
// `literal` marks argument indices passed as literals (patterns).
Value call1(const std::string& name, const std::vector<Value>& vals, bool ansi = true,
            std::vector<size_t> literal = {}) {
  std::vector<DataType> types;
  std::vector<VectorPtr> args;
  std::vector<std::optional<Value>> lits(vals.size());
  for (size_t i = 0; i < vals.size(); ++i) {
    types.push_back(vals[i].type());
    args.push_back(Vector::from_values(vals[i].type(), {vals[i]}));
  }
  for (size_t i : literal) lits[i] = vals[i];
  auto f = bind_fn(name, types, ansi, lits);
  EvalContext ctx;
  ctx.ansi = ansi;
  ctx.time_zone = la();
  ctx.current_timestamp = 1'700'000'000'123'456;
  return f.kernel->eval(args, 1, ctx)->value_at(0);
}

Value S(const std::string& s) { return Value::string(s); }
Value D(const std::string& s) { return Value::date(*parse_date(s)); }
Value TS(const std::string& s) { return Value::timestamp(*parse_timestamp(s, *la())); }
std::string fmt_date(const Value& v) {
  return v.is_null() ? "NULL" : format_date(static_cast<int32_t>(v.as_int64()));
}
std::string fmt_ts(const Value& v) { return v.is_null() ? "NULL" : format_timestamp(v.as_int64(), *la()); }

TEST(DateTimeExtraTest, ToTimestamp) {
  // to_timestamp(str) is a cast: the analyzer casts the string, the kernel passes it through.
  auto one = bind_fn("to_timestamp", {DataType::string()});
  EXPECT_EQ(one.arg_types[0], DataType::timestamp());
  EXPECT_EQ(fmt_ts(call1("to_timestamp", {TS("2016-12-31 00:12:00")})), "2016-12-31 00:12:00");
  EXPECT_EQ(fmt_ts(call1("to_timestamp", {S("2016-12-31"), S("yyyy-MM-dd")}, true, {1})),
            "2016-12-31 00:00:00");
  EXPECT_EQ(fmt_ts(call1("to_timestamp", {S("31/12/2016 13:45"), S("dd/MM/yyyy HH:mm")})),
            "2016-12-31 13:45:00");
  // Unparsable: CANNOT_PARSE_TIMESTAMP under ANSI, NULL otherwise.
  try {
    call1("to_timestamp", {S("2016-13-45"), S("yyyy-MM-dd")});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "CANNOT_PARSE_TIMESTAMP");
  }
  EXPECT_TRUE(call1("to_timestamp", {S("2016-13-45"), S("yyyy-MM-dd")}, false).is_null());
  EXPECT_TRUE(call1("to_timestamp", {Value::null(DataType::string()), S("yyyy-MM-dd")}).is_null());
}

TEST(DateTimeExtraTest, DateFormat) {
  // SELECT date_format('2016-04-08', 'y');  2016
  EXPECT_EQ(call1("date_format", {TS("2016-04-08 00:00:00"), S("y")}, true, {1}).as_string(), "2016");
  Value t = TS("2024-03-05 14:07:09.123");
  EXPECT_EQ(call1("date_format", {t, S("yyyy-MM-dd HH:mm:ss.SSS")}, true, {1}).as_string(),
            "2024-03-05 14:07:09.123");
  EXPECT_EQ(call1("date_format", {t, S("EEE, MMM d, yyyy h:mm a")}).as_string(), "Tue, Mar 5, 2024 2:07 PM");
  EXPECT_EQ(call1("date_format", {t, S("EEEE MMMM D")}).as_string(), "Tuesday March 65");
  EXPECT_TRUE(call1("date_format", {Value::null(DataType::timestamp()), S("y")}).is_null());
  EXPECT_THROW(call1("date_format", {t, S("YYYY")}, true, {1}),
               EmberError);  // week-based year: Spark 3+ rejects
}

TEST(DateTimeExtraTest, UnixTimestampFromUnixtime) {
  // SELECT unix_timestamp('2016-04-08', 'yyyy-MM-dd');  1460098800
  EXPECT_EQ(call1("unix_timestamp", {S("2016-04-08"), S("yyyy-MM-dd")}, true, {1}).as_int64(), 1460098800);
  EXPECT_EQ(call1("to_unix_timestamp", {S("2016-04-08"), S("yyyy-MM-dd")}).as_int64(), 1460098800);
  EXPECT_EQ(call1("unix_timestamp", {S("2016-04-08 00:00:00")}).as_int64(), 1460098800);
  EXPECT_EQ(call1("unix_timestamp", {TS("2016-04-08 00:00:00")}).as_int64(), 1460098800);
  EXPECT_EQ(call1("unix_timestamp", {D("2016-04-08")}).as_int64(), 1460098800);
  EXPECT_EQ(call1("unix_timestamp", {}).as_int64(), 1700000000);
  EXPECT_TRUE(call1("unix_timestamp", {S("nope")}, false).is_null());
  EXPECT_THROW(call1("unix_timestamp", {S("nope")}), EmberError);
  // SELECT from_unixtime(0, 'yyyy-MM-dd HH:mm:ss');  1969-12-31 16:00:00 (and without a format)
  EXPECT_EQ(call1("from_unixtime", {Value::int64(0), S("yyyy-MM-dd HH:mm:ss")}, true, {1}).as_string(),
            "1969-12-31 16:00:00");
  EXPECT_EQ(call1("from_unixtime", {Value::int64(0)}).as_string(), "1969-12-31 16:00:00");
  EXPECT_TRUE(call1("from_unixtime", {Value::null(DataType::int64())}).is_null());
}

TEST(DateTimeExtraTest, AddMonthsLastDayNextDayWeekOfYear) {
  // SELECT add_months('2016-08-31', 1);  2016-09-30
  EXPECT_EQ(fmt_date(call1("add_months", {D("2016-08-31"), Value::int32(1)})), "2016-09-30");
  EXPECT_EQ(fmt_date(call1("add_months", {D("2016-01-31"), Value::int32(-2)})), "2015-11-30");
  EXPECT_EQ(fmt_date(call1("add_months", {D("2016-02-29"), Value::int32(12)})), "2017-02-28");
  // SELECT last_day('2009-01-12');  2009-01-31
  EXPECT_EQ(fmt_date(call1("last_day", {D("2009-01-12")})), "2009-01-31");
  EXPECT_EQ(fmt_date(call1("last_day", {D("2024-02-03")})), "2024-02-29");
  // SELECT next_day('2015-01-14', 'TU');  2015-01-20
  EXPECT_EQ(fmt_date(call1("next_day", {D("2015-01-14"), S("TU")})), "2015-01-20");
  EXPECT_EQ(fmt_date(call1("next_day", {D("2015-01-14"), S("wednesday")})), "2015-01-21");  // strictly after
  try {
    call1("next_day", {D("2015-01-14"), S("xx")});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "ILLEGAL_DAY_OF_WEEK");
  }
  EXPECT_TRUE(call1("next_day", {D("2015-01-14"), S("xx")}, false).is_null());
  // SELECT weekofyear('2008-02-20');  8
  EXPECT_EQ(call1("weekofyear", {D("2008-02-20")}).as_int64(), 8);
  EXPECT_EQ(call1("weekofyear", {D("2021-01-01")}).as_int64(), 53);  // ISO: belongs to 2020's last week
  EXPECT_EQ(call1("weekofyear", {D("2024-12-30")}).as_int64(), 1);
  // SELECT dayofweek('2009-07-30');  5 (1 = Sunday; registered by the base date family)
  EXPECT_EQ(call1("dayofweek", {D("2009-07-30")}).as_int64(), 5);
}

TEST(DateTimeExtraTest, MonthsBetween) {
  // SELECT months_between('1997-02-28 10:30:00', '1996-10-30');  3.94959677
  Value a = TS("1997-02-28 10:30:00"), b = TS("1996-10-30 00:00:00");
  EXPECT_DOUBLE_EQ(call1("months_between", {a, b}).as_double(), 3.94959677);
  // SELECT months_between('1997-02-28 10:30:00', '1996-10-30', false);  3.9495967741935485
  EXPECT_DOUBLE_EQ(call1("months_between", {a, b, Value::boolean(false)}).as_double(), 3.9495967741935485);
  // Same day of month, or both month ends: whole months, time of day ignored.
  EXPECT_DOUBLE_EQ(
      call1("months_between", {TS("2024-03-15 23:00:00"), TS("2024-01-15 01:00:00")}).as_double(), 2.0);
  EXPECT_DOUBLE_EQ(
      call1("months_between", {TS("2024-02-29 00:00:00"), TS("2024-01-31 12:00:00")}).as_double(), 1.0);
  EXPECT_TRUE(call1("months_between", {a, Value::null(DataType::timestamp())}).is_null());
}

}  // namespace
}  // namespace ember
