// GET /api/cluster (issue 12) through the real admin server over FakeAdminControl's three-daemon
// cluster: the JSON shape (daemons with heartbeat age and `self`, the runs claimed now with their
// daemon, lease and takeovers), 405 for other methods, 400 for parameters, 401 without a token;
// and the JSON of a daemon alone on its store.
#include <gtest/gtest.h>

#include "admin/AdminServerFixture.h"
#include "admin/ClusterHandler.h"

namespace sfsync::admin::testing {
namespace {

class ClusterApiTest : public AdminServerFixture {};

TEST_F(ClusterApiTest, ListsTheDaemonsAndWhoRunsWhat) {
  Poco::JSON::Object::Ptr body = getJson("/api/cluster");
  ASSERT_TRUE(body);
  EXPECT_TRUE(body->getValue<bool>("clustered"));
  EXPECT_EQ(body->getValue<int>("leaseSeconds"), 30);
  EXPECT_EQ(body->getValue<std::string>("self"), "a1b2c3d4@sync-1:4101");
  Poco::JSON::Array::Ptr daemons = body->getArray("daemons");
  ASSERT_EQ(daemons->size(), 3u);
  Poco::JSON::Object::Ptr silent = daemons->getObject(2);
  EXPECT_EQ(silent->getValue<std::string>("host"), "sync-3");
  EXPECT_EQ(silent->getValue<int>("pid"), 4103);
  EXPECT_EQ(silent->getValue<int>("heartbeatAgeSeconds"), 128);
  EXPECT_FALSE(silent->getValue<bool>("self"));
  Poco::JSON::Array::Ptr running = body->getArray("running");
  ASSERT_EQ(running->size(), 1u);
  Poco::JSON::Object::Ptr run = running->getObject(0);
  EXPECT_EQ(run->getValue<std::string>("name"), "Renewal Sync");
  EXPECT_EQ(run->getValue<std::string>("daemon"), "e5f6a7b8@sync-2:4102");
  EXPECT_EQ(run->getValue<std::string>("slot"), "2026-03-08T10:00:00.000Z");
  EXPECT_FALSE(run->getValue<bool>("expired"));
  EXPECT_EQ(run->getValue<int>("adoptions"), 1);
}

TEST_F(ClusterApiTest, OnlyGetWithoutParametersAndWithAToken) {
  EXPECT_EQ(post("/api/cluster").status, 405);
  EXPECT_EQ(get("/api/cluster?x=1").status, 400);
  EXPECT_EQ(get("/api/cluster", "").status, 401);
}

TEST(ClusterHandlerTest, ADaemonAloneIsNotClustered) {
  scheduling::ClusterView alone;
  alone.daemons.push_back(
      {"host:42", "host", 42, "2026-03-08T08:00:00.000Z", "2026-03-08T08:00:00.000Z", 0, true});
  EXPECT_EQ(ClusterHandler::json(alone),
            R"({"clustered":false,"leaseSeconds":0,"self":"host:42","daemons":[{"id":"host:42",)"
            R"("host":"host","pid":42,"startedAt":"2026-03-08T08:00:00.000Z","heartbeatAt":)"
            R"("2026-03-08T08:00:00.000Z","heartbeatAgeSeconds":0,"self":true}],"running":[]})");
}

}  // namespace
}  // namespace sfsync::admin::testing
