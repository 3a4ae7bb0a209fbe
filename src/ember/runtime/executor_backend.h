#pragma once
// Where tasks run. The scheduler hands the backend opaque closures; the backend only decides on
// which thread and when. Completion is signalled by the closure itself (the scheduler wraps every
// task so that it reports success/failure to the scheduler's own event queue), so the backend
// needs no completion API.
//
// Spark's local mode is the only backend today: "local[N]" executor threads in this process.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ember {

class ExecutorBackend {
 public:
  virtual ~ExecutorBackend();
  // How many tasks can run at the same time (the scheduler uses it for nothing but reporting).
  virtual int parallelism() const = 0;
  // Queues `task` to run once on some executor thread. Thread-safe. The closure must not throw
  // (the scheduler's wrapper catches everything); a backend that sees an escaping exception
  // drops it. Every launched closure runs exactly once, even if the backend is being destroyed.
  virtual void launch(std::function<void()> task) = 0;
};

// A fixed pool of worker threads with a FIFO queue, like Spark's local[N] executor.
// Threads are created in the constructor and joined in the destructor; the destructor first runs
// every task still queued, so callers that wait for their tasks (as the Scheduler does) never hang.
class LocalExecutorBackend : public ExecutorBackend {
 public:
  // num_threads >= 1, else EmberError(kIllegalArgument).
  explicit LocalExecutorBackend(int num_threads);
  ~LocalExecutorBackend() override;
  LocalExecutorBackend(const LocalExecutorBackend&) = delete;
  LocalExecutorBackend& operator=(const LocalExecutorBackend&) = delete;

  int parallelism() const override { return static_cast<int>(threads_.size()); }
  void launch(std::function<void()> task) override;

 private:
  void worker_loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Spark's master URL for local mode.
struct LocalMaster {
  int threads = 1;       // executor threads
  int max_failures = 1;  // task attempts before the job fails (spark.task.maxFailures in local mode)
};
// "local" → {1,1}; "local[4]" → {4,1}; "local[*]" → {cores,1}; "local[4,3]" / "local[*,3]" →
// max_failures 3 (Spark's local-with-retries form). Anything else (including 0 threads) →
// EmberError(kIllegalArgument) naming the accepted forms.
LocalMaster parse_local_master_spec(const std::string& master);
// The thread count of parse_local_master_spec(master).
int parse_local_master(const std::string& master);

}  // namespace ember
