// The notifier the application wires (makeNotifier): email and webhooks for one notice, each
// channel tried even when the other fails, against a real SMTP sink and webhook receiver.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "notify/CompositeNotifier.h"
#include "notify/NoticeSamples.h"
#include "notify/SmtpSink.h"
#include "notify/WebhookReceiver.h"
#include "sfsync/notify/NotifierFactory.h"

namespace sfsync::notify {
namespace {

using testing::closedPort;
using testing::companySyncRun;
using testing::sampleTargets;
using testing::SmtpSink;
using testing::WebhookReceiver;

NotificationSettings settingsFor(std::uint16_t smtpPort) {
  NotificationSettings s;
  s.smtp.host = "127.0.0.1";
  s.smtp.port = smtpPort;
  s.smtp.from = "sfsync@example.com";
  return s;
}

RunNotice noticeFor(const std::string& status, Attempt attempt = Attempt::kFinal) {
  return RunNotice::forRun(companySyncRun(status), {}, PartialAs::kFailure, attempt);
}

TEST(CompositeNotifierTest, SendsOnEveryChannelExactlyOnce) {
  SmtpSink sink;
  WebhookReceiver receiver;
  auto clock = std::make_shared<sfsync::testing::FakeClock>();
  NotifierPtr notifier = makeNotifier(settingsFor(sink.port()), clock);
  const NotificationTargets targets = sampleTargets({receiver.url("/ok")}, {receiver.url("/fail")});

  ASSERT_TRUE(notifier->notify(noticeFor("Failed"), targets).ok());
  ASSERT_TRUE(sink.waitForMessages(1));
  ASSERT_TRUE(receiver.waitForRequests(1));
  EXPECT_EQ(sink.messages().size(), 1u);
  EXPECT_EQ(sink.messages()[0].rcptTo.size(), 2u);
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].uri, "/fail");

  ASSERT_TRUE(notifier->notify(noticeFor("Success"), targets).ok());
  ASSERT_TRUE(sink.waitForMessages(2));
  EXPECT_EQ(sink.messages()[1].rcptTo, std::vector<std::string>{"team@example.com"});
  ASSERT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(receiver.requests()[1].uri, "/ok");
}

TEST(CompositeNotifierTest, FailingWebhookDoesNotStopEmailAndIsReported) {
  SmtpSink sink;
  WebhookReceiver receiver;
  receiver.failAlways(500);
  auto clock = std::make_shared<sfsync::testing::FakeClock>();
  NotifierPtr notifier = makeNotifier(settingsFor(sink.port()), clock);

  const Status status =
      notifier->notify(noticeFor("Failed"), sampleTargets({}, {receiver.url("/hook")}));
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.httpStatus(), 500);
  // Only scheme and host: the path of a webhook URL is its secret.
  EXPECT_NE(status.message().find("webhook " + receiver.url("") + ":"), std::string::npos)
      << status.toString();
  EXPECT_EQ(status.message().find("/hook"), std::string::npos) << status.toString();
  ASSERT_TRUE(sink.waitForMessages(1));
  EXPECT_EQ(sink.messages().size(), 1u);  // email still sent
  EXPECT_EQ(receiver.requests().size(), 3u);
}

TEST(CompositeNotifierTest, SmtpDownDoesNotStopWebhooksAndBothFailuresAreListed) {
  WebhookReceiver ok;
  WebhookReceiver broken;
  broken.failAlways(502);
  const std::uint16_t smtpPort = closedPort();
  auto clock = std::make_shared<sfsync::testing::FakeClock>();
  NotifierPtr notifier = makeNotifier(settingsFor(smtpPort), clock);

  const Status status = notifier->notify(noticeFor("Partial Success"),
                                         sampleTargets({}, {ok.url("/a"), broken.url("/b")}));
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("2 notification deliveries failed"), std::string::npos)
      << status.toString();
  EXPECT_NE(status.message().find("SMTP server 127.0.0.1:" + std::to_string(smtpPort)),
            std::string::npos)
      << status.toString();
  EXPECT_NE(status.message().find("webhook " + broken.url("") + ":"), std::string::npos)
      << status.toString();
  EXPECT_EQ(ok.delivered(), 1u);
}

TEST(CompositeNotifierTest, RetryPendingFailureNotifiesNobody) {
  SmtpSink sink;
  WebhookReceiver receiver;
  auto clock = std::make_shared<sfsync::testing::FakeClock>();
  NotifierPtr notifier = makeNotifier(settingsFor(sink.port()), clock);
  const NotificationTargets targets = sampleTargets({}, {receiver.url()});

  EXPECT_TRUE(notifier->notify(noticeFor("Failed", Attempt::kRetryPending), targets).ok());
  EXPECT_EQ(sink.connections(), 0);
  EXPECT_TRUE(receiver.requests().empty());

  // the last retry failed too: now it is notified, once
  EXPECT_TRUE(notifier->notify(noticeFor("Failed", Attempt::kFinal), targets).ok());
  EXPECT_EQ(sink.messages().size(), 1u);
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST(CompositeNotifierTest, EmailWithoutSmtpSettingsIsAnErrorButWebhooksGoOut) {
  WebhookReceiver receiver;
  auto clock = std::make_shared<sfsync::testing::FakeClock>();
  NotifierPtr notifier = makeNotifier(NotificationSettings{}, clock);
  const Status status = notifier->notify(noticeFor("Failed"), sampleTargets({}, {receiver.url()}));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("notify.smtp.host"), std::string::npos) << status.toString();
  EXPECT_EQ(receiver.delivered(), 1u);
}

// A channel that breaks the no-throw contract must not stop the others.
class ThrowingNotifier final : public Notifier {
 public:
  Status notify(const RunNotice&, const NotificationTargets&) override {
    throw std::runtime_error("boom");
  }
};

class CountingNotifier final : public Notifier {
 public:
  explicit CountingNotifier(int* calls) : calls_(calls) {}
  Status notify(const RunNotice&, const NotificationTargets&) override {
    ++*calls_;
    return Status::OK();
  }

 private:
  int* calls_;
};

TEST(CompositeNotifierTest, ContinuesPastAThrowingChannel) {
  int calls = 0;
  std::vector<NotifierPtr> children;
  children.push_back(std::make_unique<ThrowingNotifier>());
  children.push_back(nullptr);
  children.push_back(std::make_unique<CountingNotifier>(&calls));
  CompositeNotifier composite(std::move(children));
  const Status status = composite.notify(noticeFor("Failed"), sampleTargets());
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_NE(status.message().find("boom"), std::string::npos);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace sfsync::notify
