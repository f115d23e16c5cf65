// The real sfsyncd binary with authentication and secrets (issue 15): --set-secret reads the value
// from stdin, creates the key file (0600) and the encrypted store (0600) and never prints the
// value; the connection then authenticates against the simulator with the secret from the store
// (--validate --online logs in); a wrong key file stops the daemon with a clear message; the JWT
// bearer flow logs in through the binary with a key generated at test time.
#include <sys/stat.h>

#include <Poco/Crypto/RSAKey.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/secrets/SecretStore.h"

namespace sfsync {
namespace {

using testing::runProcess;
using testing::TempDir;

unsigned modeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

// A configuration whose connection "sample" reaches `sim`; `credentials` is its credentials file.
void writeConfig(const TempDir& dir, const sim::SimServer& sim, const std::string& extra,
                 const std::string& credentials) {
  dir.write("conf/sfsync.properties",
            "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
            "paths.errors = var/errors\nconnections = sample\n"
            "connection.sample.orgType = custom\n"
            "connection.sample.customDomainUrl = " +
                sim.baseUrl() +
                "\n"
                "connection.sample.credentialsFile = conf/sample.credentials\n" +
                extra);
  dir.write("conf/sample.credentials", credentials);
  dir.write("jobs/accounts.json", R"({"name": "Accounts", "connection": "sample",
      "source": {"object": "Account"}, "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
                   {"source": "Name", "target": "Name"}]})");
  dir.write("chains/.keep", "");
  dir.write("var/.keep", "");
}

// sfsyncd --set-secret=TARGET with `value` on stdin (a pipe, not a terminal).
testing::ProcessResult setSecret(const TempDir& dir, const std::string& target,
                                 const std::string& value) {
  dir.write("stdin.txt", value);
  return runProcess(
      "/bin/sh",
      {"-c", std::string("exec \"$0\" --set-secret=\"$1\" < stdin.txt"), SFSYNCD_PATH, target},
      dir.path());
}

TEST(SecretsCliTest, SetSecretStoresThePasswordTheConnectionThenLogsInWith) {
  sim::SimServer sim;
  sim.start();
  sim::SimOptions defaults;
  TempDir dir;
  writeConfig(dir, sim, "secrets.keyFile = conf/sfsync.key\n",
              "clientId = " + defaults.clientId + "\nclientSecret = " + defaults.clientSecret +
                  "\nusername = " + defaults.username + "\n");

  auto before = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(before.exitCode, 1) << before.out << before.err;
  EXPECT_NE(before.err.find("key file conf/sfsync.key not found"), std::string::npos) << before.err;

  const std::string password = defaults.password + defaults.securityToken;
  auto stored = setSecret(dir, "sample.password", password + "\n");
  ASSERT_EQ(stored.exitCode, 0) << stored.out << stored.err;
  EXPECT_NE(stored.out.find("stored sample.password in " + dir.file("var/credentials.enc")),
            std::string::npos)
      << stored.out;
  EXPECT_NE(stored.err.find("created key file"), std::string::npos) << stored.err;
  EXPECT_NE(stored.err.find("Back it up"), std::string::npos) << stored.err;
  EXPECT_EQ((stored.out + stored.err).find(password), std::string::npos);
  EXPECT_EQ(modeOf(dir.file("conf/sfsync.key")), 0600u);
  EXPECT_EQ(modeOf(dir.file("var/credentials.enc")), 0600u);
  EXPECT_EQ(testing::readFile(dir.file("var/credentials.enc")).find(password), std::string::npos);

  // The password grant needs password + security token: the store holds both concatenated here.
  auto online = runProcess(SFSYNCD_PATH, {"--validate", "--online"}, dir.path());
  EXPECT_EQ(online.exitCode, 0) << online.out << online.err;
  EXPECT_GE(sim.tokenRequests(), 1);

  auto replaced = setSecret(dir, "sample.password", "wrong\n");
  EXPECT_EQ(replaced.exitCode, 0) << replaced.err;
  EXPECT_NE(replaced.out.find("replaced sample.password"), std::string::npos) << replaced.out;
  EXPECT_EQ(replaced.err.find("created key file"), std::string::npos) << replaced.err;
  auto refused = runProcess(SFSYNCD_PATH, {"--validate", "--online"}, dir.path());
  EXPECT_NE(refused.exitCode, 0) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("authentication failure"), std::string::npos) << refused.err;
}

