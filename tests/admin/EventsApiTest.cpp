// GET /api/events and POST /api/events/ticket against the real AdminServer on port 0: token and
// ticket authentication (a ticket works once, then 401), the hello / event / keepalive frames,
// the cap on open streams (503 + Retry-After, /health still answered), a client that stops
// reading (dropped, its worker and stream slot freed) and the server stopping with streams open.
// Also EventTickets' expiry on an injected clock.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <chrono>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "admin/AdminServerFixture.h"
#include "admin/EventTickets.h"
#include "admin/OAuthStates.h"
#include "admin/SseClient.h"
#include "sfsync/core/EventBus.h"

namespace sfsync::admin::testing {
namespace {

class EventsApiTest : public AdminServerFixture {
 protected:
  void SetUp() override {
    AdminServerFixture::SetUp();
    restart(AdminOptions{});
  }
  void restart(AdminOptions options, EventBus::Limits limits = {}) {
    server_.reset();
    bus_ = std::make_unique<EventBus>(limits);
    options.host = "127.0.0.1";
    options.port = 0;
    options.tokens = {{"alice", hashAdminToken(kAliceToken)}};
    server_ = std::make_unique<AdminServer>(options, *store_, control_,
                                            [] { return std::string("{\"status\":\"ok\"}"); });
    server_->setEventBus(*bus_);
    const Status started = server_->start();
    ASSERT_TRUE(started.ok()) << started.toString();
    client_ = std::make_unique<AdminHttpClient>(server_->port());
  }
  std::string ticket() {
    HttpReply reply = post("/api/events/ticket");
    EXPECT_EQ(reply.status, 200) << reply.body;
    Poco::JSON::Object::Ptr json = parseObject(reply.body);
    EXPECT_EQ(json->getValue<int>("expiresInSeconds"), 30);
    return json->getValue<std::string>("ticket");
  }
  // Waits (generous deadline) until the bus has `n` live subscribers.
  bool waitForSubscribers(std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (bus_->subscribers() != n) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::yield();
    }
    return true;
  }

