// Key-pair JWT (issue 14): the fingerprint equals the openssl CLI's, and the token carries the
// claims Snowflake checks (iss = ACCOUNT.USER.SHA256:<fp>, sub = ACCOUNT.USER, RS256, exp in 1 h).
#include <gtest/gtest.h>

#include <Poco/Crypto/RSAKey.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include <sstream>

#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "snowflake/KeyPairJwt.h"
#include "snowflake/SnowTestSupport.h"

namespace sfsync::snowflake {
namespace {

TEST(KeyPairJwtTest, FingerprintMatchesOpensslCli) {
  std::istringstream priv(testing::kSnowPrivateKeyPem);
  Poco::Crypto::RSAKey key(nullptr, &priv, "");
  Result<std::string> fp = KeyPairJwt::fingerprint(key);
  ASSERT_TRUE(fp.ok()) << fp.status().toString();
  EXPECT_EQ(*fp, testing::kSnowFingerprint);
  // The simulator's own computation (from the public PEM) agrees.
  EXPECT_EQ(snowsim::publicKeyFingerprint(testing::kSnowPublicKeyPem), testing::kSnowFingerprint);
}

TEST(KeyPairJwtTest, ClaimsAndSignature) {
  testing::TempDir dir;
  dir.write("key.pem", testing::kSnowPrivateKeyPem);
  SnowflakeSettings s;
  s.name = "wh";
  s.accountUrl = "https://myorg-acct.snowflakecomputing.com";
  s.user = "sync_user";
  s.privateKeyFile = dir.file("key.pem");
  testing::FakeClock clock;
  Result<std::string> jwt = KeyPairJwt::build(s, clock.now());
  ASSERT_TRUE(jwt.ok()) << jwt.status().toString();
  std::istringstream pub(testing::kSnowPublicKeyPem);
  Poco::JWT::Signer verifier(new Poco::Crypto::RSAKey(&pub));
  verifier.addAlgorithm(Poco::JWT::Signer::ALGO_RS256);
  Poco::JWT::Token token;
  ASSERT_TRUE(verifier.tryVerify(*jwt, token));
  EXPECT_EQ(token.getAlgorithm(), "RS256");
  EXPECT_EQ(token.getSubject(), "MYORG-ACCT.SYNC_USER");
  EXPECT_EQ(token.getIssuer(), std::string("MYORG-ACCT.SYNC_USER.") + testing::kSnowFingerprint);
  const auto now =
      Poco::Timestamp::fromEpochTime(std::chrono::system_clock::to_time_t(clock.now()));
  EXPECT_EQ((token.getExpiration() - now) / Poco::Timestamp::resolution(), 3600);
}

TEST(KeyPairJwtTest, AccountIdentifierDropsRegionAndUpperCases) {
  SnowflakeSettings s;
  s.accountUrl = "https://xy12345.us-east-1.snowflakecomputing.com";
  EXPECT_EQ(KeyPairJwt::accountIdentifier(s), "XY12345");
  s.account = "myorg-acct";
  EXPECT_EQ(KeyPairJwt::accountIdentifier(s), "MYORG-ACCT");
}

TEST(KeyPairJwtTest, MissingKeyFileIsAConfigProblemWithoutKeyMaterial) {
  SnowflakeSettings s;
  s.name = "wh";
  s.user = "u";
  s.privateKeyFile = "/nonexistent/key.pem";
  testing::FakeClock clock;
  Result<std::string> jwt = KeyPairJwt::build(s, clock.now());
  ASSERT_FALSE(jwt.ok());
  EXPECT_EQ(jwt.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(jwt.status().message().find("/nonexistent/key.pem"), std::string::npos);
}

}  // namespace
}  // namespace sfsync::snowflake
