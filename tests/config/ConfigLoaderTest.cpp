// loadConfig over a temporary directory tree (conf/, jobs/, chains/): properties and connection
// problems (table-driven), credentials from file and environment, cross-file rules, and that every
// problem of every file comes back from one call.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/ProblemMatchers.h"
#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::config {
namespace {

using test_support::describe;
using test_support::ExpectedProblem;
using test_support::hasExactlyProblems;

const char* kProps = "conf/sfsync.properties";

std::map<std::string, std::string> baseProperties() {
  return {{"store.type", "sqlite"},
          {"store.path", "var/sfsync.db"},
          {"admin.host", "127.0.0.1"},
          {"admin.port", "8085"},
          {"paths.jobs", "jobs"},
          {"paths.chains", "chains"},
          {"paths.errors", "var/errors"},
          {"log.file", "var/log/sfsyncd.log"},
          {"connections", "sample"},
          {"connection.sample.orgType", "custom"},
          {"connection.sample.customDomainUrl", "http://127.0.0.1:8086/"},
          {"connection.sample.authFlow", "password"},
          {"connection.sample.apiVersion", "v61.0"},
          {"connection.sample.credentialsFile", "conf/sample.credentials"}};
}

const char* kCredentials =
    "# sample org\n"
    "clientId = the-client-id\n"
    "clientSecret = the-client-secret\n"
    "username = admin@example.com\n"
    "password = the-password\n"
    "securityToken = the-token\n";

const char* kJob = R"({"name": "Company Sync", "connection": "sample",
  "source": {"object": "Account"}, "target": {"object": "Company"},
  "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true}]})";

std::string job(const std::string& name, const std::string& extra = "") {
  return R"({"name": ")" + name + R"(", "connection": "sample",
    "source": {"object": "Account"}, "target": {"object": "Company"},
    "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true}])" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

// Sets an environment variable for the lifetime of the guard.
class EnvGuard {
 public:
  EnvGuard(std::string name, const std::string& value) : name_(std::move(name)) {
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~EnvGuard() { ::unsetenv(name_.c_str()); }

 private:
  std::string name_;
};

// A complete, valid configuration tree; tests change parts of it.
class ConfigTree {
 public:
  ConfigTree() {
    writeProperties({});
    dir_.write("conf/sample.credentials", kCredentials);
    dir_.write("jobs/company_sync.json", kJob);
    dir_.write("chains/nightly.json", R"({"name": "Nightly", "jobs": ["Company Sync"]})");
  }

  // Base properties with `changes` applied (nullopt removes a key).
  void writeProperties(const std::map<std::string, std::optional<std::string>>& changes) {
    auto props = baseProperties();
    for (const auto& [key, value] : changes) {
      if (value) {
        props[key] = *value;
      } else {
        props.erase(key);
      }
    }
    std::string text = "# test configuration\n";
    for (const auto& [key, value] : props) text += key + " = " + value + "\n";
    dir_.write(kProps, text);
  }

  void write(const std::string& relative, const std::string& text) { dir_.write(relative, text); }
  std::string path(const std::string& relative) const { return dir_.file(relative); }
  const std::string& base() const { return dir_.path(); }

  LoadedConfig load(const std::map<std::string, std::string>& overrides = {}) const {
    return loadConfig(kProps, dir_.path(), overrides);
  }

 private:
  sfsync::testing::TempDir dir_;
};

TEST(ConfigLoaderTest, GoodConfigurationGivesTheModel) {
  ConfigTree tree;
  tree.write("jobs/a_user_sync.json",
             R"({"name": "User Sync", "connection": "sample", "source": {"object": "User"},
                 "target": {"object": "Person"},
                 "mappings": [{"source": "Id", "target": "SfdcUserId", "upsertKey": true}]})");
  tree.write("jobs/notes.txt", "not a job");
  tree.write("chains/readme.md", "not a chain");
  tree.write("conf/admin.crt", "certificate");
  tree.write("conf/admin.key", "key");
  tree.writeProperties({{"connection.sample.queryBatchSize", "500"},
                        {"connection.sample.maxRetries", "2"},
                        {"connection.sample.timeoutMs", "1500"},
                        {"connection.sample.verifyCertificates", "false"},
                        {"logging.loggers.root.level", "debug"},
                        {"admin.tokens", " ops , ci-bot "},
                        {"admin.token.ops.sha256",
                         "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"},
                        {"admin.token.ci-bot.sha256", std::string(64, '0')},
                        {"admin.token.ci-bot.role", "operator"},
                        {"admin.tls.certificateFile", "conf/admin.crt"},
                        {"admin.tls.privateKeyFile", "conf/admin.key"},
                        {"scheduler.maxParallelRuns", "16"},
                        {"scheduler.tickSeconds", "5"},
                        {"retention.days", "3650"},
                        {"notify.smtp.host", "mail.example.com"}});
  const LoadedConfig c = tree.load();
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);

  const AppConfig& app = c.app;
  EXPECT_EQ(app.file, tree.path(kProps));
  EXPECT_EQ(app.baseDir, tree.base());
  EXPECT_EQ(app.storePath, tree.path("var/sfsync.db"));
  EXPECT_EQ(app.adminHost, "127.0.0.1");
  EXPECT_EQ(app.adminPort, 8085);
  EXPECT_EQ(app.jobsDir, tree.path("jobs"));
  EXPECT_EQ(app.chainsDir, tree.path("chains"));
  EXPECT_EQ(app.errorDir, tree.path("var/errors"));
  EXPECT_EQ(app.logFile, tree.path("var/log/sfsyncd.log"));
  ASSERT_EQ(app.adminTokens.size(), 2u);
  EXPECT_EQ(app.adminTokens[0].name, "ops");
  EXPECT_EQ(app.adminTokens[0].sha256Hex,  // lower-cased
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  EXPECT_EQ(app.adminTokens[1].name, "ci-bot");
  EXPECT_EQ(app.adminTokens[1].sha256Hex, std::string(64, '0'));
  EXPECT_EQ(app.adminTokens[0].role, "admin");  // the default (issue 17)
  EXPECT_EQ(app.adminTokens[1].role, "operator");
  EXPECT_EQ(app.tlsCertificateFile, tree.path("conf/admin.crt"));
  EXPECT_EQ(app.tlsPrivateKeyFile, tree.path("conf/admin.key"));
  EXPECT_EQ(app.schedulerMaxParallel, 16);
  EXPECT_EQ(app.schedulerTickSeconds, 5);
  EXPECT_EQ(app.retentionDays, 3650);

  ASSERT_EQ(app.connections.size(), 1u);
  const ConnectionConfig* conn = app.findConnection("sample");
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(app.findConnection("other"), nullptr);
  EXPECT_EQ(conn->credentialsFile, tree.path("conf/sample.credentials"));
  const salesforce::ConnectionSettings& s = conn->settings;
  EXPECT_EQ(s.name, "sample");
  EXPECT_EQ(s.orgType, salesforce::OrgType::kCustomDomain);
  EXPECT_EQ(s.customDomainUrl, "http://127.0.0.1:8086");
  EXPECT_EQ(s.authFlow, salesforce::AuthFlow::kPassword);
  EXPECT_EQ(s.apiVersion, "v61.0");
  EXPECT_EQ(s.clientId, "the-client-id");
  EXPECT_EQ(s.clientSecret, "the-client-secret");
  EXPECT_EQ(s.username, "admin@example.com");
  EXPECT_EQ(s.password, "the-password");
  EXPECT_EQ(s.securityToken, "the-token");
  EXPECT_EQ(s.queryBatchSize, 500);
  EXPECT_EQ(s.maxRetries, 2);
  EXPECT_EQ(s.timeout, std::chrono::milliseconds(1500));
  EXPECT_FALSE(s.verifyCertificates);

  // Jobs sorted by file name; lookup by name or file stem.
  ASSERT_EQ(c.jobs.size(), 2u);
  EXPECT_EQ(c.jobs[0].name, "User Sync");
  EXPECT_EQ(c.jobs[1].name, "Company Sync");
  EXPECT_EQ(c.jobs[1].file, tree.path("jobs/company_sync.json"));
  ASSERT_NE(c.findJob("Company Sync"), nullptr);
  EXPECT_EQ(c.findJob("company_sync"), c.findJob("Company Sync"));
  EXPECT_EQ(c.findJob("a_user_sync")->name, "User Sync");
  EXPECT_EQ(c.findJob("Nope"), nullptr);
  ASSERT_EQ(c.chains.size(), 1u);
  EXPECT_EQ(c.findChain("nightly"), &c.chains[0]);
  EXPECT_EQ(c.findChain("Nightly"), &c.chains[0]);
  EXPECT_EQ(c.findChain("Daily"), nullptr);
}

TEST(ConfigLoaderTest, OptionalKeysTakeTheirDefaults) {
  ConfigTree tree;
  tree.writeProperties({{"store.type", std::nullopt},
                        {"admin.host", std::nullopt},
                        {"admin.port", std::nullopt},
                        {"log.file", std::nullopt},
                        {"connection.sample.authFlow", std::nullopt},
                        {"connection.sample.apiVersion", std::nullopt}});
  const LoadedConfig c = tree.load();
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);
  EXPECT_EQ(c.app.adminHost, "127.0.0.1");
  EXPECT_EQ(c.app.adminPort, 8085);
  EXPECT_EQ(c.app.logFile, "");
  EXPECT_TRUE(c.app.adminTokens.empty());
  EXPECT_EQ(c.app.tlsCertificateFile, "");
  EXPECT_EQ(c.app.tlsPrivateKeyFile, "");
  EXPECT_EQ(c.app.retentionDays, 90);
  EXPECT_EQ(c.app.schedulerMaxParallel, 2);
  EXPECT_EQ(c.app.schedulerTickSeconds, 1);
  const auto& s = c.app.connections.at(0).settings;
  EXPECT_EQ(s.authFlow, salesforce::AuthFlow::kPassword);
  EXPECT_EQ(s.apiVersion, "v62.0");
  EXPECT_EQ(s.queryBatchSize, 2000);
  EXPECT_TRUE(s.verifyCertificates);
}

// ---- properties: each bad input -> exactly these problems ----

struct PropertiesCase {
  const char* label;
  std::map<std::string, std::optional<std::string>> changes;
  std::vector<ExpectedProblem> expected;
};

class BadPropertiesTest : public ::testing::TestWithParam<PropertiesCase> {};

TEST_P(BadPropertiesTest, ReportsExactlyTheExpectedProblems) {
  ConfigTree tree;
  tree.write("conf/ca.pem", "not really a certificate");
  tree.writeProperties(GetParam().changes);
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(hasExactlyProblems(c.problems, GetParam().expected));
}

const std::string P = kProps;  // problem file for properties keys
// SHA-256 of "test".
const std::string kSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
using Changes = std::map<std::string, std::optional<std::string>>;

INSTANTIATE_TEST_SUITE_P(
    Table, BadPropertiesTest,
    ::testing::Values(
        PropertiesCase{"store type",
                       Changes{{"store.type", "postgres"}},
                       {{P, "store.type",
                         "unsupported store type 'postgres' (expected sqlite or postgresql)"}}},
        PropertiesCase{"postgresql store without a url",
                       Changes{{"store.type", "postgresql"}},
                       {{P, "store.url", "is required"}}},
        PropertiesCase{"postgresql url with a password",
                       Changes{{"store.type", "postgresql"},
                               {"store.url", "postgresql://sfsync:pw123@db:5432/sf"}},
                       {{P, "store.url",
                         "must not contain a password: store it with sfsyncd "
                         "--set-secret=store.password"}}},
        PropertiesCase{"postgresql url of another database",
                       Changes{{"store.type", "postgresql"}, {"store.url", "mysql://u@db/sf"}},
                       {{P, "store.url", "expected a URL postgresql://user@host:port/database"}}},
        PropertiesCase{"postgresql timeout out of range",
                       Changes{{"store.type", "postgresql"},
                               {"store.url", "postgresql://u@db/sf"},
                               {"store.connectTimeoutSeconds", "0"}},
                       {{P, "store.connectTimeoutSeconds", ""}}},
        PropertiesCase{"postgresql statement timeout 0 (would disable the limit)",
                       Changes{{"store.type", "postgresql"},
                               {"store.url", "postgresql://u@db/sf"},
                               {"store.statementTimeoutSeconds", "0"}},
                       {{P, "store.statementTimeoutSeconds", ""}}},
        PropertiesCase{"cluster lease out of range (issue 12)",
                       Changes{{"store.type", "postgresql"},
                               {"store.url", "postgresql://u@db/sf"},
                               {"cluster.leaseSeconds", "1"}},
                       {{P, "cluster.leaseSeconds", ""}}},
        PropertiesCase{"cluster lease with an sqlite store (issue 12)",
                       Changes{{"cluster.leaseSeconds", "30"}},
                       {{P, "cluster.leaseSeconds", "only applies with store.type = postgresql"}}},
        PropertiesCase{"postgresql key with an sqlite store",
                       Changes{{"store.schema", "sf"}},
                       {{P, "store.schema", "only applies with store.type = postgresql"}}},
        PropertiesCase{"store path missing",
                       Changes{{"store.path", std::nullopt}},
                       {{P, "store.path", "is required"}}},
        PropertiesCase{"store path empty",
                       Changes{{"store.path", ""}},
                       {{P, "store.path", "must not be empty"}}},
        PropertiesCase{"admin port too big",
                       Changes{{"admin.port", "70000"}},
                       {{P, "admin.port", "expected a port number from 0 to 65535, got '70000'"}}},
        PropertiesCase{"admin port not a number",
                       Changes{{"admin.port", "80a"}},
                       {{P, "admin.port", "got '80a'"}}},
        PropertiesCase{"admin host empty",
                       Changes{{"admin.host", ""}},
                       {{P, "admin.host", "must not be empty"}}},
        PropertiesCase{"jobs dir missing key",
                       Changes{{"paths.jobs", std::nullopt}},
                       {{P, "paths.jobs", "is required"}}},
        PropertiesCase{"jobs dir does not exist",
                       Changes{{"paths.jobs", "nowhere"}},
                       {{P, "paths.jobs", "directory not found: nowhere"}}},
        PropertiesCase{"chains dir is a file",
                       Changes{{"paths.chains", "conf/sfsync.properties"}},
                       {{P, "paths.chains", "not a directory: conf/sfsync.properties"}}},
        PropertiesCase{"errors dir missing key",
                       Changes{{"paths.errors", std::nullopt}},
                       {{P, "paths.errors", "is required"}}},
        PropertiesCase{"unknown key with suggestion",
                       Changes{{"store.pth", "x.db"}},
                       {{P, "store.pth", "unknown key 'store.pth' (did you mean 'store.path'?)"}}},
        PropertiesCase{"connections missing",
                       Changes{{"connections", std::nullopt}},
                       {{P, "connections", "is required"}}},
        PropertiesCase{"connections empty list",
                       Changes{{"connections", " , "}},
                       {{P, "connections", "must name at least one connection"}}},
        PropertiesCase{"connection name invalid",
                       Changes{{"connections", "sample, my.org"}},
                       {{P, "connections", "invalid connection name 'my.org'"}}},
        PropertiesCase{"connection listed twice",
                       Changes{{"connections", "sample,sample"}},
                       {{P, "connections", "connection 'sample' is listed twice"}}},
        PropertiesCase{
            "connection not listed",
            Changes{{"connection.smaple.orgType", "sandbox"}},
            {{P, "connection.smaple",
              "connection 'smaple' is configured but not listed in 'connections' (did you "
              "mean 'sample'?)"}}},
        PropertiesCase{"connection key misspelt",
                       Changes{{"connection.sample.orgTyp", "sandbox"}},
                       {{P, "connection.sample.orgTyp",
                         "unknown key 'connection.sample.orgTyp' (did you mean 'orgType'?)"}}},
        PropertiesCase{"org type unknown",
                       Changes{{"connection.sample.orgType", "developer"}},
                       {{P, "connection.sample.orgType", "unknown org type 'developer'"}}},
        PropertiesCase{
            "custom without url",
            Changes{{"connection.sample.customDomainUrl", std::nullopt}},
            {{P, "connection.sample.customDomainUrl", "is required when orgType = custom"}}},
        PropertiesCase{
            "url with a path",
            Changes{{"connection.sample.customDomainUrl", "https://acme.my.salesforce.com/x"}},
            {{P, "connection.sample.customDomainUrl", "expected http(s)://host[:port]"}}},
        PropertiesCase{
            "url not http",
            Changes{{"connection.sample.customDomainUrl", "ftp://acme.com"}},
            {{P, "connection.sample.customDomainUrl", "expected http(s)://host[:port]"}}},
        PropertiesCase{
            "url without scheme",
            Changes{{"connection.sample.customDomainUrl", "acme.my.salesforce.com"}},
            {{P, "connection.sample.customDomainUrl", "expected http(s)://host[:port]"}}},
        PropertiesCase{
            "url for production",
            Changes{{"connection.sample.orgType", "production"}},
            {{P, "connection.sample.customDomainUrl", "is only used with orgType = custom"}}},
        PropertiesCase{"auth flow unknown",
                       Changes{{"connection.sample.authFlow", "jwt"}},
                       {{P, "connection.sample.authFlow", "unknown auth flow 'jwt'"}}},
        PropertiesCase{
            "api version",
            Changes{{"connection.sample.apiVersion", "62.0"}},
            {{P, "connection.sample.apiVersion", "expected a version like v62.0, got '62.0'"}}},
        PropertiesCase{
            "batch size",
            Changes{{"connection.sample.queryBatchSize", "100"}},
            {{P, "connection.sample.queryBatchSize", "expected an integer from 200 to 2000"}}},
        PropertiesCase{"retries",
                       Changes{{"connection.sample.maxRetries", "-1"}},
                       {{P, "connection.sample.maxRetries", "expected an integer from 0 to 100"}}},
        PropertiesCase{"timeout",
                       Changes{{"connection.sample.timeoutMs", "soon"}},
                       {{P, "connection.sample.timeoutMs", "got 'soon'"}}},
        PropertiesCase{
            "backoff order",
            Changes{{"connection.sample.initialBackoffMs", "5000"},
                    {"connection.sample.maxBackoffMs", "1000"}},
            {{P, "connection.sample.maxBackoffMs", "must not be less than initialBackoffMs"}}},
        PropertiesCase{"verify certificates",
                       Changes{{"connection.sample.verifyCertificates", "maybe"}},
                       {{P, "connection.sample.verifyCertificates", "expected true or false"}}},
        PropertiesCase{"ca file missing",
                       Changes{{"connection.sample.caFile", "conf/missing.pem"}},
                       {{P, "connection.sample.caFile", "file not found: conf/missing.pem"}}},
        PropertiesCase{"env prefix invalid",
                       Changes{{"connection.sample.credentialsEnvPrefix", "SF-"}},
                       {{P, "connection.sample.credentialsEnvPrefix", "got 'SF-'"}}},
        PropertiesCase{"credentials file missing",
                       Changes{{"connection.sample.credentialsFile", "conf/nope.credentials"}},
                       {{P, "connection.sample.credentialsFile",
                         "cannot read credentials file conf/nope.credentials: file not found"}}},
        PropertiesCase{"credentials file is a directory",
                       Changes{{"connection.sample.credentialsFile", "conf"}},
                       {{P, "connection.sample.credentialsFile", "not a regular file"}}},
        PropertiesCase{"no credential source",
                       Changes{{"connection.sample.credentialsFile", std::nullopt}},
                       {{P, "connection.sample", "missing credential 'clientId'"},
                        {P, "connection.sample", "missing credential 'clientSecret'"},
                        {P, "connection.sample", "missing credential 'username'"},
                        {P, "connection.sample",
                         "missing credential 'password' needed by the password flow (no "
                         "credentialsFile or credentialsEnvPrefix is configured)"}}},
        PropertiesCase{
            "refresh flow needs a refresh token",
            Changes{{"connection.sample.authFlow", "refresh_token"},
                    {"connection.sample.credentialsEnvPrefix", "SFSYNC_TEST_NOT_SET_"}},
            {{P, "connection.sample",
              "missing credential 'refreshToken' needed by the refresh_token flow (looked "
              "for key 'refreshToken' in conf/sample.credentials and environment variable "
              "SFSYNC_TEST_NOT_SET_REFRESH_TOKEN)"}}},
        // Issue 17: the OAuth web-server flow.
        PropertiesCase{"web_server flow needs a client id only",
                       Changes{{"connection.sample.authFlow", "web_server"},
                               {"connection.sample.credentialsFile", std::nullopt},
                               {"connection.sample.credentialsEnvPrefix", "SFSYNC_TEST_NOT_SET_"}},
                       {{P, "connection.sample",
                         "missing credential 'clientId' needed by the web_server flow"}}},
        PropertiesCase{"callback URL only with the web_server flow",
                       Changes{{"connection.sample.oauth.callbackUrl",
                                "https://sfsync.example.com/oauth/callback"}},
                       {{P, "connection.sample.oauth.callbackUrl",
                         "is only used with authFlow = web_server"}}},
        PropertiesCase{
            "callback URL must end in /oauth/callback",
            Changes{{"connection.sample.authFlow", "web_server"},
                    {"connection.sample.oauth.callbackUrl", "https://sfsync.example.com/callback"}},
            {{P, "connection.sample.oauth.callbackUrl",
              "expected an http(s) URL ending in /oauth/callback"}}},
        PropertiesCase{
            "logging keys belong to Poco", Changes{{"logging.loggers.root.level", "debug"}}, {}},
        PropertiesCase{"a key of no known family is unknown",
                       Changes{{"application.name", "x"}},
                       {{P, "application.name", "unknown key 'application.name'"}}},
        PropertiesCase{"a misspelt section is unknown, with a suggestion",
                       Changes{{"notfy.smtp.host", "mail.example.com"}},
                       {{P, "notfy.smtp.host",
                         "unknown key 'notfy.smtp.host' (did you mean 'notify.smtp.host'?)"}}},
        PropertiesCase{
            "a misspelt key of a known section, with a suggestion",
            Changes{{"sotre.path", "x.db"}},
            {{P, "sotre.path", "unknown key 'sotre.path' (did you mean 'store.path'?)"}}},
        PropertiesCase{"notify keys belong to the notify module",
                       Changes{{"notify.smtp.host", "mail.example.com"}, {"notify.anything", "x"}},
                       {}},
        // scheduler and retention.
        PropertiesCase{
            "scheduler max parallel runs zero",
            Changes{{"scheduler.maxParallelRuns", "0"}},
            {{P, "scheduler.maxParallelRuns", "expected an integer from 1 to 16, got '0'"}}},
        PropertiesCase{"scheduler max parallel runs too many",
                       Changes{{"scheduler.maxParallelRuns", "17"}},
                       {{P, "scheduler.maxParallelRuns", "got '17'"}}},
        PropertiesCase{
            "scheduler tick not a number",
            Changes{{"scheduler.tickSeconds", "fast"}},
            {{P, "scheduler.tickSeconds", "expected an integer from 1 to 60, got 'fast'"}}},
        PropertiesCase{"scheduler key misspelt",
                       Changes{{"scheduler.maxParallelRun", "4"}},
                       {{P, "scheduler.maxParallelRun",
                         "unknown key 'scheduler.maxParallelRun' (did you mean "
                         "'scheduler.maxParallelRuns'?)"}}},
        PropertiesCase{"retention too long",
                       Changes{{"retention.days", "3651"}},
                       {{P, "retention.days", "expected an integer from 1 to 3650, got '3651'"}}},
        PropertiesCase{
            "retention zero", Changes{{"retention.days", "0"}}, {{P, "retention.days", "got '0'"}}},
        PropertiesCase{"retention misspelt",
                       Changes{{"retention.day", "30"}},
                       {{P, "retention.day", "(did you mean 'retention.days'?)"}}},
        // admin tokens.
        PropertiesCase{
            "token without digest",
            Changes{{"admin.tokens", "ops, ci"}, {"admin.token.ops.sha256", kSha}},
            {{P, "admin.token.ci.sha256", "is required for token 'ci' listed in admin.tokens"}}},
        PropertiesCase{"token digest too short",
                       Changes{{"admin.tokens", "ops"}, {"admin.token.ops.sha256", kSha.substr(1)}},
                       {{P, "admin.token.ops.sha256",
                         "expected the token's SHA-256 as 64 hexadecimal digits, got 63 "
                         "characters"}}},
        PropertiesCase{
            "token digest not hex",
            Changes{{"admin.tokens", "ops"}, {"admin.token.ops.sha256", "g" + kSha.substr(1)}},
            {{P, "admin.token.ops.sha256",
              "got 64 characters that are not all hexadecimal digits"}}},
        PropertiesCase{"token not listed",
                       Changes{{"admin.tokens", "ops"},
                               {"admin.token.ops.sha256", kSha},
                               {"admin.token.opz.sha256", kSha}},
                       {{P, "admin.token.opz",
                         "token 'opz' is configured but not listed in 'admin.tokens' (did you "
                         "mean 'ops'?)"}}},
        PropertiesCase{
            "tokens without a list",
            Changes{{"admin.token.ops.sha256", kSha}},
            {{P, "admin.token.ops", "token 'ops' is configured but not listed in 'admin.tokens'"}}},
        PropertiesCase{
            "token role unknown",
            Changes{{"admin.tokens", "ops"},
                    {"admin.token.ops.sha256", kSha},
                    {"admin.token.ops.role", "root"}},
            {{P, "admin.token.ops.role", "unknown role 'root'; use viewer, operator or admin"}}},
        PropertiesCase{"token key misspelt",
                       Changes{{"admin.tokens", "ops"}, {"admin.token.ops.sha265", kSha}},
                       {{P, "admin.token.ops.sha265",
                         "unknown key 'admin.token.ops.sha265' (did you mean 'sha256'?)"},
                        {P, "admin.token.ops.sha256", "is required"}}},
        PropertiesCase{"token name invalid",
                       Changes{{"admin.tokens", "ops, c i"}, {"admin.token.ops.sha256", kSha}},
                       {{P, "admin.tokens", "invalid token name 'c i'"}}},
        PropertiesCase{"token listed twice",
                       Changes{{"admin.tokens", "ops,ops"}, {"admin.token.ops.sha256", kSha}},
                       {{P, "admin.tokens", "token 'ops' is listed twice"}}},
        PropertiesCase{"admin tokens misspelt",
                       Changes{{"admin.token", "ops"}},
                       {{P, "admin.token",
                         "unknown key 'admin.token' (did you mean "
                         "'admin.tokens'?)"}}},
        // admin TLS.
        PropertiesCase{
            "certificate without key",
            Changes{{"admin.tls.certificateFile", "conf/ca.pem"}},
            {{P, "admin.tls.privateKeyFile", "is required when admin.tls.certificateFile is set"}}},
        PropertiesCase{
            "key without certificate",
            Changes{{"admin.tls.privateKeyFile", "conf/ca.pem"}},
            {{P, "admin.tls.certificateFile", "is required when admin.tls.privateKeyFile is set"}}},
        PropertiesCase{"TLS files missing",
                       Changes{{"admin.tls.certificateFile", "conf/admin.crt"},
                               {"admin.tls.privateKeyFile", "conf/admin.key"}},
                       {{P, "admin.tls.certificateFile", "file not found: conf/admin.crt"},
                        {P, "admin.tls.privateKeyFile", "file not found: conf/admin.key"}}},
        PropertiesCase{"TLS key is a directory",
                       Changes{{"admin.tls.certificateFile", "conf/ca.pem"},
                               {"admin.tls.privateKeyFile", "conf"}},
                       {{P, "admin.tls.privateKeyFile", "file not found: conf"}}},
        PropertiesCase{"TLS empty value",
                       Changes{{"admin.tls.certificateFile", " "},
                               {"admin.tls.privateKeyFile", "conf/ca.pem"}},
                       {{P, "admin.tls.certificateFile", "must not be empty"}}},
        PropertiesCase{
            "TLS key misspelt",
            Changes{{"admin.tls.certificatefile", "conf/ca.pem"}},
            {{P, "admin.tls.certificatefile", "(did you mean 'admin.tls.certificateFile'?)"}}}),
    [](const ::testing::TestParamInfo<PropertiesCase>& info) {
      std::string name;
      for (const char* p = info.param.label; *p != '\0'; ++p) {
        name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
      }
      return name;
    });

TEST(ConfigLoaderTest, MissingPropertiesFileIsTheOnlyProblem) {
  sfsync::testing::TempDir dir;
  const LoadedConfig c = loadConfig("conf/sfsync.properties", dir.path());
  EXPECT_TRUE(
      hasExactlyProblems(c.problems, {{P, "$", "cannot read properties file: file not found"}}));
}

TEST(ConfigLoaderTest, AbsolutePropertiesPathAndFilesOutsideTheBaseDir) {
  ConfigTree tree;
  sfsync::testing::TempDir elsewhere;
  elsewhere.write("jobs/broken.json", "{");
  const LoadedConfig c =
      loadConfig(tree.path(kProps), tree.base(), {{"paths.jobs", elsewhere.file("jobs")}});
  EXPECT_TRUE(hasExactlyProblems(
      c.problems, {{elsewhere.file("jobs/broken.json"), "$", "invalid JSON"},
                   {"chains/nightly.json", "jobs[0]", "unknown job 'Company Sync'"}}));
}

// ---- overrides ----

TEST(ConfigLoaderTest, OverridesReplaceAndAddProperties) {
  ConfigTree tree;
  const LoadedConfig c = tree.load({{"admin.port", "0"},
                                    {"connection.sample.customDomainUrl", "http://localhost:9999"},
                                    {"log.file", "/var/log/other.log"}});
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);
  EXPECT_EQ(c.app.adminPort, 0);
  EXPECT_EQ(c.app.connections[0].settings.customDomainUrl, "http://localhost:9999");
  EXPECT_EQ(c.app.logFile, "/var/log/other.log");
}

