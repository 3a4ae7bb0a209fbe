#include "ember/runtime/executor_backend.h"

#include <charconv>

#include "ember/common/error.h"
#include "ember/runtime/allocator_tuning.h"

namespace ember {

ExecutorBackend::~ExecutorBackend() = default;

LocalExecutorBackend::LocalExecutorBackend(int num_threads) {
  if (num_threads < 1) {
    throw_error(ErrorKind::kIllegalArgument,
                "a local executor needs at least one thread, got " + std::to_string(num_threads));
  }
  tune_allocator_for_executors();
  threads_.reserve(static_cast<size_t>(num_threads));
  for (int i = 0; i < num_threads; ++i) threads_.emplace_back([this] { worker_loop(); });
}

LocalExecutorBackend::~LocalExecutorBackend() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void LocalExecutorBackend::launch(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void LocalExecutorBackend::worker_loop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Drain before exiting: a queued task may be the completion signal someone waits for.
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      task();
    } catch (...) {
      // The contract says closures do not throw; swallowing keeps a buggy closure from taking the
      // process down via std::terminate on a worker thread.
    }
  }
}

namespace {

[[noreturn]] void bad_master(const std::string& master) {
  throw_error(ErrorKind::kIllegalArgument,
              "Could not parse Master URL: '" + master +
                  "' (accepted: \"local\", \"local[N]\", \"local[*]\", \"local[N,F]\", \"local[*,F]\" with N, F >= 1)");
}

int parse_positive(std::string_view s, const std::string& master) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 1) bad_master(master);
  return v;
}

}  // namespace

LocalMaster parse_local_master_spec(const std::string& master) {
  LocalMaster out;
  if (master == "local") return out;
  std::string_view s = master;
  if (s.size() < 8 || s.substr(0, 6) != "local[" || s.back() != ']') bad_master(master);
  std::string_view inner = s.substr(6, s.size() - 7);
  std::string_view threads = inner;
  size_t comma = inner.find(',');
  if (comma != std::string_view::npos) {
    threads = inner.substr(0, comma);
    out.max_failures = parse_positive(inner.substr(comma + 1), master);
  }
  if (threads == "*") {
    unsigned cores = std::thread::hardware_concurrency();
    out.threads = cores == 0 ? 1 : static_cast<int>(cores);  // 0 means "unknown"
  } else {
    out.threads = parse_positive(threads, master);
  }
  return out;
}

int parse_local_master(const std::string& master) { return parse_local_master_spec(master).threads; }

}  // namespace ember