TEST(SecretsCliTest, AWrongKeyFileStopsTheDaemonAndSetSecretChangesNothing) {
  sim::SimServer sim;
  TempDir dir;
  writeConfig(dir, sim, "secrets.keyFile = conf/sfsync.key\n",
              "clientId = c\nclientSecret = s\nusername = u@example.com\n");
  ASSERT_EQ(setSecret(dir, "sample.password", "p").exitCode, 0);
  const std::string store = testing::readFile(dir.file("var/credentials.enc"));
  std::remove(dir.file("conf/sfsync.key").c_str());
  ASSERT_TRUE(secrets::SecretStore::createKeyFile(dir.file("conf/sfsync.key")).ok());

  auto validate = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(validate.exitCode, 1);
  EXPECT_NE(validate.err.find("secrets.file: cannot decrypt " + dir.file("var/credentials.enc") +
                              " with key " + dir.file("conf/sfsync.key") +
                              ": authentication tag mismatch"),
            std::string::npos)
      << validate.err;
  auto set = setSecret(dir, "sample.password", "p2");
  EXPECT_EQ(set.exitCode, 1);
  EXPECT_NE(set.err.find("authentication tag mismatch"), std::string::npos) << set.err;
  EXPECT_EQ(testing::readFile(dir.file("var/credentials.enc")), store);
}

TEST(SecretsCliTest, SetSecretRejectsBadTargetsAndMissingConfiguration) {
  sim::SimServer sim;
  TempDir dir;
  writeConfig(dir, sim, "", "clientId = c\nclientSecret = s\nusername = u@example.com\n");
  auto noKey = setSecret(dir, "sample.password", "p");
  EXPECT_EQ(noKey.exitCode, 64);
  EXPECT_NE(noKey.err.find("set secrets.keyFile"), std::string::npos) << noKey.err;

  writeConfig(dir, sim, "secrets.keyFile = conf/sfsync.key\n",
              "clientId = c\nclientSecret = s\nusername = u@example.com\n");
  auto badKey = setSecret(dir, "sample.pasword", "p");
  EXPECT_EQ(badKey.exitCode, 64);
  EXPECT_NE(badKey.err.find("KEY one of clientId, clientSecret, username, password"),
            std::string::npos)
      << badKey.err;
  auto badConnection = setSecret(dir, "prod.password", "p");
  EXPECT_EQ(badConnection.exitCode, 64);
  EXPECT_NE(badConnection.err.find("no connection named 'prod'"), std::string::npos);
  auto empty = setSecret(dir, "sample.password", "\n");
  EXPECT_EQ(empty.exitCode, 1);
  EXPECT_NE(empty.err.find("empty value"), std::string::npos) << empty.err;
}

TEST(SecretsCliTest, JwtBearerLogsInThroughTheBinary) {
  Poco::Crypto::RSAKey key(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
  std::ostringstream pub, priv;
  key.save(&pub, &priv);
  sim::SimOptions options;
  options.jwtCertificatePem = pub.str();
  sim::SimServer sim(options);
  sim.start();
  TempDir dir;
  dir.write("conf/app.key", priv.str());
  writeConfig(dir, sim,
              "connection.sample.authFlow = jwt_bearer\n"
              "connection.sample.jwt.privateKeyFile = conf/app.key\n",
              "clientId = " + options.clientId + "\nusername = " + options.username + "\n");
  auto online = runProcess(SFSYNCD_PATH, {"--validate", "--online"}, dir.path());
  EXPECT_EQ(online.exitCode, 0) << online.out << online.err;
  EXPECT_EQ(sim.tokenRequests(), 1);
}

}  // namespace
}  // namespace sfsync