TEST(ConfigLoaderTest, ProblemsWithOverriddenValuesSaySo) {
  ConfigTree tree;
  const LoadedConfig c = tree.load({{"admin.port", "http"}});
  EXPECT_TRUE(hasExactlyProblems(
      c.problems, {{P, "admin.port", "got 'http' (value set on the command line)"}}));
}

// ---- credentials ----

TEST(ConfigLoaderTest, EnvironmentWinsOverTheCredentialsFile) {
  ConfigTree tree;
  tree.writeProperties({{"connection.sample.credentialsEnvPrefix", "SFSYNC_CFGTEST_A_"}});
  EnvGuard password("SFSYNC_CFGTEST_A_PASSWORD", "env-password");
  EnvGuard token("SFSYNC_CFGTEST_A_SECURITY_TOKEN", "env-token");
  EnvGuard empty("SFSYNC_CFGTEST_A_USERNAME", "");  // empty: falls back to the file
  const LoadedConfig c = tree.load();
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);
  const auto& s = c.app.connections.at(0).settings;
  EXPECT_EQ(s.password, "env-password");
  EXPECT_EQ(s.securityToken, "env-token");
  EXPECT_EQ(s.username, "admin@example.com");
  EXPECT_EQ(s.clientId, "the-client-id");
  EXPECT_EQ(c.app.connections[0].credentialsEnvPrefix, "SFSYNC_CFGTEST_A_");
}

