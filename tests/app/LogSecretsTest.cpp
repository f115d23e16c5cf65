// Secrets never reach the log. The real sfsyncd logs at debug level to a file while it runs a chain
// (password flow, with a session that expires mid-run) and a job (refresh-token flow) in the
// foreground, fails a job whose password is wrong (foreground, as JSON lines, and served), serves
// the admin API with a good and a wrong token, and sends the failed run's notifications to a
// webhook whose path is the secret (answering 500) and to an SMTP server that refuses the password.
// Then the log file is searched for every secret value: client secret, password, security token,
// refresh token, every access token the simulator issued (they start with its org id and '!'), the
// webhook URL, the admin tokens and the SMTP password.
#include <gtest/gtest.h>

#include <Poco/DigestEngine.h>
#include <Poco/Process.h>
#include <Poco/SHA2Engine.h>

#include <map>
#include <string>
#include <vector>

#include "app/DaemonTestSupport.h"
#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "notify/SmtpSink.h"
#include "notify/WebhookReceiver.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync {
namespace {

using testing::runProcess;
using testing::TempDir;

// Distinctive values: any occurrence in the log is a leak, never a coincidence.
const std::string kClientSecret = "cs-Q7vLogLeakClientSecret";
const std::string kPassword = "pw-H2kLogLeakPassword";
const std::string kSecurityToken = "TK9LogLeakSecurityToken";
const std::string kRefreshToken = "rt-V3bLogLeakRefreshToken";
const std::string kWrongPassword = "pw-W8zLogLeakWrongPassword";
const std::string kHookSecret = "hk-B4nLogLeakWebhookPath";
const std::string kAdminToken = "adm-J5tLogLeakAdminToken";
const std::string kWrongAdminToken = "adm-X1cLogLeakWrongAdminToken";
const std::string kSmtpPassword = "smtp-R6pLogLeakSmtpPassword";

std::string sha256Hex(const std::string& text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

sim::SimOptions simOptions() {
  sim::SimOptions options;
  options.clientSecret = kClientSecret;
  options.password = kPassword;
  options.securityToken = kSecurityToken;
  options.refreshToken = kRefreshToken;
  return options;
}

std::string credentials(const std::string& password, const std::string& refreshToken) {
  return "clientId = sfsync-sample-client\nclientSecret = " + kClientSecret +
         "\nusername = admin@sample.sfsync\npassword = " + password +
         "\nsecurityToken = " + kSecurityToken + "\n" +
         (refreshToken.empty() ? "" : "refreshToken = " + refreshToken + "\n");
}

std::string companyJob(const std::string& name, const std::string& connection,
                       const std::string& notifications) {
  return R"({"name": ")" + name + R"(", "connection": ")" + connection +
         R"(", "source": {"object": "Account"}, "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
                   {"source": "Name", "target": "Name"}])" +
         (notifications.empty() ? "" : ", \"notifications\": " + notifications) + "}";
}

struct Fixture {
  sim::SimServer sim{simOptions()};
  notify::testing::WebhookReceiver hook;
  notify::testing::SmtpSink smtp{[] {
    notify::testing::SmtpSinkOptions options;
    options.acceptUser = "someone-else";
    options.acceptPassword = "not-the-configured-one";
    return options;
  }()};
  TempDir dir;

  std::string hookUrl() const { return hook.url("/services/T0/B0/" + kHookSecret + "?k=1"); }

  void write() {
    dir.write("conf/sfsync.properties",
              "store.path = var/test.db\nadmin.port = 0\npaths.jobs = jobs\n"
              "paths.chains = chains\npaths.errors = var/errors\n"
              "log.file = var/log/sfsyncd.log\nlog.level = debug\n"
              "connections = good, refresh, bad\n"
              "connection.good.orgType = custom\n"
              "connection.good.customDomainUrl = " +
                  sim.baseUrl() +
                  "\nconnection.good.credentialsFile = conf/good.credentials\n"
                  "connection.refresh.orgType = custom\n"
                  "connection.refresh.customDomainUrl = " +
                  sim.baseUrl() +
                  "\nconnection.refresh.authFlow = refresh_token\n"
                  "connection.refresh.credentialsFile = conf/refresh.credentials\n"
                  "connection.bad.orgType = custom\n"
                  "connection.bad.customDomainUrl = " +
                  sim.baseUrl() +
                  "\nconnection.bad.credentialsFile = conf/bad.credentials\n"
                  "admin.tokens = ops\nadmin.token.ops.sha256 = " +
                  sha256Hex(kAdminToken) + "\nnotify.smtp.host = 127.0.0.1\nnotify.smtp.port = " +
                  std::to_string(smtp.port()) +
                  "\nnotify.smtp.username = sfsync\n"
                  "notify.smtp.passwordEnv = SFSYNC_TEST_SMTP_PASSWORD\n"
                  "notify.smtp.from = sfsync@example.com\n");
    dir.write("conf/good.credentials", credentials(kPassword, ""));
    dir.write("conf/refresh.credentials", credentials(kPassword, kRefreshToken));
    dir.write("conf/bad.credentials", credentials(kWrongPassword, ""));
    dir.write("jobs/companies.json", companyJob("Companies", "good", ""));
    dir.write("jobs/refreshed.json", companyJob("Refreshed Companies", "refresh", ""));
    const std::string notifications =
        R"({"onFailure": {"webhooks": [")" + hookUrl() + R"("], "emails": ["ops@example.com"]}})";
    dir.write("jobs/broken.json", companyJob("Broken Auth", "bad", notifications));
    dir.write("chains/nightly.json",
              R"({"name": "Nightly", "jobs": ["Companies", "Refreshed Companies"]})");
  }

