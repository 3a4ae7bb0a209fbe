// ember_sqllogictest: runs sqllogictest files (tests/sql/**/*.test) against ember's Session::sql.
//
// Records are separated by blank lines; '#' starts a comment line.
//   statement ok                      the SQL (following lines) runs without error
//   statement error <text>            the SQL fails with an error whose message contains <text>
//   query <types> [nosort|rowsort|valuesort]
//   <SQL>
//   ----
//   <expected rows: one per line, values separated by tabs>
//   hash-threshold <n>                results with more than n values are compared by MD5
// <types> has one letter per column: I integer, R real (printed with 3 decimals), T text.
// NULL prints as NULL, an empty string as (empty), booleans as true/false. A result block of the
// form "<n> values hashing to <md5>" compares the MD5 of every value followed by a newline.
//
//   explain [not] contains|matches [parsed|analyzed|optimized|physical|executed]
//   <SQL>
//   ----
//   <patterns: one per line>
//                                     checks the plan of the query instead of its rows: the runner
//                                     runs EXPLAIN EXTENDED <SQL> (or the SQL as written when it
//                                     already starts with EXPLAIN, e.g. EXPLAIN COST), optionally
//                                     keeps one '== ... ==' section of the output (default: all of
//                                     it), and removes expression ids ('#12') from the plan and the
//                                     patterns, so lines can be pasted from a plan. 'contains': every
//                                     pattern is a substring of the plan; 'matches': every pattern is
//                                     an ECMAScript regex found in the plan; with 'not', no pattern
//                                     occurs. On failure the plan is printed. Example:
//                                       explain contains optimized
//                                       SELECT * FROM t WHERE a > 1 AND a > 1
//                                       ----
//                                       Filter (a > 1)
//                                     'executed' runs the query first and checks the physical plan
//                                     it ran (with adaptive execution: "AdaptiveSparkPlan
//                                     isFinalPlan=true", the final and the initial plan).
//
// __TEST_DIR__ in SQL stands for the directory of the .test file (for data files beside it);
// __TEMP_DIR__ (in SQL and expected rows) for a fresh scratch directory of the file's own (e.g. a
// spark.sql.warehouse.dir for CREATE TABLE), removed when the file is done.
//
// Usage: ember_sqllogictest FILE...   (exit status 1 when any record fails)
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "ember/ember.h"

namespace {

using ember::Value;

struct Record {
  int line = 0;
  std::string kind;  // "statement", "query" or "explain"
  std::vector<std::string> header;
  std::string sql;
  std::vector<std::string> expected;
  bool has_expected = false;
};

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string render(const Value& v, char type) {
  if (v.is_null()) return "NULL";
  const ember::DataType& t = v.type();
  if (type == 'R') {
    double d = t.is_integral()   ? static_cast<double>(v.as_int64())
               : t.is_floating() ? v.as_double()
                                 : std::strtod(v.to_string().c_str(), nullptr);
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.3f", d);
    std::string s = buf;
    return s == "-0.000" ? "0.000" : s;
  }
  if (type == 'I' && t.is_floating()) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.0f", std::trunc(v.as_double()));
    return buf;
  }
  std::string s = v.to_string();
  return s.empty() ? "(empty)" : s;
}

class Runner {
 public:
  // A session of its own per file, so views never leak from one file into the next.
  Runner()
      : spark_(ember::Session::builder()
                   .master("local[2]")
                   .config("spark.sql.shuffle.partitions", "2")
                   // Every optimizer rule application is checked (plan_validation.h).
                   .config("spark.sql.planChangeValidation", "true")
                   .get_or_create()
                   .new_session()) {}