TEST(ConfigLoaderTest, EnvironmentAloneIsEnough) {
  ConfigTree tree;
  tree.writeProperties({{"connection.sample.credentialsFile", std::nullopt},
                        {"connection.sample.authFlow", "refresh_token"},
                        {"connection.sample.credentialsEnvPrefix", "SFSYNC_CFGTEST_B_"}});
  EnvGuard id("SFSYNC_CFGTEST_B_CLIENT_ID", "env-client");
  EnvGuard refresh("SFSYNC_CFGTEST_B_REFRESH_TOKEN", "env-refresh");
  const LoadedConfig c = tree.load();
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);
  EXPECT_EQ(c.app.connections[0].settings.refreshToken, "env-refresh");
  EXPECT_EQ(c.app.connections[0].settings.authFlow, salesforce::AuthFlow::kRefreshToken);
}

TEST(ConfigLoaderTest, WebServerFlowWithoutARefreshTokenIsValid) {
  ConfigTree tree;
  tree.writeProperties(
      {{"connection.sample.authFlow", "web_server"},
       {"connection.sample.oauth.callbackUrl", "https://sfsync.example.com/oauth/callback"}});
  const LoadedConfig c = tree.load();
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);
  EXPECT_EQ(c.app.connections[0].settings.authFlow, salesforce::AuthFlow::kWebServer);
  EXPECT_EQ(c.app.connections[0].oauthCallbackUrl, "https://sfsync.example.com/oauth/callback");
}

