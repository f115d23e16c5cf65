#include "salesforce/Backoff.h"

#include <gtest/gtest.h>

#include "fakes/FakeClock.h"

namespace sfsync::salesforce {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, DoublesUpToTheCapAndStopsAfterMaxRetries) {
  const struct {
    int maxRetries;
    milliseconds initial;
    milliseconds max;
    std::vector<milliseconds> expected;
  } cases[] = {
      {4,
       milliseconds(500),
       milliseconds(30000),
       {milliseconds(500), milliseconds(1000), milliseconds(2000), milliseconds(4000)}},
      {5,
       milliseconds(1000),
       milliseconds(3000),
       {milliseconds(1000), milliseconds(2000), milliseconds(3000), milliseconds(3000),
        milliseconds(3000)}},
      {2, milliseconds(5000), milliseconds(1000), {milliseconds(1000), milliseconds(1000)}},
      {0, milliseconds(500), milliseconds(30000), {}},
  };
  for (const auto& c : cases) {
    testing::FakeClock clock;
    Backoff backoff(c.maxRetries, c.initial, c.max, clock);
    int granted = 0;
    while (backoff.sleepBeforeRetry()) ++granted;
    EXPECT_EQ(granted, c.maxRetries);
    EXPECT_EQ(backoff.retriesUsed(), c.maxRetries);
    EXPECT_EQ(clock.sleeps(), c.expected);
    EXPECT_FALSE(backoff.sleepBeforeRetry());
    EXPECT_EQ(clock.sleeps().size(), c.expected.size());  // no sleep once spent
  }
}

TEST(BackoffTest, LargeRetryIndexesDoNotOverflow) {
  testing::FakeClock clock;
  Backoff backoff(100, milliseconds(500), milliseconds(30000), clock);
  EXPECT_EQ(backoff.delayFor(90), milliseconds(30000));
}

}  // namespace
}  // namespace sfsync::salesforce
