#include "ember/runtime/progress_bar.h"

#include <cstdio>
#include <cstdlib>

namespace ember {

std::string format_progress_line(int stage_id, int total, int completed, int running, int width) {
  std::string header = "[Stage " + std::to_string(stage_id) + ":";
  std::string tail = "(" + std::to_string(completed) + " + " + std::to_string(running) + ") / " +
                     std::to_string(total) + "]";
  int w = width - static_cast<int>(header.size()) - static_cast<int>(tail.size());
  std::string out = header;
  if (w > 0) {
    // Spark: '=' for the completed share, '>' at the boundary, blanks after.
    int done = total > 0 ? static_cast<int>(static_cast<int64_t>(w) * completed / total) : 0;
    for (int i = 0; i < w; ++i) out += i < done ? '=' : (i == done ? '>' : ' ');
  }
  out += tail;
  return out;
}

std::string format_progress_bar(const std::vector<StageProgress>& stages, int terminal_width) {
  if (stages.empty()) return "";
  size_t n = std::min<size_t>(stages.size(), 3);
  int width = terminal_width / static_cast<int>(n);
  std::string line;
  for (size_t i = 0; i < n; ++i) {
    const StageProgress& s = stages[i];
    line += format_progress_line(s.stage_id, s.total, s.completed, s.running, width);
  }
  return line;
}

int terminal_width_from_env() {
  const char* cols = std::getenv("COLUMNS");
  if (cols != nullptr) {
    char* end = nullptr;
    long v = std::strtol(cols, &end, 10);
    if (end != cols && *end == '\0' && v > 0 && v < 100000) return static_cast<int>(v);
  }
  return 80;
}

ConsoleProgressBar::ConsoleProgressBar(Options options) : opts_(std::move(options)) {
  width_ = opts_.terminal_width > 0 ? opts_.terminal_width : terminal_width_from_env();
  if (!opts_.sink) {
    opts_.sink = [](std::string_view s) {
      std::fwrite(s.data(), 1, s.size(), stderr);
      std::fflush(stderr);
    };
  }
  thread_ = std::thread([this] { loop(); });
}

ConsoleProgressBar::~ConsoleProgressBar() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    clear_locked();
  }
  cv_.notify_all();
  thread_.join();
}

void ConsoleProgressBar::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (active_jobs_ == 0) {
      cv_.wait(lock, [this] { return stopping_ || active_jobs_ > 0; });
      continue;
    }
    cv_.wait_for(lock, opts_.update_interval);
    if (!stopping_ && active_jobs_ > 0) refresh_locked(Clock::now());
  }
}

void ConsoleProgressBar::job_started(int /*job_id*/) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++active_jobs_;
  }
  cv_.notify_all();
}

void ConsoleProgressBar::job_ended(int job_id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (active_jobs_ > 0) --active_jobs_;
  for (auto it = stages_.begin(); it != stages_.end();) {
    it = it->first.first == job_id ? stages_.erase(it) : std::next(it);
  }
  clear_locked();
}

void ConsoleProgressBar::stage_submitted(int job_id, int stage_id, int num_tasks) {
  std::lock_guard<std::mutex> lock(mu_);
  Stage& s = stages_[{job_id, stage_id}];
  s.progress = StageProgress{stage_id, num_tasks, 0, 0};
  s.submitted = Clock::now();
}

void ConsoleProgressBar::stage_completed(int job_id, int stage_id) {
  std::lock_guard<std::mutex> lock(mu_);
  stages_.erase({job_id, stage_id});
}

void ConsoleProgressBar::task_started(int job_id, int stage_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stages_.find({job_id, stage_id});
  if (it != stages_.end()) ++it->second.progress.running;
}

void ConsoleProgressBar::task_ended(int job_id, int stage_id, bool succeeded) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stages_.find({job_id, stage_id});
  if (it == stages_.end()) return;
  if (it->second.progress.running > 0) --it->second.progress.running;
  if (succeeded) ++it->second.progress.completed;
}

void ConsoleProgressBar::refresh_now() {
  std::lock_guard<std::mutex> lock(mu_);
  refresh_locked(Clock::now());
}

void ConsoleProgressBar::refresh_locked(Clock::time_point now) {
  std::vector<StageProgress> shown;
  for (const auto& [key, s] : stages_) {
    if (now - s.submitted > opts_.first_delay) shown.push_back(s.progress);
    if (shown.size() == 3) break;
  }
  if (shown.empty()) {
    // The stages we drew have finished and their successors are younger than the delay: blank
    // the stale line rather than leave a finished stage on screen.
    clear_locked();
    return;
  }
  std::string line = format_progress_bar(shown, width_);
  if (line == last_line_) return;
  // Trailing '\r' as in Spark: anything else printed to the terminal starts at column 0.
  opts_.sink("\r" + line + "\r");
  last_line_ = std::move(line);
}

void ConsoleProgressBar::clear_locked() {
  if (last_line_.empty()) return;
  opts_.sink("\r" + std::string(static_cast<size_t>(width_), ' ') + "\r");
  last_line_.clear();
}

}  // namespace ember