TEST(ConfigLoaderTest, SecretsNeverAppearInProblems) {
  ConfigTree tree;
  const std::vector<std::string> secrets = {"S3cret-client-secret", "S3cret-password",
                                            "S3cret-token", "S3cret-typo", "S3cret-env-secret"};
  tree.write("conf/sample.credentials",
             "clientId = client\n"
             "clientSecret = S3cret-client-secret\n"
             "password = S3cret-password\n"
             "securityToken = S3cret-token\n"
             "passwrd = S3cret-typo\n");  // a misspelt key: reported by name only
  tree.write("conf/other.credentials", "clientSecret = S3cret-client-secret\n");
  tree.writeProperties({{"connections", "sample, other"},
                        {"connection.sample.credentialsEnvPrefix", "SFSYNC_CFGTEST_C_"},
                        {"connection.other.orgType", "sandbox"},
                        {"connection.other.authFlow", "refresh_token"},
                        {"connection.other.credentialsFile", "conf/other.credentials"}});
  EnvGuard secret("SFSYNC_CFGTEST_C_CLIENT_SECRET", "S3cret-env-secret");
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems,
      {{"conf/sample.credentials", "passwrd", "unknown key 'passwrd' (did you mean 'password'?)"},
       {P, "connection.sample", "missing credential 'username'"},
       {P, "connection.other", "missing credential 'clientId'"},
       {P, "connection.other", "missing credential 'refreshToken'"}}));
  for (const auto& p : c.problems) {
    for (const auto& s : secrets) {
      EXPECT_EQ(p.toString().find(s), std::string::npos) << p.toString();
    }
  }
  // The environment's secret was used, the file's was not.
  EXPECT_EQ(c.app.findConnection("sample")->settings.clientSecret, "S3cret-env-secret");
}

