// EmailSender against a real SMTP server (SmtpSink) on a loopback port chosen by the kernel.
#include <gtest/gtest.h>

#include <Poco/Net/MailMessage.h>

#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "notify/EmailSender.h"
#include "notify/NoticeSamples.h"
#include "notify/SmtpSink.h"

namespace sfsync::notify {
namespace {

using testing::closedPort;
using testing::companySyncRun;
using testing::ReceivedMail;
using testing::sampleTargets;
using testing::SmtpSink;
using testing::SmtpSinkOptions;

SmtpSettings settingsFor(std::uint16_t port) {
  SmtpSettings s;
  s.host = "127.0.0.1";
  s.port = port;
  s.from = "sfsync <sfsync@example.com>";
  s.heloName = "sfsync.test";
  return s;
}

std::shared_ptr<sfsync::testing::FakeClock> fakeClock() {
  return std::make_shared<sfsync::testing::FakeClock>();
}

std::set<std::string> asSet(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

// The received DATA parsed back as a MIME message (quoted-printable decoded).
std::unique_ptr<Poco::Net::MailMessage> parse(const ReceivedMail& mail) {
  std::istringstream in(mail.data);
  auto message = std::make_unique<Poco::Net::MailMessage>();
  message->read(in);
  return message;
}

TEST(EmailSenderTest, FailureNoticeReachesExactlyTheFailureListOnce) {
  SmtpSink sink;
  EmailSender sender(settingsFor(sink.port()), fakeClock());
  const RunNotice notice = RunNotice::forRun(companySyncRun("Partial Success"), {},
                                             PartialAs::kFailure, Attempt::kFinal);

  const Status status = sender.notify(notice, sampleTargets());
  ASSERT_TRUE(status.ok()) << status.toString();
  ASSERT_TRUE(sink.waitForMessages(1));
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);  // one message for the whole list
  const ReceivedMail& mail = messages[0];
  EXPECT_EQ(mail.ehloName, "sfsync.test");
  EXPECT_EQ(mail.mailFrom, "sfsync@example.com");
  EXPECT_EQ(mail.rcptTo.size(), 2u);
  EXPECT_EQ(asSet(mail.rcptTo), (std::set<std::string>{"ops@example.com", "oncall@example.com"}));
  EXPECT_EQ(mail.authMechanism, "");  // no username configured
  EXPECT_EQ(sink.connections(), 1);

  const auto parsedPtr = parse(mail);
  const Poco::Net::MailMessage& parsed = *parsedPtr;
  EXPECT_EQ(parsed.getSubject(), "[sfsync] Company Sync: Partial Success (120 ok, 3 failed)");
  EXPECT_EQ(parsed.getSender(), "sfsync <sfsync@example.com>");
  EXPECT_NE(parsed.get("To").find("ops@example.com"), std::string::npos);
  EXPECT_NE(parsed.get("To").find("oncall@example.com"), std::string::npos);
  EXPECT_TRUE(parsed.has("Date"));
  EXPECT_NE(parsed.get("Message-ID").find("@example.com>"), std::string::npos);
  EXPECT_EQ(parsed.get("MIME-Version"), "1.0");
  EXPECT_EQ(parsed.get("Auto-Submitted"), "auto-generated");
  EXPECT_NE(parsed.getContentType().find("text/plain"), std::string::npos);
  const std::string& body = parsed.getContent();
  EXPECT_NE(body.find("Job \"Company Sync\" finished: Partial Success"), std::string::npos) << body;
  EXPECT_NE(body.find("Failed:       3"), std::string::npos) << body;
  EXPECT_NE(body.find("Error file: /var/lib/sfsync/errors/company-sync-6f1c2a9e.csv"),
            std::string::npos)
      << body;
}

TEST(EmailSenderTest, SuccessNoticeReachesOnlyTheSuccessList) {
  SmtpSink sink;
  EmailSender sender(settingsFor(sink.port()), fakeClock());
  const RunNotice notice =
      RunNotice::forRun(companySyncRun("Success"), {}, PartialAs::kFailure, Attempt::kFinal);
  ASSERT_TRUE(sender.notify(notice, sampleTargets()).ok());
  ASSERT_TRUE(sink.waitForMessages(1));
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].rcptTo, std::vector<std::string>{"team@example.com"});
  EXPECT_EQ(parse(messages[0])->getSubject(), "[sfsync] Company Sync: Success (120 ok, 3 failed)");
}

TEST(EmailSenderTest, EachCallSendsOneMessageAndDuplicatesAreDropped) {
  SmtpSink sink;
  EmailSender sender(settingsFor(sink.port()), fakeClock());
  NotificationTargets targets = sampleTargets();
  targets.onFailure.emails = {"ops@example.com", "OPS@example.com", "ops@example.com"};
  const RunNotice notice =
      RunNotice::forRun(companySyncRun("Failed"), {}, PartialAs::kFailure, Attempt::kFinal);
  ASSERT_TRUE(sender.notify(notice, targets).ok());
  ASSERT_TRUE(sender.notify(notice, targets).ok());
  ASSERT_TRUE(sink.waitForMessages(2));
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 2u);
  for (const auto& m : messages) EXPECT_EQ(m.rcptTo, std::vector<std::string>{"ops@example.com"});
}

