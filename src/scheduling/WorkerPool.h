// WorkerPool: a fixed number of worker threads that run submitted tasks in submission order. The
// Scheduler runs every job and chain execution on it, never on its timer thread or on the
// caller's (admin HTTP) thread. Threads start lazily with the first submit(), so a pool built
// before a daemon forks has no threads yet.
//
// Thread-safety: submit() and shutdown() may be called from any thread, including from a task.
// shutdown() must not be called from a task (it joins the workers).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sfsync::scheduling {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();  // shutdown()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`. Returns false (and drops the task) after shutdown() began. Tasks must not
  // throw (an escaping exception is swallowed).
  bool submit(std::function<void()> task);
  // Runs the tasks already queued, then stops and joins the workers. Idempotent.
  void shutdown();

 private:
  void work();

  const int threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> workers_;
  std::size_t idle_ = 0;  // workers waiting for a task (or about to start)
  bool stopping_ = false;
};

}  // namespace sfsync::scheduling