// ---- cross-file rules and many files at once ----

TEST(ConfigLoaderTest, CrossFileRules) {
  ConfigTree tree;
  tree.write("jobs/b_duplicate.json", job("company sync"));
  tree.write("jobs/c_connection.json",
             R"({"name": "Lead Sync", "connection": "sampel", "source": {"object": "Lead"},
                 "target": {"object": "Lead"},
                 "mappings": [{"source": "Id", "target": "SfdcId", "upsertKey": true}]})");
  tree.write("jobs/d_depends.json",
             job("Contact Sync", R"("dependsOn": ["Lead Synk", "Lead Sync"])"));
  tree.write("jobs/e_cycle1.json", job("One", R"("dependsOn": ["Two"])"));
  tree.write("jobs/f_cycle2.json", job("Two", R"("dependsOn": ["Three"])"));
  tree.write("jobs/g_cycle3.json", job("Three", R"("dependsOn": ["One"])"));
  tree.write("chains/other.json", R"({"name": "NIGHTLY", "jobs": ["Company Sync"]})");
  tree.write("chains/weekly.json", R"({"name": "Weekly", "jobs": ["Lead Sync", "Ghost"]})");
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems,
      {{"jobs/company_sync.json", "name",
        "duplicate job name 'Company Sync' (also in jobs/b_duplicate.json)"},
       {"jobs/c_connection.json", "connection",
        "unknown connection 'sampel' (configured: sample) (did you mean 'sample'?)"},
       {"jobs/d_depends.json", "dependsOn[0]",
        "unknown job 'Lead Synk' (did you mean 'Lead Sync'?)"},
       {"jobs/e_cycle1.json", "dependsOn", "dependency cycle: One -> Two -> Three -> One"},
       {"chains/other.json", "name",
        "duplicate chain name 'NIGHTLY' (also in chains/nightly.json)"},
       {"chains/weekly.json", "jobs[1]", "unknown job 'Ghost'"}}));
  // Only files without problems make it into the model.
  std::vector<std::string> jobs;
  for (const auto& j : c.jobs) jobs.push_back(j.name);
  EXPECT_EQ(jobs, (std::vector<std::string>{"company sync", "Two", "Three"}));
  ASSERT_EQ(c.chains.size(), 1u);
  EXPECT_EQ(c.chains[0].name, "Nightly");
}

