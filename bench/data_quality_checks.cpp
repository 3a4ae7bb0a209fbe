// A suite of 20 data-quality constraints over 10M rows, beside a plain count() of the same data:
// what checking costs on top of reading. The data is written once as Parquet (id, customer_id,
// amount, status, email, code) and read back for every run.
//   verify: 20 row-level and aggregate constraints, computed by ONE aggregation (passes=1; the
//           aggregation plan scans the data scans=1 time)
//   scan_all_columns: count(c) of every column, a scan that reads all the data once
//   count:  df.count() of the same Parquet data
//   verify+unique: the same suite plus is_unique(id), which needs one grouped aggregation more
// Usage: data_quality_checks [rows] [runs] [dir] [each]   (threads: local[2]); with "each", also
// the time of every constraint verified alone, to show where the time goes.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <ember/ember.h>
#include <ember/quality/quality.h>

using namespace ember;
using namespace ember::functions;
using namespace ember::quality;

namespace {

Check twenty_constraints() {
  Check c(CheckLevel::kError, "bench");
  c.is_complete("id")
      .is_complete("customer_id")
      .has_completeness("amount", ge(0.9))
      .has_completeness("email", ge(0.9))
      .is_non_negative("amount")
      .is_between("amount", 0, 100000)
      .is_contained_in("status", std::vector<std::string>{"new", "paid", "shipped", "refund"})
      .contains_email("email")
      .is_castable_to("code", "int")
      .has_min("amount", ge(0))
      .has_max("amount", le(100000))
      .has_mean("amount", between(0, 100000))
      .has_stddev("amount", lt(100000))
      .has_sum("amount", gt(0))
      .has_approx_quantile("amount", 0.5, between(0, 100000))
      .has_size(ge(1))
      .has_min("customer_id", ge(0))
      .has_max("customer_id", lt(100000))
      .satisfies(col("amount") >= lit(0) || col("status") == lit("refund"), "no negative sales")
      .satisfies(col("customer_id") < col("id") + lit(100000), "customer below id");
  return c;
}

template <class F>
double best_of(int runs, F&& f) {
  double best = 1e100;
  for (int r = 0; r < runs; ++r) {
    auto start = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 10'000'000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  const std::string dir = argc > 3 ? argv[3] : "/tmp/ember_bench_dq_" + std::to_string(n);
  auto spark = Session::builder().master("local[2]").get_or_create();
  spark.conf().set("spark.ui.showConsoleProgress", "false");
  if (!std::filesystem::exists(std::filesystem::path(dir) / "_SUCCESS")) {
    spark.range(n)
        .select(
            col("id"), (col("id") % 99991).alias("customer_id"),
            when(col("id") % 50 == 0, lit(Value::null(DataType::float64())))
                .otherwise(((col("id") * 7919) % 10000000).cast("double") / lit(100.0))
                .alias("amount"),
            when(col("id") % 7 == 0, lit("paid"))
                .when(col("id") % 11 == 0, lit("lost"))
                .otherwise(lit("new"))
                .alias("status"),
            concat({lit("user"), (col("id") % 1000).cast("string"), lit("@mail.example.com")}).alias("email"),
            (col("id") % 100000).cast("string").alias("code"))
        .write()
        .mode("overwrite")
        .parquet(dir);
  }
  DataFrame data = spark.read().parquet(dir);
  const std::vector<Check> suite{twenty_constraints()};

  int64_t rows = 0;
  double count_s = best_of(runs, [&] { rows = data.count(); });
  // A scan that reads every column once: count(c) of each.
  std::vector<Column> every_column;
  for (const auto& name : data.columns()) every_column.push_back(count(col(name)));
  double scan_s = best_of(runs, [&] { data.agg(every_column).collect(); });
  VerificationResult result;
  VerifyOptions options;
  options.explain = true;
  double verify_s = best_of(runs, [&] { result = verify(data, suite, options); });
  // The scans in the physical plans of the suite's jobs.
  int scans = 0;
  for (const auto& plan : result.plans) scans += count_of(plan, "FileScan parquet");
  std::vector<Check> with_unique{twenty_constraints().is_unique("id")};
  VerificationResult unique_result;
  double unique_s = best_of(runs, [&] { unique_result = verify(data, with_unique); });

  std::printf("peer=ember task=dq_count seconds=%.4f rows=%lld threads=2\n", count_s,
              static_cast<long long>(rows));
  std::printf("peer=ember task=dq_scan_all_columns seconds=%.4f rows=%lld threads=2\n", scan_s,
              static_cast<long long>(rows));
  std::printf(
      "peer=ember task=dq_verify20 seconds=%.4f rows=%lld constraints=20 passes=%d scans=%d status=%s "
      "ratio_to_count=%.2f ratio_to_scan=%.2f threads=2\n",
      verify_s, static_cast<long long>(rows), result.passes, scans, verification_status_name(result.status),
      verify_s / count_s, verify_s / scan_s);
  std::printf(
      "peer=ember task=dq_verify20_unique seconds=%.4f rows=%lld constraints=21 passes=%d "
      "ratio_to_count=%.2f "
      "threads=2\n",
      unique_s, static_cast<long long>(rows), unique_result.passes, unique_s / count_s);
  if (argc > 4 && std::string(argv[4]) == "each") {
    const Check all = twenty_constraints();
    for (const Constraint& c : all.constraints()) {
      Check one(CheckLevel::kError, "one");
      one.add(c);
      double s = best_of(runs, [&] { verify(data, {one}); });
      std::printf("peer=ember task=dq_one seconds=%.4f constraint=\"%s\"\n", s, c.description().c_str());
    }
  }
  return 0;
}
