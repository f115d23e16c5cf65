// EventBus: the daemon's in-process publish/subscribe channel for live events (run started /
// progress / finished, control actions, configuration reloads, metadata refreshes). The runtime and
// the job runner publish; the admin server's Server-Sent-Events stream (GET /api/events)
// subscribes. Events are a name ("run.progress") and a pre-rendered JSON object.
//
// Publication never blocks on a subscriber: each subscription has a bounded queue, and a
// subscriber whose queue is full is dropped (its next() answers kDropped, it receives nothing more)
// instead of slowing the publisher. The bus caps how many subscriptions may be live at once.
// Nothing is held across a callback or any I/O: publish() copies the live subscriptions under the
// bus lock, then appends to each queue under that queue's own short lock.
//
// Thread-safety: every method of EventBus and Subscription may be called from any thread.
// Subscriptions may outlive the bus (they are shared); a closed or destroyed subscription leaves
// the bus's count at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/core/Result.h"

namespace sfsync {

struct BusEvent {
  std::uint64_t id = 0;  // increasing per bus, from 1 (the SSE "id:" field)
  std::string name;      // "run.started", "run.progress", ...
  std::string json;      // the payload: one JSON object, no newline
};

class EventSubscription {
 public:
  enum class Wait { kEvent, kTimeout, kClosed, kDropped };

  explicit EventSubscription(std::size_t capacity) : capacity_(capacity) {}

  // Waits up to `timeout` for the next event. kEvent fills `out`; kDropped: the queue overflowed
  // (the subscriber was too slow) and the subscription is over; kClosed: close() was called.
  Wait next(std::chrono::milliseconds timeout, BusEvent& out);
  // Ends the subscription: a waiting next() returns kClosed at once. Idempotent.
  void close();
  bool live() const;

  // For EventBus: appends `event`, or drops the subscriber when the queue is full.
  void push(const BusEvent& event);

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<BusEvent> queue_;
  bool closed_ = false;
  bool dropped_ = false;
};

using EventSubscriptionPtr = std::shared_ptr<EventSubscription>;

class EventBus {
 public:
  struct Limits {
    std::size_t queueCapacity = 256;  // events a subscriber may lag behind before it is dropped
    std::size_t maxSubscribers = 16;  // live subscriptions at once
  };

  EventBus() : EventBus(Limits{}) {}
  explicit EventBus(Limits limits) : limits_(limits) {}
  EventBus(const EventBus&) = delete;
  EventBus& operator=(const EventBus&) = delete;

  // A new subscription that receives every event published from now on. Errors: kUnavailable
  // when maxSubscribers are live.
  Result<EventSubscriptionPtr> subscribe();
  // Delivers `json` (a JSON object) as event `name` to every live subscription; never blocks on a
  // subscriber. Returns the event's id.
  std::uint64_t publish(const std::string& name, const std::string& json);
  // Latest state by key (issue 16: a running execution's last run.progress, for the execution
  // JSON): remember() keeps `json` under `key` (replacing; at most kMaxRemembered keys, the oldest
  // goes first), recall() returns it, forget() drops it (the run ended).
  static constexpr std::size_t kMaxRemembered = 1024;
  void remember(const std::string& key, const std::string& json);
  std::optional<std::string> recall(const std::string& key) const;
  void forget(const std::string& key);

  // Closes every subscription (server shutdown).
  void closeAll();
  std::size_t subscribers() const;

 private:
  std::vector<EventSubscriptionPtr> liveLocked();  // prunes closed/dropped ones; needs mu_

  const Limits limits_;
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<EventSubscription>> subscriptions_;
  std::uint64_t nextId_ = 1;
  std::map<std::string, std::pair<std::uint64_t, std::string>> remembered_;  // key -> (seq, json)
  std::uint64_t rememberSeq_ = 0;
};

}  // namespace sfsync
