// Configuration of authentication and secrets (issue 15): the encrypted credentials store
// (secrets.keyFile, secrets.file) as a credential source between the credentials file and the
// environment, its failures as configuration problems, and authFlow = jwt_bearer with its
// jwt.privateKeyFile checked at load time.
#include <Poco/Crypto/RSAKey.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/MinimalProperties.h"
#include "config/ProblemMatchers.h"
#include "fakes/TempDir.h"
#include "sfsync/secrets/SecretStore.h"

namespace sfsync::config {
namespace {

using secrets::SecretStore;
using test_support::describe;
using test_support::hasExactlyProblems;
using test_support::loadMinimalProperties;

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name_); }

 private:
  const char* name_;
};

class SecretsConfigTest : public ::testing::Test {
 protected:
  void writeStore(const SecretStore::Values& values, const std::string& key = "conf/sfsync.key") {
    dir.write("var/.keep", "");
    dir.write("conf/.keep", "");
    if (!std::ifstream(dir.file(key))) {
      ASSERT_TRUE(SecretStore::createKeyFile(dir.file(key)).ok());
    }
    ASSERT_TRUE(SecretStore::save(dir.file("var/credentials.enc"), dir.file(key), values).ok());
  }

  testing::TempDir dir;
};

TEST_F(SecretsConfigTest, StoreEntriesWinOverTheCredentialsFile) {
  writeStore({{"sample.password", "from-store"},
              {"sample.securityToken", "store-token"},
              {"other.password", "not ours"}});
  const LoadedConfig c = loadMinimalProperties(dir, {{"secrets.keyFile", "conf/sfsync.key"}});
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);
  const auto& s = c.app.connections.at(0).settings;
  EXPECT_EQ(s.password, "from-store");
  EXPECT_EQ(s.securityToken, "store-token");
  EXPECT_EQ(s.username, "u@example.com");  // from the file
  EXPECT_EQ(c.app.secretsFile, dir.file("var/credentials.enc"));
  EXPECT_EQ(c.app.secretsKeyFile, dir.file("conf/sfsync.key"));
}

TEST_F(SecretsConfigTest, EnvironmentVariablesWinOverTheStore) {
  writeStore({{"sample.password", "from-store"}});
  ScopedEnv env("SFSYNC_SECRETSTEST_PASSWORD", "from-env");
  const LoadedConfig c = loadMinimalProperties(
      dir, {{"secrets.keyFile", "conf/sfsync.key"},
            {"connection.sample.credentialsEnvPrefix", "SFSYNC_SECRETSTEST_"}});
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);
  EXPECT_EQ(c.app.connections.at(0).settings.password, "from-env");
}

TEST_F(SecretsConfigTest, TheStoreAloneCanHoldTheSecretsAndAMissingOneNamesItsEntry) {
  dir.write("conf/public.credentials", "clientId = c\nusername = u@example.com\n");
  writeStore({{"sample.clientSecret", "s"}});
  const std::map<std::string, std::string> extra = {
      {"secrets.keyFile", "conf/sfsync.key"},
      {"secrets.file", "var/credentials.enc"},
      {"connection.sample.credentialsFile", "conf/public.credentials"}};
  const LoadedConfig missing = loadMinimalProperties(dir, extra);
  EXPECT_TRUE(hasExactlyProblems(
      missing.problems,
      {{"", "connection.sample",
        "missing credential 'password' needed by the password flow (looked for key 'password' "
        "in conf/public.credentials and entry 'sample.password' in var/credentials.enc)"}}));

  writeStore({{"sample.clientSecret", "s"}, {"sample.password", "p"}});
  const LoadedConfig c = loadMinimalProperties(dir, extra);
  ASSERT_TRUE(c.problems.empty()) << describe(c.problems);
  EXPECT_EQ(c.app.connections.at(0).settings.password, "p");
}

