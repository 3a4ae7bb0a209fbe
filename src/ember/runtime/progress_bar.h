#pragma once
// Spark's console progress bar (org.apache.spark.ui.ConsoleProgressBar), drawn on stderr:
//
//   [Stage 2:=======>                                               (5 + 2) / 12]
//
// "(completed + running) / total" per active stage; at most three stages side by side, each given
// an equal share of the terminal width ($COLUMNS, default 80). Like Spark, a stage appears only
// once it has been active for more than 500 ms (short jobs never flicker a bar), the line is
// redrawn in place with '\r' only when it changed, and it is blanked out when no stage is left to
// show or a job ends, so results printed afterwards start on a clean line. Spark refreshes every
// 200 ms (spark.ui.consoleProgress.update.interval); so do we by default.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace ember {

// One stage's block, e.g. "[Stage 2:====>     (5 + 2) / 12]", exactly `width` characters when the
// width leaves room for at least one bar character; otherwise the bar is omitted (header + tail
// only), as in Spark. Pure function.
std::string format_progress_line(int stage_id, int total, int completed, int running, int width);

struct StageProgress {
  int stage_id = 0;
  int total = 0;
  int completed = 0;  // tasks that succeeded
  int running = 0;    // attempts currently executing
};
// The whole line for up to three stages side by side, each given terminal_width / stages.size()
// columns (Spark's layout); stages beyond the third are not shown. Empty for no stages. Pure.
std::string format_progress_bar(const std::vector<StageProgress>& stages, int terminal_width);

// $COLUMNS when it is a positive integer, else 80 (what Spark assumes).
int terminal_width_from_env();

// The live bar. All methods are thread-safe (task events arrive from executor threads). Owns one
// refresh thread for its whole lifetime (joined by the destructor), which sleeps while no job is
// active. Whether to show a bar at all (stderr is a terminal, the user did not disable it) is the
// owner's decision; see Scheduler.
class ConsoleProgressBar {
 public:
  struct Options {
    int terminal_width = 0;  // 0 → terminal_width_from_env()
    std::chrono::milliseconds update_interval{200};
    std::chrono::milliseconds first_delay{500};  // a stage shows once active longer than this
    // Receives each write (the line framed by '\r's, or a blanking line); default: stderr, flushed.
    std::function<void(std::string_view)> sink;
  };

  explicit ConsoleProgressBar(Options options);
  ~ConsoleProgressBar();  // clears any bar still drawn
  ConsoleProgressBar(const ConsoleProgressBar&) = delete;
  ConsoleProgressBar& operator=(const ConsoleProgressBar&) = delete;

  void job_started(int job_id);
  // Forgets the job's stages and clears the bar if one is drawn.
  void job_ended(int job_id);
  void stage_submitted(int job_id, int stage_id, int num_tasks);
  void stage_completed(int job_id, int stage_id);
  void task_started(int job_id, int stage_id);
  // A finished attempt: counted as completed only when it succeeded (Spark's numCompleteTasks).
  void task_ended(int job_id, int stage_id, bool succeeded);

  // Draws the bar as of now (what the refresh thread does every update_interval); for tests.
  void refresh_now();

 private:
  using Clock = std::chrono::steady_clock;
  struct Stage {
    StageProgress progress;
    Clock::time_point submitted;
  };
  void refresh_locked(Clock::time_point now);
  void clear_locked();
  void loop();

  Options opts_;
  int width_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::pair<int, int>, Stage> stages_;  // keyed by (job, stage): display order
  int active_jobs_ = 0;
  std::string last_line_;  // what is on screen now; empty when nothing is drawn
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ember
