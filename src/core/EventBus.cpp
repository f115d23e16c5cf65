#include "sfsync/core/EventBus.h"

#include <utility>

namespace sfsync {

EventSubscription::Wait EventSubscription::next(std::chrono::milliseconds timeout, BusEvent& out) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait_for(lock, timeout, [this] { return closed_ || dropped_ || !queue_.empty(); });
  if (dropped_) return Wait::kDropped;
  if (closed_) return Wait::kClosed;
  if (queue_.empty()) return Wait::kTimeout;
  out = std::move(queue_.front());
  queue_.pop_front();
  return Wait::kEvent;
}

void EventSubscription::close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    queue_.clear();
  }
  changed_.notify_all();
}

bool EventSubscription::live() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !closed_ && !dropped_;
}

void EventSubscription::push(const BusEvent& event) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_ || dropped_) return;
    if (queue_.size() >= capacity_) {
      dropped_ = true;  // too slow: freeing the queue keeps memory bounded
      queue_.clear();
    } else {
      queue_.push_back(event);
    }
  }
  changed_.notify_all();
}

std::vector<EventSubscriptionPtr> EventBus::liveLocked() {
  std::vector<EventSubscriptionPtr> live;
  std::vector<std::weak_ptr<EventSubscription>> kept;
  for (const std::weak_ptr<EventSubscription>& weak : subscriptions_) {
    EventSubscriptionPtr sub = weak.lock();
    if (sub && sub->live()) {
      kept.push_back(sub);
      live.push_back(std::move(sub));
    }
  }
  subscriptions_ = std::move(kept);
  return live;
}

Result<EventSubscriptionPtr> EventBus::subscribe() {
  std::lock_guard<std::mutex> lock(mu_);
  if (liveLocked().size() >= limits_.maxSubscribers) {
    return Status::Unavailable("too many event streams (at most " +
                               std::to_string(limits_.maxSubscribers) + ")");
  }
  auto sub = std::make_shared<EventSubscription>(limits_.queueCapacity);
  subscriptions_.push_back(sub);
  return sub;
}

std::uint64_t EventBus::publish(const std::string& name, const std::string& json) {
  BusEvent event;
  event.name = name;
  event.json = json;
  std::vector<EventSubscriptionPtr> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    event.id = nextId_++;
    live = liveLocked();
  }
  for (const EventSubscriptionPtr& sub : live) sub->push(event);
  return event.id;
}

void EventBus::remember(const std::string& key, const std::string& json) {
  std::lock_guard<std::mutex> lock(mu_);
  remembered_[key] = {++rememberSeq_, json};
  if (remembered_.size() <= kMaxRemembered) return;
  auto oldest = remembered_.begin();
  for (auto it = remembered_.begin(); it != remembered_.end(); ++it) {
    if (it->second.first < oldest->second.first) oldest = it;
  }
  remembered_.erase(oldest);
}

std::optional<std::string> EventBus::recall(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = remembered_.find(key);
  if (it == remembered_.end()) return std::nullopt;
  return it->second.second;
}

void EventBus::forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  remembered_.erase(key);
}

void EventBus::closeAll() {
  std::vector<EventSubscriptionPtr> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    live = liveLocked();
    subscriptions_.clear();
  }
  for (const EventSubscriptionPtr& sub : live) sub->close();
}

std::size_t EventBus::subscribers() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::size_t count = 0;
  for (const std::weak_ptr<EventSubscription>& weak : subscriptions_) {
    EventSubscriptionPtr sub = weak.lock();
    if (sub && sub->live()) ++count;
  }
  return count;
}

}  // namespace sfsync
