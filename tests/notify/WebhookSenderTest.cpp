// WebhookSender against a real HTTP server (WebhookReceiver) on a loopback port chosen by the
// kernel; retry waits go through a FakeClock, which records them instead of sleeping.
#include <gtest/gtest.h>

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "notify/NoticeSamples.h"
#include "notify/WebhookReceiver.h"
#include "notify/WebhookSender.h"

namespace sfsync::notify {
namespace {

using std::chrono::milliseconds;
using testing::closedPort;
using testing::companySyncRun;
using testing::WebhookReceiver;

struct WebhookFixture : ::testing::Test {
  std::shared_ptr<sfsync::testing::FakeClock> clock =
      std::make_shared<sfsync::testing::FakeClock>();
  WebhookReceiver receiver;
  WebhookSettings settings;  // 3 attempts, 1 s initial backoff
  WebhookSender sender{settings, clock};

  RunNotice failureNotice() const {
    return RunNotice::forRun(companySyncRun("Failed"), {}, PartialAs::kFailure, Attempt::kFinal);
  }
  NotificationTargets failureHooks(std::vector<std::string> urls) const {
    NotificationTargets t;
    t.onSuccess.webhooks = {receiver.url("/success-only")};
    t.onFailure.webhooks = std::move(urls);
    return t;
  }
};

TEST_F(WebhookFixture, PostsTheJsonNoticeOnceToEachUrlOfTheList) {
  const Status status = sender.notify(
      failureNotice(), failureHooks({receiver.url("/a?channel=ops"), receiver.url("/b")}));
  ASSERT_TRUE(status.ok()) << status.toString();
  ASSERT_TRUE(receiver.waitForRequests(2));
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].uri, "/a?channel=ops");
  EXPECT_EQ(requests[1].uri, "/b");
  for (const auto& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.headers.at("content-type").rfind("application/json", 0), 0u);
    Poco::JSON::Parser parser;
    const auto body = parser.parse(r.body).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(body->getValue<std::string>("event"), "execution.finished");
    EXPECT_EQ(body->getValue<std::string>("kind"), "job");
    EXPECT_EQ(body->getValue<std::string>("name"), "Company Sync");
    EXPECT_EQ(body->getValue<std::string>("status"), "Failed");
    EXPECT_EQ(body->getValue<std::string>("executionId"), "6f1c2a9e-0000-4000-8000-000000000001");
    EXPECT_EQ(body->getValue<std::string>("connection"), "prod");
    EXPECT_EQ(body->getValue<std::string>("trigger"), "schedule");
    EXPECT_EQ(body->getObject("counts")->getValue<long long>("created"), 100);
    EXPECT_EQ(body->getValue<std::string>("errorFile"),
              "/var/lib/sfsync/errors/company-sync-6f1c2a9e.csv");
  }
  EXPECT_TRUE(clock->sleeps().empty());
}

TEST_F(WebhookFixture, SuccessNoticeGoesToTheSuccessListOnly) {
  const RunNotice notice =
      RunNotice::forRun(companySyncRun("Success"), {}, PartialAs::kFailure, Attempt::kFinal);
  ASSERT_TRUE(sender.notify(notice, failureHooks({receiver.url("/fail")})).ok());
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].uri, "/success-only");
}

TEST_F(WebhookFixture, RetriesAfter500sWithBackoffAndDeliversOnce) {
  receiver.failFirst(2, 500);
  const Status status = sender.notify(failureNotice(), failureHooks({receiver.url()}));
  ASSERT_TRUE(status.ok()) << status.toString();
  EXPECT_EQ(receiver.requests().size(), 3u);
  EXPECT_EQ(receiver.delivered(), 1u);
  EXPECT_EQ(clock->sleeps(), (std::vector<milliseconds>{milliseconds(1000), milliseconds(2000)}));
}

