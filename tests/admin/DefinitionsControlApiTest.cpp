// GET /api/connections|jobs|chains[/{name}] and the write endpoints POST .../{name}/{action}.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "admin/AdminServerFixture.h"

namespace sfsync::admin::testing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

using DefinitionsApiTest = AdminServerFixture;

TEST_F(DefinitionsApiTest, ListsConnectionsJobsAndChains) {
  Array::Ptr connections = getJson("/api/connections")->getArray("connections");
  ASSERT_EQ(connections->size(), 2u);
  Object::Ptr production = connections->getObject(0);
  EXPECT_EQ(production->getValue<std::string>("kind"), "connection");
  EXPECT_EQ(production->getValue<std::string>("name"), "Production");
  EXPECT_EQ(production->getArray("members")->size(), 2u);
  EXPECT_FALSE(production->getValue<bool>("disconnected"));
  EXPECT_TRUE(connections->getObject(1)->getValue<bool>("disconnected"));

  Array::Ptr jobs = getJson("/api/jobs")->getArray("jobs");
  ASSERT_EQ(jobs->size(), 3u);
  Object::Ptr renewal = jobs->getObject(2);
  for (const char* key :
       {"kind", "name", "connection", "file", "schedule", "chain", "members", "paused", "running",
        "disconnected", "nextRun", "lastStatus", "lastRun"}) {
    EXPECT_TRUE(renewal->has(key)) << key;
  }
  EXPECT_FALSE(renewal->has("definition")) << "lists stay small";
  EXPECT_EQ(renewal->getValue<std::string>("schedule"), "every hour");
  EXPECT_EQ(renewal->getValue<std::string>("nextRun"), "2026-03-08T11:00:00.000Z");
  EXPECT_TRUE(renewal->getValue<bool>("running"));
  EXPECT_TRUE(renewal->isNull("chain"));
  EXPECT_EQ(jobs->getObject(0)->getValue<std::string>("chain"), "Nightly");

  Array::Ptr chains = getJson("/api/chains")->getArray("chains");
  ASSERT_EQ(chains->size(), 1u);
  EXPECT_EQ(chains->getObject(0)->getValue<std::string>("schedule"),
            "daily at 02:00 Europe/Berlin");
}

TEST_F(DefinitionsApiTest, OneJobWithDefinitionAndRecentRuns) {
  Object::Ptr job = getJson("/api/jobs/Company%20Sync")->getObject("job");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->getValue<std::string>("name"), "Company Sync");
  Object::Ptr definition = job->getObject("definition");
  ASSERT_TRUE(definition);
  EXPECT_EQ(definition->getObject("source")->getValue<std::string>("object"), "Account");
  Object::Ptr reply = getJson("/api/jobs/Company%20Sync");
  Array::Ptr recent = reply->getArray("recentExecutions");
  ASSERT_EQ(recent->size(), 8u);
  EXPECT_EQ(recent->getObject(0)->getValue<std::string>("executionId"),
            seeded_.partialWithErrors.executionId);

  // A definition that is not JSON comes back as text, never as broken JSON.
  Object::Ptr renewal = getJson("/api/jobs/Renewal%20Sync")->getObject("job");
  EXPECT_TRUE(renewal->isNull("definition"));
  EXPECT_EQ(renewal->getValue<std::string>("definitionText"), "{not json");
}

TEST_F(DefinitionsApiTest, OneChainAndOneConnection) {
  Object::Ptr chain = getJson("/api/chains/Nightly");
  EXPECT_EQ(chain->getObject("chain")->getObject("definition")->getArray("jobs")->size(), 2u);
  EXPECT_EQ(chain->getArray("recentExecutions")->size(), 8u);
  Object::Ptr connection = getJson("/api/connections/Sandbox");
  EXPECT_FALSE(connection->getObject("connection")->has("definition"));
  EXPECT_EQ(connection->getArray("recentExecutions")->size(), 8u);
}

TEST_F(DefinitionsApiTest, UnknownNamesAre404) {
  for (const char* target : {"/api/jobs/Nobody", "/api/chains/Nobody", "/api/connections/Nobody",
                             "/api/jobs/Company%20Sync/run/now", "/api/widgets"}) {
    HttpReply reply = get(target);
    EXPECT_EQ(reply.status, 404) << target;
    EXPECT_NE(parseObject(reply.body)->getValue<std::string>("error"), "") << target;
  }
  EXPECT_NE(get("/api/jobs/Nobody").body.find("unknown job 'Nobody'"), std::string::npos);
}

TEST_F(DefinitionsApiTest, ParametersAreRejected) {
  HttpReply reply = get("/api/jobs?limit=5");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(parseObject(reply.body)->getValue<std::string>("parameter"), "limit");
}

using ControlApiTest = AdminServerFixture;