TEST_F(SecretsConfigTest, AWrongKeyIsAProblemNamingTheStoreAndTheKey) {
  writeStore({{"sample.password", "from-store"}});
  ASSERT_TRUE(SecretStore::createKeyFile(dir.file("conf/other.key")).ok());
  const LoadedConfig c = loadMinimalProperties(dir, {{"secrets.keyFile", "conf/other.key"}});
  EXPECT_TRUE(hasExactlyProblems(
      c.problems, {{"", "secrets.file",
                    "cannot decrypt " + dir.file("var/credentials.enc") + " with key " +
                        dir.file("conf/other.key") + ": authentication tag mismatch"}}));
  for (const auto& p : c.problems) EXPECT_EQ(p.message.find("from-store"), std::string::npos);
}

TEST_F(SecretsConfigTest, KeyFileProblems) {
  const LoadedConfig missing = loadMinimalProperties(dir, {{"secrets.keyFile", "conf/none.key"}});
  EXPECT_TRUE(hasExactlyProblems(
      missing.problems,
      {{"", "secrets.keyFile", "key file conf/none.key not found (sfsyncd --set-secret creates"}}));
  const LoadedConfig noKey = loadMinimalProperties(dir, {{"secrets.file", "var/c.enc"}});
  EXPECT_TRUE(hasExactlyProblems(
      noKey.problems, {{"", "secrets.keyFile", "is required when secrets.file is set"}}));
  const LoadedConfig typo = loadMinimalProperties(dir, {{"secrets.keyfile", "conf/x.key"}});
  EXPECT_TRUE(hasExactlyProblems(typo.problems,
                                 {{"", "secrets.keyfile", "did you mean 'secrets.keyFile'?"}}));
}

TEST_F(SecretsConfigTest, JwtBearerNeedsAUsableRsaPrivateKey) {
  Poco::Crypto::RSAKey key(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
  std::ostringstream pub, priv;
  key.save(&pub, &priv);
  dir.write("conf/app.key", priv.str());
  dir.write("conf/app.pub", pub.str());
  dir.write("conf/jwt.credentials", "clientId = c\nusername = u@example.com\n");
  std::map<std::string, std::string> extra = {
      {"connection.sample.authFlow", "jwt_bearer"},
      {"connection.sample.credentialsFile", "conf/jwt.credentials"},
      {"connection.sample.jwt.privateKeyFile", "conf/app.key"}};
  const LoadedConfig good = loadMinimalProperties(dir, extra);
  ASSERT_TRUE(good.problems.empty()) << describe(good.problems);
  const auto& s = good.app.connections.at(0).settings;
  EXPECT_EQ(s.authFlow, salesforce::AuthFlow::kJwtBearer);
  EXPECT_EQ(s.jwtPrivateKeyFile, dir.file("conf/app.key"));

  extra["connection.sample.jwt.privateKeyFile"] = "conf/app.pub";
  EXPECT_TRUE(hasExactlyProblems(loadMinimalProperties(dir, extra).problems,
                                 {{"", "connection.sample.jwt.privateKeyFile",
                                   "JWT private key file conf/app.pub: not a PEM private key"}}));
  extra["connection.sample.jwt.privateKeyFile"] = "conf/missing.key";
  EXPECT_TRUE(hasExactlyProblems(loadMinimalProperties(dir, extra).problems,
                                 {{"", "connection.sample.jwt.privateKeyFile",
                                   "JWT private key file conf/missing.key: file not found"}}));
  extra.erase("connection.sample.jwt.privateKeyFile");
  EXPECT_TRUE(hasExactlyProblems(
      loadMinimalProperties(dir, extra).problems,
      {{"", "connection.sample.jwt.privateKeyFile", "is required when authFlow = jwt_bearer"}}));
  const LoadedConfig password =
      loadMinimalProperties(dir, {{"connection.sample.jwt.privateKeyFile", "conf/app.key"}});
  EXPECT_TRUE(hasExactlyProblems(password.problems, {{"", "connection.sample.jwt.privateKeyFile",
                                                      "is only used with authFlow = jwt_bearer"}}));
}

}  // namespace
}  // namespace sfsync::config
