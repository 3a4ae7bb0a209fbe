#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "ember/runtime/executor_backend.h"
#include "ember/runtime/progress_bar.h"
#include "ember/runtime/scheduler.h"
#include "ember/runtime/shuffle/local_shuffle_manager.h"

namespace ember {
namespace {

TEST(ProgressBarFormatTest, MatchesSparkLayout) {
  // Spark: header "[Stage 2:", tail "(5 + 2) / 12]", bar width 80 - 9 - 13 = 58, 58 * 5 / 12 = 24
  // '=' then '>' then blanks.
  std::string line = format_progress_line(2, 12, 5, 2, 80);
  EXPECT_EQ(line, "[Stage 2:" + std::string(24, '=') + ">" + std::string(33, ' ') + "(5 + 2) / 12]");
  EXPECT_EQ(line.size(), 80u);
  // The example from the Spark documentation.
  EXPECT_EQ(format_progress_line(0, 1000, 316, 4, 41), "[Stage 0:====>          (316 + 4) / 1000]");
}

TEST(ProgressBarFormatTest, EdgesOfTheBar) {
  EXPECT_EQ(format_progress_line(1, 4, 0, 0, 30), "[Stage 1:>        (0 + 0) / 4]");
  EXPECT_EQ(format_progress_line(1, 4, 4, 0, 30), "[Stage 1:=========(4 + 0) / 4]");
  // No room for a bar: header and tail only, as Spark does.
  EXPECT_EQ(format_progress_line(13, 200, 10, 3, 20), "[Stage 13:(10 + 3) / 200]");
}

TEST(ProgressBarFormatTest, StagesSideBySide) {
  std::vector<StageProgress> two = {{0, 10, 5, 1}, {1, 4, 0, 2}};
  std::string line = format_progress_bar(two, 80);
  EXPECT_EQ(line, format_progress_line(0, 10, 5, 1, 40) + format_progress_line(1, 4, 0, 2, 40));
  EXPECT_EQ(line.size(), 80u);
  std::vector<StageProgress> four = {{0, 1, 0, 1}, {1, 1, 0, 1}, {2, 1, 0, 1}, {3, 1, 0, 1}};
  std::string three = format_progress_bar(four, 90);
  EXPECT_EQ(three.find("[Stage 3:"), std::string::npos) << "Spark shows at most three stages";
  EXPECT_EQ(three.size(), 90u);
  EXPECT_EQ(format_progress_bar({}, 80), "");
}

TEST(ProgressBarFormatTest, TerminalWidthComesFromColumns) {
  const char* saved = std::getenv("COLUMNS");
  std::string keep = saved ? saved : "";
  ::setenv("COLUMNS", "132", 1);
  EXPECT_EQ(terminal_width_from_env(), 132);
  ::setenv("COLUMNS", "wide", 1);
  EXPECT_EQ(terminal_width_from_env(), 80);
  ::unsetenv("COLUMNS");
  EXPECT_EQ(terminal_width_from_env(), 80);
  if (saved) ::setenv("COLUMNS", keep.c_str(), 1);
}

struct Captured {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> writes;
  ConsoleProgressBar::Options options(std::chrono::milliseconds first_delay) {
    ConsoleProgressBar::Options o;
    o.terminal_width = 60;
    o.first_delay = first_delay;
    o.update_interval = std::chrono::milliseconds(1);
    o.sink = [this](std::string_view s) {
      std::lock_guard<std::mutex> lock(mu);
      writes.emplace_back(s);
      cv.notify_all();
    };
    return o;
  }
  std::vector<std::string> get() {
    std::lock_guard<std::mutex> lock(mu);
    return writes;
  }
};

TEST(ConsoleProgressBarTest, DrawsRedrawsOnlyOnChangeAndClears) {
  Captured out;
  {
    ConsoleProgressBar bar(out.options(std::chrono::milliseconds(0)));
    bar.stage_submitted(1, 3, 4);
    bar.task_started(1, 3);
    bar.refresh_now();
    bar.refresh_now();  // unchanged: not redrawn
    bar.task_ended(1, 3, true);
    bar.task_started(1, 3);
    bar.task_ended(1, 3, false);  // a failed attempt is not "completed"
    bar.refresh_now();
    bar.stage_completed(1, 3);
    bar.refresh_now();  // nothing left to show: the line is blanked
    bar.refresh_now();
    auto w = out.get();
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(w[0], "\r" + format_progress_line(3, 4, 0, 1, 60) + "\r");
    EXPECT_EQ(w[1], "\r" + format_progress_line(3, 4, 1, 0, 60) + "\r");
    EXPECT_EQ(w[2], "\r" + std::string(60, ' ') + "\r");
  }
  EXPECT_EQ(out.get().size(), 3u) << "nothing drawn, nothing to clear at destruction";
}

TEST(ConsoleProgressBarTest, YoungStagesAreNotShown) {
  Captured out;
  ConsoleProgressBar bar(out.options(std::chrono::hours(1)));
  bar.job_started(1);
  bar.stage_submitted(1, 0, 10);
  bar.refresh_now();
  bar.job_ended(1);
  EXPECT_TRUE(out.get().empty());
}

TEST(ConsoleProgressBarTest, SchedulerDrivesTheBarAndClearsItAtJobEnd) {
  Captured out;
  LocalExecutorBackend backend(2);
  LocalShuffleManager shuffle;
  SchedulerOptions opts;
  opts.show_progress = true;
  opts.progress_ignore_isatty = true;
  opts.progress_options = out.options(std::chrono::milliseconds(0));
  Scheduler scheduler(backend, shuffle, opts);
  bool drawn = false;
  StageSpec s;
  s.stage_id = 7;
  s.num_partitions = 3;
  s.run_task = [&](TaskContext& ctx) {
    if (ctx.partition != 0) return;
    // Hold the stage open until the refresh thread has drawn it (bounded: a hang guard only).
    std::unique_lock<std::mutex> lock(out.mu);
    drawn = out.cv.wait_for(lock, std::chrono::seconds(30), [&] {
      for (const auto& w : out.writes) {
        if (w.find("[Stage 7:") != std::string::npos) return true;
      }
      return false;
    });
  };
  std::vector<StageSpec> stages;
  stages.push_back(std::move(s));
  scheduler.run_job(std::move(stages), 1);
  EXPECT_TRUE(drawn);
  auto w = out.get();
  ASSERT_FALSE(w.empty());
  EXPECT_EQ(w.back(), "\r" + std::string(60, ' ') + "\r") << "the bar is cleared when the job ends";
}

TEST(ConsoleProgressBarTest, NoBarWhenStderrIsNotATerminal) {
  // Under ctest stderr is a pipe or file; the bar must then stay silent even when enabled.
  if (::isatty(2)) GTEST_SKIP() << "stderr is a terminal";
  Captured out;
  LocalExecutorBackend backend(1);
  LocalShuffleManager shuffle;
  SchedulerOptions opts;
  opts.show_progress = true;
  opts.progress_options = out.options(std::chrono::milliseconds(0));
  Scheduler scheduler(backend, shuffle, opts);
  StageSpec s;
  s.num_partitions = 2;
  s.run_task = [](TaskContext&) {};
  std::vector<StageSpec> stages;
  stages.push_back(std::move(s));
  scheduler.run_job(std::move(stages), 1);
  EXPECT_TRUE(out.get().empty());
}

}  // namespace
}  // namespace ember
