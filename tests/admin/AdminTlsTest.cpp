// The admin port over TLS: a self-signed certificate made with the openssl CLI for the test.
#include <gtest/gtest.h>

#include <Poco/Net/Context.h>

#include <chrono>
#include <string>

#include "admin/AdminServerFixture.h"
#include "fakes/Subprocess.h"

namespace sfsync::admin::testing {
namespace {

class AdminTlsTest : public AdminServerFixture {
 protected:
  // Writes cert.pem / key.pem into the test directory.
  bool makeCertificate() {
    sfsync::testing::ProcessResult r = sfsync::testing::runProcess(
        "/usr/bin/openssl",
        {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-keyout", dir_.file("key.pem"), "-out", dir_.file("cert.pem")});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return r.exitCode == 0;
  }
  // TLS with the certificate makeCertificate() wrote.
  AdminOptions tlsOptions() {
    AdminOptions options;
    options.tlsCertificateFile = dir_.file("cert.pem");
    options.tlsPrivateKeyFile = dir_.file("key.pem");
    return options;
  }
};

TEST_F(AdminTlsTest, ServesHttpsWithTheConfiguredCertificate) {
  ASSERT_TRUE(makeCertificate());
  AdminOptions options = tlsOptions();
  // Not a test of the deadline: the handshake under ThreadSanitizer on a loaded machine may take
  // longer than the default 5 s.
  options.requestTimeoutSeconds = 60;
  startServer(options);
  EXPECT_EQ(server_->url().rfind("https://127.0.0.1:", 0), 0u) << server_->url();

  // The client trusts exactly the test certificate.
  Poco::Net::Context::Ptr client =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", dir_.file("cert.pem"),
                             Poco::Net::Context::VERIFY_RELAXED);
  AdminHttpClient https(server_->port(), client);
  EXPECT_EQ(https.get("/health").status, 200);
  EXPECT_EQ(https.get("/api/jobs").status, 401);
  HttpReply csv = https.get(
      "/api/activity/" + seeded_.partialWithErrors.executionId + "/errors.csv", kAliceToken);
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body, seeded_.errorFileBytes);

  // Plain HTTP on the TLS port gets nowhere.
  AdminHttpClient plain(server_->port());
  EXPECT_ANY_THROW(plain.get("/health"));
}

// A client that trickles its TLS handshake (a byte of its ClientHello at a time, each well within
// the per-read timeout) is cut off at the request deadline like a trickling request head. The
// watchdog used to shut a TLS socket down through Poco, which failed while the handshake was in
// progress, so such a client could hold a worker for as long as it liked.
TEST_F(AdminTlsTest, ATricklingHandshakeIsCutOffAtTheDeadline) {
  ASSERT_TRUE(makeCertificate());
  AdminOptions options = tlsOptions();
  options.requestTimeoutSeconds = 1;
  startServer(options);
  // The start of a TLS 1.2 ClientHello record claiming 512 bytes, then filler, 1 byte per 200 ms.
  std::string hello = std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
  hello += std::string(500, '\x01');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(trickledUntilClosed(server_->port(), hello, std::chrono::milliseconds(200)))
      << "the server kept a trickling handshake open for "
      << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
             .count()
      << " s";
}

TEST_F(AdminTlsTest, UnreadableCertificateStopsStart) {
  AdminOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.tlsCertificateFile = dir_.file("missing-cert.pem");
  options.tlsPrivateKeyFile = dir_.file("missing-key.pem");
  AdminServer server(options, *store_, control_, nullptr);
  const Status s = server.start();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("missing-cert.pem"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace sfsync::admin::testing
