#include "sfsync/salesforce/CancellationToken.h"

#include "sfsync/core/Platform.h"

namespace sfsync::salesforce {

void CancellationToken::cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_.store(true, std::memory_order_release);
  // shutdown(2) only wakes the blocked reader; the owner still closes the descriptor, after
  // unwatch(), so no descriptor is touched after it was closed and reused.
  for (const auto& [ticket, fd] : sockets_) platform::shutdownSocket(fd);
}

std::uint64_t CancellationToken::watch(int fd) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cancelled()) return 0;
  const std::uint64_t ticket = nextTicket_++;
  sockets_.emplace(ticket, fd);
  return ticket;
}

void CancellationToken::unwatch(std::uint64_t ticket) {
  if (ticket == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  sockets_.erase(ticket);
}

}  // namespace sfsync::salesforce