TEST(EmailSenderTest, NothingIsSentForRetriedFailuresSkippedRunsOrEmptyLists) {
  SmtpSink sink;
  EmailSender sender(settingsFor(sink.port()), fakeClock());
  const NotificationTargets targets = sampleTargets();
  EXPECT_TRUE(sender
                  .notify(RunNotice::forRun(companySyncRun("Failed"), {}, PartialAs::kFailure,
                                            Attempt::kRetryPending),
                          targets)
                  .ok());
  EXPECT_TRUE(sender
                  .notify(RunNotice::forRun(companySyncRun("Skipped"), {}, PartialAs::kFailure,
                                            Attempt::kFinal),
                          targets)
                  .ok());
  NotificationTargets webhooksOnly;
  webhooksOnly.onFailure.webhooks = {"http://127.0.0.1:1/unused"};
  EXPECT_TRUE(sender
                  .notify(RunNotice::forRun(companySyncRun("Failed"), {}, PartialAs::kFailure,
                                            Attempt::kFinal),
                          webhooksOnly)
                  .ok());
  EXPECT_EQ(sink.connections(), 0);
  EXPECT_TRUE(sink.messages().empty());
}

TEST(EmailSenderTest, AuthPlainCredentialsReachTheServer) {
  SmtpSinkOptions options;
  options.requireAuth = true;
  options.acceptUser = "sfsync-bot";
  options.acceptPassword = "s3cr3t pass";
  SmtpSink sink(options);
  SmtpSettings settings = settingsFor(sink.port());
  settings.username = "sfsync-bot";
  settings.password = "s3cr3t pass";
  EmailSender sender(settings, fakeClock());

  const Status status = sender.send({"ops@example.com"}, "subject", "body");
  ASSERT_TRUE(status.ok()) << status.toString();
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].authMechanism, "PLAIN");
  EXPECT_EQ(messages[0].authUser, "sfsync-bot");
  EXPECT_EQ(messages[0].authPassword, "s3cr3t pass");
}

TEST(EmailSenderTest, AuthLoginWhenPlainIsNotOffered) {
  SmtpSinkOptions options;
  options.authMechanisms = "LOGIN";
  options.requireAuth = true;
  SmtpSink sink(options);
  SmtpSettings settings = settingsFor(sink.port());
  settings.username = "bot";
  settings.password = "pw";
  EmailSender sender(settings, fakeClock());

  const Status status = sender.send({"ops@example.com"}, "subject", "body");
  ASSERT_TRUE(status.ok()) << status.toString();
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].authMechanism, "LOGIN");
  EXPECT_EQ(messages[0].authUser, "bot");
  EXPECT_EQ(messages[0].authPassword, "pw");
}

TEST(EmailSenderTest, RejectedCredentialsGiveUnauthenticatedWithoutThePassword) {
  SmtpSinkOptions options;
  options.requireAuth = true;
  options.acceptUser = "bot";
  options.acceptPassword = "right";
  SmtpSink sink(options);
  SmtpSettings settings = settingsFor(sink.port());
  settings.username = "bot";
  settings.password = "wrong-Pa55";
  EmailSender sender(settings, fakeClock());

  const Status status = sender.send({"ops@example.com"}, "subject", "body");
  EXPECT_EQ(status.code(), StatusCode::kUnauthenticated) << status.toString();
  EXPECT_NE(status.message().find("127.0.0.1:" + std::to_string(sink.port())), std::string::npos);
  EXPECT_NE(status.message().find("535"), std::string::npos) << status.toString();
  EXPECT_EQ(status.toString().find("wrong-Pa55"), std::string::npos);
  EXPECT_TRUE(sink.messages().empty());
}

