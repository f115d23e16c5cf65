// The warnings /health lists for Snowflake connections (issue 14): a refresh token within 14 days
// of its expiry or past it; none for key-pair or Salesforce connections or a token with time left.
#include <gtest/gtest.h>

#include "app/SnowflakeWarnings.h"

namespace sfsync::app {
namespace {

TEST(HealthWarningsTest, ListsSnowflakeTokensNearOrPastExpiry) {
  const Clock::TimePoint now(std::chrono::seconds(1768046400));  // 2026-01-10T12:00:00Z
  const auto day = std::chrono::hours(24);
  config::AppConfig app;
  config::ConnectionConfig salesforce;
  salesforce.settings.name = "sample";
  app.connections.push_back(salesforce);
  for (const auto& [name, issuedDaysAgo] :
       std::vector<std::pair<std::string, int>>{{"fresh", 10}, {"soon", 80}, {"gone", 95}}) {
    config::ConnectionConfig c;
    c.settings.name = name;
    c.isSnowflake = true;
    c.snowflake.auth = snowflake::SnowflakeAuth::kOAuth;
    c.snowflake.refreshTokenIssued = now - issuedDaysAgo * day;
    app.connections.push_back(c);
  }
  config::ConnectionConfig keyPair;
  keyPair.settings.name = "keys";
  keyPair.isSnowflake = true;
  app.connections.push_back(keyPair);

  const std::vector<std::string> warnings = snowflakeTokenWarnings(app, now);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].rfind("Snowflake connection 'soon': the OAuth refresh token expires on "
                              "2026-01-20 (in 10 day(s))",
                              0),
            0u)
      << warnings[0];
  EXPECT_EQ(warnings[1].rfind("Snowflake connection 'gone': the OAuth refresh token expired on "
                              "2026-01-05",
                              0),
            0u)
      << warnings[1];
}

}  // namespace
}  // namespace sfsync::app
