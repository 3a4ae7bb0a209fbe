#include "ember/quality/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ember/common/error.h"
#include "ember/quality/metric_format.h"
#include "ember/types/json_text.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"

namespace ember::quality {

namespace {

std::string run_time_text(const VerificationResult& r) {
  return format_timestamp(r.run_time_micros, *TimeZone::utc()) + " UTC";
}

// Readers want a few significant digits; JSON and the DataFrame keep the exact value.
std::string value_text(const ConstraintResult& c) { return c.value ? format_readable(*c.value) : "-"; }

std::string pad(std::string s, size_t width) {
  if (s.size() > width) return s.substr(0, width - 3) + "...";
  s.resize(width, ' ');
  return s;
}

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// The metric's earlier runs and this one as an inline SVG line (no external assets), this run's
// point coloured by its status, with the previous value in the tooltip.
std::string sparkline(const std::vector<double>& history, double now, bool passed) {
  std::vector<double> v = history;
  v.push_back(now);
  double lo = *std::min_element(v.begin(), v.end()), hi = *std::max_element(v.begin(), v.end());
  if (!std::isfinite(lo) || !std::isfinite(hi)) return "";
  const double w = 120, h = 22, pad = 3;
  auto x = [&](size_t i) {
    return v.size() == 1 ? w / 2
                         : pad + (w - 2 * pad) * static_cast<double>(i) / static_cast<double>(v.size() - 1);
  };
  auto y = [&](double d) { return hi == lo ? h / 2 : pad + (h - 2 * pad) * (hi - d) / (hi - lo); };
  std::string points;
  char buf[64];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof(buf), "%s%.1f,%.1f", i ? " " : "", x(i), y(v[i]));
    points += buf;
  }
  std::string s = "<div class=\"spark\" title=\"" + std::to_string(history.size()) +
                  " earlier runs; previous " + format_metric(history.back()) +
                  "\"><svg width=\"120\" height=\"22\" viewBox=\"0 0 120 22\">";
  s += "<polyline fill=\"none\" stroke=\"#8c959f\" stroke-width=\"1.5\" points=\"" + points + "\"/>";
  std::snprintf(buf, sizeof(buf), "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x(v.size() - 1),
                y(now), passed ? "#1b7f3b" : "#b3261e");
  s += buf;
  s += "</svg></div>";
  return s;
}

struct Counts {
  int checks = 0, checks_failed = 0, constraints = 0, constraints_failed = 0;
};

Counts count(const VerificationResult& r) {
  Counts n;
  for (const auto& c : r.checks) {
    ++n.checks;
    if (!c.passed) ++n.checks_failed;
    for (const auto& k : c.constraints) {
      ++n.constraints;
      if (!k.passed) ++n.constraints_failed;
    }
  }
  return n;
}

}  // namespace

std::string summary_text(const VerificationResult& result) {
  std::string out;
  // Columns as wide as their longest entry, within bounds that keep a line readable.
  size_t wc = 5, wk = 10;
  for (const auto& c : result.checks) {
    wc = std::max(wc, c.description.size());
    for (const auto& k : c.constraints) wk = std::max(wk, k.constraint.size());
  }
  wc = std::min<size_t>(wc, 28);
  wk = std::min<size_t>(wk, 72);
  const size_t wl = 8, wv = 12;
  out += pad("check", wc) + " " + pad("level", wl) + " " + pad("constraint", wk) + " " + pad("observed", wv) +
         " status\n";
  out += std::string(wc + wl + wk + wv + 10, '-') + "\n";
  for (const auto& c : result.checks) {
    for (const auto& k : c.constraints) {
      out += pad(c.description, wc) + " " + pad(check_level_name(c.level), wl) + " " + pad(k.constraint, wk) +
             " " + pad(value_text(k), wv) + " " + (k.passed ? "PASS" : "FAIL") + "\n";
      if (!k.passed) out += "    " + k.message + "\n";
    }
  }
  Counts n = count(result);
  out += "\n" + std::string(verification_status_name(result.status)) + ": " +
         std::to_string(n.checks - n.checks_failed) + " of " + std::to_string(n.checks) + " checks passed, " +
         std::to_string(n.constraints_failed) + " of " + std::to_string(n.constraints) +
         " constraints failed (" + std::to_string(result.passes) + " passes over the data)\n";
  if (result.bad_records > 0) {
    out += std::to_string(result.bad_records) + " malformed input records were set aside while reading\n";
  }
  return out;
}

