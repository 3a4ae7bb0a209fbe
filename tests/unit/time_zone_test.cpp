#include "ember/types/time_zone.h"

#include <thread>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/types/temporal.h"

namespace ember {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;
int64_t utc_seconds(int y, int m, int d, int hh = 0, int mm = 0) {
  return days_from_civil(y, m, d) * kSecondsPerDay + hh * 3600 + mm * 60;
}

TEST(TimeZone, FixedOffsetsAndTheirIds) {
  struct Case {
    const char* input;
    const char* id;
    int32_t offset;
  };
  for (const Case& c :
       {Case{"UTC", "UTC", 0}, Case{"GMT", "GMT", 0}, Case{"Z", "Z", 0}, Case{"+08:00", "+08:00", 28800},
        Case{"-05:00", "-05:00", -18000}, Case{"+8:00", "+08:00", 28800}, Case{"+08:3", "+08:03", 28980},
        Case{"+0530", "+05:30", 19800}, Case{"+05", "+05:00", 18000}, Case{"UTC+8", "UTC+08:00", 28800},
        Case{"GMT-05:30", "GMT-05:30", -19800}, Case{"UTC+0", "UTC", 0}, Case{"+18:00", "+18:00", 64800},
        Case{"EST", "-05:00", -18000}, Case{"+00:00", "Z", 0}}) {
    const TimeZone* tz = TimeZone::find(c.input);
    EXPECT_EQ(tz->id(), c.id) << c.input;
    EXPECT_EQ(tz->offset_at_utc(0), c.offset) << c.input;
    EXPECT_EQ(tz->offset_at_utc(utc_seconds(2024, 7, 1)), c.offset) << c.input;
    EXPECT_EQ(tz->local_to_utc(1000), 1000 - c.offset) << c.input;
  }
  EXPECT_EQ(TimeZone::utc()->id(), "UTC");
  EXPECT_EQ(TimeZone::utc()->offset_at_utc(123), 0);
}

TEST(TimeZone, RejectsUnknownZones) {
  for (const char* bad : {"Nowhere/City", "+19:00", "+08:60", "UTC+", "europe/paris", "", "../../etc/passwd",
                          "Europe/../Europe/Paris", "right/UTC", "+1:2:3"}) {
    try {
      TimeZone::find(bad);
      ADD_FAILURE() << bad;
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kIllegalArgument) << bad;
      EXPECT_NE(std::string(e.what()).find(std::string("'") + bad + "'"), std::string::npos);
    }
  }
}

TEST(TimeZone, CachesZones) {
  const TimeZone* a = TimeZone::find("Europe/Paris");
  EXPECT_EQ(a, TimeZone::find("Europe/Paris"));
  EXPECT_EQ(a->id(), "Europe/Paris");
  // Java's short ids resolve to the region they stand for.
  EXPECT_EQ(TimeZone::find("PST")->id(), "America/Los_Angeles");
  std::vector<std::thread> threads;
  std::vector<const TimeZone*> seen(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] { seen[static_cast<size_t>(i)] = TimeZone::find("Asia/Kathmandu"); });
  }
  for (auto& t : threads) t.join();
  for (const TimeZone* z : seen) EXPECT_EQ(z, seen[0]);
  EXPECT_EQ(seen[0]->offset_at_utc(utc_seconds(2024, 1, 1)), 5 * 3600 + 45 * 60);
}

TEST(TimeZone, ParisOffsetsAcrossDst) {
  const TimeZone& paris = *TimeZone::find("Europe/Paris");
  // 2024: CEST from 2024-03-31 01:00 UTC to 2024-10-27 01:00 UTC.
  int64_t spring = utc_seconds(2024, 3, 31, 1);
  EXPECT_EQ(spring, 1711846800);
  EXPECT_EQ(paris.offset_at_utc(spring - 1), 3600);
  EXPECT_EQ(paris.offset_at_utc(spring), 7200);
  int64_t autumn = utc_seconds(2024, 10, 27, 1);
  EXPECT_EQ(paris.offset_at_utc(autumn - 1), 7200);
  EXPECT_EQ(paris.offset_at_utc(autumn), 3600);
  EXPECT_EQ(paris.abbreviation_at_utc(spring - 1), "CET");
  EXPECT_EQ(paris.abbreviation_at_utc(spring), "CEST");
  // Before railway time (1891) Paris kept local mean time, +00:09:21, which java.time also uses.
  EXPECT_EQ(paris.offset_at_utc(utc_seconds(1850, 1, 1)), 561);
  // Under the occupation Paris kept +02:00 through the winter of 1940-41, but not 1942-43.
  EXPECT_EQ(paris.offset_at_utc(utc_seconds(1941, 1, 1)), 7200);
  EXPECT_EQ(paris.offset_at_utc(utc_seconds(1943, 1, 1)), 3600);
}

