#pragma once
// The metrics repository: a Parquet dataset holding every metric of every verification run, keyed
// by run time and tags, so anomaly checks (Check::is_not_anomalous) can compare a run with the
// history and a person can chart a metric over time with any Parquet reader.
//
// Schema: run_time TIMESTAMP, tags STRING ("k1=v1,k2=v2", keys sorted), dataset STRING,
// metric STRING, instance STRING, value DOUBLE. One row per (metric, instance) per run.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ember/api/session.h"
#include "ember/quality/verification.h"

namespace ember {
struct SessionState;
}

namespace ember::quality {

std::string tags_text(const std::map<std::string, std::string>& tags);

// Appends the observed metrics of `result` (with result.tags) to the dataset at `path`, creating
// it on first use. Each append is one atomic Parquet write.
void append_metrics(const Session& session, const std::string& path, const VerificationResult& result);

// The values of (metric, instance) recorded under `tags`, oldest run first; empty when the
// repository does not exist yet.
std::vector<double> metric_history(const std::shared_ptr<SessionState>& session, const std::string& path,
                                   const std::string& metric, const std::string& instance,
                                   const std::map<std::string, std::string>& tags);

// Fills ConstraintResult::history of every constraint with the metric's values in the last
// `last_runs` runs recorded under result.tags (one read of the repository). Call it before
// append_metrics, so the history holds earlier runs only.
void attach_history(const std::shared_ptr<SessionState>& session, const std::string& path,
                    VerificationResult& result, int last_runs = 30);

}  // namespace ember::quality