std::string to_json(const VerificationResult& result) {
  std::string j = "{\"status\":";
  append_json_string(j, verification_status_name(result.status));
  j += ",\"run_time\":";
  append_json_string(j, run_time_text(result));
  j += ",\"dataset\":";
  append_json_string(j, result.dataset);
  j += ",\"passes\":" + std::to_string(result.passes) +
       ",\"bad_records\":" + std::to_string(result.bad_records) + ",\"checks\":[";
  for (size_t i = 0; i < result.checks.size(); ++i) {
    const auto& c = result.checks[i];
    j += i ? ",\n" : "\n";
    j += "{\"description\":";
    append_json_string(j, c.description);
    j += ",\"level\":";
    append_json_string(j, check_level_name(c.level));
    j += ",\"status\":";
    append_json_string(j, c.passed ? "Success" : "Failure");
    j += ",\"constraints\":[";
    for (size_t k = 0; k < c.constraints.size(); ++k) {
      const auto& r = c.constraints[k];
      j += k ? "," : "";
      j += "{\"constraint\":";
      append_json_string(j, r.constraint);
      j += ",\"metric\":";
      append_json_string(j, r.metric);
      j += ",\"instance\":";
      append_json_string(j, r.instance);
      // JSON has no NaN or infinity: such a value is written as null, as a missing one.
      j += ",\"value\":" +
           (r.value && std::isfinite(*r.value) ? format_metric(*r.value) : std::string("null"));
      j += ",\"assertion\":";
      append_json_string(j, r.assertion);
      j += ",\"status\":";
      append_json_string(j, r.passed ? "Success" : "Failure");
      j += ",\"message\":";
      append_json_string(j, r.message);
      if (!r.history.empty()) {
        j += ",\"history\":[";
        for (size_t h = 0; h < r.history.size(); ++h) {
          j += (h ? "," : "") +
               (std::isfinite(r.history[h]) ? format_metric(r.history[h]) : std::string("null"));
        }
        j += "]";
      }
      j += "}";
    }
    j += "]}";
  }
  j += "\n]}\n";
  return j;
}