  std::string log() const { return testing::readFile(dir.file("var/log/sfsyncd.log")); }
};

// Every secret value the log must not contain, with a name for the failure message.
std::vector<std::pair<std::string, std::string>> secrets(const std::string& hookUrl) {
  return {{"client secret", kClientSecret},
          {"password", kPassword},
          {"security token", kSecurityToken},
          {"refresh token", kRefreshToken},
          {"wrong password", kWrongPassword},
          {"webhook URL path", kHookSecret},
          {"webhook URL", hookUrl},
          {"admin token", kAdminToken},
          {"wrong admin token", kWrongAdminToken},
          {"admin token digest", sha256Hex(kAdminToken)},
          {"SMTP password", kSmtpPassword}};
}

TEST(LogSecretsTest, AFullRunAndAServedDaemonLogNoSecretAtDebugLevel) {
  Fixture f;
  f.sim.start();
  f.hook.failAlways(500);
  f.write();
  const std::map<std::string, std::string> env{{"SFSYNC_TEST_SMTP_PASSWORD", kSmtpPassword}};

  // Foreground: a chain (password flow; the first session expires mid-run, so the client logs in
  // again) and a refresh-token job, then a job that cannot log in, logged as JSON lines.
  f.sim.expireSessionOnce();
  auto chain = runProcess(SFSYNCD_PATH, {"--run-chain=Nightly"}, f.dir.path(), env);
  EXPECT_EQ(chain.exitCode, 0) << chain.out << chain.err;
  auto broken = runProcess(SFSYNCD_PATH, {"--run-job=Broken Auth", "--define=log.format=json"},
                           f.dir.path(), env);
  EXPECT_EQ(broken.exitCode, 1) << broken.out << broken.err;

  // Served: the admin API with the right and a wrong token; the failing job run through it, so its
  // notifications go out (and fail: the webhook answers 500, SMTP refuses the password).
  Poco::ProcessHandle daemon = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{},
                                                     f.dir.path(), nullptr, nullptr, nullptr, env);
  const int port = testing::waitForAdminPort(f.dir.file("var/log/sfsyncd.log"));
  ASSERT_NE(port, 0) << f.log();
  EXPECT_EQ(testing::httpRequest(port, "GET", "/api/jobs", kWrongAdminToken).first, 401);
  EXPECT_EQ(testing::httpRequest(port, "POST", "/api/jobs/Broken%20Auth/run", kAdminToken).first,
            202);
  EXPECT_TRUE(f.hook.waitForRequests(1, std::chrono::seconds(60)));
  EXPECT_TRUE(testing::waitUntil([&] {
    return f.log().find("notification for 'Broken Auth' failed") != std::string::npos;
  })) << f.log();
  Poco::Process::requestTermination(daemon.id());
  EXPECT_EQ(daemon.wait(), 0);

  const std::string log = f.log();
  // The log is not trivially clean: runs, the login failure and debug lines are in it.
  EXPECT_NE(log.find("chain 'Nightly' started"), std::string::npos) << log;
  EXPECT_NE(log.find("job 'Refreshed Companies' (chain 'Nightly') ended Success"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("job 'Broken Auth' ended Failed"), std::string::npos) << log;
  EXPECT_NE(log.find("\"event\":\"run.end\""), std::string::npos) << log;  // the JSON lines
  EXPECT_NE(log.find("INVALID_SESSION_ID"), std::string::npos) << log;     // the re-login
  EXPECT_NE(log.find(" Debug ["), std::string::npos) << log;
  EXPECT_FALSE(f.smtp.commands().empty());  // the SMTP password was offered (and refused)
  for (const auto& [what, value] : secrets(f.hookUrl())) {
    EXPECT_EQ(log.find(value), std::string::npos) << "the log holds the " << what << ":\n" << log;
  }
  // Access tokens look like "<org id, 15 characters>!<random>": none may appear.
  for (std::size_t at = log.find("00D"); at != std::string::npos; at = log.find("00D", at + 1)) {
    EXPECT_NE(log.substr(at + 15, 1), "!") << "an access token is in the log:\n" << log;
  }
}

}  // namespace
}  // namespace sfsync