TEST_F(ControlApiTest, WriteEndpointsCallTheControlAsTheTokensName) {
  struct Case {
    std::string target;
    int status;
    std::string action, kind, name, message;
  };
  const std::vector<Case> cases = {
      {"/api/jobs/Company%20Sync/run", 202, "run", "job", "Company Sync", "started"},
      {"/api/jobs/Company%20Sync/pause", 200, "pause", "job", "Company Sync", "paused"},
      {"/api/jobs/Company%20Sync/resume", 200, "resume", "job", "Company Sync", "resumed"},
      {"/api/chains/Nightly/run", 202, "run", "chain", "Nightly", "started"},
      {"/api/chains/Nightly/pause", 200, "pause", "chain", "Nightly", "paused"},
      {"/api/chains/Nightly/resume", 200, "resume", "chain", "Nightly", "resumed"},
      {"/api/connections/Production/pause", 200, "pause", "connection", "Production", "paused"},
      {"/api/connections/Production/resume", 200, "resume", "connection", "Production", "resumed"},
      {"/api/connections/Production/disconnect", 200, "disconnect", "connection", "Production",
       "disconnected"},
      {"/api/connections/Production/reconnect", 200, "reconnect", "connection", "Production",
       "reconnected"},
  };
  for (const Case& c : cases) {
    HttpReply reply = post(c.target, kCiToken);
    EXPECT_EQ(reply.status, c.status) << c.target << ": " << reply.body;
    Object::Ptr body = parseObject(reply.body);
    EXPECT_EQ(body->getValue<std::string>("message"), c.message) << c.target;
    EXPECT_EQ(body->getValue<std::string>("kind"), c.kind) << c.target;
    EXPECT_EQ(body->getValue<std::string>("name"), c.name) << c.target;
    EXPECT_EQ(body->getValue<std::string>("action"), c.action) << c.target;
  }
  const std::vector<FakeAdminControl::Call> calls = control_.calls();
  ASSERT_EQ(calls.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(calls[i].action, cases[i].action);
    EXPECT_EQ(calls[i].kind, cases[i].kind);
    EXPECT_EQ(calls[i].name, cases[i].name);
    EXPECT_EQ(calls[i].actor, "ci");
  }
  // The state change shows in the read endpoints.
  EXPECT_EQ(post("/api/jobs/Person%20Sync/pause").status, 200);
  EXPECT_TRUE(getJson("/api/jobs/Person%20Sync")->getObject("job")->getValue<bool>("paused"));
  EXPECT_EQ(control_.calls().back().actor, "alice");
}

TEST_F(ControlApiTest, RefusalIs409AndUnknownIs404) {
  control_.refuse("Renewal Sync");
  HttpReply refused = post("/api/jobs/Renewal%20Sync/run");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(parseObject(refused.body)->getValue<std::string>("error"),
            "'Renewal Sync' is already running");
  HttpReply unknown = post("/api/chains/Nobody/run");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(parseObject(unknown.body)->getValue<std::string>("error"), "unknown chain 'Nobody'");
}

TEST_F(ControlApiTest, UnknownActionsAndWrongMethods) {
  EXPECT_EQ(post("/api/jobs/Company%20Sync/explode").status, 404);
  EXPECT_EQ(post("/api/jobs/Company%20Sync/disconnect").status, 404);  // connections only
  EXPECT_EQ(post("/api/connections/Production/run").status, 404);      // jobs and chains only
  HttpReply get405 = get("/api/jobs/Company%20Sync/run");
  EXPECT_EQ(get405.status, 405);
  EXPECT_EQ(get405.header("Allow"), "POST");
  HttpReply post405 = post("/api/jobs");
  EXPECT_EQ(post405.status, 405);
  EXPECT_EQ(post405.header("Allow"), "GET");
  EXPECT_TRUE(control_.calls().empty());
}

TEST_F(ControlApiTest, ABodyIsIgnoredAndTheConnectionStaysUsable) {
  HttpReply reply =
      client_->request("POST", "/api/jobs/Company%20Sync/run", kAliceToken, "{\"ignored\": true}");
  EXPECT_EQ(reply.status, 202);
}

TEST_F(ControlApiTest, APostWithoutContentLengthIsAnsweredAtOnce) {
  // curl -X POST sends no Content-Length: the server must not wait for a body.
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", server_->port()));
  socket.setReceiveTimeout(Poco::Timespan(20, 0));
  const std::string request = std::string("POST /api/chains/Nightly/run HTTP/1.1\r\nHost: x\r\n") +
                              "Authorization: Bearer " + kAliceToken + "\r\n\r\n";
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  char buffer[512] = {};
  const int n = socket.receiveBytes(buffer, sizeof buffer - 1);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(n)).rfind("HTTP/1.1 202 Accepted", 0), 0u);
}

}  // namespace
}  // namespace sfsync::admin::testing
