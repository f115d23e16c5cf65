// HTTPS: certificate verification against a real TLS server (ScriptedServer over
// SecureServerSocket) with throwaway self-signed certificates (EC P-256, valid until 2126,
// generated for these tests).
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
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgF/JpfsXX7sa6SMLt
fFirUy4kNbTewGDChf477rljnV6hRANCAAQugYpXazOkXFAi9/HSx/tMH+J5dipr
jUu2TlHiZoquo7eErWwOeuHEIHBiO3MKjaSUXJ5ElTnyQsxDir1owx2r
-----END PRIVATE KEY-----
)";
const char* kGoodCert = R"(-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUJ5V/FTWPysBZ39xzrqbN5F0jrpowCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMzEwNTExNFoYDzIxMjYxMDMw
MTA1MTE0WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQugYpXazOkXFAi9/HSx/tMH+J5diprjUu2TlHiZoquo7eErWwOeuHE
IHBiO3MKjaSUXJ5ElTnyQsxDir1owx2ro28wbTAdBgNVHQ4EFgQUUV/UPtfR9ul6
suoKqIv2lfn3udIwHwYDVR0jBBgwFoAUUV/UPtfR9ul6suoKqIv2lfn3udIwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIhAKgi2WyNY3ARB/TTkHs/CfnEcPSH8+uv/TFBdz/o//XwAiAr
q3Wm9yIypCq8WjbzAjFapPTwqrabSWCnVG0ftc0nMw==
-----END CERTIFICATE-----
)";
// Subject and SAN: DNS wrong.example only.
const char* kWrongHostKey = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgasXRhOgiREwfbxB/
/RCZh1q8juDEs1NO4I9w5/2cWuqhRANCAASlQB51GjgyYmIhNaHeRSZNucpyOL1Q
lKIdmp1RnSThSzSGd+hoqvZS2m6L4zxP7dowEbwuApXxexxiPe2j8sw8
-----END PRIVATE KEY-----
)";
const char* kWrongHostCert = R"(-----BEGIN CERTIFICATE-----
MIIBojCCAUegAwIBAgIUQi+l8pLof1f5pzbrZjXIE8Z3jVwwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNd3JvbmcuZXhhbXBsZTAgFw0yNjExMjMxMDUxMTRaGA8yMTI2
MTAzMDEwNTExNFowGDEWMBQGA1UEAwwNd3JvbmcuZXhhbXBsZTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABKVAHnUaODJiYiE1od5FJk25ynI4vVCUoh2anVGdJOFL
NIZ36Giq9lLabovjPE/t2jARvC4ClfF7HGI97aPyzDyjbTBrMB0GA1UdDgQWBBSt
2tSPYYyMerWPiozxPcKCnAybOjAfBgNVHSMEGDAWgBSt2tSPYYyMerWPiozxPcKC
nAybOjAPBgNVHRMBAf8EBTADAQH/MBgGA1UdEQQRMA+CDXdyb25nLmV4YW1wbGUw
CgYIKoZIzj0EAwIDSQAwRgIhAJEbzoonMRZvHnhWiK0KTlqkJu79+W15HSUU2ret
UD+aAiEAibfMwTdxbdZCPNxQLlO8L+BqptZl1zog3Kb9ml/XLos=
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
