// Conformance: update (config audit) activity rows - save, generated ids, replace, newest-first
// listing with a limit and a time bound.
#include <gtest/gtest.h>

#include <set>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

class StoreUpdatesTest : public StoreTest {
 protected:
  static UpdateRecord update(std::string id, std::string time, std::string name = "Accounts") {
    UpdateRecord u;
    u.id = std::move(id);
    u.time = std::move(time);
    u.actor = "admin";
    u.kind = "job";
    u.name = std::move(name);
    u.action = "edited";
    u.diff = "-  \"batchSize\": 200\n+  \"batchSize\": 2000\n";
    return u;
  }

  std::vector<std::string> ids(int limit, const std::string& beforeTime) {
    Result<std::vector<UpdateRecord>> listed = store().listUpdates(limit, beforeTime);
    EXPECT_TRUE(listed.ok()) << listed.status().toString();
    std::vector<std::string> out;
    if (listed.ok()) {
      for (const UpdateRecord& u : *listed) out.push_back(u.id);
    }
    return out;
  }
};

bool sameUpdate(const UpdateRecord& a, const UpdateRecord& b) {
  return a.id == b.id && a.time == b.time && a.actor == b.actor && a.kind == b.kind &&
         a.name == b.name && a.action == b.action && a.diff == b.diff;
}

TEST_P(StoreUpdatesTest, EveryFieldRoundTripsAndSaveReplaces) {
  UpdateRecord u = update("u1", "2026-01-01T00:00:00.000Z");
  u.kind = "connection";
  u.name = "prod \"eu\"";
  u.action = "added";
  ASSERT_TRUE(store().saveUpdate(u).ok());
  u.diff = "replaced";
  ASSERT_TRUE(store().saveUpdate(u).ok());
  reopen();
  Result<std::vector<UpdateRecord>> listed = store().listUpdates(10, "");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(sameUpdate((*listed)[0], u));
}

TEST_P(StoreUpdatesTest, NewestFirstWithLimitAndTimeBound) {
  ASSERT_TRUE(store().saveUpdate(update("a", "2026-01-01T00:00:00.000Z")).ok());
  ASSERT_TRUE(store().saveUpdate(update("c", "2026-01-03T00:00:00.000Z")).ok());
  ASSERT_TRUE(store().saveUpdate(update("b", "2026-01-02T00:00:00.000Z")).ok());
  ASSERT_TRUE(store().saveUpdate(update("b2", "2026-01-02T00:00:00.000Z")).ok());
  using V = std::vector<std::string>;
  EXPECT_EQ(ids(0, ""), (V{"c", "b2", "b", "a"}));
  EXPECT_EQ(ids(-1, ""), (V{"c", "b2", "b", "a"}));
  EXPECT_EQ(ids(2, ""), (V{"c", "b2"}));
  EXPECT_EQ(ids(10, "2026-01-03T00:00:00.000Z"), (V{"b2", "b", "a"}));
  EXPECT_EQ(ids(1, "2026-01-02T00:00:00.000Z"), (V{"a"}));
  EXPECT_EQ(ids(10, "2026-01-01T00:00:00.000Z"), V{});
}

TEST_P(StoreUpdatesTest, EmptyIdGetsAGeneratedOne) {
  ASSERT_TRUE(store().saveUpdate(update("", "2026-01-01T00:00:00.000Z")).ok());
  ASSERT_TRUE(store().saveUpdate(update("", "2026-01-01T00:00:00.000Z")).ok());
  Result<std::vector<UpdateRecord>> listed = store().listUpdates(0, "");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  std::set<std::string> generated;
  for (const UpdateRecord& u : *listed) {
    EXPECT_EQ(u.id.size(), 36u) << u.id;
    generated.insert(u.id);
  }
  EXPECT_EQ(generated.size(), 2u);
}

TEST_P(StoreUpdatesTest, RecordWithoutTimeIsInvalid) {
  EXPECT_EQ(store().saveUpdate(update("u", "")).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ids(0, "").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreUpdatesTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
