// Snowflake authentication against the simulator (issue 14): key-pair JWT accepted only with the
// registered key; OAuth refresh tokens exchanged for access tokens, an expired refresh token is a
// clear kUnauthenticated (SNOWFLAKE_REFRESH_TOKEN_EXPIRED); the refresh token's expiry is tracked
// and warned about from 14 days before.
#include <gtest/gtest.h>

#include <Poco/Crypto/RSAKey.h>

#include <sstream>

#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "sfsync/snowflake/RefreshTokenExpiry.h"
#include "sfsync/snowflake/SnowflakeLogin.h"
#include "snowflake/AccessToken.h"
#include "snowflake/SnowTestSupport.h"
#include "snowflake/SqlApiClient.h"

namespace sfsync::snowflake {
namespace {

using snowsim::SimTable;

SimTable oneRowTable() {
  SimTable t;
  t.columns = {{"EMAIL", "text", 0}};
  t.rows = {{std::string("a@example.com")}};
  return t;
}

class SnowflakeAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    snowsim::SnowSimOptions options;
    options.publicKeyPem = testing::kSnowPublicKeyPem;
    options.nowSeconds = [this] {
      return static_cast<std::int64_t>(std::chrono::system_clock::to_time_t(clock_.now()));
    };
    sim_ = std::make_unique<snowsim::SnowflakeSim>(options);
    sim_->setTable("DB.PUBLIC.USAGE", oneRowTable());
    sim_->start();
    dir_.write("key.pem", testing::kSnowPrivateKeyPem);
  }

  Status runOne(const SnowflakeSettings& settings) {
    SqlApiClient client(settings, clock_);
    return client.execute({"SELECT EMAIL FROM DB.PUBLIC.USAGE", {}}, ResultHandler{});
  }

  SnowflakeSettings oauth() {
    SnowflakeSettings s = testing::snowSettings(*sim_, "");
    s.auth = SnowflakeAuth::kOAuth;
    s.clientId = "sim-client";
    s.clientSecret = "sim-secret";
    s.refreshToken = "sim-refresh-token";
    return s;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<snowsim::SnowflakeSim> sim_;
};

TEST_F(SnowflakeAuthTest, KeyPairJwtIsAcceptedWithTheRegisteredKey) {
  Status s = runOne(testing::snowSettings(*sim_, dir_.file("key.pem")));
  EXPECT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(sim_->counters().authRefused, 0);
}

TEST_F(SnowflakeAuthTest, KeyPairJwtWithAnotherKeyIsRefused) {
  Poco::Crypto::RSAKey other(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
  std::ostringstream pub, priv;
  other.save(&pub, &priv);
  dir_.write("other.pem", priv.str());
  Status s = runOne(testing::snowSettings(*sim_, dir_.file("other.pem")));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(s.remoteCode(), "SNOWFLAKE_390144");
  EXPECT_EQ(sim_->counters().statements, 0);
}

TEST_F(SnowflakeAuthTest, OAuthRefreshTokenGivesAnAccessToken) {
  Status s = runOne(oauth());
  EXPECT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(sim_->counters().tokensIssued, 1);
}

TEST_F(SnowflakeAuthTest, ExpiredRefreshTokenIsAClearUnauthenticated) {
  sim_->expireRefreshTokens();
  Status s = runOne(oauth());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(s.remoteCode(), kRefreshTokenExpired);
  EXPECT_NE(s.message().find("--reconnect=warehouse"), std::string::npos);
  EXPECT_EQ(s.message().find("sim-refresh-token"), std::string::npos);  // never the secret
  EXPECT_EQ(sim_->counters().statements, 0);
}

TEST_F(SnowflakeAuthTest, AccessTokenRevokedMidRunIsRenewedOnce) {
  SnowflakeSettings s = oauth();
  SqlApiClient client(s, clock_);
  const ResultHandler noop;
  ASSERT_TRUE(client.execute({"SELECT EMAIL FROM DB.PUBLIC.USAGE", {}}, noop).ok());
  sim_->expireRefreshTokens();  // access tokens revoked too: the renewal itself now fails
  Status again = client.execute({"SELECT EMAIL FROM DB.PUBLIC.USAGE", {}}, noop);
  EXPECT_EQ(again.remoteCode(), kRefreshTokenExpired);
}

// What --authorize and --reconnect run for a Snowflake connection.
TEST_F(SnowflakeAuthTest, LoginChecksTheKeyOrExchangesTheRefreshToken) {
  EXPECT_TRUE(login(testing::snowSettings(*sim_, dir_.file("key.pem")), clock_).ok());
  EXPECT_EQ(login(testing::snowSettings(*sim_, dir_.file("missing.pem")), clock_).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(login(oauth(), clock_).ok());
  EXPECT_EQ(sim_->counters().tokensIssued, 1);
  sim_->expireRefreshTokens();
  EXPECT_EQ(login(oauth(), clock_).remoteCode(), kRefreshTokenExpired);
  EXPECT_EQ(sim_->counters().statements, 0);
}

TEST(RefreshTokenExpiryTest, WarnsFromFourteenDaysBeforeExpiry) {
  testing::FakeClock clock;
  SnowflakeSettings s;
  s.name = "warehouse";
  s.auth = SnowflakeAuth::kOAuth;
  const auto day = std::chrono::hours(24);
  EXPECT_EQ(refreshTokenExpiry(s, clock.now()).state, TokenState::kUntracked);  // no issue date
  s.refreshTokenIssued = clock.now() - 75 * day;  // 15 days left of 90
  EXPECT_EQ(refreshTokenExpiry(s, clock.now()).state, TokenState::kValid);
  EXPECT_EQ(refreshTokenExpiry(s, clock.now()).warning("warehouse"), "");
  s.refreshTokenIssued = clock.now() - 76 * day;  // exactly 14 days left
  TokenExpiry e = refreshTokenExpiry(s, clock.now());
  EXPECT_EQ(e.state, TokenState::kExpiring);
  EXPECT_EQ(e.daysLeft, 14);
  EXPECT_NE(e.warning("warehouse").find("expires on"), std::string::npos);
  EXPECT_NE(e.warning("warehouse").find("--reconnect=warehouse"), std::string::npos);
  s.refreshTokenIssued = clock.now() - 90 * day;
  EXPECT_EQ(refreshTokenExpiry(s, clock.now()).state, TokenState::kExpired);
  s.refreshTokenValidityDays = 365;  // an extended validity moves the warning
  EXPECT_EQ(refreshTokenExpiry(s, clock.now()).state, TokenState::kValid);
  s.auth = SnowflakeAuth::kKeyPair;  // key pairs do not expire
  EXPECT_EQ(refreshTokenExpiry(s, clock.now()).state, TokenState::kUntracked);
}

}  // namespace
}  // namespace sfsync::snowflake
