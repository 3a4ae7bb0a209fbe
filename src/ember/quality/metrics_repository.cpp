#include "ember/quality/metrics_repository.h"

#include <filesystem>
#include <map>
#include <set>

#include "ember/api/functions.h"
#include "ember/api/reader_writer.h"
#include "ember/api/row.h"

namespace ember::quality {

namespace f = ember::functions;

std::string tags_text(const std::map<std::string, std::string>& tags) {
  std::string s;
  for (const auto& [k, v] : tags) s += (s.empty() ? "" : ",") + k + "=" + v;
  return s;
}

void append_metrics(const Session& session, const std::string& path, const VerificationResult& result) {
  std::vector<std::vector<Value>> rows;
  std::set<std::pair<std::string, std::string>> seen;
  const std::string tags = tags_text(result.tags);
  for (const auto& check : result.checks) {
    for (const auto& c : check.constraints) {
      if (!c.value || !seen.insert({c.metric, c.instance}).second) continue;
      rows.push_back({Value::timestamp(result.run_time_micros), Value::string(tags),
                      Value::string(result.dataset), Value::string(c.metric), Value::string(c.instance),
                      Value::float64(*c.value)});
    }
  }
  if (rows.empty()) return;
  session
      .create_data_frame(rows,
                         "run_time TIMESTAMP, tags STRING, dataset STRING, metric STRING, instance STRING, "
                         "value DOUBLE")
      .coalesce(1)
      .write()
      .mode("append")
      .parquet(path);
}

std::vector<double> metric_history(const std::shared_ptr<SessionState>& session, const std::string& path,
                                   const std::string& metric, const std::string& instance,
                                   const std::map<std::string, std::string>& tags) {
  std::vector<double> history;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return history;
  DataFrame runs = DataFrameReader(session)
                       .parquet(path)
                       .filter(f::col("metric") == f::lit(metric) && f::col("instance") == f::lit(instance) &&
                               f::col("tags") == f::lit(tags_text(tags)))
                       .order_by({f::col("run_time")})
                       .select({"value"});
  for (const Row& r : runs.collect()) {
    if (!r[0].is_null()) history.push_back(r[0].as_double());
  }
  return history;
}

void attach_history(const std::shared_ptr<SessionState>& session, const std::string& path,
                    VerificationResult& result, int last_runs) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return;
  DataFrame runs = DataFrameReader(session)
                       .parquet(path)
                       .filter(f::col("tags") == f::lit(tags_text(result.tags)))
                       .order_by({f::col("run_time")})
                       .select({"metric", "instance", "value"});
  std::map<std::pair<std::string, std::string>, std::vector<double>> by_metric;
  for (const Row& r : runs.collect()) {
    if (r[2].is_null()) continue;
    by_metric[{r[0].as_string(), r[1].as_string()}].push_back(r[2].as_double());
  }
  for (auto& check : result.checks) {
    for (auto& c : check.constraints) {
      auto it = by_metric.find({c.metric, c.instance});
      if (it == by_metric.end()) continue;
      const auto& values = it->second;
      size_t first =
          values.size() > static_cast<size_t>(last_runs) ? values.size() - static_cast<size_t>(last_runs) : 0;
      c.history.assign(values.begin() + static_cast<std::ptrdiff_t>(first), values.end());
    }
  }
}

}  // namespace ember::quality
