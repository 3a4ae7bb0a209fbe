#include "ember/types/time_zone.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>

#include <unistd.h>

#include "ember/common/error.h"
#include "ember/types/temporal.h"

namespace ember {

namespace {

constexpr int64_t kSecondsPerDay = 86'400;
// java.time's ZoneOffset accepts at most +-18:00.
constexpr int32_t kMaxOffsetSeconds = 18 * 3600;

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return q - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// java.time.ZoneId.SHORT_IDS, which Spark passes to ZoneId.of so that the three-letter ids of
// old JDKs keep working.
const std::map<std::string, std::string, std::less<>>& java_short_ids() {
  static const std::map<std::string, std::string, std::less<>> ids = {
      {"ACT", "Australia/Darwin"},
      {"AET", "Australia/Sydney"},
      {"AGT", "America/Argentina/Buenos_Aires"},
      {"ART", "Africa/Cairo"},
      {"AST", "America/Anchorage"},
      {"BET", "America/Sao_Paulo"},
      {"BST", "Asia/Dhaka"},
      {"CAT", "Africa/Harare"},
      {"CNT", "America/St_Johns"},
      {"CST", "America/Chicago"},
      {"CTT", "Asia/Shanghai"},
      {"EAT", "Africa/Addis_Ababa"},
      {"ECT", "Europe/Paris"},
      {"EST", "-05:00"},
      {"HST", "-10:00"},
      {"IET", "America/Indiana/Indianapolis"},
      {"IST", "Asia/Kolkata"},
      {"JST", "Asia/Tokyo"},
      {"MIT", "Pacific/Apia"},
      {"MST", "-07:00"},
      {"NET", "Asia/Yerevan"},
      {"NST", "Pacific/Auckland"},
      {"PLT", "Asia/Karachi"},
      {"PNT", "America/Phoenix"},
      {"PRT", "America/Puerto_Rico"},
      {"PST", "America/Los_Angeles"},
      {"SST", "Pacific/Guadalcanal"},
      {"VST", "Asia/Ho_Chi_Minh"},
  };
  return ids;
}

// Parses the text java.time.ZoneOffset.of accepts: "Z", "+h", "+hh", "+hhmm", "+hh:mm",
// "+hhmmss", "+hh:mm:ss" (or '-'), at most 18 hours.
std::optional<int32_t> parse_zone_offset(std::string_view s) {
  if (s == "Z") return 0;
  if (s.size() < 2 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  std::string_view body = s.substr(1);
  auto two = [&](size_t pos) -> int {
    if (pos + 2 > body.size() || !is_digit(body[pos]) || !is_digit(body[pos + 1])) return -1;
    return (body[pos] - '0') * 10 + (body[pos + 1] - '0');
  };
  int hours = -1, minutes = 0, seconds = 0;
  switch (body.size()) {
    case 1:
      if (!is_digit(body[0])) return std::nullopt;
      hours = body[0] - '0';
      break;
    case 2: hours = two(0); break;
    case 4:
      hours = two(0);
      minutes = two(2);
      break;
    case 5:
      if (body[2] != ':') return std::nullopt;
      hours = two(0);
      minutes = two(3);
      break;
    case 6:
      hours = two(0);
      minutes = two(2);
      seconds = two(4);
      break;
    case 8:
      if (body[2] != ':' || body[5] != ':') return std::nullopt;
      hours = two(0);
      minutes = two(3);
      seconds = two(6);
      break;
    default: return std::nullopt;
  }
  if (hours < 0 || minutes < 0 || seconds < 0 || hours > 18 || minutes > 59 || seconds > 59) {
    return std::nullopt;
  }
  int32_t total = hours * 3600 + minutes * 60 + seconds;
  if (total > kMaxOffsetSeconds) return std::nullopt;
  return s[0] == '-' ? -total : total;
}

// java.time's ZoneOffset.getId(): "Z", "+08:00", "-05:30", "+05:30:15".
std::string zone_offset_id(int32_t total) {
  if (total == 0) return "Z";
  std::string out(1, total < 0 ? '-' : '+');
  int32_t a = total < 0 ? -total : total;
  auto put2 = [&](int v) {
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
  };
  put2(a / 3600);
  out += ':';
  put2(a / 60 % 60);
  if (a % 60 != 0) {
    out += ':';
    put2(a % 60);
  }
  return out;
}

// Spark's getZoneId first rewrites the pre-3.0 forms "+h:mm" and "+hh:m" to "+hh:mm".
std::string normalize_legacy_offsets(std::string id) {
  for (size_t i = 0; i + 2 < id.size(); ++i) {
    if ((id[i] == '+' || id[i] == '-') && is_digit(id[i + 1]) && id[i + 2] == ':') {
      id.insert(i + 1, "0");
      break;
    }
  }
  size_t n = id.size();
  if (n >= 5 && is_digit(id[n - 1]) && id[n - 2] == ':' && is_digit(id[n - 3]) && is_digit(id[n - 4]) &&
      (id[n - 5] == '+' || id[n - 5] == '-')) {
    id.insert(n - 1, "0");
  }
  return id;
}

// java.time's region-id syntax; it also keeps the id from escaping the zoneinfo directory.
bool is_valid_region_id(std::string_view id) {
  if (id.size() < 2) return false;
  char first = id[0];
  if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '~' || c == '/' ||
              c == '.' || c == '_' || c == '+' || c == '-';
    if (!ok) return false;
  }
  if (id.find("..") != std::string_view::npos || id.find("//") != std::string_view::npos) {
    return false;
  }
  // The leap-second ("right/") and "posix/" copies of the database, and the zic helper files,
  // are not zones java.time knows.
  return id.rfind("right/", 0) != 0 && id.rfind("posix/", 0) != 0 && id != "posixrules" &&
         id != "localtime" && id != "Factory";
}

std::string zoneinfo_directory() {
  const char* dir = std::getenv("TZDIR");
  return dir != nullptr && *dir != '\0' ? std::string(dir) : std::string("/usr/share/zoneinfo");
}

// Reads a POSIX TZ string (the TZif footer), e.g. "CET-1CEST,M3.5.0,M10.5.0/3", with RFC 8536's
// extensions (hours of a rule time in -167..167).
class PosixTzParser {
 public:
  explicit PosixTzParser(std::string_view s) : s_(s) {}

