// DeadlineWatchdog: enforces whole-response deadlines on sockets. Poco's timeouts apply to each
// socket read, so a server trickling one byte per second keeps a request alive forever; the
// watchdog instead shuts a registered socket down (shutdown(2), not close) once its deadline
// passes, which makes the blocked read fail at once. One background thread per process, started
// on first use; it sleeps on a condition variable until the earliest deadline.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

namespace sfsync::salesforce {

class DeadlineWatchdog {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  static DeadlineWatchdog& instance();
  ~DeadlineWatchdog();

  // Registers `fd` until release(); returns a ticket (never 0).
  std::uint64_t watch(int fd, TimePoint deadline);
  // Unregisters; true when the deadline had passed and the socket was shut down. Call it before
  // closing the socket.
  bool release(std::uint64_t ticket);

 private:
  DeadlineWatchdog() = default;
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::set<std::pair<TimePoint, std::uint64_t>> byDeadline_;
  std::map<std::uint64_t, std::pair<TimePoint, int>> entries_;
  std::set<std::uint64_t> expired_;
  std::uint64_t nextTicket_ = 1;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sfsync::salesforce
