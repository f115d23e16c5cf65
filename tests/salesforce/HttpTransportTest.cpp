#include "salesforce/HttpTransport.h"

#include <gtest/gtest.h>

namespace sfsync::salesforce {
namespace {

TEST(HttpTransportTest, UrlPolicy) {
  const struct {
    std::string url;
    bool allowed;
  } cases[] = {
      {"https://login.salesforce.com/services/oauth2/token", true},
      {"https://acme.my.salesforce.com:8443/x", true},
      {"HTTPS://ACME.MY.SALESFORCE.COM/", true},
      {"http://127.0.0.1:8080/services/data/", true},
      {"http://127.45.6.7/", true},
      {"http://localhost:9000/", true},
      {"http://LocalHost/", true},
      {"http://[::1]:8080/", true},
      {"http://login.salesforce.com/", false},
      {"http://10.0.0.1/", false},
      {"http://128.0.0.1/", false},
      {"http://127.0.0.1.evil.example/", false},
      {"http://localhost.evil.example/", false},
      {"http://[::2]/", false},
      {"ftp://127.0.0.1/", false},
      {"file:///etc/passwd", false},
      {"127.0.0.1:8080", false},
      {"", false},
  };
  for (const auto& c : cases) {
    const Status s = HttpTransport::checkUrl(c.url);
    EXPECT_EQ(s.ok(), c.allowed) << c.url << " -> " << s.toString();
    if (!c.allowed) {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.url;
    }
  }
}

TEST(HttpTransportTest, RefusalMessageIsClear) {
  const Status s = HttpTransport::checkUrl("http://acme.my.salesforce.com/services/oauth2/token");
  EXPECT_NE(s.message().find("https"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("acme.my.salesforce.com"), std::string::npos) << s.message();
}

TEST(HttpTransportTest, PercentEncoding) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""},
      {"AZaz09-._~", "AZaz09-._~"},
      {"SELECT Id FROM Account", "SELECT%20Id%20FROM%20Account"},
      {"a&b=c+d/e?f#g%h", "a%26b%3Dc%2Bd%2Fe%3Ff%23g%25h"},
      {"Name = 'O\\'Brien'", "Name%20%3D%20%27O%5C%27Brien%27"},
      {"Z\xC3\xBCrich", "Z%C3%BCrich"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(HttpTransport::percentEncode(in), out) << in;
}

TEST(HttpTransportTest, RefusedRequestsTouchNoNetwork) {
  HttpTransport transport(TransportOptions{});
  HttpRequest request;
  request.url = "http://example.com/services/data/";
  HttpResponse response;
  const Status s = transport.send(request, response);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(transport.connectionsOpened(), 0);
  EXPECT_EQ(response.status, 0);
}

TEST(HttpTransportTest, UnreadableCaFileIsAConfigurationError) {
  TransportOptions options;
  options.caFile = "/nonexistent/sfsync-ca.pem";
  HttpTransport transport(options);
  HttpRequest request;
  request.url = "https://127.0.0.1:1/";
  HttpResponse response;
  const Status s = transport.send(request, response);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.toString();
  EXPECT_NE(s.message().find("/nonexistent/sfsync-ca.pem"), std::string::npos) << s.message();
  EXPECT_EQ(transport.connectionsOpened(), 0);
}

}  // namespace
}  // namespace sfsync::salesforce
