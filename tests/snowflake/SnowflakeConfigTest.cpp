// Configuration of Snowflake connections and jobs (issue 14): the connection keys, a job's
// table / query source, the read-only rule (a writing statement is a validation error), the hidden
// delete toggle (allowDeletes) and source / connection type mismatches.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"
#include "snowflake/SnowTestSupport.h"

namespace sfsync::config {
namespace {

const char* kProps = "conf/sfsync.properties";

std::map<std::string, std::string> properties() {
  return {{"store.type", "sqlite"},
          {"store.path", "var/sfsync.db"},
          {"admin.host", "127.0.0.1"},
          {"admin.port", "8085"},
          {"paths.jobs", "jobs"},
          {"paths.chains", "chains"},
          {"paths.errors", "var/errors"},
          {"log.file", "var/log/sfsyncd.log"},
          {"connections", "warehouse"},
          {"connection.warehouse.type", "snowflake"},
          {"connection.warehouse.accountUrl", "https://myorg-acct.snowflakecomputing.com"},
          {"connection.warehouse.user", "SFSYNC"},
          {"connection.warehouse.warehouse", "WH"},
          {"connection.warehouse.database", "DB"},
          {"connection.warehouse.schema", "PUBLIC"},
          {"connection.warehouse.role", "SFSYNC_ROLE"},
          {"connection.warehouse.privateKeyFile", "conf/snowflake.pem"}};
}

std::string usageJob(const std::string& source, const std::string& extra = "") {
  return R"({"name": "Usage", "connection": "warehouse", "source": )" + source +
         R"(, "target": {"object": "Person"},
  "mappings": [{"source": "EMAIL", "target": "Email", "upsertKey": true},
               {"source": "LOGINS", "target": "Logins"}])" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

class SnowflakeConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_.write("conf/snowflake.pem", testing::kSnowPrivateKeyPem); }

  LoadedConfig load(std::map<std::string, std::string> changes, const std::string& job) {
    std::map<std::string, std::string> props = properties();
    for (const auto& [k, v] : changes) {
      if (v.empty()) {
        props.erase(k);
      } else {
        props[k] = v;
      }
    }
    std::string text;
    for (const auto& [k, v] : props) text += k + " = " + v + "\n";
    dir_.write(kProps, text);
    dir_.write("jobs/usage.json", job);
    dir_.write("chains/.keep", "");
    return loadConfig(kProps, dir_.path());
  }

  static std::string problems(const LoadedConfig& c) {
    std::string out;
    for (const auto& p : c.problems) out += p.toString() + "\n";
    return out;
  }

  sfsync::testing::TempDir dir_;
};

TEST_F(SnowflakeConfigTest, KeyPairConnectionAndTableJob) {
  LoadedConfig c =
      load({}, usageJob(R"({"table": "DB.PUBLIC.USAGE", "incrementalColumn": "UPDATED_AT"})",
                        R"("createNewPeople": false)"));
  ASSERT_TRUE(c.problems.empty()) << problems(c);
  const ConnectionConfig* conn = c.app.findConnection("warehouse");
  ASSERT_NE(conn, nullptr);
  EXPECT_TRUE(conn->isSnowflake);
  EXPECT_EQ(conn->snowflake.accountUrl, "https://myorg-acct.snowflakecomputing.com");
  EXPECT_EQ(conn->snowflake.warehouse, "WH");
  EXPECT_EQ(conn->snowflake.auth, snowflake::SnowflakeAuth::kKeyPair);
  ASSERT_EQ(c.jobs.size(), 1u);
  const JobConfig& job = c.jobs[0];
  EXPECT_EQ(job.sourceTable, "DB.PUBLIC.USAGE");
  EXPECT_EQ(job.sourceObject, "USAGE");
  EXPECT_EQ(job.identifierColumn, "EMAIL");
  EXPECT_EQ(job.incrementalColumn, "UPDATED_AT");
  EXPECT_EQ(job.dedupeBy, "");
  EXPECT_TRUE(job.updateOnly);  // createNewPeople: false
  EXPECT_EQ(job.sourceFields(), (std::vector<std::string>{"Id", "UPDATED_AT", "EMAIL", "LOGINS"}));
}