TEST(EmailSenderTest, NoSupportedAuthMechanismIsAClearError) {
  SmtpSinkOptions options;
  options.authMechanisms = "CRAM-MD5";
  SmtpSink sink(options);
  SmtpSettings settings = settingsFor(sink.port());
  settings.username = "bot";
  settings.password = "pw";
  EmailSender sender(settings, fakeClock());
  const Status status = sender.send({"ops@example.com"}, "s", "b");
  EXPECT_EQ(status.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(status.message().find("no AUTH mechanism"), std::string::npos) << status.toString();
  EXPECT_TRUE(sink.messages().empty());
}

TEST(EmailSenderTest, AuthOfferedOnlyAfterStartTlsGetsAHint) {
  SmtpSinkOptions options;
  options.authMechanisms = "";  // like servers that offer AUTH only once TLS is up
  options.offerStartTls = true;
  SmtpSink sink(options);
  SmtpSettings settings = settingsFor(sink.port());
  settings.username = "bot";
  settings.password = "pw";
  const Status status = EmailSender(settings, fakeClock()).send({"ops@example.com"}, "s", "b");
  EXPECT_EQ(status.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(status.message().find("notify.smtp.startTls=true"), std::string::npos)
      << status.toString();
}

// STARTTLS: the sink has no certificate, so these cover the refusal paths - with startTls set,
// nothing (no credentials, no message) goes over a connection that could not be upgraded.
TEST(EmailSenderTest, StartTlsRequiredButNotOfferedSendsNothing) {
  SmtpSink sink;  // does not advertise STARTTLS
  SmtpSettings settings = settingsFor(sink.port());
  settings.startTls = true;
  settings.username = "bot";
  settings.password = "pw";
  EmailSender sender(settings, fakeClock());
  const Status status = sender.send({"ops@example.com"}, "s", "b");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("does not offer STARTTLS"), std::string::npos)
      << status.toString();
  for (const auto& command : sink.commands()) {
    EXPECT_NE(command.rfind("AUTH", 0), 0u) << command;
    EXPECT_NE(command.rfind("MAIL", 0), 0u) << command;
  }
  EXPECT_TRUE(sink.messages().empty());
}

TEST(EmailSenderTest, StartTlsRefusedByTheServerSendsNothing) {
  SmtpSinkOptions options;
  options.offerStartTls = true;  // advertised, then answered with 454
  SmtpSink sink(options);
  SmtpSettings settings = settingsFor(sink.port());
  settings.startTls = true;
  settings.username = "bot";
  settings.password = "pw";
  EmailSender sender(settings, fakeClock());
  const Status status = sender.send({"ops@example.com"}, "s", "b");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("refused STARTTLS"), std::string::npos) << status.toString();
  const auto commands = sink.commands();
  bool sawStartTls = false;
  for (const auto& command : commands) {
    sawStartTls = sawStartTls || command == "STARTTLS";
    EXPECT_NE(command.rfind("AUTH", 0), 0u) << command;
    EXPECT_NE(command.rfind("MAIL", 0), 0u) << command;
  }
  EXPECT_TRUE(sawStartTls);
  EXPECT_TRUE(sink.messages().empty());
}

TEST(EmailSenderTest, ServerDownIsUnavailableNamingTheServer) {
  const std::uint16_t port = closedPort();
  EmailSender sender(settingsFor(port), fakeClock());
  const Status status = sender.send({"ops@example.com"}, "s", "b");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(),
            "SMTP server 127.0.0.1:" + std::to_string(port) + ": connection refused");
}

TEST(EmailSenderTest, RefusedRecipientIsARemoteError) {
  SmtpSinkOptions options;
  options.rejectRecipients = {"gone@example.com"};
  SmtpSink sink(options);
  EmailSender sender(settingsFor(sink.port()), fakeClock());
  const Status status = sender.send({"ops@example.com", "gone@example.com"}, "s", "b");
  EXPECT_EQ(status.code(), StatusCode::kRemoteError);
  EXPECT_NE(status.message().find("gone@example.com"), std::string::npos) << status.toString();
  EXPECT_NE(status.message().find("550"), std::string::npos) << status.toString();
  EXPECT_TRUE(sink.messages().empty());
}

TEST(EmailSenderTest, MisconfigurationIsReportedBeforeConnecting) {
  SmtpSink sink;
  SmtpSettings noHost = settingsFor(sink.port());
  noHost.host.clear();
  EXPECT_EQ(EmailSender(noHost, fakeClock()).send({"ops@example.com"}, "s", "b").code(),
            StatusCode::kInvalidArgument);

  SmtpSettings badFrom = settingsFor(sink.port());
  badFrom.from = "sfsync";
  EXPECT_EQ(EmailSender(badFrom, fakeClock()).send({"ops@example.com"}, "s", "b").code(),
            StatusCode::kInvalidArgument);

  EmailSender sender(settingsFor(sink.port()), fakeClock());
  const Status injected = sender.send({"ops@example.com\r\nRCPT TO:<x@evil.com>"}, "s", "b");
  EXPECT_EQ(injected.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(sender.send({}, "s", "b").ok());
  EXPECT_EQ(sink.connections(), 0);
}

TEST(EmailSenderTest, NonAsciiSubjectIsEncodedAndDateComesFromTheClock) {
  SmtpSink sink;
  // 2000-01-01T00:00:00Z, far from the wall clock
  auto clock = std::make_shared<sfsync::testing::FakeClock>(
      sfsync::Clock::TimePoint(std::chrono::seconds(946684800)));
  EmailSender sender(settingsFor(sink.port()), clock);
  ASSERT_TRUE(sender.send({"ops@example.com"}, "[sfsync] Société Sync: Failed", "é\n").ok());
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  const auto parsedPtr = parse(messages[0]);
  const Poco::Net::MailMessage& parsed = *parsedPtr;
  // RFC 2047 on the wire; Poco's reader decodes it back
  EXPECT_NE(messages[0].data.find("\r\nSubject: =?UTF-8?q?"), std::string::npos)
      << messages[0].data;
  EXPECT_EQ(parsed.getSubject(), "[sfsync] Société Sync: Failed");
  EXPECT_NE(parsed.get("Date").find("Jan 2000 00:00:00"), std::string::npos) << parsed.get("Date");
  EXPECT_NE(parsed.getContent().find("é"), std::string::npos);
}

}  // namespace
}  // namespace sfsync::notify
