// CancellationToken: a shared "stop now" switch for in-flight Salesforce HTTP. The transport
// registers the socket of every exchange it performs while the exchange runs; cancel() marks the
// token cancelled and shuts those sockets down (shutdown(2), not close), so a blocked connect,
// header or body read returns at once. From then on every call of a client holding the token fails
// with Status::Unavailable and remoteCode() == kCancelled (not retried). One token may be shared by
// many clients (e.g. the daemon's shutdown token) or owned by one (SalesforceClient::cancel()).
//
// Thread-safety: every method may be called from any thread; cancel() never blocks on I/O.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

namespace sfsync::salesforce {

// Status::remoteCode() of a call stopped by cancel().
inline constexpr const char* kCancelled = "CANCELLED";

class CancellationToken {
 public:
  CancellationToken() = default;
  CancellationToken(const CancellationToken&) = delete;
  CancellationToken& operator=(const CancellationToken&) = delete;

  // Cancels: in-flight exchanges are interrupted, later ones refused. Idempotent.
  void cancel();
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  // Clears the flag (e.g. a paused connection that is resumed); interrupted calls stay failed.
  void reset() { cancelled_.store(false, std::memory_order_release); }

  // Transport side: registers the socket `fd` for the duration of an exchange. Returns 0 and
  // registers nothing when already cancelled; else a ticket for unwatch().
  std::uint64_t watch(int fd);
  // Must be called before the socket is closed.
  void unwatch(std::uint64_t ticket);

 private:
  std::atomic<bool> cancelled_{false};
  std::mutex mutex_;  // guards sockets_, nextTicket_
  std::map<std::uint64_t, int> sockets_;
  std::uint64_t nextTicket_ = 1;
};

using CancellationTokenPtr = std::shared_ptr<CancellationToken>;

}  // namespace sfsync::salesforce