TEST(ConfigLoaderTest, EveryProblemOfEveryFileInOneCall) {
  ConfigTree tree;
  tree.writeProperties({{"admin.port", "-1"}, {"connection.sample.apiVersion", "latest"}});
  tree.write("jobs/a_syntax.json", "{\"name\": \"A\",\n\"connection\": \"sample\" \"source\": {}}");
  tree.write("jobs/b_no_key.json",
             R"({"name": "B", "connection": "sample", "source": {"object": "Account"},
                 "target": {"object": "B"}, "mappings": [{"source": "Id", "target": "Id2"}]})");
  tree.write("jobs/c_typo.json", job("C", R"("dependsOn": ["A"], "enabld": false)"));
  tree.write("chains/bad.json", R"({"name": "Bad", "jobs": ["Company Sync", "Nope"], "x": 1})");
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems, {{P, "admin.port", "expected a port number"},
                   {P, "connection.sample.apiVersion", "got 'latest'"},
                   {"jobs/a_syntax.json", "$", "invalid JSON at line 2, column 24"},
                   {"jobs/b_no_key.json", "mappings", "job has no upsert key"},
                   {"jobs/c_typo.json", "enabld", "unknown key 'enabld' (did you mean 'enabled'?)"},
                   {"jobs/c_typo.json", "dependsOn[0]", "unknown job 'A'"},
                   {"chains/bad.json", "x", "unknown key 'x'"},
                   {"chains/bad.json", "jobs[1]", "unknown job 'Nope'"}}));
  ASSERT_EQ(c.jobs.size(), 1u);
  EXPECT_EQ(c.jobs[0].name, "Company Sync");
  EXPECT_TRUE(c.chains.size() == 1u && c.chains[0].name == "Nightly");

  // Grouped by file: properties, then jobs and chains in file order.
  std::vector<std::string> files;
  for (const auto& p : c.problems) {
    if (files.empty() || files.back() != p.file) files.push_back(p.file);
  }
  EXPECT_EQ(files, (std::vector<std::string>{P, "jobs/a_syntax.json", "jobs/b_no_key.json",
                                             "jobs/c_typo.json", "chains/bad.json"}))
      << describe(c.problems);
}

