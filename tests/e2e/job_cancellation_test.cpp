// Session::cancel_all_jobs (SparkContext.cancelAllJobs; Ctrl-C in `ember sql`) stops a running
// query with SPARK_JOB_CANCELLED and leaves the session usable.
#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;

TEST(JobCancellationTest, CancelAllJobsStopsALongAggregation) {
  Session spark = Session::builder().master("local[2]").get_or_create();
  // 2^36 rows: minutes of work, so the only way this test finishes promptly is the cancellation.
  // The aggregation is blocking, which shows the scans check the flag (not only the output loop).
  DataFrame df = spark.range(0, int64_t{1} << 36).agg(sum(col("id")).alias("s"));

  std::atomic<bool> query_over{false};
  std::atomic<int> cancelled_jobs{0};
  std::thread canceller([&] {
    // Retry until the job is running (cancel_all_jobs only affects jobs already submitted).
    while (!query_over.load() && cancelled_jobs.load() == 0) {
      cancelled_jobs = spark.cancel_all_jobs();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::string error_class;
  try {
    df.collect();
  } catch (const EmberError& e) {
    error_class = e.error_class();
    EXPECT_EQ(e.kind(), ErrorKind::kCancelled);
    EXPECT_NE(std::string(e.what()).find("cancelled"), std::string::npos) << e.what();
  }
  query_over = true;
  canceller.join();
  EXPECT_EQ(error_class, "SPARK_JOB_CANCELLED");
  EXPECT_EQ(cancelled_jobs.load(), 1);

  // The session runs the next query normally: sum(0..99) = 4950.
  auto rows = spark.range(100).agg(sum(col("id"))).collect();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].as_int64(), 4950);
}

}  // namespace
}  // namespace ember
