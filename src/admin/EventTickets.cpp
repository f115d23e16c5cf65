#include "admin/EventTickets.h"

#include <Poco/RandomStream.h>

#include <array>
#include <cstdio>

namespace sfsync::admin {

namespace {

std::string randomHex() {
  std::array<unsigned char, 16> bytes{};
  Poco::RandomInputStream random;  // the OS's cryptographic source where available
  random.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  std::string hex;
  char digits[3];
  for (unsigned char b : bytes) {
    std::snprintf(digits, sizeof digits, "%02x", static_cast<unsigned>(b));
    hex += digits;
  }
  return hex;
}

}  // namespace

void EventTickets::pruneLocked(Clock::time_point now) {
  for (auto it = tickets_.begin(); it != tickets_.end();) {
    it = it->second.expires <= now ? tickets_.erase(it) : std::next(it);
  }
  while (tickets_.size() >= kMaxOutstanding) {
    auto oldest = tickets_.begin();
    for (auto it = tickets_.begin(); it != tickets_.end(); ++it) {
      if (it->second.expires < oldest->second.expires) oldest = it;
    }
    tickets_.erase(oldest);
  }
}

std::string EventTickets::issue(const std::string& actor) {
  std::string ticket = randomHex();
  const Clock::time_point now = now_();
  std::lock_guard<std::mutex> lock(mu_);
  pruneLocked(now);
  tickets_[ticket] = Entry{actor, now + ttl_};
  return ticket;
}

std::optional<std::string> EventTickets::redeem(const std::string& ticket) {
  const Clock::time_point now = now_();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tickets_.find(ticket);
  if (it == tickets_.end()) return std::nullopt;
  Entry entry = std::move(it->second);
  tickets_.erase(it);
  if (entry.expires <= now) return std::nullopt;
  return entry.actor;
}

}  // namespace sfsync::admin
