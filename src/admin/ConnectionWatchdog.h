// ConnectionWatchdog: enforces whole-request deadlines on the admin server's connections. Poco's
// own timeouts are per read, so a client trickling one byte every few seconds (or never finishing
// its request head) would hold a worker thread indefinitely; the watchdog shuts such a socket
// down when its deadline passes, which ends the blocked read and frees the worker.
//
// Thread-safety: every method may be called from any thread. One background thread waits for the
// earliest deadline; sockets are shut down outside the lock.
#pragma once

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace sfsync::admin {

class ConnectionWatchdog {
 public:
  using Clock = std::chrono::steady_clock;
  using Deadline = std::optional<Clock::time_point>;  // nullopt = no deadline

  ConnectionWatchdog() = default;
  ~ConnectionWatchdog();  // stops
  ConnectionWatchdog(const ConnectionWatchdog&) = delete;
  ConnectionWatchdog& operator=(const ConnectionWatchdog&) = delete;

  void start();  // starts the background thread; idempotent
  void stop();   // ends it (watched sockets are left alone); idempotent

  // Starts watching `socket`; returns the id for rearm()/unwatch().
  std::uint64_t watch(const Poco::Net::StreamSocket& socket, Deadline deadline);
  void rearm(std::uint64_t id, Deadline deadline);
  void unwatch(std::uint64_t id);
  // Shuts down every watched socket now (server stop): blocked reads and keep-alive waits end.
  void shutdownAll();

 private:
  struct Watched {
    Poco::Net::StreamSocket socket;
    Deadline deadline;
  };
  void run();

  std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::uint64_t, Watched> watched_;
  std::uint64_t nextId_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sfsync::admin