TEST_F(SnowflakeConfigTest, OAuthNeedsItsSecretsAndTakesTheIssueDate) {
  LoadedConfig c = load({{"connection.warehouse.authenticator", "oauth"},
                         {"connection.warehouse.privateKeyFile", ""},
                         {"connection.warehouse.refreshTokenIssued", "2026-09-01"}},
                        usageJob(R"({"table": "DB.PUBLIC.USAGE"})"));
  const std::string text = problems(c);
  EXPECT_NE(text.find("connection.warehouse: missing credential 'clientId'"), std::string::npos)
      << text;
  EXPECT_NE(text.find("connection.warehouse: missing credential 'refreshToken'"), std::string::npos)
      << text;
  ::setenv("SFSYNC_SF_CLIENT_ID", "cid", 1);
  ::setenv("SFSYNC_SF_REFRESH_TOKEN", "rt-secret", 1);
  c = load({{"connection.warehouse.authenticator", "oauth"},
            {"connection.warehouse.privateKeyFile", ""},
            {"connection.warehouse.credentialsEnvPrefix", "SFSYNC_SF_"},
            {"connection.warehouse.refreshTokenIssued", "2026-09-01"}},
           usageJob(R"({"table": "DB.PUBLIC.USAGE"})"));
  ::unsetenv("SFSYNC_SF_CLIENT_ID");
  ::unsetenv("SFSYNC_SF_REFRESH_TOKEN");
  ASSERT_TRUE(c.problems.empty()) << problems(c);
  const ConnectionConfig* conn = c.app.findConnection("warehouse");
  EXPECT_EQ(conn->snowflake.refreshToken, "rt-secret");
  ASSERT_TRUE(conn->snowflake.refreshTokenIssued.has_value());
  EXPECT_EQ(formatIso8601(*conn->snowflake.refreshTokenIssued), "2026-09-01T00:00:00.000Z");
}

TEST_F(SnowflakeConfigTest, PlainHttpOnlyForLoopbackAndNoUserInfo) {
  const std::string job = usageJob(R"({"table": "DB.PUBLIC.USAGE"})");
  std::string text =
      problems(load({{"connection.warehouse.accountUrl", "http://acct.example.com"}}, job));
  EXPECT_NE(text.find("connection.warehouse.accountUrl: http is allowed only for 127.0.0.1"),
            std::string::npos)
      << text;
  text = problems(
      load({{"connection.warehouse.accountUrl", "https://me:s3cret@acct.example.com"}}, job));
  EXPECT_NE(text.find("connection.warehouse.accountUrl: must not carry a user name"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("s3cret"), std::string::npos) << text;
  for (const char* local : {"http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:8080"}) {
    text = problems(load({{"connection.warehouse.accountUrl", local}}, job));
    EXPECT_EQ(text.find("accountUrl"), std::string::npos) << local << ": " << text;
  }
}

TEST_F(SnowflakeConfigTest, BadKeysAreNamed) {
  LoadedConfig c = load({{"connection.warehouse.accountUrl", ""},
                         {"connection.warehouse.authenticator", "password"},
                         {"connection.warehouse.orgType", "custom"}},
                        usageJob(R"({"table": "DB.PUBLIC.USAGE"})"));
  const std::string text = problems(c);
  EXPECT_NE(text.find("connection.warehouse.accountUrl: is required"), std::string::npos) << text;
  EXPECT_NE(text.find("connection.warehouse.authenticator: unknown authenticator"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("unknown key 'connection.warehouse.orgType' for type = snowflake"),
            std::string::npos)
      << text;
}

TEST_F(SnowflakeConfigTest, AWritingQueryIsRefused) {
  LoadedConfig c = load({}, usageJob(R"({"query": "UPDATE DB.PUBLIC.USAGE SET LOGINS = 0"})"));
  const std::string text = problems(c);
  EXPECT_NE(
      text.find("source.query: sfsync only reads from Snowflake; a UPDATE statement is refused"),
      std::string::npos)
      << text;
  EXPECT_TRUE(c.jobs.empty());
  c = load({},
           usageJob(R"({"query": "SELECT EMAIL, LOGINS FROM DB.PUBLIC.USAGE; DELETE FROM X"})"));
  EXPECT_NE(problems(c).find("source.query: several statements"), std::string::npos) << problems(c);
}

TEST_F(SnowflakeConfigTest, DeletingPeopleIsHiddenUnlessTheConnectionAllowsIt) {
  const std::string job =
      usageJob(R"({"table": "DB.PUBLIC.USAGE"})", R"("onSourceDelete": "delete")");
  LoadedConfig c = load({}, job);
  const std::string text = problems(c);
  EXPECT_NE(text.find("onSourceDelete: deleting people from a Snowflake source is off"),
            std::string::npos)
      << text;
  c = load({{"connection.warehouse.allowDeletes", "true"}}, job);
  EXPECT_TRUE(c.problems.empty()) << problems(c);
}

TEST_F(SnowflakeConfigTest, SourceMustMatchTheConnectionType) {
  LoadedConfig c = load({}, usageJob(R"({"object": "Contact"})"));
  EXPECT_NE(problems(c).find("is a Snowflake connection"), std::string::npos) << problems(c);
}

}  // namespace
}  // namespace sfsync::config