  std::unique_ptr<EventBus> bus_;
};

TEST_F(EventsApiTest, NeedsTheTokenOrATicket) {
  EXPECT_EQ(get("/api/events", "").status, 401);
  EXPECT_EQ(get("/api/events", "wrong").status, 401);
  EXPECT_EQ(get("/api/events?ticket=0123456789abcdef0123456789abcdef", "").status, 401);
  EXPECT_EQ(post("/api/events/ticket", "").status, 401);
  EXPECT_EQ(get("/api/events/ticket").status, 405);
}

TEST_F(EventsApiTest, StreamsPublishedEventsWithTheBearerToken) {
  SseClient sse(server_->port(), "/api/events", kAliceToken);
  ASSERT_EQ(sse.status(), 200);
  EXPECT_EQ(sse.header("Content-Type"), "text/event-stream; charset=utf-8");
  EXPECT_EQ(sse.header("Cache-Control"), "no-store");
  std::vector<std::string> hello = sse.event();
  EXPECT_TRUE(hasLine(hello, "event: hello"));
  ASSERT_TRUE(waitForSubscribers(1));
  const std::uint64_t id = bus_->publish("run.started", "{\"name\":\"Company Sync\"}");
  std::vector<std::string> started = sse.event();
  EXPECT_TRUE(hasLine(started, "id: " + std::to_string(id)));
  EXPECT_TRUE(hasLine(started, "event: run.started"));
  EXPECT_TRUE(hasLine(started, "data: {\"name\":\"Company Sync\"}"));
}

TEST_F(EventsApiTest, ATicketOpensOneStreamOnly) {
  const std::string t = ticket();
  {
    SseClient sse(server_->port(), "/api/events?ticket=" + t);
    ASSERT_EQ(sse.status(), 200);
    EXPECT_TRUE(hasLine(sse.event(), "event: hello"));
  }
  HttpReply again = get("/api/events?ticket=" + t, "");
  EXPECT_EQ(again.status, 401);
  EXPECT_NE(again.body.find("unknown, used or expired"), std::string::npos);
}

TEST_F(EventsApiTest, SendsKeepaliveCommentsWhenIdle) {
  AdminOptions options;
  options.eventKeepAliveSeconds = 1;
  restart(options);
  SseClient sse(server_->port(), "/api/events", kAliceToken);
  ASSERT_EQ(sse.status(), 200);
  EXPECT_TRUE(hasLine(sse.frame(), "event: hello"));
  EXPECT_EQ(sse.frame(), std::vector<std::string>{": keepalive"});
}

TEST_F(EventsApiTest, CapsOpenStreamsAndKeepsWorkersForTheApi) {
  AdminOptions options;
  options.maxThreads = 4;  // at most half of them stream: 2
  options.maxEventStreams = 8;
  restart(options);
  SseClient a(server_->port(), "/api/events", kAliceToken);
  SseClient b(server_->port(), "/api/events", kAliceToken);
  ASSERT_EQ(a.status(), 200);
  ASSERT_EQ(b.status(), 200);
  ASSERT_TRUE(waitForSubscribers(2));
  HttpReply third = get("/api/events");
  EXPECT_EQ(third.status, 503) << third.body;
  EXPECT_EQ(third.header("Retry-After"), "5");
  EXPECT_EQ(get("/health", "").status, 200);
  EXPECT_EQ(get("/api/jobs").status, 200);
}

TEST_F(EventsApiTest, AClientThatStopsReadingIsDroppedAndFreesItsSlot) {
  AdminOptions options;
  options.maxEventStreams = 1;
  options.requestTimeoutSeconds = 1;  // a stalled write is cut after 1 s
  EventBus::Limits limits;
  limits.queueCapacity = 4;
  restart(options, limits);
  auto stalled = std::make_unique<SseClient>(server_->port(), "/api/events", kAliceToken);
  ASSERT_EQ(stalled->status(), 200);
  EXPECT_TRUE(hasLine(stalled->event(), "event: hello"));
  ASSERT_TRUE(waitForSubscribers(1));
  const std::string big = "{\"pad\":\"" + std::string(64 * 1024, 'x') + "\"}";
  for (int i = 0; i < 400; ++i) bus_->publish("run.progress", big);  // never blocks
  EXPECT_EQ(bus_->subscribers(), 0u);  // the stream's queue overflowed: dropped
  // Its worker and stream slot come back: a new stream opens (generous deadline).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int status = 0;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    SseClient next(server_->port(), "/api/events", kAliceToken);
    status = next.status();
  }
  EXPECT_EQ(status, 200);
}

TEST_F(EventsApiTest, StopEndsOpenStreams) {
  SseClient sse(server_->port(), "/api/events", kAliceToken);
  ASSERT_EQ(sse.status(), 200);
  EXPECT_TRUE(hasLine(sse.event(), "event: hello"));
  server_->stop();  // returns although the stream waits for events
  EXPECT_TRUE(sse.frame().empty());
}

TEST_F(EventsApiTest, WithoutABusTheEndpointsAnswer503) {
  server_.reset();
  AdminServerFixture::startServer(AdminOptions{});
  EXPECT_EQ(get("/api/events").status, 503);
  EXPECT_EQ(post("/api/events/ticket").status, 503);
}

TEST_F(EventsApiTest, TheExecutionJsonCarriesARunningJobsLastProgress) {
  const store::ExecutionRecord* running = nullptr;
  for (const store::ExecutionRecord& r : seeded_.executions) {
    if (r.status == "Running" && r.kind == "job") running = &r;
  }
  ASSERT_NE(running, nullptr);
  Poco::JSON::Object::Ptr before = getJson("/api/activity/" + running->executionId);
  EXPECT_EQ(before->getArray("progress")->size(), 0u);
  bus_->remember(running->executionId, R"({"phase":"load","records":40,"total":100})");
  Poco::JSON::Object::Ptr during = getJson("/api/activity/" + running->executionId);
  ASSERT_EQ(during->getArray("progress")->size(), 1u);
  EXPECT_EQ(during->getArray("progress")->getObject(0)->getValue<int>("records"), 40);
  // A finished execution shows none, even if something was remembered for it.
  bus_->remember(seeded_.deferred.executionId, R"({"records":1})");
  EXPECT_EQ(getJson("/api/activity/" + seeded_.deferred.executionId)->getArray("progress")->size(),
            0u);
}

