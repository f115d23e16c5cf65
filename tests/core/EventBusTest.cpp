// EventBus: delivery in order with increasing ids, the per-subscriber bounded queue (a slow
// subscriber is dropped, the publisher and the other subscribers go on), the subscriber cap,
// close() waking a waiting reader, and a released subscription freeing its slot.
#include "sfsync/core/EventBus.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

namespace sfsync {
namespace {

using Wait = EventSubscription::Wait;
constexpr std::chrono::milliseconds kNoWait{0};
constexpr std::chrono::seconds kGenerous{30};

TEST(EventBusTest, DeliversEveryEventInOrderWithIncreasingIds) {
  EventBus bus;
  Result<EventSubscriptionPtr> a = bus.subscribe();
  Result<EventSubscriptionPtr> b = bus.subscribe();
  ASSERT_TRUE(a.ok() && b.ok());
  const std::uint64_t first = bus.publish("run.started", "{\"n\":1}");
  const std::uint64_t second = bus.publish("run.finished", "{\"n\":2}");
  EXPECT_LT(first, second);
  for (const EventSubscriptionPtr& sub : {*a, *b}) {
    BusEvent event;
    ASSERT_EQ(sub->next(kNoWait, event), Wait::kEvent);
    EXPECT_EQ(event.id, first);
    EXPECT_EQ(event.name, "run.started");
    EXPECT_EQ(event.json, "{\"n\":1}");
    ASSERT_EQ(sub->next(kNoWait, event), Wait::kEvent);
    EXPECT_EQ(event.name, "run.finished");
    EXPECT_EQ(sub->next(kNoWait, event), Wait::kTimeout);
  }
}

TEST(EventBusTest, EventsBeforeSubscribingAreNotDelivered) {
  EventBus bus;
  bus.publish("run.started", "{}");
  Result<EventSubscriptionPtr> sub = bus.subscribe();
  ASSERT_TRUE(sub.ok());
  BusEvent event;
  EXPECT_EQ((*sub)->next(kNoWait, event), Wait::kTimeout);
}

TEST(EventBusTest, SlowSubscriberIsDroppedOthersKeepEverything) {
  EventBus::Limits limits;
  limits.queueCapacity = 4;
  EventBus bus(limits);
  Result<EventSubscriptionPtr> slow = bus.subscribe();
  Result<EventSubscriptionPtr> fast = bus.subscribe();
  ASSERT_TRUE(slow.ok() && fast.ok());
  BusEvent event;
  for (int i = 0; i < 100; ++i) {
    bus.publish("run.progress", "{\"i\":" + std::to_string(i) + "}");  // never waits for `slow`
    ASSERT_EQ((*fast)->next(kNoWait, event), Wait::kEvent);
    EXPECT_EQ(event.json, "{\"i\":" + std::to_string(i) + "}");
  }
  EXPECT_EQ((*slow)->next(kNoWait, event), Wait::kDropped);
  EXPECT_FALSE((*slow)->live());
  EXPECT_EQ(bus.subscribers(), 1u);
}

TEST(EventBusTest, CapsLiveSubscriptionsAndFreesReleasedSlots) {
  EventBus::Limits limits;
  limits.maxSubscribers = 2;
  EventBus bus(limits);
  Result<EventSubscriptionPtr> a = bus.subscribe();
  Result<EventSubscriptionPtr> b = bus.subscribe();
  ASSERT_TRUE(a.ok() && b.ok());
  Result<EventSubscriptionPtr> c = bus.subscribe();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kUnavailable);
  (*a)->close();
  Result<EventSubscriptionPtr> d = bus.subscribe();
  EXPECT_TRUE(d.ok());                   // the closed one no longer counts
  b = Status::Unavailable("destroyed");  // the last reference goes: the slot is free
  EXPECT_EQ(bus.subscribers(), 1u);
}

TEST(EventBusTest, CloseWakesAWaitingReader) {
  EventBus bus;
  Result<EventSubscriptionPtr> sub = bus.subscribe();
  ASSERT_TRUE(sub.ok());
  Wait outcome = Wait::kTimeout;
  std::thread reader([&] {
    BusEvent event;
    outcome = (*sub)->next(std::chrono::duration_cast<std::chrono::milliseconds>(kGenerous), event);
  });
  bus.closeAll();
  reader.join();
  EXPECT_EQ(outcome, Wait::kClosed);
  EXPECT_EQ(bus.subscribers(), 0u);
}

TEST(EventBusTest, AWaitingReaderReceivesAnEventPublishedFromAnotherThread) {
  EventBus bus;
  Result<EventSubscriptionPtr> sub = bus.subscribe();
  ASSERT_TRUE(sub.ok());
  std::thread publisher([&] { bus.publish("config.reloaded", "{\"applied\":true}"); });
  BusEvent event;
  EXPECT_EQ((*sub)->next(std::chrono::duration_cast<std::chrono::milliseconds>(kGenerous), event),
            Wait::kEvent);
  publisher.join();
  EXPECT_EQ(event.name, "config.reloaded");
}

TEST(EventBusTest, RemembersTheLatestStatePerKeyBounded) {
  EventBus bus;
  bus.remember("run-1", "{\"records\":1}");
  bus.remember("run-1", "{\"records\":2}");
  EXPECT_EQ(bus.recall("run-1"), std::optional<std::string>("{\"records\":2}"));
  bus.forget("run-1");
  EXPECT_EQ(bus.recall("run-1"), std::nullopt);
  for (std::size_t i = 0; i <= EventBus::kMaxRemembered; ++i) {
    bus.remember("run-" + std::to_string(i), "{}");
  }
  EXPECT_EQ(bus.recall("run-0"), std::nullopt);  // the oldest went
  EXPECT_TRUE(bus.recall("run-" + std::to_string(EventBus::kMaxRemembered)).has_value());
}

}  // namespace
}  // namespace sfsync