TEST_F(WebhookFixture, Always500IsAnErrorNamingTheUrlAfterTheLastAttempt) {
  receiver.failAlways(503);
  const Status status =
      sender.notify(failureNotice(), failureHooks({receiver.url("/hook?token=t0ps3cret")}));
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.httpStatus(), 503);
  EXPECT_NE(status.message().find("webhook " + receiver.url("") + ":"), std::string::npos)
      << status.toString();
  EXPECT_EQ(status.message().find("/hook"), std::string::npos) << status.toString();
  EXPECT_NE(status.message().find("HTTP 503"), std::string::npos) << status.toString();
  EXPECT_NE(status.message().find("receiver says no"), std::string::npos) << status.toString();
  EXPECT_NE(status.message().find("after 3 attempts"), std::string::npos) << status.toString();
  EXPECT_EQ(status.message().find("t0ps3cret"), std::string::npos) << status.toString();
  EXPECT_EQ(receiver.requests().size(), 3u);
  EXPECT_EQ(receiver.delivered(), 0u);
  EXPECT_EQ(clock->sleeps().size(), 2u);
}

TEST_F(WebhookFixture, ClientErrorsAreNotRetried) {
  receiver.failAlways(404);
  const Status status = sender.post(receiver.url(), "{}");
  EXPECT_EQ(status.code(), StatusCode::kRemoteError);
  EXPECT_EQ(status.httpStatus(), 404);
  EXPECT_NE(status.message().find("after 1 attempt)"), std::string::npos) << status.toString();
  EXPECT_EQ(receiver.requests().size(), 1u);
  EXPECT_TRUE(clock->sleeps().empty());
}

TEST_F(WebhookFixture, TooManyRequestsIsRetried) {
  receiver.failFirst(1, 429);
  EXPECT_TRUE(sender.post(receiver.url(), "{}").ok());
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(clock->sleeps(), std::vector<milliseconds>{milliseconds(1000)});
}

TEST_F(WebhookFixture, OneFailingUrlDoesNotStopTheOthers) {
  const std::string host = "http://127.0.0.1:" + std::to_string(closedPort());
  const std::string down = host + "/down";
  const Status status = sender.notify(failureNotice(), failureHooks({down, receiver.url("/up")}));
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("webhook " + host + ":"), std::string::npos) << status.toString();
  EXPECT_EQ(status.message().find("/down"), std::string::npos) << status.toString();
  EXPECT_NE(status.message().find("connection refused"), std::string::npos) << status.toString();
  EXPECT_EQ(receiver.delivered(), 1u);
}

TEST_F(WebhookFixture, NetworkErrorsAreRetriedThenReported) {
  const std::string down = "http://127.0.0.1:" + std::to_string(closedPort()) + "/x";
  const Status status = sender.post(down, "{}");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.httpStatus(), 0);
  EXPECT_NE(status.message().find("after 3 attempts"), std::string::npos) << status.toString();
  EXPECT_EQ(clock->sleeps(), (std::vector<milliseconds>{milliseconds(1000), milliseconds(2000)}));
}

TEST_F(WebhookFixture, BackoffIsCapped) {
  WebhookSettings capped;
  capped.maxAttempts = 5;
  capped.initialBackoff = milliseconds(500);
  capped.maxBackoff = milliseconds(1500);
  WebhookSender cappedSender(capped, clock);
  receiver.failAlways(500);
  EXPECT_FALSE(cappedSender.post(receiver.url(), "{}").ok());
  EXPECT_EQ(clock->sleeps(), (std::vector<milliseconds>{milliseconds(500), milliseconds(1000),
                                                        milliseconds(1500), milliseconds(1500)}));
  EXPECT_EQ(receiver.requests().size(), 5u);
}

TEST_F(WebhookFixture, NonHttpUrlIsRefusedWithoutSending) {
  const Status status = sender.post("ftp://127.0.0.1/x", "{}");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(clock->sleeps().empty());
}

TEST_F(WebhookFixture, UserInfoBecomesBasicAuthAndStaysOutOfMessages) {
  const std::string url =
      "http://hook-user:hook-pass@127.0.0.1:" + std::to_string(receiver.port()) + "/auth";
  ASSERT_TRUE(sender.post(url, "{}").ok());
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  std::ostringstream expected;
  Poco::Base64Encoder encoder(expected);
  encoder << "hook-user:hook-pass";
  encoder.close();
  EXPECT_EQ(requests[0].headers.at("authorization"), "Basic " + expected.str());

  receiver.failAlways(500);
  const Status status = sender.post(url, "{}");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.message().find("hook-pass"), std::string::npos) << status.toString();
  EXPECT_EQ(WebhookSender::describeUrl(url), "http://127.0.0.1:" + std::to_string(receiver.port()));
}

}  // namespace
}  // namespace sfsync::notify
