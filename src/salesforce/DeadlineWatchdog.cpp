#include "salesforce/DeadlineWatchdog.h"

#include "sfsync/core/Platform.h"

namespace sfsync::salesforce {

DeadlineWatchdog& DeadlineWatchdog::instance() {
  static DeadlineWatchdog watchdog;
  return watchdog;
}

DeadlineWatchdog::~DeadlineWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t DeadlineWatchdog::watch(int fd, TimePoint deadline) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  const std::uint64_t ticket = nextTicket_++;
  entries_.emplace(ticket, std::make_pair(deadline, fd));
  const bool earliest = byDeadline_.empty() || deadline < byDeadline_.begin()->first;
  byDeadline_.emplace(deadline, ticket);
  if (earliest) wake_.notify_all();
  return ticket;
}

bool DeadlineWatchdog::release(std::uint64_t ticket) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (expired_.erase(ticket) > 0) return true;
  const auto it = entries_.find(ticket);
  if (it == entries_.end()) return false;
  byDeadline_.erase({it->second.first, ticket});
  entries_.erase(it);
  return false;
}

void DeadlineWatchdog::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    if (byDeadline_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const auto [deadline, ticket] = *byDeadline_.begin();
    if (std::chrono::steady_clock::now() < deadline) {
      wake_.wait_until(lock, deadline);
      continue;
    }
    // Wakes the blocked reader; the owner closes the descriptor after release(), so the
    // descriptor is still the socket it registered.
    platform::shutdownSocket(entries_.at(ticket).second);
    byDeadline_.erase(byDeadline_.begin());
    entries_.erase(ticket);
    expired_.insert(ticket);
  }
}

}  // namespace sfsync::salesforce
