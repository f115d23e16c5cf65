// EventStreams: the admin server's open Server-Sent-Events streams. Caps how many may be open at
// once (each holds one HTTP worker thread for its whole life, so the cap keeps workers free for
// the API and /health), subscribes each to the daemon's EventBus, and closes them all when the
// server stops (a stream handler waiting for the next event returns at once).
//
// Thread-safety: every method may be called from any thread; subscribing happens under the
// registry's lock, but no I/O does.
#pragma once

#include <cstddef>
#include <mutex>
#include <set>

#include "sfsync/core/EventBus.h"
#include "sfsync/core/Result.h"

namespace sfsync::admin {

class EventStreams {
 public:
  explicit EventStreams(std::size_t maxStreams) : maxStreams_(maxStreams) {}

  // A subscription to `bus` counted against the cap. Errors: kUnavailable when maxStreams are
  // open, the bus refuses, or the server is stopping.
  Result<EventSubscriptionPtr> open(EventBus& bus);
  // The stream ended: it no longer counts. Closes the subscription.
  void release(const EventSubscriptionPtr& subscription);
  // Server stop: closes every open stream and refuses new ones.
  void closeAll();
  std::size_t count() const;

 private:
  const std::size_t maxStreams_;
  mutable std::mutex mu_;
  std::set<EventSubscriptionPtr> open_;
  bool stopped_ = false;
};

}  // namespace sfsync::admin
