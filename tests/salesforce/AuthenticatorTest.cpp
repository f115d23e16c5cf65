#include "salesforce/Authenticator.h"

#include <gtest/gtest.h>

#include "fakes/FakeClock.h"

namespace sfsync::salesforce {
namespace {

ConnectionSettings passwordSettings() {
  ConnectionSettings s;
  s.name = "prod";
  s.clientId = "client id";
  s.clientSecret = "s3cr&t=";
  s.username = "admin@acme.example";
  s.password = "p@ss word+";
  s.securityToken = "TOKEN";
  return s;
}

TEST(AuthenticatorTest, PasswordFlowFormAppendsTheSecurityTokenAndEncodes) {
  const Result<std::string> body = Authenticator::tokenRequestBody(passwordSettings());
  ASSERT_TRUE(body.ok()) << body.status().toString();
  EXPECT_EQ(body.value(),
            "grant_type=password&client_id=client%20id&client_secret=s3cr%26t%3D"
            "&username=admin%40acme.example&password=p%40ss%20word%2BTOKEN");
}

TEST(AuthenticatorTest, RefreshTokenFlowForm) {
  ConnectionSettings s = passwordSettings();
  s.authFlow = AuthFlow::kRefreshToken;
  s.refreshToken = "5Aep861/refresh==";
  const Result<std::string> body = Authenticator::tokenRequestBody(s);
  ASSERT_TRUE(body.ok()) << body.status().toString();
  EXPECT_EQ(body.value(),
            "grant_type=refresh_token&client_id=client%20id&client_secret=s3cr%26t%3D"
            "&refresh_token=5Aep861%2Frefresh%3D%3D");
}

TEST(AuthenticatorTest, MissingCredentialsAreRejectedWithoutSecrets) {
  const struct {
    const char* what;
    void (*clear)(ConnectionSettings&);
    AuthFlow flow;
  } cases[] = {
      {"clientId", [](ConnectionSettings& s) { s.clientId.clear(); }, AuthFlow::kPassword},
      {"clientSecret", [](ConnectionSettings& s) { s.clientSecret.clear(); }, AuthFlow::kPassword},
      {"username", [](ConnectionSettings& s) { s.username.clear(); }, AuthFlow::kPassword},
      {"password", [](ConnectionSettings& s) { s.password.clear(); }, AuthFlow::kPassword},
      {"refreshToken", [](ConnectionSettings& s) { s.refreshToken.clear(); },
       AuthFlow::kRefreshToken},
  };
  for (const auto& c : cases) {
    ConnectionSettings s = passwordSettings();
    s.authFlow = c.flow;
    s.refreshToken = "refresh-secret";
    c.clear(s);
    const Result<std::string> body = Authenticator::tokenRequestBody(s);
    ASSERT_FALSE(body.ok()) << c.what;
    EXPECT_EQ(body.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(body.status().message().find(c.what), std::string::npos) << body.status().message();
    EXPECT_EQ(body.status().message().find("s3cr"), std::string::npos);
    EXPECT_EQ(body.status().message().find("p@ss"), std::string::npos);
  }
}

TEST(AuthenticatorTest, TokenUrlUsesTheLoginHost) {
  ConnectionSettings s;
  s.orgType = OrgType::kSandbox;
  EXPECT_EQ(Authenticator::tokenUrl(s), "https://test.salesforce.com/services/oauth2/token");
  s.orgType = OrgType::kCustomDomain;
  s.customDomainUrl = "https://acme.my.salesforce.com/";
  EXPECT_EQ(Authenticator::tokenUrl(s), "https://acme.my.salesforce.com/services/oauth2/token");
}

TEST(AuthenticatorTest, PlainHttpToARemoteHostIsRefusedBeforeAnyRequest) {
  ConnectionSettings s = passwordSettings();
  s.orgType = OrgType::kCustomDomain;
  s.customDomainUrl = "http://login.example.com";
  testing::FakeClock clock;
  HttpTransport transport(TransportOptions{});
  Authenticator auth(s, transport, clock);
  ApiUsage usage;
  const Result<AccessToken> token = auth.requestToken(usage);
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(token.status().message().find("http"), std::string::npos);
  EXPECT_EQ(usage.authentications, 0);
  EXPECT_EQ(transport.connectionsOpened(), 0);
  EXPECT_TRUE(clock.sleeps().empty());
}

}  // namespace
}  // namespace sfsync::salesforce