TEST_F(EventsApiTest, ARunningChainShowsTheSumsOfItsJobRunsSoFar) {
  store::ExecutionRecord chain;
  chain.executionId = "chain-running";
  chain.kind = "chain";
  chain.name = "Nightly";
  chain.status = "Running";
  chain.startTime = "2026-03-09T02:00:00.000Z";
  ASSERT_TRUE(store_->saveExecution(chain).ok());
  for (int i = 0; i < 2; ++i) {
    store::ExecutionRecord job;
    job.executionId = "job-running-" + std::to_string(i);
    job.name = i == 0 ? "Company Sync" : "Person Sync";
    job.parentId = chain.executionId;
    job.chainName = "Nightly";
    job.status = i == 0 ? "Success" : "Running";
    job.startTime = "2026-03-09T02:00:01.000Z";
    job.recordsRead = 100 + i;
    job.created = 10;
    job.updated = 80 + i;
    job.failed = 1;
    ASSERT_TRUE(store_->saveExecution(job).ok());
  }
  bus_->remember("job-running-1", R"({"records":101,"total":500})");
  Poco::JSON::Object::Ptr detail = getJson("/api/activity/chain-running");
  Poco::JSON::Object::Ptr execution = detail->getObject("execution");
  EXPECT_EQ(execution->getValue<int>("recordsRead"), 201);
  EXPECT_EQ(execution->getValue<int>("created"), 20);
  EXPECT_EQ(execution->getValue<int>("updated"), 161);
  EXPECT_EQ(execution->getValue<int>("failed"), 2);
  ASSERT_EQ(detail->getArray("progress")->size(), 1u);  // the running job's
  EXPECT_EQ(detail->getArray("progress")->getObject(0)->getValue<int>("total"), 500);
}

TEST(EventTicketsTest, SingleUseAndExpiring) {
  EventTickets::Clock::time_point now{};
  EventTickets tickets(std::chrono::seconds(30), [&now] { return now; });
  const std::string a = tickets.issue("alice");
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(tickets.redeem(a), std::optional<std::string>("alice"));
  EXPECT_EQ(tickets.redeem(a), std::nullopt);  // used
  const std::string b = tickets.issue("alice");
  EXPECT_NE(a, b);
  now += std::chrono::seconds(30);
  EXPECT_EQ(tickets.redeem(b), std::nullopt);  // expired
  EXPECT_EQ(tickets.redeem("nonsense"), std::nullopt);
}

// Issue 17: the OAuth web-server flow's pending states - single use, expiring, bounded - and the
// PKCE pair (RFC 7636 appendix B).
TEST(OAuthStatesTest, SingleUseExpiringAndBounded) {
  OAuthStates::Clock::time_point now{};
  OAuthStates states(std::chrono::seconds(600), [&now] { return now; });
  const std::string a = states.issue({"web", "verifier-a", "http://h/oauth/callback", "alice"});
  EXPECT_EQ(a.size(), 32u);
  std::optional<OAuthStates::Pending> pending = states.redeem(a);
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->connection, "web");
  EXPECT_EQ(pending->codeVerifier, "verifier-a");
  EXPECT_EQ(pending->actor, "alice");
  EXPECT_FALSE(states.redeem(a).has_value());  // used
  const std::string b = states.issue({"web", "v", "r", "alice"});
  now += std::chrono::seconds(600);
  EXPECT_FALSE(states.redeem(b).has_value());  // expired
  const std::string first = states.issue({"web", "v", "r", "alice"});
  for (std::size_t i = 0; i < OAuthStates::kMaxOutstanding; ++i) {
    now += std::chrono::milliseconds(1);
    (void)states.issue({"web", "v", "r", "alice"});
  }
  EXPECT_FALSE(states.redeem(first).has_value());  // the oldest was forgotten
}

TEST(OAuthStatesTest, PkcePair) {
  EXPECT_EQ(OAuthStates::codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  const std::string v1 = OAuthStates::newCodeVerifier();
  EXPECT_EQ(v1.size(), 43u);
  EXPECT_EQ(
      v1.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_NE(v1, OAuthStates::newCodeVerifier());
}

}  // namespace
}  // namespace sfsync::admin::testing
