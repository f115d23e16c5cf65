#include "admin/EventStreams.h"

#include <string>
#include <vector>

namespace sfsync::admin {

Result<EventSubscriptionPtr> EventStreams::open(EventBus& bus) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return Status::Unavailable("the admin server is stopping");
  if (open_.size() >= maxStreams_) {
    return Status::Unavailable("too many event streams are open (at most " +
                               std::to_string(maxStreams_) + "); try again later");
  }
  Result<EventSubscriptionPtr> subscription = bus.subscribe();
  if (!subscription.ok()) return subscription.status();
  open_.insert(*subscription);
  return subscription;
}

void EventStreams::release(const EventSubscriptionPtr& subscription) {
  subscription->close();
  std::lock_guard<std::mutex> lock(mu_);
  open_.erase(subscription);
}

void EventStreams::closeAll() {
  std::vector<EventSubscriptionPtr> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    all.assign(open_.begin(), open_.end());
  }
  for (const EventSubscriptionPtr& s : all) s->close();
}

std::size_t EventStreams::count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_.size();
}

}  // namespace sfsync::admin
