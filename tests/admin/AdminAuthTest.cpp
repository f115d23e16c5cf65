// Bearer-token authentication: every /api request and /metrics need a configured token; /health and
// the page are open.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "admin/AdminServerFixture.h"
#include "admin/TokenAuthenticator.h"

namespace sfsync::admin::testing {
namespace {

TEST(HashAdminTokenTest, IsLowerCaseHexSha256) {
  // FIPS 180-2 test vector.
  EXPECT_EQ(hashAdminToken("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenAuthenticatorTest, AcceptsConfiguredTokensAndNamesThem) {
  Result<TokenAuthenticator> auth = TokenAuthenticator::create(
      {{"alice", hashAdminToken("a-secret")}, {"ci", hashAdminToken("c-secret")}});
  ASSERT_TRUE(auth.ok()) << auth.status().toString();
  using Outcome = TokenAuthenticator::Outcome;
  struct Case {
    std::string header;
    Outcome outcome;
    std::string name;
  };
  const std::vector<Case> cases = {
      {"Bearer a-secret", Outcome::kAccepted, "alice"},
      {"bearer c-secret", Outcome::kAccepted, "ci"},
      {"BEARER   c-secret", Outcome::kAccepted, "ci"},  // 1*SP between scheme and token
      // Nothing inside or after the token is trimmed: a trailing space or tab is another token.
      {"Bearer a-secret ", Outcome::kRejected, ""},
      {"bearer c-secret  ", Outcome::kRejected, ""},
      {"Bearer a-secret\t", Outcome::kRejected, ""},
      {"Bearer  a-secret\r", Outcome::kRejected, ""},
      {"Bearer a-sec ret", Outcome::kRejected, ""},
      {"Bearer\ta-secret", Outcome::kMissing, ""},  // the separator is SP (RFC 7235)
      {"Bearer a-secreT", Outcome::kRejected, ""},
      {"Bearer a-secret2", Outcome::kRejected, ""},
      {"Bearer " + hashAdminToken("a-secret"), Outcome::kRejected, ""},  // the digest is no token
      {"Bearer", Outcome::kMissing, ""},
      {"Bearer   ", Outcome::kMissing, ""},
      {"Basic YWxpY2U6eA==", Outcome::kMissing, ""},
      {"", Outcome::kMissing, ""},
  };
  for (const Case& c : cases) {
    const TokenAuthenticator::Verdict v = auth->authenticate(c.header);
    EXPECT_EQ(v.outcome, c.outcome) << "'" << c.header << "'";
    EXPECT_EQ(v.tokenName, c.name) << "'" << c.header << "'";
  }
}

TEST(TokenAuthenticatorTest, UpperCaseDigestsWork) {
  std::string digest = hashAdminToken("x");
  for (char& c : digest) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Result<TokenAuthenticator> auth = TokenAuthenticator::create({{"x", digest}});
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->authenticate("Bearer x").outcome, TokenAuthenticator::Outcome::kAccepted);
}

TEST(TokenAuthenticatorTest, RejectsBadConfiguration) {
  const std::vector<std::vector<AdminToken>> bad = {
      {{"short", "abcd"}},
      {{"nothex", std::string(63, 'a') + "g"}},
      {{"", hashAdminToken("x")}},
      {{"twice", hashAdminToken("x")}, {"twice", hashAdminToken("y")}},
  };
  for (const auto& tokens : bad) {
    Result<TokenAuthenticator> auth = TokenAuthenticator::create(tokens);
    ASSERT_FALSE(auth.ok());
    EXPECT_EQ(auth.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(TokenAuthenticatorTest, NoTokensAcceptsNobody) {
  TokenAuthenticator none;
  EXPECT_EQ(none.authenticate("Bearer anything").outcome, TokenAuthenticator::Outcome::kRejected);
}

using AdminAuthTest = AdminServerFixture;

TEST_F(AdminAuthTest, EveryApiEndpointNeedsAToken) {
  const std::vector<std::pair<std::string, std::string>> endpoints = {
      {"GET", "/api/connections"},
      {"GET", "/api/jobs"},
      {"GET", "/api/jobs/Company%20Sync"},
      {"GET", "/api/chains"},
      {"GET", "/api/chains/Nightly"},
      {"GET", "/api/activity"},
      {"GET", "/api/activity/" + seeded_.partialWithErrors.executionId},
      {"GET", "/api/activity/" + seeded_.partialWithErrors.executionId + "/errors.csv"},
      {"GET", "/api/activity/" + seeded_.withSuccessFile.executionId + "/success.csv"},
      {"GET", "/api/updates"},
      {"GET", "/metrics"},
      {"GET", "/api/no-such-thing"},
      {"POST", "/api/jobs/Company%20Sync/run"},
      {"POST", "/api/chains/Nightly/pause"},
      {"POST", "/api/connections/Production/disconnect"},
  };
  for (const auto& [method, target] : endpoints) {
    HttpReply missing = client_->request(method, target);
    EXPECT_EQ(missing.status, 401) << method << " " << target;
    EXPECT_EQ(missing.reason, "Unauthorized");
    EXPECT_EQ(missing.header("WWW-Authenticate"), "Bearer realm=\"sfsync admin\"") << target;
    EXPECT_NE(parseObject(missing.body)->getValue<std::string>("error"), "");

    HttpReply wrong = client_->request(method, target, "not-a-token");
    EXPECT_EQ(wrong.status, 401) << method << " " << target;
    EXPECT_EQ(wrong.header("WWW-Authenticate"),
              "Bearer realm=\"sfsync admin\", error=\"invalid_token\"");
  }
  EXPECT_TRUE(control_.calls().empty()) << "a refused request reached the control";
}

TEST_F(AdminAuthTest, EitherConfiguredTokenWorks) {
  EXPECT_EQ(get("/api/jobs", kAliceToken).status, 200);
  EXPECT_EQ(get("/api/jobs", kCiToken).status, 200);
  EXPECT_EQ(get("/metrics", kCiToken).status, 200);
}

// Sends a raw request with `authorization` as the exact header line value; the status code.
int statusWithRawAuthorization(std::uint16_t port, const std::string& authorization) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.setReceiveTimeout(Poco::Timespan(20, 0));
  const std::string request =
      "GET /api/jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Authorization: " +
      authorization + "\r\n\r\n";
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  char buffer[64] = {};
  const int n = socket.receiveBytes(buffer, sizeof buffer - 1);
  const std::string head(buffer, static_cast<std::size_t>(n > 0 ? n : 0));
  return head.size() >= 12 ? std::stoi(head.substr(9, 3)) : -1;
}

TEST_F(AdminAuthTest, SchemeIsCaseInsensitiveButTheTokenIsTakenVerbatim) {
  const std::string token = kAliceToken;
  EXPECT_EQ(statusWithRawAuthorization(server_->port(), "bearer " + token), 200);
  EXPECT_EQ(statusWithRawAuthorization(server_->port(), "BEARER  " + token), 200);
  EXPECT_EQ(statusWithRawAuthorization(server_->port(), "Bearer " + token + " x"), 401);
  EXPECT_EQ(statusWithRawAuthorization(server_->port(), "Bearer\t" + token), 401);
  // Spaces or tabs at the very end of the header line are not part of the field value at all
  // (RFC 7230 section 3.2.4: optional whitespace around the value); Poco drops them before the
  // authenticator sees the value. The authenticator itself rejects "Bearer <token> " and
  // "Bearer <token>\t" (see TokenAuthenticatorTest), e.g. a token with a space in a proxy's value.
}

TEST_F(AdminAuthTest, HealthAndThePageAreOpen) {
  HttpReply health = client_->get("/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(parseObject(health.body)->getValue<std::string>("status"), "ok");
  for (const char* asset : {"/", "/index.html", "/app.js", "/style.css"}) {
    EXPECT_EQ(client_->get(asset).status, 200) << asset;
  }
}

TEST_F(AdminAuthTest, WithoutTokensTheApiIsClosed) {
  AdminOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  AdminServer noTokens(options, *store_, control_, nullptr);
  ASSERT_TRUE(noTokens.start().ok());
  AdminHttpClient client(noTokens.port());
  HttpReply health = client.get("/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "{\"status\":\"ok\"}");  // no callback: the default body
  EXPECT_EQ(client.get("/").status, 200);
  EXPECT_EQ(client.get("/api/jobs").status, 401);
  EXPECT_EQ(client.get("/api/jobs", kAliceToken).status, 401);
  EXPECT_EQ(client.get("/metrics", kAliceToken).status, 401);
}

TEST_F(AdminAuthTest, BadTokenDigestStopsStart) {
  AdminOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.tokens = {{"broken", "1234"}};
  AdminServer server(options, *store_, control_, nullptr);
  const Status s = server.start();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("broken"), std::string::npos);
}

TEST_F(AdminAuthTest, PortInUseIsAnErrorNamingTheAddress) {
  AdminOptions options;
  options.host = "127.0.0.1";
  options.port = server_->port();
  AdminServer second(options, *store_, control_, nullptr);
  const Status s = second.start();
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find("127.0.0.1:" + std::to_string(server_->port())), std::string::npos);
}

}  // namespace
}  // namespace sfsync::admin::testing