TEST(ConfigLoaderTest, IndexesStayTrueWhenEntriesRepeat) {
  ConfigTree tree;
  tree.write("jobs/b.json", job("B", R"("dependsOn": ["Company Sync", "Company Sync", "Ghost"])"));
  tree.write("chains/nightly.json",
             R"({"name": "Nightly", "jobs": ["Company Sync", "Company Sync", "Ghost"]})");
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems, {{"jobs/b.json", "dependsOn[1]", "job 'Company Sync' is listed twice"},
                   {"jobs/b.json", "dependsOn[2]", "unknown job 'Ghost'"},
                   {"chains/nightly.json", "jobs[1]", "listed twice (also jobs[0])"},
                   {"chains/nightly.json", "jobs[2]", "unknown job 'Ghost'"}}));
}

// ---- chains: dependencies and schedules ----

std::vector<std::string> edges(const ChainConfig& chain) {
  std::vector<std::string> out;
  for (const auto& d : chain.dependencies) {
    out.push_back(d.job + " after " + d.after + " (" +
                  std::to_string(static_cast<int>(d.condition)) + ")" +
                  (d.jsonPath.empty() ? "" : " " + d.jsonPath));
  }
  return out;
}

TEST(ConfigLoaderTest, ChainDependenciesComeFromDependsOnUnlessExplicit) {
  ConfigTree tree;
  tree.write("jobs/a_user.json", job("User Sync"));
  tree.write("jobs/b_person.json",
             job("Company Person Sync", R"("dependsOn": ["Company Sync", "Other", "User Sync"])"));
  tree.write("jobs/c_other.json", job("Other"));
  tree.write("jobs/company_sync.json", job("Company Sync", R"("dependsOn": ["User Sync"])"));
  tree.write("chains/nightly.json", R"({"name": "Nightly",
      "jobs": ["User Sync", "Company Sync", "Company Person Sync"]})");
  tree.write("chains/weekly.json", R"({"name": "Weekly",
      "jobs": ["User Sync", "Company Sync", "Company Person Sync"],
      "dependencies": [{"job": "Company Person Sync", "after": "User Sync", "condition": "always"}]})");
  tree.write("chains/x_parallel.json",
             R"({"name": "Parallel", "jobs": ["User Sync", "Company Sync"], "dependencies": []})");
  const LoadedConfig c = tree.load();
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);
  const ChainConfig* nightly = c.findChain("Nightly");
  ASSERT_NE(nightly, nullptr);
  EXPECT_FALSE(nightly->explicitDependencies);
  // Restricted to the chain's jobs ("Other" is not in it), condition successOrPartial (1).
  EXPECT_EQ(edges(*nightly), (std::vector<std::string>{"Company Sync after User Sync (1)",
                                                       "Company Person Sync after Company Sync (1)",
                                                       "Company Person Sync after User Sync (1)"}));
  const ChainConfig* weekly = c.findChain("Weekly");
  ASSERT_NE(weekly, nullptr);
  EXPECT_TRUE(weekly->explicitDependencies);
  EXPECT_EQ(edges(*weekly),
            (std::vector<std::string>{"Company Person Sync after User Sync (2) dependencies[0]"}));
  const ChainConfig* parallel = c.findChain("Parallel");
  ASSERT_NE(parallel, nullptr);
  EXPECT_TRUE(parallel->explicitDependencies);
  EXPECT_TRUE(parallel->dependencies.empty());
}

