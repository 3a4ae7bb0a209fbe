#include "ember/quality/profile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "ember/api/functions.h"
#include "ember/api/row.h"
#include "ember/quality/metric_format.h"

namespace ember::quality {

namespace f = ember::functions;

namespace {

bool profiled(const DataType& t) {
  switch (t.id()) {
    case TypeId::kArray:
    case TypeId::kNull:
    case TypeId::kBinary: return false;
    default:
      return t.is_numeric() || t.id() == TypeId::kString || t.id() == TypeId::kBoolean ||
             t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp;
  }
}

// Marks a null in the exploded histogram values; no data value starts with this byte pair.
constexpr const char* kNullMark = "\x1e\x1e";
constexpr const char* kSep = "\x1f";

}  // namespace

DataProfile profile(const DataFrame& df) {
  DataProfile p;
  Schema schema = df.schema();
  std::vector<Column> aggs{f::count("*")};
  struct Slots {
    size_t count = 0, distinct = 0, min = 0, max = 0, mean = 0, stddev = 0, as_int = 0, as_double = 0,
           as_date = 0;
  };
  std::vector<Slots> slots;
  std::vector<size_t> columns;  // schema index of each profiled column
  auto add = [&](const Column& c) {
    aggs.push_back(c.alias("p" + std::to_string(aggs.size())));
    return aggs.size() - 1;
  };
  for (size_t i = 0; i < schema.size(); ++i) {
    const Field& field = schema.field(i);
    if (!profiled(field.type)) continue;
    Column c = f::col(field.name);
    Slots s;
    s.count = add(f::count(c));
    s.distinct = add(f::approx_count_distinct(c, 0.01));
    s.min = add(f::min(c));
    s.max = add(f::max(c));
    if (field.type.is_numeric()) {
      s.mean = add(f::avg(c.cast("double")));
      s.stddev = add(f::stddev_pop(c.cast("double")));
    }
    if (field.type.id() == TypeId::kString) {
      s.as_int = add(f::count_if(c.try_cast("int").is_not_null()));
      s.as_double = add(f::count_if(c.try_cast("double").is_not_null()));
      s.as_date = add(f::count_if(c.try_cast("date").is_not_null()));
    }
    slots.push_back(s);
    columns.push_back(i);
  }
  std::vector<Row> rows = df.agg(aggs).collect();
  ++p.passes;
  const auto& v = rows.at(0).values();
  p.rows = v[0].as_int64();
  std::vector<size_t> low_cardinality;
  for (size_t k = 0; k < columns.size(); ++k) {
    const Field& field = schema.field(columns[k]);
    const Slots& s = slots[k];
    ColumnProfile cp;
    cp.name = field.name;
    cp.type = field.type.simple_string();
    cp.non_null = v[s.count].as_int64();
    cp.completeness = p.rows == 0 ? 1.0 : static_cast<double>(cp.non_null) / static_cast<double>(p.rows);
    cp.approx_distinct = v[s.distinct].as_int64();
    if (!v[s.min].is_null()) cp.min = v[s.min].to_string();
    if (!v[s.max].is_null()) cp.max = v[s.max].to_string();
    if (s.mean) cp.mean = metric_value(v[s.mean]);
    if (s.stddev) cp.stddev = metric_value(v[s.stddev]);
    if (s.as_int && cp.non_null > 0) {
      auto frac = [&](size_t i) {
        return static_cast<double>(v[i].as_int64()) / static_cast<double>(cp.non_null);
      };
      cp.castable_int = frac(s.as_int);
      cp.castable_double = frac(s.as_double);
      cp.castable_date = frac(s.as_date);
    }
    if (cp.approx_distinct <= kHistogramMaxDistinct && p.rows > 0)
      low_cardinality.push_back(p.columns.size());
    p.columns.push_back(std::move(cp));
  }

  // Histograms of every low-cardinality column in one pass: each row becomes one tagged value per
  // such column ("<k>\x1f<value>"), exploded and counted.
  if (!low_cardinality.empty()) {
    std::vector<ColumnOrName> tagged;
    for (size_t k : low_cardinality) {
      Column value = f::coalesce({f::col(p.columns[k].name).cast("string"), f::lit(kNullMark)});
      tagged.push_back(f::concat({f::lit(std::to_string(k) + kSep), value}));
    }
    std::vector<Row> counts = df.select({f::explode(f::array(tagged)).alias("v")})
                                  .group_by("v")
                                  .agg({f::count("*").alias("n")})
                                  .collect();
    ++p.passes;
    for (const Row& r : counts) {
      const std::string& text = r[0].as_string();
      size_t sep = text.find(kSep[0]);
      size_t k = std::stoul(text.substr(0, sep));
      std::string value = text.substr(sep + 1);
      if (value == kNullMark) value = "NULL";
      p.columns[k].histogram.emplace_back(value, r[1].as_int64());
    }
    for (size_t k : low_cardinality) {
      auto& h = p.columns[k].histogram;
      std::sort(h.begin(), h.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
    }
  }
  return p;
}

std::string profile_text(const DataProfile& p) {
  std::string out = std::to_string(p.rows) + " rows, " + std::to_string(p.columns.size()) +
                    " columns profiled (" + std::to_string(p.passes) + " passes over the data)\n";
  auto pct = [](double x) {
    char b[32];
    std::snprintf(b, sizeof(b), "%.2f%%", x * 100);
    return std::string(b);
  };
  for (const auto& c : p.columns) {
    out += "\n" + c.name + " (" + c.type + ")\n";
    out +=
        "  completeness   " + pct(c.completeness) + " (" + std::to_string(p.rows - c.non_null) + " nulls)\n";
    out += "  distinct       ~" + std::to_string(c.approx_distinct) + "\n";
    if (c.min) out += "  min / max      " + *c.min + " / " + c.max.value_or("") + "\n";
    if (c.mean)
      out += "  mean / stddev  " + format_readable(*c.mean) + " / " +
             format_readable(c.stddev.value_or(NAN)) + "\n";
    if (c.castable_int) {
      out += "  castable       int " + pct(*c.castable_int) + ", double " + pct(*c.castable_double) +
             ", date " + pct(*c.castable_date) + "\n";
    }
    if (!c.histogram.empty()) {
      out += "  values        ";
      for (const auto& [value, n] : c.histogram) out += " " + value + " (" + std::to_string(n) + ")";
      out += "\n";
    }
  }
  return out;
}

Check suggest_checks(const DataProfile& p, const std::string& description) {
  Check check(CheckLevel::kWarning, description);
  if (p.rows > 0) check.has_size(ge(static_cast<double>(p.rows)));
  for (const auto& c : p.columns) {
    if (c.non_null == p.rows) {
      check.is_complete(c.name);
    } else if (c.completeness > 0) {
      check.has_completeness(c.name, ge(std::floor(c.completeness * 100) / 100));
    }
    // The distinct count is an estimate (HyperLogLog++ at 1% relative error): a column whose
    // estimate comes within 3% of the row count is proposed as unique; verify() then decides
    // exactly, so a nearly unique column shows up as a failing suggestion rather than a missing one.
    if (c.non_null == p.rows && p.rows > 1 &&
        static_cast<double>(c.approx_distinct) >= 0.97 * static_cast<double>(p.rows) && c.type != "double" &&
        c.type != "float") {
      check.is_unique(c.name);
    }
    if (c.mean && c.min && c.max) {
      double lo = std::strtod(c.min->c_str(), nullptr), hi = std::strtod(c.max->c_str(), nullptr);
      if (lo >= 0) check.is_non_negative(c.name);
      check.has_min(c.name, ge(lo)).has_max(c.name, le(hi));
    }
    if (c.type == "string" && !c.histogram.empty()) {
      std::vector<std::string> values;
      for (const auto& [value, n] : c.histogram) {
        if (value != "NULL") values.push_back(value);
      }
      check.is_contained_in(c.name, values);
    }
    if (c.castable_int && *c.castable_int == 1) {
      check.is_castable_to(c.name, "int");
    } else if (c.castable_double && *c.castable_double == 1) {
      check.is_castable_to(c.name, "double");
    } else if (c.castable_date && *c.castable_date == 1) {
      check.is_castable_to(c.name, "date");
    }
  }
  return check;
}

}  // namespace ember::quality
