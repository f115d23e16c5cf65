// HTTPS: certificate verification against a real TLS server (ScriptedServer over
// SecureServerSocket) with throwaway self-signed certificates generated for these tests only
// (EC P-256, valid 2000-01-01 .. 2999-12-31 so that clock skew cannot break the tests).
#include <Poco/FileStream.h>
#include <Poco/Net/Context.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include "fakes/FakeClock.h"
#include "salesforce/HttpTransport.h"
#include "salesforce/ScriptedServer.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::salesforce {
namespace {

using sfsync::testing::Reply;
using sfsync::testing::ScriptedServer;
using sfsync::testing::SeenRequest;

// Subject and SAN: IP 127.0.0.1, DNS localhost.
const char* kGoodKey = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgbygnDISyqONWbS/a
Q6plbkYUA0jUwzIO43NEQsgNQZWhRANCAAQa4pKo6JFGKZXHTlR5le3F33eINgoE
n6zVfoLlowUoyXeyP+8q/v60dzqxNlM7jmZYRqpB3VReKYAhVXpmcZy4
-----END PRIVATE KEY-----
)";
const char* kGoodCert = R"(-----BEGIN CERTIFICATE-----
MIIBWzCCAQGgAwIBAgIUTpEgtrlnN30pfvrmO8RfUYvGWDAwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTAwMDEwMTAwMDAwMFoYDzI5OTkxMjMx
MDAwMDAwWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQa4pKo6JFGKZXHTlR5le3F33eINgoEn6zVfoLlowUoyXeyP+8q/v60
dzqxNlM7jmZYRqpB3VReKYAhVXpmcZy4oy8wLTAaBgNVHREEEzARhwR/AAABggls
b2NhbGhvc3QwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAhayg
sebQtxE5+r6YLXwIBfuYUHhA3RpE0LiCKBUEh3wCIC3rfRoaQKdpDgtHEXQVy742
9gbFVM9/Y1HOI4OI66hH
-----END CERTIFICATE-----
)";
// Subject and SAN: DNS wrong.example only.
const char* kWrongHostKey = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgt+01WbL2qfJVPMLx
IDOIwelQv66/Aaz+qbSjJyHQaIuhRANCAAQ5DfQFfX8qUjJww1Ud5/CBwWuXJkgc
KdCJv6alCFu+G8ZXU56EoiZR07FOIfYpstC0dP7s+lnjpR15W0VwY1jZ
-----END PRIVATE KEY-----
)";
const char* kWrongHostCert = R"(-----BEGIN CERTIFICATE-----
MIIBYTCCAQegAwIBAgIUMFoSHh19bbxmxDGMXhmp/XG64ccwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNd3JvbmcuZXhhbXBsZTAgFw0wMDAxMDEwMDAwMDBaGA8yOTk5
MTIzMTAwMDAwMFowGDEWMBQGA1UEAwwNd3JvbmcuZXhhbXBsZTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABDkN9AV9fypSMnDDVR3n8IHBa5cmSBwp0Im/pqUIW74b
xldTnoSiJlHTsU4h9imy0LR0/uz6WeOlHXlbRXBjWNmjLTArMBgGA1UdEQQRMA+C
DXdyb25nLmV4YW1wbGUwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
AiEAyjFA5FOf8LnOHlzzkKtQeCnYgQn292OKKtiaS+9ck+ACIB1dbf6ND9q/sPXi
ofgfF8l6LzknlIn+ffjTe3+FQCRe
-----END CERTIFICATE-----
)";

std::string writeTemp(Poco::TemporaryFile& file, const char* text) {
  Poco::FileOutputStream out(file.path());
  out << text;
  out.close();
  return file.path();
}

