// EventTickets: short-lived, single-use tickets that let a browser's EventSource (which cannot set
// an Authorization header) open GET /api/events?ticket=... . A ticket is minted by an
// authenticated POST /api/events/ticket, is 128 random bits (hex), lives `ttl` (30 s) and is
// consumed by its first use, so a URL that reaches a log is worthless. At most `kMaxOutstanding`
// unused tickets are kept (the oldest is forgotten first).
//
// Thread-safety: every method may be called from any thread (one internal mutex; no I/O under it).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace sfsync::admin {

class EventTickets {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;
  static constexpr std::size_t kMaxOutstanding = 256;

  explicit EventTickets(std::chrono::seconds ttl = std::chrono::seconds(30), Now now = Clock::now)
      : ttl_(ttl), now_(std::move(now)) {}

  // A new ticket for the token named `actor`.
  std::string issue(const std::string& actor);
  // The actor of `ticket` when it exists and has not expired; the ticket is gone afterwards either
  // way. nullopt otherwise.
  std::optional<std::string> redeem(const std::string& ticket);

  std::chrono::seconds ttl() const { return ttl_; }

 private:
  struct Entry {
    std::string actor;
    Clock::time_point expires;
  };
  void pruneLocked(Clock::time_point now);

  const std::chrono::seconds ttl_;
  const Now now_;
  std::mutex mu_;
  std::map<std::string, Entry> tickets_;
};

}  // namespace sfsync::admin
