// Conformance: the daemon's key/value state - put, replace, get, prefix listings (byte-wise, no
// wildcards), persistence.
#include <gtest/gtest.h>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

class StoreStateTest : public StoreTest {
 protected:
  std::optional<std::string> get(const std::string& key) {
    Result<std::optional<std::string>> value = store().getState(key);
    EXPECT_TRUE(value.ok()) << value.status().toString();
    return value.ok() ? *value : std::nullopt;
  }

  Pairs list(const std::string& prefix) {
    Result<Pairs> pairs = store().listState(prefix);
    EXPECT_TRUE(pairs.ok()) << pairs.status().toString();
    return pairs.ok() ? *pairs : Pairs{};
  }
};

TEST_P(StoreStateTest, PutGetAndReplace) {
  EXPECT_EQ(get("scheduler.lastRun.nightly"), std::nullopt);
  ASSERT_TRUE(store().putState("scheduler.lastRun.nightly", "2026-01-01T02:00:00.000Z").ok());
  EXPECT_EQ(get("scheduler.lastRun.nightly"), "2026-01-01T02:00:00.000Z");
  ASSERT_TRUE(store().putState("scheduler.lastRun.nightly", "2026-01-02T02:00:00.000Z").ok());
  EXPECT_EQ(get("scheduler.lastRun.nightly"), "2026-01-02T02:00:00.000Z");
  // An empty value is a value.
  ASSERT_TRUE(store().putState("paused", "").ok());
  EXPECT_EQ(get("paused"), "");
  const char raw[] = "multi\nline \xE2\x82\xAC \0 nul";
  const std::string odd(raw, sizeof raw - 1);
  ASSERT_TRUE(store().putState("odd", odd).ok());
  EXPECT_EQ(get("odd"), odd);

  reopen();
  EXPECT_EQ(get("scheduler.lastRun.nightly"), "2026-01-02T02:00:00.000Z");
  EXPECT_EQ(get("odd"), odd);
  EXPECT_EQ(list(""), (Pairs{{"odd", odd},
                             {"paused", ""},
                             {"scheduler.lastRun.nightly", "2026-01-02T02:00:00.000Z"}}));
}

TEST_P(StoreStateTest, ListsByPrefixInKeyOrder) {
  for (const char* key : {"conn.prod.authorizedAt", "conn.prod.multiCurrency", "conn.prod2.x",
                          "conn.sandbox.authorizedAt", "conn", "conn-other", "con", "conn/", "a%b",
                          "a_b", "axb", "ab"}) {
    ASSERT_TRUE(store().putState(key, std::string("v:") + key).ok());
  }
  EXPECT_EQ(list("conn.prod."), (Pairs{{"conn.prod.authorizedAt", "v:conn.prod.authorizedAt"},
                                       {"conn.prod.multiCurrency", "v:conn.prod.multiCurrency"}}));
  EXPECT_EQ(list("conn.prod"), (Pairs{{"conn.prod.authorizedAt", "v:conn.prod.authorizedAt"},
                                      {"conn.prod.multiCurrency", "v:conn.prod.multiCurrency"},
                                      {"conn.prod2.x", "v:conn.prod2.x"}}));
  EXPECT_EQ(list("conn.").size(), 4u);
  EXPECT_EQ(list("conn").size(), 7u);
  // No LIKE / GLOB wildcards, no case folding.
  EXPECT_EQ(list("a%"), (Pairs{{"a%b", "v:a%b"}}));
  EXPECT_EQ(list("a_"), (Pairs{{"a_b", "v:a_b"}}));
  EXPECT_TRUE(list("CONN").empty());
  EXPECT_TRUE(list("zzz").empty());
  EXPECT_EQ(list("").size(), 12u);
  EXPECT_EQ(list("").front().first, "a%b");
}

TEST_P(StoreStateTest, PrefixesEndingInHighBytes) {
  const std::string high = "k\xFF";
  ASSERT_TRUE(store().putState(high, "1").ok());
  ASSERT_TRUE(store().putState(high + "\xFF" + "x", "2").ok());
  ASSERT_TRUE(store().putState("l", "3").ok());
  EXPECT_EQ(list(high), (Pairs{{high, "1"}, {high + "\xFF" + "x", "2"}}));
  EXPECT_EQ(list(high + "\xFF"), (Pairs{{high + "\xFF" + "x", "2"}}));
  EXPECT_EQ(list("k").size(), 2u);
}

TEST_P(StoreStateTest, EmptyKeyIsInvalid) {
  EXPECT_EQ(store().putState("", "v").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store().getState("").status().code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreStateTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