  int run_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
      std::cerr << path << ": cannot open\n";
      return 1;
    }
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) {
      if (!l.empty() && l.back() == '\r') l.pop_back();
      lines.push_back(l);
    }
    const size_t slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    static int files_run = 0;
    const std::filesystem::path temp_dir =
        std::filesystem::temp_directory_path() /
        ("ember_slt_" + std::to_string(::getpid()) + "_" + std::to_string(++files_run));
    std::filesystem::remove_all(temp_dir);
    std::filesystem::create_directories(temp_dir);
    struct RemoveAtEnd {
      std::filesystem::path p;
      ~RemoveAtEnd() {
        std::error_code ec;
        std::filesystem::remove_all(p, ec);
      }
    } remove_at_end{temp_dir};
    int failures = 0, records = 0;
    size_t i = 0;
    while (i < lines.size()) {
      const std::string& l = lines[i];
      if (l.empty() || l[0] == '#') {
        ++i;
        continue;
      }
      std::vector<std::string> words = split_words(l);
      if (words[0] == "hash-threshold") {
        hash_threshold_ = words.size() > 1 ? std::stoi(words[1]) : 0;
        ++i;
        continue;
      }
      if (words[0] == "halt") break;
      Record r;
      r.line = static_cast<int>(i + 1);
      r.kind = words[0];
      r.header = words;
      ++i;
      if (r.kind != "statement" && r.kind != "query" && r.kind != "explain") {
        std::cerr << path << ":" << r.line << ": unknown record '" << l << "'\n";
        return 1;
      }
      while (i < lines.size() && !lines[i].empty() && lines[i] != "----")
        r.sql += (r.sql.empty() ? "" : "\n") + lines[i++];
      for (size_t at; (at = r.sql.find("__TEST_DIR__")) != std::string::npos;) r.sql.replace(at, 12, dir);
      for (size_t at; (at = r.sql.find("__TEMP_DIR__")) != std::string::npos;)
        r.sql.replace(at, 12, temp_dir.string());
      if (i < lines.size() && lines[i] == "----") {
        r.has_expected = true;
        ++i;
        while (i < lines.size() && !lines[i].empty()) r.expected.push_back(lines[i++]);
        for (auto& e : r.expected) {
          for (size_t at; (at = e.find("__TEMP_DIR__")) != std::string::npos;)
            e.replace(at, 12, temp_dir.string());
        }
      }
      ++records;
      std::string problem = run_record(r);
      if (!problem.empty()) {
        ++failures;
        std::cerr << path << ":" << r.line << ": FAILED\n" << r.sql << "\n" << problem << "\n\n";
      }
    }
    std::cout << path << ": " << records - failures << " of " << records << " records passed\n";
    return failures == 0 ? 0 : 1;
  }

 private:
  // Removes expression ids ('#12', '#12L') so plans compare independently of id allocation.
  static std::string strip_ids(const std::string& text) {
    static const std::regex ids("#[0-9]+L?");
    return std::regex_replace(text, ids, "");
  }

  // The '== <name> ...==' section of EXPLAIN output whose title starts with `name`
  // (case-insensitive), or the whole text when `name` is empty.
  static std::string plan_section(const std::string& text, const std::string& name, bool* found) {
    *found = name.empty();
    if (name.empty()) return text;
    auto lower = [](std::string s) {
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    std::istringstream in(text);
    std::string out;
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("== ", 0) == 0) {
        inside = lower(line.substr(3)).rfind(lower(name), 0) == 0;
        *found = *found || inside;
        continue;
      }
      if (inside) out += line + "\n";
    }
    return out;
  }

  std::string run_explain(const Record& r) {
    // explain [not] contains|matches [section]
    size_t w = 1;
    const bool negate = r.header.size() > w && r.header[w] == "not";
    if (negate) ++w;
    const std::string mode = r.header.size() > w ? r.header[w] : "";
    if (mode != "contains" && mode != "matches")
      return "explain records read 'explain [not] contains|matches [section]'";
    const std::string section = r.header.size() > w + 1 ? r.header[w + 1] : "";
    if (!r.has_expected || r.expected.empty())
      return "an explain record needs '----' and at least one pattern";
    std::string sql = r.sql;
    const size_t start = sql.find_first_not_of(" \t\n");
    std::string head = sql.substr(start == std::string::npos ? 0 : start, 7);
    for (char& c : head) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (head != "EXPLAIN") sql = "EXPLAIN EXTENDED " + sql;
    std::string text;
    if (section == "executed") {
      try {
        ember::DataFrame df = spark_.sql(r.sql);
        df.collect();
        text = df.explain_string(false);
      } catch (const std::exception& e) {
        return std::string("unexpected error: ") + e.what();
      }
    }
    try {
      std::vector<ember::Row> rows =
          section == "executed" ? std::vector<ember::Row>{} : spark_.sql(sql).collect();
      for (const auto& row : rows)
        for (const auto& v : row.values()) text += (v.is_null() ? "NULL" : v.to_string()) + "\n";
    } catch (const std::exception& e) {
      return std::string("unexpected error: ") + e.what();
    }
    bool found = false;
    const std::string plan =
        strip_ids(plan_section(text, section == "executed" ? "physical" : section, &found));
    if (!found) return "the EXPLAIN output has no '== " + section + " ...' section:\n" + text;
    std::string problems;
    for (const auto& pattern_line : r.expected) {
      const std::string pattern = strip_ids(pattern_line);
      bool occurs = false;
      if (mode == "contains") {
        occurs = plan.find(pattern) != std::string::npos;
      } else {
        try {
          occurs = std::regex_search(plan, std::regex(pattern));
        } catch (const std::regex_error& e) {
          return "bad regex '" + pattern + "': " + e.what();
        }
      }
      if (occurs == negate) problems += std::string(negate ? "  occurs: " : "  missing: ") + pattern + "\n";
    }
    if (problems.empty()) return "";
    return "plan" + (section.empty() ? std::string() : " (" + section + ")") + " check failed:\n" + problems +
           "plan (expression ids removed):\n" + plan;
  }

  std::string run_record(const Record& r) {
    if (r.kind == "explain") return run_explain(r);
    if (r.kind == "statement") {
      const bool expect_error = r.header.size() > 1 && r.header[1] == "error";
      std::string wanted;
      for (size_t w = 2; w < r.header.size(); ++w) wanted += (w > 2 ? " " : "") + r.header[w];
      try {
        spark_.sql(r.sql).collect();
      } catch (const std::exception& e) {
        if (!expect_error) return std::string("unexpected error: ") + e.what();
        if (std::string(e.what()).find(wanted) == std::string::npos) {
          return "error message\n  " + std::string(e.what()) + "\ndoes not contain\n  " + wanted;
        }
        return "";
      }
      return expect_error ? "expected an error containing '" + wanted + "', but the statement succeeded" : "";
    }
    const std::string types = r.header.size() > 1 ? r.header[1] : "";
    const std::string sort = r.header.size() > 2 ? r.header[2] : "nosort";
    std::vector<ember::Row> rows;
    try {
      rows = spark_.sql(r.sql).collect();
    } catch (const std::exception& e) {
      return std::string("unexpected error: ") + e.what();
    }
    std::vector<std::vector<std::string>> table;
    for (const auto& row : rows) {
      if (row.values().size() != types.size()) {
        return "the query returns " + std::to_string(row.values().size()) +
               " columns but the record declares " + std::to_string(types.size()) + " ('" + types + "')";
      }
      std::vector<std::string> cells;
      for (size_t c = 0; c < row.values().size(); ++c) cells.push_back(render(row.values()[c], types[c]));
      table.push_back(std::move(cells));
    }
    std::vector<std::string> actual;
    if (sort == "valuesort") {
      std::vector<std::string> values;
      for (const auto& row : table) values.insert(values.end(), row.begin(), row.end());
      std::sort(values.begin(), values.end());
      // Values go back into rows of the declared width, in sorted order.
      for (size_t v = 0; v < values.size(); v += std::max<size_t>(types.size(), 1)) {
        std::string line;
        for (size_t c = 0; c < types.size() && v + c < values.size(); ++c)
          line += (c ? "\t" : "") + values[v + c];
        actual.push_back(line);
      }
    } else {
      if (sort == "rowsort") {
        std::sort(table.begin(), table.end());
      } else if (sort != "nosort") {
        return "unknown sort mode '" + sort + "'";
      }
      for (const auto& row : table) {
        std::string line;
        for (size_t c = 0; c < row.size(); ++c) line += (c ? "\t" : "") + row[c];
        actual.push_back(line);
      }
    }
    const size_t num_values = table.size() * types.size();
    const bool hashed_expected =
        r.expected.size() == 1 && r.expected[0].find(" values hashing to ") != std::string::npos;
    if (hashed_expected || (hash_threshold_ > 0 && num_values > static_cast<size_t>(hash_threshold_))) {
      std::string all;
      for (const auto& line : actual) {
        std::istringstream cells(line);
        for (std::string cell; std::getline(cells, cell, '\t');) all += cell + "\n";
      }
      std::string digest = spark_.create_data_frame({{Value::string(all)}}, "s STRING")
                               .select(ember::functions::md5(ember::functions::col("s")))
                               .first()[0]
                               .as_string();
      actual = {std::to_string(num_values) + " values hashing to " + digest};
    }
    if (actual == r.expected) return "";
    std::string msg = "expected:\n";
    for (const auto& e : r.expected) msg += "  " + e + "\n";
    msg += "actual:\n";
    for (const auto& a : actual) msg += "  " + a + "\n";
    return msg;
  }

  ember::Session spark_;
  int hash_threshold_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: ember_sqllogictest FILE...\n";
    return 2;
  }
  int status = 0;
  for (int a = 1; a < argc; ++a) {
    Runner runner;  // each file starts from a fresh set of views
    status |= runner.run_file(argv[a]);
  }
  return status;
}
