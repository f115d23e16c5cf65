// The simulator's OAuth 2.0 web-server flow with PKCE (issue 17): the authorize endpoint's login
// form and consent (client_id, redirect_uri and S256 checked), and the code exchange at the token
// endpoint (one-time codes, code_verifier checked against the challenge, same client and
// redirect_uri), answering like Salesforce.
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "salesforce_sim/AuthorizationCodes.h"
#include "salesforce_sim/SimHttpClient.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync::sim {
namespace {

using test::HttpReply;
using test::SimHttpClient;

const char* const kCallback = "http://127.0.0.1:9/oauth/callback";
const char* const kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";  // RFC 7636 example

class SimOAuthWebFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SimOptions options;
    options.oauthCallbackUrl = kCallback;
    sim_ = std::make_unique<SimServer>(options);
    sim_->start();
    http_ = std::make_unique<SimHttpClient>(sim_->port());
  }

  std::string authorizeQuery(const std::string& clientId, const std::string& redirect,
                             const std::string& method) {
    std::string r;
    Poco::URI::encode(redirect, "!#$&'()*+,/:;=?@[]", r);
    return "/services/oauth2/authorize?response_type=code&client_id=" + clientId +
           "&redirect_uri=" + r + "&code_challenge=" + AuthorizationCodes::s256(kVerifier) +
           "&code_challenge_method=" + method + "&state=s1";
  }

  // Login + consent; the Location the simulator redirects to.
  std::string approve(const std::string& password = "sample-password") {
    HttpReply consent = http_->postForm("/services/oauth2/authorize",
                                        {{"step", "login"},
                                         {"response_type", "code"},
                                         {"client_id", "sfsync-sample-client"},
                                         {"redirect_uri", kCallback},
                                         {"code_challenge", AuthorizationCodes::s256(kVerifier)},
                                         {"code_challenge_method", "S256"},
                                         {"state", "s1"},
                                         {"username", "admin@sample.sfsync"},
                                         {"password", password}});
    if (consent.status != 200) return "";
    const std::string marker = "name=\"consent\" value=\"";
    const auto at = consent.body.find(marker);
    if (at == std::string::npos) return "";
    const auto start = at + marker.size();
    const std::string id = consent.body.substr(start, consent.body.find('"', start) - start);
    HttpReply redirect =
        http_->postForm("/services/oauth2/authorize",
                        {{"step", "consent"}, {"consent", id}, {"decision", "allow"}});
    EXPECT_EQ(redirect.status, 302);
    return redirect.header("Location");
  }

  HttpReply exchange(const std::string& code, const std::string& verifier,
                     const std::string& redirect = kCallback) {
    return http_->postForm("/services/oauth2/token", {{"grant_type", "authorization_code"},
                                                      {"code", code},
                                                      {"client_id", "sfsync-sample-client"},
                                                      {"redirect_uri", redirect},
                                                      {"code_verifier", verifier}});
  }

  static std::string codeOf(const std::string& location) {
    for (const auto& [k, v] : Poco::URI(location).getQueryParameters()) {
      if (k == "code") return v;
    }
    return "";
  }

  std::unique_ptr<SimServer> sim_;
  std::unique_ptr<SimHttpClient> http_;
};

TEST_F(SimOAuthWebFlowTest, S256MatchesRfc7636Example) {
  EXPECT_EQ(AuthorizationCodes::s256(kVerifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_F(SimOAuthWebFlowTest, AuthorizeChecksClientRedirectAndChallengeMethod) {
  HttpReply form = http_->get(authorizeQuery("sfsync-sample-client", kCallback, "S256"), "");
  EXPECT_EQ(form.status, 200);
  EXPECT_EQ(form.contentType, "text/html;charset=UTF-8");
  EXPECT_NE(form.body.find("type=\"password\""), std::string::npos);
  EXPECT_EQ(http_->get(authorizeQuery("other-client", kCallback, "S256"), "").status, 400);
  EXPECT_EQ(http_->get(authorizeQuery("sfsync-sample-client", "http://evil/cb", "S256"), "").status,
            400);
  EXPECT_EQ(http_->get(authorizeQuery("sfsync-sample-client", kCallback, "plain"), "").status, 400);
}

TEST_F(SimOAuthWebFlowTest, WrongPasswordShowsTheFormAgain) {
  EXPECT_EQ(approve("wrong"), "");  // no consent page
}

TEST_F(SimOAuthWebFlowTest, CodeExchangeNeedsTheRightVerifierAndWorksOnce) {
  const std::string location = approve();
  ASSERT_EQ(location.rfind(std::string(kCallback) + "?code=", 0), 0u) << location;
  EXPECT_NE(location.find("&state=s1"), std::string::npos);
  const std::string code = codeOf(location);

  HttpReply ok = exchange(code, kVerifier);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.object()->getValue<std::string>("refresh_token"), "sample-refresh-token");
  EXPECT_FALSE(ok.object()->getValue<std::string>("access_token").empty());
  HttpReply replay = exchange(code, kVerifier);  // one-time
  EXPECT_EQ(replay.status, 400);
  EXPECT_EQ(replay.object()->getValue<std::string>("error"), "invalid_grant");

  HttpReply wrong = exchange(codeOf(approve()), "a-different-verifier-of-enough-length-000000");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.object()->getValue<std::string>("error_description"), "invalid code verifier");

  HttpReply redirect = exchange(codeOf(approve()), kVerifier, "http://127.0.0.1:9/other");
  EXPECT_EQ(redirect.status, 400);
  EXPECT_EQ(redirect.object()->getValue<std::string>("error"), "redirect_uri_mismatch");
}

TEST_F(SimOAuthWebFlowTest, DenyRedirectsWithAccessDenied) {
  HttpReply consent = http_->postForm("/services/oauth2/authorize",
                                      {{"step", "login"},
                                       {"response_type", "code"},
                                       {"client_id", "sfsync-sample-client"},
                                       {"redirect_uri", kCallback},
                                       {"code_challenge", AuthorizationCodes::s256(kVerifier)},
                                       {"code_challenge_method", "S256"},
                                       {"state", "s1"},
                                       {"username", "admin@sample.sfsync"},
                                       {"password", "sample-password"}});
  const std::string marker = "name=\"consent\" value=\"";
  const auto start = consent.body.find(marker) + marker.size();
  const std::string id = consent.body.substr(start, consent.body.find('"', start) - start);
  HttpReply denied = http_->postForm("/services/oauth2/authorize",
                                     {{"step", "consent"}, {"consent", id}, {"decision", "deny"}});
  EXPECT_EQ(denied.status, 302);
  EXPECT_EQ(denied.header("Location").rfind(std::string(kCallback) + "?error=access_denied", 0),
            0u);
}

}  // namespace
}  // namespace sfsync::sim