std::string to_html(const VerificationResult& result) {
  Counts n = count(result);
  const char* status = verification_status_name(result.status);
  const char* banner = result.status == VerificationStatus::kSuccess   ? "#1b7f3b"
                       : result.status == VerificationStatus::kWarning ? "#a86500"
                                                                       : "#b3261e";
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += "<title>Data quality: " + std::string(status) + "</title>\n<style>\n";
  h += "body{font-family:system-ui,-apple-system,Segoe "
       "UI,Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1f2328}\n"
       "header{color:#fff;padding:20px 32px}header h1{margin:0;font-size:26px}header p{margin:4px 0 "
       "0;opacity:.9}\n"
       "main{padding:16px 32px 40px;max-width:1200px}\n"
       ".cards{display:flex;gap:12px;margin:8px 0 20px}.card{background:#fff;border-radius:8px;padding:12px "
       "18px;"
       "box-shadow:0 1px 2px rgba(0,0,0,.08);min-width:150px}.card b{display:block;font-size:24px}\n"
       "section{background:#fff;border-radius:8px;margin:14px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}\n"
       "section h2{font-size:16px;margin:0;padding:12px 16px;border-bottom:1px solid #e5e7eb}\n"
       "table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:7px 16px;"
       "border-bottom:1px solid #f0f1f3;vertical-align:top}th{color:#57606a;font-weight:600}\n"
       ".pass{color:#1b7f3b;font-weight:600}.fail{color:#b3261e;font-weight:600}\n"
       ".tag{display:inline-block;border-radius:10px;padding:1px "
       "8px;font-size:12px;margin-left:8px;color:#fff}\n"
       ".error{background:#b3261e}.warning{background:#a86500}.ok{background:#1b7f3b}\n"
       ".bar{background:#e5e7eb;border-radius:3px;height:6px;width:120px;margin-top:4px}"
       ".bar i{display:block;height:6px;border-radius:3px}\n"
       ".spark{margin-top:4px}\n"
       "code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}.msg{color:#57606a;font-size:"
       "13px}\n";
  h += "</style></head><body>\n";
  h += "<header style=\"background:" + std::string(banner) + "\"><h1>Data quality: " + status + "</h1><p>" +
       html_escape(result.dataset.empty() ? std::string("DataFrame") : result.dataset) + " &middot; " +
       html_escape(run_time_text(result)) + " &middot; " + std::to_string(result.passes) +
       " passes over the data</p></header>\n<main>\n";
  h += "<div class=\"cards\"><div class=\"card\"><b>" + std::to_string(n.checks - n.checks_failed) + " / " +
       std::to_string(n.checks) + "</b>checks passed</div><div class=\"card\"><b>" +
       std::to_string(n.constraints - n.constraints_failed) + " / " + std::to_string(n.constraints) +
       "</b>constraints passed</div><div class=\"card\"><b class=\"" +
       (n.constraints_failed ? "fail" : "pass") + "\">" + std::to_string(n.constraints_failed) +
       "</b>constraints failed</div>";
  if (result.bad_records > 0) {
    h += "<div class=\"card\"><b class=\"fail\">" + std::to_string(result.bad_records) +
         "</b>malformed records set aside at read</div>";
  }
  h += "</div>\n";

  auto row = [&](const CheckResult& c, const ConstraintResult& k, bool with_check) {
    std::string r = "<tr>";
    if (with_check) {
      r += "<td>" + html_escape(c.description) + "<span class=\"tag " + check_level_name(c.level) + "\">" +
           check_level_name(c.level) + "</span></td>";
    }
    r += "<td><code>" + html_escape(k.constraint) + "</code>";
    // The observed and expected columns already say what the standard message says; show the rest.
    std::string note = k.message;
    const std::string standard =
        "observed " + (k.value ? format_readable(*k.value) : "") + ", expected " + k.assertion;
    if (note.rfind(standard, 0) == 0) note = note.substr(standard.size());
    while (!note.empty() && (note[0] == ';' || note[0] == ' ')) note.erase(0, 1);
    if (!note.empty()) r += "<div class=\"msg\">" + html_escape(note) + "</div>";
    r += "</td><td>" + html_escape(value_text(k));
    // Fractions get a bar, so a reader sees at a glance how far off a completeness is.
    if (k.value && *k.value >= 0 && *k.value <= 1 && k.assertion.find("== 1") != std::string::npos) {
      r += "<div class=\"bar\"><i style=\"width:" + std::to_string(static_cast<int>(*k.value * 100)) +
           "%;background:" + (k.passed ? "#1b7f3b" : "#b3261e") + "\"></i></div>";
    }
    if (!k.history.empty() && k.value) r += sparkline(k.history, *k.value, k.passed);
    r += "</td><td>" + html_escape(k.assertion) + "</td><td class=\"" +
         (k.passed ? "pass\">PASS" : "fail\">FAIL") + "</td></tr>\n";
    return r;
  };

  if (n.constraints_failed > 0) {
    h += "<section><h2>Failing constraints</h2><table><tr><th>check</th><th>constraint</th><th>observed</th>"
         "<th>expected</th><th>status</th></tr>\n";
    // Error-level failures first: they are what fails the job.
    for (CheckLevel level : {CheckLevel::kError, CheckLevel::kWarning}) {
      for (const auto& c : result.checks) {
        if (c.level != level) continue;
        for (const auto& k : c.constraints) {
          if (!k.passed) h += row(c, k, true);
        }
      }
    }
    h += "</table></section>\n";
  }
  for (const auto& c : result.checks) {
    h += "<section><h2>" + html_escape(c.description) + "<span class=\"tag " +
         (c.passed
              ? std::string("ok\">passed")
              : std::string(check_level_name(c.level)) + "\">failed (" + check_level_name(c.level) + ")") +
         "</span></h2><table><tr><th>constraint</th><th>observed</th><th>expected</th><th>status</th></tr>\n";
    for (const auto& k : c.constraints) h += row(c, k, false);
    h += "</table></section>\n";
  }
  h += "</main></body></html>\n";
  return h;
}

DataFrame to_data_frame(const Session& session, const VerificationResult& result) {
  std::vector<std::vector<Value>> rows;
  for (const auto& c : result.checks) {
    for (const auto& k : c.constraints) {
      rows.push_back({Value::string(c.description), Value::string(check_level_name(c.level)),
                      Value::string(c.passed ? "Success" : "Failure"), Value::string(k.constraint),
                      Value::string(k.metric), Value::string(k.instance),
                      k.value ? Value::float64(*k.value) : Value::null(DataType::float64()),
                      Value::string(k.assertion), Value::string(k.passed ? "Success" : "Failure"),
                      Value::string(k.message)});
    }
  }
  return session.create_data_frame(
      rows,
      "check STRING, level STRING, check_status STRING, constraint STRING, metric STRING, "
      "instance STRING, value DOUBLE, assertion STRING, constraint_status STRING, "
      "message STRING");
}

void write_text_file(const std::string& path, const std::string& text) {
  std::error_code ec;
  std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw_error(ErrorKind::kIo, "cannot write report " + path);
}

}  // namespace ember::quality
