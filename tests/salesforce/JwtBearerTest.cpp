// OAuth 2.0 JWT bearer flow against the simulator, which verifies the RS256 assertion with the
// connected app's public key: a good key gets a session; a wrong key, an expired assertion, a wrong
// audience and an unapproved user are refused like Salesforce refuses them (400 invalid_grant) and
// become kUnauthenticated with a hint. Keys are generated at test time (Poco::Crypto).
#include <Poco/Crypto/ECKey.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Net/HTMLForm.h>
#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce/Authenticator.h"
#include "salesforce/JwtAssertion.h"
#include "salesforce_sim/SimHttpClient.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/salesforce/JwtBearer.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::salesforce {
namespace {

struct KeyPair {
  std::string publicPem;
  std::string privatePem;
};

KeyPair generateRsa() {
  Poco::Crypto::RSAKey key(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
  std::ostringstream pub, priv;
  key.save(&pub, &priv);
  return {pub.str(), priv.str()};
}

class JwtBearerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    appKey_ = new KeyPair(generateRsa());
    otherKey_ = new KeyPair(generateRsa());
  }
  static void TearDownTestSuite() {
    delete appKey_;
    delete otherKey_;
  }

  void startSim(const std::string& audience = "") {
    sim::SimOptions options;
    options.jwtCertificatePem = appKey_->publicPem;
    options.jwtAudience = audience;
    sim_ = std::make_unique<sim::SimServer>(options);
    sim_->start();
  }

  ConnectionSettings settings(const std::string& privatePem) {
    dir_.write("app.key", privatePem);
    ConnectionSettings s = testing::simConnection(*sim_);
    s.authFlow = AuthFlow::kJwtBearer;
    s.clientSecret.clear();
    s.password.clear();
    s.securityToken.clear();
    s.jwtPrivateKeyFile = dir_.file("app.key");
    return s;
  }

  Result<AccessToken> requestToken(const ConnectionSettings& s, Clock::TimePoint now) {
    testing::FakeClock clock(now);
    HttpTransport transport(TransportOptions{});
    Authenticator auth(s, transport, clock);
    ApiUsage usage;
    return auth.requestToken(usage);
  }

