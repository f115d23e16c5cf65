#include "scheduling/WorkerPool.h"

#include <algorithm>
#include <utility>

namespace sfsync::scheduling {

WorkerPool::WorkerPool(int threads) : threads_(std::max(threads, 1)) {}

WorkerPool::~WorkerPool() { shutdown(); }

bool WorkerPool::submit(std::function<void()> task) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return false;
  queue_.push_back(std::move(task));
  if (idle_ < queue_.size() && workers_.size() < static_cast<std::size_t>(threads_)) {
    ++idle_;  // the new worker counts as idle until it takes a task
    workers_.emplace_back([this] { work(); });
  }
  cv_.notify_one();
  return true;
}

void WorkerPool::shutdown() {
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    workers.swap(workers_);
  }
  cv_.notify_all();
  for (std::thread& t : workers) t.join();
}

void WorkerPool::work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping and drained
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    --idle_;
    lock.unlock();
    try {
      task();
    } catch (...) {
      // Tasks report their own errors; nothing can be done with one here.
    }
    lock.lock();
    ++idle_;
  }
}

}  // namespace sfsync::scheduling