// A TLS server presenting `cert` and the answers of a tiny org.
class TlsServer {
 public:
  TlsServer(const char* key, const char* cert) {
    const std::string keyPath = writeTemp(keyFile_, key);
    const std::string certPath = writeTemp(certFile_, cert);
    Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_SERVER_USE, keyPath, certPath, "", Poco::Net::Context::VERIFY_NONE);
    server_ = std::make_unique<ScriptedServer>(
        [this](const SeenRequest&, int index) {
          return ScriptedServer::tokenOk(server_->baseUrl(), index);
        },
        [](const SeenRequest&, int) {
          return Reply{200, R"({"totalSize":1,"done":true,"records":[{"Id":"001A"}]})"};
        },
        context);
  }
  ScriptedServer& server() { return *server_; }
  std::string certPath() const { return certFile_.path(); }

 private:
  Poco::TemporaryFile keyFile_;
  Poco::TemporaryFile certFile_;
  std::unique_ptr<ScriptedServer> server_;
};

class TlsTransportTest : public ::testing::Test {
 protected:
  ConnectionSettings settingsFor(ScriptedServer& server) {
    ConnectionSettings s;
    s.orgType = OrgType::kCustomDomain;
    s.customDomainUrl = server.baseUrl();
    s.clientId = "cid";
    s.clientSecret = "secret";
    s.username = "u";
    s.password = "p";
    s.maxRetries = 3;
    return s;
  }
  Status queryOnce(const ConnectionSettings& settings, int* rows) {
    auto client = makeHttpClient(settings, clock_);
    return client->query("SELECT Id FROM Account", {"Id"}, [rows](RecordPage& page) {
      *rows += static_cast<int>(page.rows.size());
      return Status::OK();
    });
  }
  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
};

TEST_F(TlsTransportTest, TrustedCertificateFromCaFileIsAccepted) {
  TlsServer tls(kGoodKey, kGoodCert);
  ConnectionSettings settings = settingsFor(tls.server());
  settings.caFile = tls.certPath();
  int rows = 0;
  const Status s = queryOnce(settings, &rows);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(tls.server().tokenRequests().size(), 1u);
}

TEST_F(TlsTransportTest, UntrustedCertificateIsRejectedWithoutRetries) {
  TlsServer tls(kGoodKey, kGoodCert);
  int rows = 0;
  const Status s = queryOnce(settingsFor(tls.server()), &rows);  // system CAs only
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.toString();
  EXPECT_EQ(s.remoteCode(), kCertificateVerifyFailed) << s.toString();
  EXPECT_TRUE(clock_->sleeps().empty());
  EXPECT_TRUE(tls.server().tokenRequests().empty());
}

TEST_F(TlsTransportTest, HostNameMismatchIsRejected) {
  TlsServer tls(kWrongHostKey, kWrongHostCert);
  ConnectionSettings settings = settingsFor(tls.server());
  settings.caFile = tls.certPath();  // trusted, but issued for wrong.example
  int rows = 0;
  const Status s = queryOnce(settings, &rows);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.toString();
  EXPECT_EQ(s.remoteCode(), kCertificateVerifyFailed) << s.toString();
  EXPECT_TRUE(tls.server().tokenRequests().empty());
}

TEST_F(TlsTransportTest, VerificationCanBeTurnedOff) {
  TlsServer tls(kWrongHostKey, kWrongHostCert);
  ConnectionSettings settings = settingsFor(tls.server());
  settings.verifyCertificates = false;
  int rows = 0;
  const Status s = queryOnce(settings, &rows);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(rows, 1);
}

TEST_F(TlsTransportTest, HttpsSessionIsReused) {
  TlsServer tls(kGoodKey, kGoodCert);
  TransportOptions options;
  options.caFile = tls.certPath();
  HttpTransport transport(options);
  HttpRequest request;
  request.url = tls.server().baseUrl() + "/services/data/";
  HttpResponse response;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(transport.send(request, response).ok());
  EXPECT_EQ(transport.connectionsOpened(), 1);
}

}  // namespace
}  // namespace sfsync::salesforce