TEST(ConfigLoaderTest, AJobInTwoChainsWithDifferentSchedules) {
  ConfigTree tree;
  tree.write("jobs/user_sync.json", job("User Sync"));
  tree.write("chains/a.json", R"({"name": "A", "jobs": ["User Sync", "Company Sync"],
                                   "schedule": {"daily": "02:00"}})");
  // The same schedule written differently: no conflict.
  tree.write("chains/b.json", R"({"name": "B", "jobs": ["Company Sync"],
                                   "schedule": {"daily": "2:00", "timeZone": "UTC"}})");
  // No schedule: no conflict.
  tree.write("chains/c.json", R"({"name": "C", "jobs": ["Company Sync", "User Sync"]})");
  tree.write("chains/d.json", R"({"name": "D", "jobs": ["User Sync", "Company Sync"],
                                   "schedule": {"daily": "03:00"}})");
  // Disabled chains still count: they can be enabled at run time.
  tree.write("chains/e.json", R"({"name": "E", "jobs": ["Company Sync"], "enabled": false,
                                   "schedule": {"weekdays": "02:00"}})");
  // An invalid schedule is reported once, as such.
  tree.write("chains/f.json", R"({"name": "F", "jobs": ["Company Sync"],
                                   "schedule": {"daily": "99:00"}})");
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems,
      {{"chains/d.json", "jobs[0]",
        "job 'User Sync' is in chains 'A' and 'D' with different schedules (daily at 02:00 UTC; "
        "daily at 03:00 UTC)"},
       {"chains/d.json", "jobs[1]",
        "job 'Company Sync' is in chains 'A' and 'D' with different schedules"},
       {"chains/e.json", "jobs[0]",
        "job 'Company Sync' is in chains 'A' and 'E' with different schedules"},
       {"chains/f.json", "schedule", "schedule.daily:"}}));
}

TEST(ConfigLoaderTest, MultiTargetJobLoads) {
  ConfigTree tree;
  tree.write("jobs/company_person_sync.json", R"({"name": "Company Person Sync",
      "connection": "sample", "source": {"object": "Contact"}, "dependsOn": ["Company Sync"],
      "targets": [
        {"object": "Person", "mappings": [{"source": "Email", "target": "Email", "upsertKey": true}]},
        {"object": "Company Person",
         "mappings": [{"fromTarget": "Person", "target": "PersonId", "upsertKey": true}],
         "derivedMappings": [{"target": "CompanyId", "lookup": "Company",
           "match": [{"source": "AccountId", "target": "SfdcAccountId"}], "onNoMatch": "reject",
           "upsertKey": true}]}]})");
  const LoadedConfig c = tree.load();
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);
  const JobConfig* j = c.findJob("Company Person Sync");
  ASSERT_NE(j, nullptr);
  ASSERT_EQ(j->targets.size(), 2u);
  EXPECT_EQ(j->targets[1].upsertKeyTargets(), (std::vector<std::string>{"PersonId", "CompanyId"}));
  EXPECT_EQ(j->sourceFields(),
            (std::vector<std::string>{"Id", "Email", "AccountId", "SystemModstamp"}));
}

// The configuration shipped in the source tree (conf/, jobs/, chains/) is valid, and the OOB chain
// gets its order from the jobs' dependsOn.
TEST(ConfigLoaderTest, ShippedConfigurationLoads) {
  const LoadedConfig c = loadConfig("conf/sfsync.properties", SFSYNC_SOURCE_DIR);
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);
  EXPECT_NE(c.findJob("Company Person Sync"), nullptr);
  const ChainConfig* oob = c.findChain("SFDC_Company Person Sync");
  ASSERT_NE(oob, nullptr);
  EXPECT_FALSE(oob->explicitDependencies);
  EXPECT_EQ(edges(*oob), (std::vector<std::string>{"Company Sync after User Sync (1)",
                                                   "Company Person Sync after Company Sync (1)"}));
}

TEST(ConfigLoaderTest, NoFollowOnProblemsWhenAListIsBroken) {
  // Without a usable connection list, jobs are not blamed for naming a connection; without a jobs
  // directory, chains are not blamed for naming jobs.
  ConfigTree tree;
  tree.writeProperties({{"connections", std::nullopt}, {"paths.jobs", "missing"}});
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(hasExactlyProblems(c.problems, {{P, "connections", "is required"},
                                              {P, "paths.jobs", "directory not found: missing"}}));
}

}  // namespace
}  // namespace sfsync::config
