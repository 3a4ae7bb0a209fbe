#pragma once
// Reports of a verification run: a printable summary table, JSON, a self-contained HTML page (no
// external assets: styles inline, no scripts), and a DataFrame with one row per constraint.
#include <string>

#include "ember/api/dataframe.h"
#include "ember/api/session.h"
#include "ember/quality/verification.h"

namespace ember::quality {

// A fixed-width table: check, level, constraint, observed value, status, and a final verdict line.
std::string summary_text(const VerificationResult& result);

// {"status": "...", "run_time": "...", "dataset": "...", "passes": N, "checks": [{"description",
// "level", "status", "constraints": [{"constraint", "metric", "instance", "value", "assertion",
// "status", "message"}]}]}. A missing value is null.
std::string to_json(const VerificationResult& result);

// The report as one HTML page: verdict banner, counts, failing constraints first, every check.
std::string to_html(const VerificationResult& result);

// One row per constraint: check STRING, level STRING, check_status STRING, constraint STRING,
// metric STRING, instance STRING, value DOUBLE, assertion STRING, constraint_status STRING,
// message STRING.
DataFrame to_data_frame(const Session& session, const VerificationResult& result);

// Writes `text` to `path`, creating parent directories; throws kIo naming the path.
void write_text_file(const std::string& path, const std::string& text);

}  // namespace ember::quality
