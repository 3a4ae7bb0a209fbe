// Workshop Exercise 4 — data quality, "distributed validation, production monitoring": two daily
// batches of orders arrive as CSV. Each is read with badRecordsPath (malformed lines are set aside
// with their file, line and reason), validated row by row (bad rows go to a quarantine, good ones
// on), and verified as a whole: a broken primary key is an error that stops the batch from being
// published, a drop in volume is flagged against the history kept in a metrics repository, and
// every run leaves a JSON and an HTML report. Run from the repository root:
// ./build/exercise4_data_quality
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <ember/ember.h>
#include <ember/quality/metrics_repository.h>
#include <ember/quality/quality.h>

#include "ember/api/sample_data.h"

using namespace ember;
using namespace ember::functions;
using namespace ember::quality;

namespace {

const char* kOut = "out/exercise4";

// Day 1: 10,000 orders of data/sales.csv (its dirty values included, its repeated order ids left
// out) and two malformed lines. Day 2: the next 4,000 orders, four of them sent twice (a broken
// primary key), and one malformed line.
void write_batches() {
  std::ifstream in("data/sales.csv");
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> lines;
  std::set<std::string> ids;
  while (std::getline(in, line)) {
    if (ids.insert(line.substr(0, line.find(','))).second) lines.push_back(line);
  }
  std::filesystem::create_directories("data/incoming");
  std::ofstream day1("data/incoming/orders_day1.csv"), day2("data/incoming/orders_day2.csv");
  day1 << header << "\n";
  for (size_t i = 0; i < 10000; ++i) {
    day1 << lines[i] << "\n";
    if (i == 4000) day1 << "900001,12,Mouse,Accessories,East,two,26.28,52.56,2024-06-28,completed\n";
    if (i == 7000) day1 << "900002,12,Mouse,Accessories,East,2,26.28\n";
  }
  day2 << header << "\n";
  for (size_t i = 10000; i < 14000; ++i) {
    day2 << lines[i] << "\n";
    if (i % 1000 == 0) day2 << lines[i] << "\n";  // sent twice
    if (i == 12000) day2 << "900003,12,Mouse,Accessories,East,2,26.28,52.56,2024-13-45,completed\n";
  }
}

// Row-level rules (reported, and what quarantines a row), batch-level rules (an error stops the
// batch) and trends (reported).
std::vector<Check> suite(const DataFrame& customers, const std::string& metrics) {
  Check rows(CheckLevel::kWarning, "order rows");
  rows.is_complete("order_id")
      .is_complete("amount")
      .is_non_negative("amount")
      .is_contained_in("region", std::vector<std::string>{"North", "South", "East", "West", "Central"})
      .is_contained_in("status", std::vector<std::string>{"completed", "pending", "cancelled"})
      .is_contained_in_reference("customer_id", customers, "customer_id")
      // A row rule in Spark SQL, named for the reports.
      .satisfies("abs(amount - quantity * unit_price) < 0.01", eq(1), "amount = quantity * unit_price");
  Check batch(CheckLevel::kError, "order batch");
  batch.is_primary_key({"order_id"}).has_size(ge(1000));
  Check trends(CheckLevel::kWarning, "order trends");
  trends.has_completeness("amount", ge(0.95))
      .has_mean("amount", between(10, 5000))
      .is_not_anomalous("Size", "", metrics, relative_change(0.5, 1.0));
  return {rows, batch, trends};
}

}  // namespace

int main() {
  try {
    if (!std::filesystem::exists("data/sales.csv")) sample::write_workshop_data("data");
    std::filesystem::remove_all(kOut);
    write_batches();
    auto spark = Session::builder().app_name("data-quality").master("local[2]").get_or_create();
    const std::string out = kOut;
    auto customers =
        spark.read().option("header", "true").option("inferSchema", "true").csv("data/customers.csv");
    const std::vector<Check> checks = suite(customers, out + "/metrics");

    bool day2_rejected = false;
    for (int day = 1; day <= 2; ++day) {
      const std::string name = "orders_day" + std::to_string(day);
      std::cout << "\n=== " << name << " ===\n";
      // Malformed lines go to JSON files under badRecordsPath and are left out of the batch.
      auto incoming =
          spark.read()
              .option("header", "true")
              .option("badRecordsPath", out + "/bad_records")
              .schema(
                  "order_id INT, customer_id INT, product STRING, category STRING, region STRING, "
                  "quantity INT, unit_price DOUBLE, amount DOUBLE, order_date DATE, status STRING")
              .csv("data/incoming/" + name + ".csv")
              .cache();
      std::cout << incoming.count() << " well-formed rows, " << incoming.last_metrics().bad_records
                << " malformed lines written under " << out << "/bad_records\n";

      // Batch-level verdict first: a broken key means the batch is not published at all.
      VerifyOptions options;
      options.dataset = "data/incoming/" + name + ".csv";
      options.tags = {{"feed", "orders"}};
      VerificationResult result = verify(incoming, checks, options);
      std::cout << summary_text(result);
      attach_history(spark.state(), out + "/metrics", result);  // the HTML report draws each metric's trend
      write_text_file(out + "/reports/" + name + ".json", to_json(result));
      write_text_file(out + "/reports/" + name + ".html", to_html(result));
      append_metrics(spark, out + "/metrics", result);  // history for tomorrow's anomaly checks

      if (result.failed()) {  // an error-level check failed: the primary key or the size
        std::cout << name << " REJECTED: the batch checks failed (see " << out << "/reports/" << name
                  << ".html); nothing is published\n";
        day2_rejected = day == 2;
        continue;
      }
      // Row-level split: bad rows to the quarantine with the rules they broke, good rows on.
      // The row rules and the key quarantine rows; the trends tolerate some.
      ValidationResult v = validate(incoming, {checks[0], checks[1]});
      v.invalid.write().mode("append").parquet(out + "/quarantine");  // with _failed_checks ARRAY<STRING>
      v.valid.write().mode("append").parquet(out + "/orders");
      std::cout << name << " published: " << v.valid.count() << " rows to " << out << "/orders, "
                << v.invalid.count() << " quarantined to " << out << "/quarantine\n";
    }

    // What the quarantine holds, by broken rule.
    std::cout << "\nQuarantine by failed check:\n";
    spark.read()
        .parquet(out + "/quarantine")
        .select(explode(col("_failed_checks")).alias("failed_check"))
        .group_by("failed_check")
        .agg(count("*").alias("rows"))
        .order_by(col("rows").desc())
        .show(20, false);
    std::cout << "Metrics history (" << out << "/metrics):\n";
    spark.read()
        .parquet(out + "/metrics")
        .filter(col("metric") == "Size")
        .select("run_time", "dataset", "value")
        .show(20, false);
    if (!day2_rejected) {
      std::cerr << "expected day 2 to be rejected for its duplicate order ids\n";
      return 1;
    }
  } catch (const EmberError& e) {
    std::cerr << error_kind_name(e.kind()) << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