  static void expectRefused(const Result<AccessToken>& token, const std::string& description,
                            const std::string& hint) {
    ASSERT_FALSE(token.ok());
    EXPECT_EQ(token.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(token.status().httpStatus(), 400);
    EXPECT_NE(token.status().message().find(description), std::string::npos)
        << token.status().message();
    EXPECT_NE(token.status().message().find(hint), std::string::npos) << token.status().message();
  }

  static KeyPair* appKey_;
  static KeyPair* otherKey_;
  testing::TempDir dir_;
  std::unique_ptr<sim::SimServer> sim_;
  const Clock::TimePoint now_ = std::chrono::system_clock::now();
};

KeyPair* JwtBearerTest::appKey_ = nullptr;
KeyPair* JwtBearerTest::otherKey_ = nullptr;

TEST_F(JwtBearerTest, TheConnectedAppsKeyGetsASession) {
  startSim();
  const Result<AccessToken> token = requestToken(settings(appKey_->privatePem), now_);
  ASSERT_TRUE(token.ok()) << token.status().toString();
  EXPECT_FALSE(token->accessToken.empty());
  EXPECT_EQ(token->instanceUrl, sim_->baseUrl());
  EXPECT_EQ(sim_->tokenRequests(), 1);
}

TEST_F(JwtBearerTest, TheWholeClientWorksWithTheJwtFlow) {
  startSim();
  auto client = makeHttpClient(settings(appKey_->privatePem), systemClock());
  ASSERT_TRUE(client->authenticate().ok());
  const Result<ObjectDescribe> account = client->describe("Account");
  EXPECT_TRUE(account.ok()) << account.status().toString();
}

TEST_F(JwtBearerTest, AnotherKeyIsAnInvalidAssertion) {
  startSim();
  const Result<AccessToken> token = requestToken(settings(otherKey_->privatePem), now_);
  expectRefused(token, "invalid assertion", "certificate uploaded to the connected app");
  EXPECT_EQ(token.status().remoteCode(), "invalid_grant");
}

TEST_F(JwtBearerTest, AnExpiredAssertionIsRefused) {
  startSim();
  const Result<AccessToken> token =
      requestToken(settings(appKey_->privatePem), now_ - std::chrono::minutes(10));
  expectRefused(token, "expired authorization code", "check this machine's clock");
}

TEST_F(JwtBearerTest, TheWrongAudienceIsRefused) {
  startSim("https://login.salesforce.com");  // the sim plays production; we sign for its URL
  const Result<AccessToken> token = requestToken(settings(appKey_->privatePem), now_);
  expectRefused(token, "audience is invalid", "orgType / customDomainUrl");
}

TEST_F(JwtBearerTest, AnUnapprovedUserIsRefused) {
  startSim();
  ConnectionSettings s = settings(appKey_->privatePem);
  s.username = "someone.else@sample.sfsync";
  expectRefused(requestToken(s, now_), "user hasn't approved this consumer", "pre-authorise");
}

TEST_F(JwtBearerTest, AnotherConsumerKeyIsAnInvalidClientId) {
  startSim();
  ConnectionSettings s = settings(appKey_->privatePem);
  s.clientId = "not-the-consumer-key";
  const Result<AccessToken> token = requestToken(s, now_);
  expectRefused(token, "client identifier invalid", "consumer key");
  EXPECT_EQ(token.status().remoteCode(), "invalid_client_id");
}

// The assertion itself: RS256 over iss, sub, aud (the login host of the org type), exp = now + 3
// min.
TEST_F(JwtBearerTest, TheAssertionCarriesTheClaimsSalesforceExpects) {
  dir_.write("app.key", appKey_->privatePem);
  ConnectionSettings s;
  s.name = "prod";
  s.authFlow = AuthFlow::kJwtBearer;
  s.clientId = "3MVG9consumer";
  s.username = "integration@acme.example";
  s.jwtPrivateKeyFile = dir_.file("app.key");
  const Clock::TimePoint now{std::chrono::seconds(1795000000)};
  for (const auto& [org, audience] :
       {std::pair{OrgType::kProduction, "https://login.salesforce.com"},
        std::pair{OrgType::kSandbox, "https://test.salesforce.com"}}) {
    s.orgType = org;
    const Result<std::string> body = Authenticator::tokenRequestBody(s, now);
    ASSERT_TRUE(body.ok()) << body.status().toString();
    Poco::Net::HTMLForm form;
    std::istringstream formBody(body.value());
    form.read(formBody);
    EXPECT_EQ(form.get("grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
    std::istringstream pub(appKey_->publicPem);
    Poco::JWT::Signer verifier(new Poco::Crypto::RSAKey(&pub));
    verifier.setAlgorithms({Poco::JWT::Signer::ALGO_RS256});
    const Poco::JWT::Token token = verifier.verify(form.get("assertion"));  // throws if unsigned
    EXPECT_EQ(token.getAlgorithm(), "RS256");
    EXPECT_EQ(token.getIssuer(), "3MVG9consumer");
    EXPECT_EQ(token.getSubject(), "integration@acme.example");
    EXPECT_EQ(token.getAudience(), std::vector<std::string>{audience});
    EXPECT_EQ(token.getExpiration().epochTime(), 1795000000 + 180);
  }
}

TEST_F(JwtBearerTest, UnusableKeyFilesAreNamedWithTheProblem) {
  Poco::Crypto::ECKey ec("prime256v1");
  std::ostringstream ecPub, ecPriv;
  ec.save(&ecPub, &ecPriv);
  Poco::Crypto::RSAKey rsa(Poco::Crypto::RSAKey::KL_1024, Poco::Crypto::RSAKey::EXP_LARGE);
  std::ostringstream encPub, encPriv;
  rsa.save(&encPub, &encPriv, "a passphrase");
  dir_.write("ec.pem", ecPriv.str());
  dir_.write("public.pem", appKey_->publicPem);
  dir_.write("encrypted.pem", encPriv.str());
  dir_.write("garbage.pem", "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n");
  const struct {
    const char* file;
    const char* problem;
  } cases[] = {{"missing.pem", "file not found"},
               {"ec.pem", "not an RSA private key"},
               {"public.pem", "not a PEM private key"},
               {"encrypted.pem", "encrypted with a passphrase"},
               {"garbage.pem", "not an RSA private key"}};
  for (const auto& c : cases) {
    const Status st = checkJwtPrivateKeyFile(dir_.file(c.file));
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << c.file;
    EXPECT_NE(st.message().find(dir_.file(c.file)), std::string::npos) << st.message();
    EXPECT_NE(st.message().find(c.problem), std::string::npos) << st.message();
  }
  dir_.write("good.pem", appKey_->privatePem);
  EXPECT_TRUE(checkJwtPrivateKeyFile(dir_.file("good.pem")).ok());
}

// Forgeries the simulator must refuse like Salesforce: no signature (alg none), HS256 "signed" with
// the public key as the HMAC secret (the classic key-confusion attack), not a JWT at all.
TEST_F(JwtBearerTest, ForgedAssertionsAreInvalid) {
  startSim();
  Poco::JWT::Token claims;
  claims.setIssuer(sim::SimOptions().clientId);
  claims.setSubject(sim::SimOptions().username);
  claims.setAudience(sim_->baseUrl());
  claims.setExpiration(Poco::Timestamp() + Poco::Timespan(120, 0));
  Poco::JWT::Signer confused(appKey_->publicPem);
  const std::string hs256 = confused.sign(claims, Poco::JWT::Signer::ALGO_HS256);
  // {"alg":"none"} over the same claims, no signature.
  const std::string none = "eyJhbGciOiJub25lIn0" +
                           hs256.substr(hs256.find('.'), hs256.rfind('.') - hs256.find('.')) + ".";
  const std::string forged[] = {none, hs256, "not.a-jwt", ""};
  sim::test::SimHttpClient http(sim_->port());
  for (const std::string& assertion : forged) {
    Poco::Net::HTMLForm form;
    form.set("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
    form.set("assertion", assertion);
    std::ostringstream body;
    form.write(body);
    const auto reply = http.request("POST", "/services/oauth2/token", {}, body.str(),
                                    "application/x-www-form-urlencoded");
    EXPECT_EQ(reply.status, 400) << assertion;
    EXPECT_NE(reply.body.find("\"invalid assertion\""), std::string::npos) << reply.body;
  }
}

TEST_F(JwtBearerTest, MissingSettingsAreNamedAndNothingIsSent) {
  startSim();
  ConnectionSettings s = settings(appKey_->privatePem);
  s.username.clear();
  const Result<AccessToken> token = requestToken(s, now_);
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(token.status().message().find("username"), std::string::npos);
  EXPECT_EQ(sim_->tokenRequests(), 0);
}

}  // namespace
}  // namespace sfsync::salesforce
