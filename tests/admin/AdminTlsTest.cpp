// The admin port over TLS: a self-signed certificate made with the openssl CLI for the test.
#include <gtest/gtest.h>

#include <Poco/Net/Context.h>

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