TEST(TimeZone, NewYorkGapAndOverlap) {
  const TimeZone& ny = *TimeZone::find("America/New_York");
  // 2024-03-10 02:00 EST jumps to 03:00 EDT (07:00 UTC): 02:30 does not exist and java.time
  // moves it forward by the gap to 03:30 EDT.
  int64_t gap_local = utc_seconds(2024, 3, 10, 2, 30);
  EXPECT_EQ(ny.local_to_utc(gap_local), utc_seconds(2024, 3, 10, 7, 30));
  EXPECT_EQ(ny.local_to_utc(utc_seconds(2024, 3, 10, 1, 59)), utc_seconds(2024, 3, 10, 6, 59));
  EXPECT_EQ(ny.local_to_utc(utc_seconds(2024, 3, 10, 3, 0)), utc_seconds(2024, 3, 10, 7, 0));
  // 2024-11-03 02:00 EDT falls back to 01:00 EST: 01:30 happens twice; the earlier (EDT) wins.
  EXPECT_EQ(ny.local_to_utc(utc_seconds(2024, 11, 3, 1, 30)), utc_seconds(2024, 11, 3, 5, 30));
  EXPECT_EQ(ny.local_to_utc(utc_seconds(2024, 11, 3, 2, 0)), utc_seconds(2024, 11, 3, 7, 0));
  EXPECT_EQ(ny.offset_at_utc(utc_seconds(2024, 11, 3, 5, 59)), -4 * 3600);
  EXPECT_EQ(ny.offset_at_utc(utc_seconds(2024, 11, 3, 6, 0)), -5 * 3600);
  EXPECT_EQ(ny.abbreviation_at_utc(utc_seconds(2024, 1, 1)), "EST");
  EXPECT_EQ(ny.abbreviation_at_utc(utc_seconds(2024, 7, 1)), "EDT");
}

TEST(TimeZone, RecurringRuleBeyondTheTable) {
  // Far-future instants come from the TZif footer rule (transitions are listed only to 2037).
  const TimeZone& paris = *TimeZone::find("Europe/Paris");
  EXPECT_EQ(paris.offset_at_utc(utc_seconds(2100, 1, 15)), 3600);
  EXPECT_EQ(paris.offset_at_utc(utc_seconds(2100, 7, 15)), 7200);
  // 2100-03-28 is the last Sunday of March; the switch is at 01:00 UTC.
  EXPECT_EQ(paris.offset_at_utc(utc_seconds(2100, 3, 28, 0, 59)), 3600);
  EXPECT_EQ(paris.offset_at_utc(utc_seconds(2100, 3, 28, 1, 0)), 7200);
  EXPECT_EQ(paris.abbreviation_at_utc(utc_seconds(2100, 7, 15)), "CEST");
  const TimeZone& ny = *TimeZone::find("America/New_York");
  EXPECT_EQ(ny.offset_at_utc(utc_seconds(2500, 7, 4)), -4 * 3600);
  // 2500-03-14 is the second Sunday of March.
  EXPECT_EQ(ny.local_to_utc(utc_seconds(2500, 3, 14, 2, 30)), utc_seconds(2500, 3, 14, 7, 30));
  // The southern hemisphere's summer spans the new year.
  const TimeZone& sydney = *TimeZone::find("Australia/Sydney");
  EXPECT_EQ(sydney.offset_at_utc(utc_seconds(2024, 1, 1)), 11 * 3600);
  EXPECT_EQ(sydney.offset_at_utc(utc_seconds(2024, 7, 1)), 10 * 3600);
  EXPECT_EQ(sydney.offset_at_utc(utc_seconds(2200, 1, 1)), 11 * 3600);
  EXPECT_EQ(sydney.offset_at_utc(utc_seconds(2200, 7, 1)), 10 * 3600);
}

TEST(TimeZone, ZonesWithoutDst) {
  EXPECT_EQ(TimeZone::find("Asia/Kolkata")->offset_at_utc(utc_seconds(2024, 6, 1)), 19800);
  EXPECT_EQ(TimeZone::find("Asia/Tokyo")->offset_at_utc(utc_seconds(2300, 6, 1)), 9 * 3600);
  EXPECT_EQ(TimeZone::find("Etc/UTC")->offset_at_utc(utc_seconds(2024, 6, 1)), 0);
  EXPECT_EQ(TimeZone::find("Asia/Tokyo")->abbreviation_at_utc(0), "JST");
  EXPECT_EQ(TimeZone::find("+08:00")->abbreviation_at_utc(0), "+08:00");
}

TEST(TimeZone, SystemDefaultIsUsable) {
  const std::string& id = TimeZone::system_default_id();
  EXPECT_FALSE(id.empty());
  EXPECT_NO_THROW(TimeZone::find(id));
}

TEST(TimeZone, ConstructedZones) {
  TimeZone custom("Custom", 3600, {{1000, 7200}, {5000, 3600}});
  EXPECT_EQ(custom.offset_at_utc(999), 3600);
  EXPECT_EQ(custom.offset_at_utc(1000), 7200);
  EXPECT_EQ(custom.offset_at_utc(5000), 3600);
  EXPECT_EQ(custom.local_to_utc(4600), 1000);  // in the gap [4600, 8200): old offset
  EXPECT_EQ(custom.local_to_utc(8300), 1100);
  TimeZone fixed("Fixed", -3600);
  EXPECT_EQ(fixed.local_to_utc(0), 3600);
}

}  // namespace
}  // namespace ember
