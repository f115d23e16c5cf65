#include "admin/ConnectionWatchdog.h"

#include <Poco/Exception.h>

#include <vector>

namespace sfsync::admin {

namespace {

void shutdownQuietly(Poco::Net::StreamSocket& socket) {
  try {
    socket.shutdown();
  } catch (const Poco::Exception&) {
    // Already closed or reset by the peer: the connection is ending anyway.
  }
}

}  // namespace

ConnectionWatchdog::~ConnectionWatchdog() { stop(); }

void ConnectionWatchdog::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void ConnectionWatchdog::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t ConnectionWatchdog::watch(const Poco::Net::StreamSocket& socket, Deadline deadline) {
  std::uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = nextId_++;
    watched_.emplace(id, Watched{socket, deadline});
  }
  changed_.notify_all();
  return id;
}

void ConnectionWatchdog::rearm(std::uint64_t id, Deadline deadline) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = watched_.find(id);
    if (it == watched_.end()) return;
    it->second.deadline = deadline;
  }
  changed_.notify_all();
}

void ConnectionWatchdog::unwatch(std::uint64_t id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    watched_.erase(id);
  }
  changed_.notify_all();
}

void ConnectionWatchdog::shutdownAll() {
  std::vector<Poco::Net::StreamSocket> sockets;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, w] : watched_) sockets.push_back(w.socket);
  }
  for (auto& socket : sockets) shutdownQuietly(socket);
}

void ConnectionWatchdog::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    const Clock::time_point now = Clock::now();
    Deadline earliest;
    std::vector<Poco::Net::StreamSocket> expired;
    for (auto& [id, w] : watched_) {
      if (!w.deadline) continue;
      if (*w.deadline <= now) {
        expired.push_back(w.socket);
        w.deadline.reset();  // shut down once; the connection unwatches itself when it ends
      } else if (!earliest || *w.deadline < *earliest) {
        earliest = w.deadline;
      }
    }
    if (!expired.empty()) {
      lock.unlock();
      for (auto& socket : expired) shutdownQuietly(socket);
      lock.lock();
      continue;
    }
    if (earliest) {
      changed_.wait_until(lock, *earliest);
    } else {
      changed_.wait(lock);
    }
  }
}

}  // namespace sfsync::admin