  std::optional<TimeZone::RecurringRule> parse() {
    TimeZone::RecurringRule rule;
    if (!name(rule.std_name)) return std::nullopt;
    auto std_offset = offset(24);
    if (!std_offset) return std::nullopt;
    rule.std_offset = -*std_offset;  // POSIX counts hours west of Greenwich
    if (at_end()) return rule;
    if (!name(rule.dst_name)) return std::nullopt;
    rule.has_dst = true;
    rule.dst_offset = rule.std_offset + 3600;
    if (!at_end() && s_[pos_] != ',') {
      auto dst_offset = offset(24);
      if (!dst_offset) return std::nullopt;
      rule.dst_offset = -*dst_offset;
    }
    // Without a rule, POSIX defaults to the US rules, which zic never relies on.
    if (at_end() || s_[pos_] != ',') return std::nullopt;
    ++pos_;
    if (!boundary(rule.dst_start)) return std::nullopt;
    if (at_end() || s_[pos_] != ',') return std::nullopt;
    ++pos_;
    if (!boundary(rule.dst_end)) return std::nullopt;
    if (!at_end()) return std::nullopt;
    return rule;
  }

 private:
  bool at_end() const { return pos_ >= s_.size(); }

  bool name(std::string& out) {
    if (at_end()) return false;
    if (s_[pos_] == '<') {
      size_t close = s_.find('>', pos_);
      if (close == std::string_view::npos) return false;
      out = std::string(s_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
      return !out.empty();
    }
    size_t start = pos_;
    while (!at_end() && ((s_[pos_] >= 'A' && s_[pos_] <= 'Z') || (s_[pos_] >= 'a' && s_[pos_] <= 'z'))) {
      ++pos_;
    }
    out = std::string(s_.substr(start, pos_ - start));
    return out.size() >= 3;
  }

  std::optional<int32_t> number() {
    if (at_end() || !is_digit(s_[pos_])) return std::nullopt;
    int32_t v = 0;
    while (!at_end() && is_digit(s_[pos_]) && v < 100000) v = v * 10 + (s_[pos_++] - '0');
    return v;
  }

  // [+-]hh[:mm[:ss]] in seconds.
  std::optional<int32_t> offset(int32_t max_hours) {
    int sign = 1;
    if (!at_end() && (s_[pos_] == '+' || s_[pos_] == '-')) sign = s_[pos_++] == '-' ? -1 : 1;
    auto hours = number();
    if (!hours || *hours > max_hours) return std::nullopt;
    int32_t total = *hours * 3600;
    for (int32_t unit : {60, 1}) {
      if (at_end() || s_[pos_] != ':') break;
      ++pos_;
      auto part = number();
      if (!part || *part > 59) return std::nullopt;
      total += *part * unit;
    }
    return sign * total;
  }

  bool boundary(TimeZone::RecurringRule::Boundary& b) {
    using Kind = TimeZone::RecurringRule::Boundary::Kind;
    if (at_end()) return false;
    if (s_[pos_] == 'J') {
      ++pos_;
      auto d = number();
      if (!d || *d < 1 || *d > 365) return false;
      b.kind = Kind::kJulianNoLeap;
      b.day = *d;
    } else if (s_[pos_] == 'M') {
      ++pos_;
      auto m = number();
      if (!m || *m < 1 || *m > 12 || at_end() || s_[pos_++] != '.') return false;
      auto w = number();
      if (!w || *w < 1 || *w > 5 || at_end() || s_[pos_++] != '.') return false;
      auto d = number();
      if (!d || *d > 6) return false;
      b.kind = Kind::kMonthWeekDay;
      b.month = *m;
      b.week = *w;
      b.day = *d;
    } else {
      auto d = number();
      if (!d || *d > 365) return false;
      b.kind = Kind::kZeroBasedDay;
      b.day = *d;
    }
    b.local_seconds = 7200;
    if (!at_end() && s_[pos_] == '/') {
      ++pos_;
      auto t = offset(167);
      if (!t) return false;
      b.local_seconds = *t;
    }
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// Days since the epoch of the day a rule boundary falls on in `year`.
int64_t boundary_day(int64_t year, const TimeZone::RecurringRule::Boundary& b) {
  using Kind = TimeZone::RecurringRule::Boundary::Kind;
  int32_t y = static_cast<int32_t>(year);
  switch (b.kind) {
    case Kind::kJulianNoLeap: {
      bool leap = days_in_month(y, 2) == 29;
      return days_from_civil(y, 1, 1) + b.day - 1 + (leap && b.day >= 60 ? 1 : 0);
    }
    case Kind::kZeroBasedDay: return days_from_civil(y, 1, 1) + b.day;
    case Kind::kMonthWeekDay: {
      int64_t first = days_from_civil(y, b.month, 1);
      // 1970-01-01 was a Thursday (4, counting Sunday as 0).
      int64_t weekday_of_first = ((first + 4) % 7 + 7) % 7;
      int64_t day = first + (b.day - weekday_of_first + 7) % 7 + 7 * (b.week - 1);
      int64_t month_end = first + days_in_month(y, b.month);
      while (day >= month_end) day -= 7;
      return day;
    }
  }
  return 0;
}

}  // namespace

// Builds zones from TZif files (RFC 8536). Only the version 2+ body is used, with 64-bit
// transition times; a version 1 file falls back to its 32-bit body.
class TimeZoneLoader {
 public:
  static std::unique_ptr<TimeZone> parse(const std::string& id, std::string_view data) {
    // Big-endian read of `n` bytes at `at`; callers sign-extend by casting.
    auto be = [&](size_t at, size_t n) {
      uint64_t v = 0;
      for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(data[at + i]);
      return v;
    };
    struct Header {
      uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
    };
    auto read_header = [&](size_t at, Header& h) {
      if (data.size() < at + 44 || data.substr(at, 4) != "TZif") return false;
      uint32_t* fields[] = {&h.isutcnt, &h.isstdcnt, &h.leapcnt, &h.timecnt, &h.typecnt, &h.charcnt};
      for (int i = 0; i < 6; ++i) *fields[i] = static_cast<uint32_t>(be(at + 20 + 4 * i, 4));
      return true;
    };
    Header h{};
    if (!read_header(0, h)) return nullptr;
    char version = data[4];
    size_t time_size = 4;
    size_t body = 44;
    auto body_size = [&](const Header& hh, size_t ts) {
      return size_t{hh.timecnt} * ts + hh.timecnt + size_t{hh.typecnt} * 6 + hh.charcnt +
             size_t{hh.leapcnt} * (ts + 4) + hh.isstdcnt + hh.isutcnt;
    };
    if (version >= '2') {
      size_t second = 44 + body_size(h, 4);
      if (!read_header(second, h)) return nullptr;
      time_size = 8;
      body = second + 44;
    }
    if (data.size() < body + body_size(h, time_size) || h.typecnt == 0) return nullptr;
    // Leap-second zones count TAI-like seconds; java.time has no such zones.
    if (h.leapcnt != 0) return nullptr;

    size_t times_at = body;
    size_t indices_at = times_at + h.timecnt * time_size;
    size_t types_at = indices_at + h.timecnt;
    size_t chars_at = types_at + h.typecnt * 6;
    std::string_view chars = data.substr(chars_at, h.charcnt);
    auto type_offset = [&](size_t t) { return static_cast<int32_t>(be(types_at + 6 * t, 4)); };
    auto type_abbreviation = [&](size_t t) {
      size_t idx = static_cast<uint8_t>(data[types_at + 6 * t + 5]);
      if (idx >= chars.size()) return std::string();
      size_t end = chars.find('\0', idx);
      return std::string(chars.substr(idx, end == std::string_view::npos ? end : end - idx));
    };
    auto type_is_dst = [&](size_t t) { return data[types_at + 6 * t + 4] != 0; };

    std::vector<TimeZone::Transition> transitions;
    std::vector<size_t> transition_types;
    transitions.reserve(h.timecnt);
    for (size_t i = 0; i < h.timecnt; ++i) {
      int64_t at = time_size == 8 ? static_cast<int64_t>(be(times_at + 8 * i, 8))
                                  : static_cast<int32_t>(be(times_at + 4 * i, 4));
      size_t type = static_cast<uint8_t>(data[indices_at + i]);
      if (type >= h.typecnt) return nullptr;
      transitions.push_back({at, type_offset(type)});
      transition_types.push_back(type);
    }
    auto zone = std::make_unique<TimeZone>(id, type_offset(0), std::move(transitions));

    std::optional<TimeZone::RecurringRule> rule;
    if (version >= '2') {
      size_t footer = body + body_size(h, time_size);
      if (footer < data.size() && data[footer] == '\n') {
        size_t end = data.find('\n', footer + 1);
        if (end != std::string_view::npos) {
          rule = PosixTzParser(data.substr(footer + 1, end - footer - 1)).parse();
        }
      }
    }
    // java.time names a zone by its present-day standard and daylight names (from CLDR), picked
    // by whether daylight saving is in force, even for eras that used other abbreviations (Paris
    // in 1890 is "CET" to Java, "PMT" to tzdata). The footer's names are the present-day ones.
    auto name_of = [&](size_t type) {
      if (!rule) return type_abbreviation(type);
      return type_is_dst(type) && rule->has_dst ? rule->dst_name : rule->std_name;
    };
    zone->initial_abbreviation_ = name_of(0);
    zone->abbreviations_.reserve(transition_types.size());
    for (size_t type : transition_types) zone->abbreviations_.push_back(name_of(type));
    if (rule && rule->has_dst) {
      zone->has_rule_ = true;
      zone->rule_ = *rule;
    } else if (rule && zone->transitions_.empty()) {
      zone->initial_offset_ = rule->std_offset;
    }
    return zone;
  }
};

TimeZone::TimeZone(std::string id, int32_t fixed_offset)
    : id_(std::move(id)), initial_offset_(fixed_offset) {}

TimeZone::TimeZone(std::string id, int32_t initial_offset, std::vector<Transition> transitions)
    : id_(std::move(id)), initial_offset_(initial_offset), transitions_(std::move(transitions)) {}

void TimeZone::rule_shifts_in_year(int64_t year, Shift* out) const {
  int64_t start =
      boundary_day(year, rule_.dst_start) * kSecondsPerDay + rule_.dst_start.local_seconds - rule_.std_offset;
  int64_t end =
      boundary_day(year, rule_.dst_end) * kSecondsPerDay + rule_.dst_end.local_seconds - rule_.dst_offset;
  out[0] = {start, rule_.dst_offset};
  out[1] = {end, rule_.std_offset};
}

int TimeZone::collect_shifts(int64_t utc_seconds, int32_t* offset_before, Shift* out, int capacity) const {
  const int64_t margin = 2 * kSecondsPerDay;
  int64_t lo = utc_seconds - margin, hi = utc_seconds + margin;
  auto first_after_lo = std::upper_bound(transitions_.begin(), transitions_.end(), lo,
                                         [](int64_t t, const Transition& tr) { return t < tr.utc_seconds; });
  *offset_before =
      first_after_lo == transitions_.begin() ? initial_offset_ : std::prev(first_after_lo)->offset;
  int n = 0;
  for (auto it = first_after_lo; it != transitions_.end() && it->utc_seconds <= hi && n < capacity; ++it) {
    out[n++] = {it->utc_seconds, it->offset};
  }
  int64_t table_end = transitions_.empty() ? INT64_MIN : transitions_.back().utc_seconds;
  if (has_rule_ && hi > table_end) {
    int64_t first_year = civil_from_days(static_cast<int32_t>(floor_div(lo, kSecondsPerDay))).year;
    int64_t last_year = civil_from_days(static_cast<int32_t>(floor_div(hi, kSecondsPerDay))).year;
    // The window spans at most two calendar years; one more on each side covers rules whose
    // shifts fall near the year boundary. No heap allocation: this runs per value on hot paths.
    std::array<Shift, 8> generated;
    size_t count = 0;
    for (int64_t y = first_year - 1; y <= last_year + 1 && count + 2 <= generated.size(); ++y) {
      rule_shifts_in_year(y, &generated[count]);
      count += 2;
    }
    std::sort(generated.begin(), generated.begin() + static_cast<std::ptrdiff_t>(count),
              [](const Shift& a, const Shift& b) { return a.at < b.at; });
    for (size_t k = 0; k < count; ++k) {
      const Shift& s = generated[k];
      if (s.at <= table_end) continue;
      if (s.at <= lo) {
        *offset_before = s.after;
      } else if (s.at <= hi && n < capacity) {
        out[n++] = s;
      }
    }
  }
  return n;
}

int32_t TimeZone::offset_at_utc(int64_t utc_seconds) const {
  if (transitions_.empty() && !has_rule_) return initial_offset_;
  if (!has_rule_ || utc_seconds < transitions_.back().utc_seconds) {
    auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds,
                               [](int64_t t, const Transition& tr) { return t < tr.utc_seconds; });
    return it == transitions_.begin() ? initial_offset_ : std::prev(it)->offset;
  }
  std::array<Shift, 16> shifts;
  int32_t offset = 0;
  int n = collect_shifts(utc_seconds, &offset, shifts.data(), static_cast<int>(shifts.size()));
  for (int i = 0; i < n && shifts[i].at <= utc_seconds; ++i) offset = shifts[i].after;
  return offset;
}

int64_t TimeZone::local_to_utc(int64_t local_seconds) const {
  if (transitions_.empty() && !has_rule_) return local_seconds - initial_offset_;
  std::array<Shift, 16> shifts;
  int32_t current = 0;
  int n = collect_shifts(local_seconds, &current, shifts.data(), static_cast<int>(shifts.size()));
  for (int i = 0; i < n; ++i) {
    int32_t before = current, after = shifts[i].after;
    int64_t earliest_local = shifts[i].at + std::min(before, after);
    int64_t latest_local = shifts[i].at + std::max(before, after);
    if (local_seconds < earliest_local) break;
    // In a gap the wall time does not exist: java.time moves it forward by the gap length, which
    // is the instant the old offset names. In an overlap it keeps the earlier (old) offset.
    if (local_seconds < latest_local) return local_seconds - before;
    current = after;
  }
  return local_seconds - current;
}

std::string TimeZone::abbreviation_at_utc(int64_t utc_seconds) const {
  if (transitions_.empty() && !has_rule_) {
    return initial_abbreviation_.empty() ? id_ : initial_abbreviation_;
  }
  if (has_rule_ && utc_seconds >= transitions_.back().utc_seconds) {
    bool dst = offset_at_utc(utc_seconds) == rule_.dst_offset;
    return dst ? rule_.dst_name : rule_.std_name;
  }
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds,
                             [](int64_t t, const Transition& tr) { return t < tr.utc_seconds; });
  if (it == transitions_.begin()) return initial_abbreviation_;
  return abbreviations_[static_cast<size_t>(std::distance(transitions_.begin(), it)) - 1];
}

namespace {

std::unique_ptr<TimeZone> resolve_zone(const std::string& requested) {
  std::string id = normalize_legacy_offsets(requested);
  auto short_id = java_short_ids().find(id);
  if (short_id != java_short_ids().end()) id = short_id->second;

  if (id.size() <= 1 || id[0] == '+' || id[0] == '-') {
    auto offset = parse_zone_offset(id);
    if (!offset) return nullptr;
    return std::make_unique<TimeZone>(zone_offset_id(*offset), *offset);
  }
  for (std::string_view prefix : {"UTC", "GMT", "UT"}) {
    if (id.rfind(prefix, 0) != 0) continue;
    if (id.size() == prefix.size()) return std::make_unique<TimeZone>(id, 0);
    char next = id[prefix.size()];
    if (next != '+' && next != '-') break;  // "UTCX": treated as a region id below
    auto offset = parse_zone_offset(std::string_view(id).substr(prefix.size()));
    if (!offset) return nullptr;
    std::string name(prefix);
    if (*offset != 0) name += zone_offset_id(*offset);
    return std::make_unique<TimeZone>(name, *offset);
  }
  if (!is_valid_region_id(id)) return nullptr;
  std::string path = zoneinfo_directory() + "/" + id;
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return TimeZoneLoader::parse(id, data);
}

}  // namespace

const TimeZone* TimeZone::find(const std::string& id) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<TimeZone>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(id);
  if (it != cache.end()) return it->second.get();
  auto zone = resolve_zone(id);
  if (zone == nullptr) {
    throw_error(ErrorKind::kIllegalArgument, "INVALID_TIMEZONE",
                "The time zone '" + id +
                    "' is invalid: expected a region id such as 'America/Los_Angeles' or an "
                    "offset such as '+08:00' or 'UTC+8'");
  }
  return cache.emplace(id, std::move(zone)).first->second.get();
}

const TimeZone* TimeZone::utc() {
  static const TimeZone zone("UTC", 0);
  return &zone;
}

const std::string& TimeZone::system_default_id() {
  static const std::string id = [] {
    auto usable = [](const std::string& candidate) {
      if (candidate.empty()) return false;
      try {
        TimeZone::find(candidate);
        return true;
      } catch (const EmberError&) {
        return false;
      }
    };
    auto after_zoneinfo = [](std::string path) {
      size_t at = path.find("zoneinfo/");
      return at == std::string::npos ? path : path.substr(at + 9);
    };
    if (const char* tz = std::getenv("TZ"); tz != nullptr) {
      std::string value = tz;
      if (!value.empty() && value[0] == ':') value.erase(0, 1);
      value = after_zoneinfo(value);
      if (usable(value)) return value;
    }
    char target[4096];
    ssize_t n = ::readlink("/etc/localtime", target, sizeof(target) - 1);
    if (n > 0) {
      std::string value = after_zoneinfo(std::string(target, static_cast<size_t>(n)));
      if (usable(value)) return value;
    }
    std::ifstream timezone_file("/etc/timezone");
    std::string line;
    if (timezone_file && std::getline(timezone_file, line) && usable(line)) return line;
    return std::string("UTC");
  }();
  return id;
}

}  // namespace ember
