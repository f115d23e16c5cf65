// EmailSender's STARTTLS path against the SMTP sink upgraded with a throwaway self-signed
// certificate made by the openssl command-line tool at test time (skipped when the tool is not
// installed).
#include <gtest/gtest.h>

#include <Poco/Environment.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Path.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "notify/EmailSender.h"
#include "notify/SmtpSink.h"

namespace sfsync::notify {
namespace {

using testing::SmtpSink;
using testing::SmtpSinkOptions;

class StartTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Poco::Path openssl;
    if (!Poco::Path::find(Poco::Environment::get("PATH", "/usr/bin:/bin"), "openssl", openssl)) {
      GTEST_SKIP() << "openssl command-line tool not installed";
    }
    openssl_ = openssl.toString();
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
  }

  // A self-signed certificate (also its own CA) for `subjectAltName`; returns false on failure.
  bool makeCertificate(const std::string& commonName, const std::string& subjectAltName) {
    certFile_ = dir_.file("cert.pem");
    keyFile_ = dir_.file("key.pem");
    const auto result = sfsync::testing::runProcess(
        openssl_, {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                   "-nodes", "-keyout", keyFile_, "-out", certFile_, "-days", "2", "-subj",
                   "/CN=" + commonName, "-addext", "subjectAltName=" + subjectAltName});
    if (result.exitCode != 0) ADD_FAILURE() << "openssl failed: " << result.err;
    return result.exitCode == 0;
  }

  SmtpSinkOptions tlsSinkOptions() const {
    SmtpSinkOptions options;
    options.tls = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, keyFile_, certFile_,
                                         "", Poco::Net::Context::VERIFY_NONE);
    options.requireAuth = true;
    return options;
  }

  SmtpSettings settingsFor(const SmtpSink& sink) const {
    SmtpSettings s;
    s.host = "127.0.0.1";
    s.port = sink.port();
    s.from = "sfsync@example.com";
    s.startTls = true;
    s.caFile = certFile_;
    s.username = "bot";
    s.password = "tls-only-secret";
    s.timeout = std::chrono::seconds(20);
    return s;
  }

  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
  sfsync::testing::TempDir dir_;
  std::string openssl_;
  std::string certFile_;
  std::string keyFile_;
};

TEST_F(StartTlsTest, UpgradesVerifiesThenAuthenticatesAndSends) {
  ASSERT_TRUE(makeCertificate("localhost", "DNS:localhost,IP:127.0.0.1"));
  SmtpSink sink(tlsSinkOptions());
  EmailSender sender(settingsFor(sink), clock_);
  const Status status = sender.send({"ops@example.com"}, "over TLS", "secret body\n");
  ASSERT_TRUE(status.ok()) << status.toString();
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].tls);
  EXPECT_EQ(messages[0].authMechanism, "PLAIN");
  EXPECT_EQ(messages[0].authPassword, "tls-only-secret");
  // Nothing but EHLO and STARTTLS went over the wire in clear text: the sink records commands in
  // order, and AUTH / MAIL come after STARTTLS and the second EHLO.
  const auto commands = sink.commands();
  ASSERT_GE(commands.size(), 3u);
  EXPECT_EQ(commands[0].rfind("EHLO ", 0), 0u);
  EXPECT_EQ(commands[1], "STARTTLS");
  EXPECT_EQ(commands[2].rfind("EHLO ", 0), 0u);
}

TEST_F(StartTlsTest, UntrustedCertificateStopsBeforeCredentials) {
  ASSERT_TRUE(makeCertificate("localhost", "DNS:localhost,IP:127.0.0.1"));
  SmtpSink sink(tlsSinkOptions());
  SmtpSettings settings = settingsFor(sink);
  settings.caFile.clear();  // the self-signed certificate is not in the system store
  EmailSender sender(settings, clock_);
  const Status status = sender.send({"ops@example.com"}, "s", "b");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.toString();
  EXPECT_NE(status.message().find("certificate verify failed"), std::string::npos)
      << status.toString();
  EXPECT_EQ(status.toString().find("tls-only-secret"), std::string::npos);
  for (const auto& command : sink.commands()) {
    EXPECT_NE(command.rfind("AUTH", 0), 0u) << command;
    EXPECT_NE(command.rfind("MAIL", 0), 0u) << command;
  }
  EXPECT_TRUE(sink.messages().empty());
}

TEST_F(StartTlsTest, CertificateForAnotherHostIsRejected) {
  // Trusted (it is the CA file) but issued for 127.0.0.2 while we connect to 127.0.0.1: the chain
  // verifies, the host-name check must fail.
  ASSERT_TRUE(makeCertificate("127.0.0.2", "IP:127.0.0.2"));
  SmtpSink sink(tlsSinkOptions());
  EmailSender sender(settingsFor(sink), clock_);
  const Status status = sender.send({"ops@example.com"}, "s", "b");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.toString();
  EXPECT_NE(status.message().find("Unacceptable certificate from 127.0.0.1"), std::string::npos)
      << status.toString();
  EXPECT_TRUE(sink.messages().empty());
  for (const auto& command : sink.commands()) EXPECT_NE(command.rfind("AUTH", 0), 0u) << command;
}

TEST_F(StartTlsTest, VerificationCanBeSwitchedOff) {
  ASSERT_TRUE(makeCertificate("127.0.0.2", "IP:127.0.0.2"));
  SmtpSink sink(tlsSinkOptions());
  SmtpSettings settings = settingsFor(sink);
  settings.caFile.clear();
  settings.verifyCertificates = false;
  EmailSender sender(settings, clock_);
  const Status status = sender.send({"ops@example.com"}, "s", "b");
  ASSERT_TRUE(status.ok()) << status.toString();
  ASSERT_EQ(sink.messages().size(), 1u);
  EXPECT_TRUE(sink.messages()[0].tls);
}

}  // namespace
}  // namespace sfsync::notify
