#pragma once
// Session time zones (spark.sql.session.timeZone): UTC, fixed offsets ("+08:00", "UTC-5") and
// IANA region names ("Europe/Paris"), read from the system's TZif files under /usr/share/zoneinfo.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ember {

class TimeZone {
 public:
  // Returns the zone or throws EmberError(kIllegalArgument) naming the unknown zone id.
  // Zones are cached for the life of the process; the pointer stays valid.
  // Accepts what Spark's getZoneId accepts: "Z", "+08:00" (and the legacy "+8:00" / "+08:0"),
  // "+0800", "UTC", "GMT", "UT", "UTC+8", "GMT-05:30", Java's short ids ("PST", "EST", "CTT")
  // and region ids ("Europe/Paris"), the latter case-sensitively as java.time does.
  static const TimeZone* find(const std::string& id);
  static const TimeZone* utc();
  // The system default (TZ environment variable, else /etc/localtime, else UTC), like the JVM's.
  static const std::string& system_default_id();

  // The normalized id, as java.time's ZoneId.getId() prints it ("+08:00", "UTC+08:00", "Z").
  const std::string& id() const { return id_; }
  // Offset from UTC, in seconds, in force at the UTC instant `utc_seconds`.
  int32_t offset_at_utc(int64_t utc_seconds) const;
  // UTC seconds for a local wall-clock time; in a gap or overlap, resolves as java.time does
  // (gap: shifted forward by the gap length; overlap: the earlier offset).
  int64_t local_to_utc(int64_t local_seconds) const;
  // The short name in force at the instant, for the 'z' pattern letter: the tzdata abbreviation
  // ("CET", "CEST", "EST") for regions, the id itself for fixed offsets ("+08:00", "UTC").
  std::string abbreviation_at_utc(int64_t utc_seconds) const;

  struct Transition {
    int64_t utc_seconds;  // instant the new offset starts
    int32_t offset;       // seconds east of UTC from then on
  };
  // The POSIX TZ rule at the end of a TZif file ("CET-1CEST,M3.5.0,M10.5.0/3"): how daylight
  // saving recurs every year after the last listed transition.
  struct RecurringRule {
    struct Boundary {
      enum class Kind : uint8_t { kJulianNoLeap, kZeroBasedDay, kMonthWeekDay } kind;
      int32_t day = 0;  // Jn: 1..365; n: 0..365; Mm.w.d: weekday 0 (Sunday)..6
      int32_t month = 0, week = 0;
      int32_t local_seconds = 7200;  // wall time of the change, in the offset before it
    };
    int32_t std_offset = 0;
    int32_t dst_offset = 0;
    std::string std_name, dst_name;
    bool has_dst = false;
    Boundary dst_start, dst_end;
  };

  TimeZone(std::string id, int32_t fixed_offset);
  TimeZone(std::string id, int32_t initial_offset, std::vector<Transition> transitions);

 private:
  friend class TimeZoneLoader;  // fills the abbreviations and the recurring rule
  struct Shift {
    int64_t at;
    int32_t after;
  };
  // Transitions near `utc_seconds` (within about two days either side), with the offset in force
  // before the first of them; generated from the recurring rule past the end of the table.
  int collect_shifts(int64_t utc_seconds, int32_t* offset_before, Shift* out, int capacity) const;
  // The rule's two shifts in `year` (daylight saving start, then end), written to out[0..1].
  void rule_shifts_in_year(int64_t year, Shift* out) const;

  std::string id_;
  int32_t initial_offset_ = 0;
  std::vector<Transition> transitions_;  // sorted; empty for fixed offsets
  // Abbreviation of the initial offset, then one per transition; empty for fixed offsets.
  std::string initial_abbreviation_;
  std::vector<std::string> abbreviations_;
  bool has_rule_ = false;
  RecurringRule rule_;
};

}  // namespace ember
