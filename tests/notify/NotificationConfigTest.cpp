#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sfsync/notify/NotificationConfig.h"

namespace sfsync::notify {
namespace {

// "path: message" lines, for readable failures and order-independent checks.
std::vector<std::string> lines(const std::vector<NotifyProblem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.toString());
  return out;
}

bool hasProblem(const std::vector<NotifyProblem>& problems, const std::string& path,
                const std::string& fragment) {
  for (const auto& p : problems) {
    if (p.path == path && p.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

std::string joined(const std::vector<NotifyProblem>& problems) {
  std::string out;
  for (const auto& l : lines(problems)) out += l + "\n";
  return out;
}

TEST(NotificationTargetsParserTest, ReadsBothListsAndPartialPolicy) {
  const TargetsParse parsed = parseNotificationTargetsJson(R"({
    "onSuccess": {"emails": ["team@example.com"], "webhooks": ["https://hooks.example.com/ok"]},
    "onFailure": {"emails": ["ops@example.com", " oncall@example.co.uk ", "OPS@example.com"],
                  "webhooks": ["http://127.0.0.1:9000/fail?token=abc"]},
    "notifyPartialAs": "success"})");
  EXPECT_TRUE(parsed.problems.empty()) << joined(parsed.problems);
  const NotificationTargets& t = parsed.targets;
  EXPECT_EQ(t.onSuccess.emails, std::vector<std::string>{"team@example.com"});
  EXPECT_EQ(t.onSuccess.webhooks, std::vector<std::string>{"https://hooks.example.com/ok"});
  // trimmed; the case-insensitive duplicate dropped
  EXPECT_EQ(t.onFailure.emails,
            (std::vector<std::string>{"ops@example.com", "oncall@example.co.uk"}));
  EXPECT_EQ(t.onFailure.webhooks, std::vector<std::string>{"http://127.0.0.1:9000/fail?token=abc"});
  EXPECT_EQ(t.partialAs, PartialAs::kSuccess);
}

TEST(NotificationTargetsParserTest, AbsentOrEmptyMeansNobodyAndPartialAsFailure) {
  const TargetsParse absent = parseNotificationTargets(Poco::Dynamic::Var());
  EXPECT_TRUE(absent.problems.empty());
  EXPECT_TRUE(absent.targets.empty());
  EXPECT_EQ(absent.targets.partialAs, PartialAs::kFailure);

  const TargetsParse empty = parseNotificationTargetsJson(R"({"onFailure": {}})");
  EXPECT_TRUE(empty.problems.empty()) << joined(empty.problems);
  EXPECT_TRUE(empty.targets.empty());
}

TEST(NotificationTargetsParserTest, ReportsEveryProblemWithItsPath) {
  const TargetsParse parsed = parseNotificationTargetsJson(R"({
    "onSucess": {"emails": ["a@example.com"]},
    "onSuccess": {"emails": ["ok@example.com", "not-an-address", "two@@example.com",
                             "a b@example.com", "x@example..com", 42, ""],
                  "webhook": []},
    "onFailure": {"emails": "ops@example.com",
                  "webhooks": ["ftp://files.example.com/x", "/relative/path", "https://",
                               "https://ok.example.com/hook"]},
    "notifyPartialAs": "maybe"})",
                                                           "notifications");
  const auto& p = parsed.problems;
  EXPECT_TRUE(
      hasProblem(p, "notifications.onSucess", "unknown key 'onSucess' (did you mean 'onSuccess'?)"))
      << joined(p);
  EXPECT_TRUE(hasProblem(p, "notifications.onSuccess.webhook",
                         "unknown key 'webhook' (did you mean 'webhooks'?)"))
      << joined(p);
  EXPECT_TRUE(hasProblem(p, "notifications.onSuccess.emails[1]", "not an email address"))
      << joined(p);
  EXPECT_TRUE(hasProblem(p, "notifications.onSuccess.emails[2]", "not an email address"));
  EXPECT_TRUE(hasProblem(p, "notifications.onSuccess.emails[3]", "not an email address"));
  EXPECT_TRUE(hasProblem(p, "notifications.onSuccess.emails[4]", "not an email address"));
  EXPECT_TRUE(hasProblem(p, "notifications.onSuccess.emails[5]", "must be a string, not a number"));
  EXPECT_TRUE(hasProblem(p, "notifications.onSuccess.emails[6]", "must not be empty"));
  EXPECT_TRUE(hasProblem(p, "notifications.onFailure.emails", "must be an array of strings"));
  EXPECT_TRUE(hasProblem(p, "notifications.onFailure.webhooks[0]", "not 'ftp:'")) << joined(p);
  EXPECT_TRUE(hasProblem(p, "notifications.onFailure.webhooks[1]", "no scheme")) << joined(p);
  EXPECT_TRUE(hasProblem(p, "notifications.onFailure.webhooks[2]", "with a host")) << joined(p);
  EXPECT_TRUE(hasProblem(p, "notifications.notifyPartialAs", "\"success\" or \"failure\""));
  EXPECT_EQ(p.size(), 13u) << joined(p);
  // The valid entries survive, so one typo does not silence the rest.
  EXPECT_EQ(parsed.targets.onSuccess.emails, std::vector<std::string>{"ok@example.com"});
  EXPECT_EQ(parsed.targets.onFailure.webhooks,
            std::vector<std::string>{"https://ok.example.com/hook"});
}

TEST(NotificationTargetsParserTest, WrongShapesAndSyntaxErrors) {
  const TargetsParse notObject = parseNotificationTargetsJson(R"(["ops@example.com"])");
  ASSERT_EQ(notObject.problems.size(), 1u);
  EXPECT_EQ(notObject.problems[0].toString(), "notifications: must be an object, not an array");

  const TargetsParse listNotObject =
      parseNotificationTargetsJson(R"({"onFailure": ["ops@example.com"]})");
  EXPECT_TRUE(hasProblem(listNotObject.problems, "notifications.onFailure",
                         "must be an object with \"emails\" and/or \"webhooks\", not an array"))
      << joined(listNotObject.problems);

  const TargetsParse partialNumber = parseNotificationTargetsJson(R"({"notifyPartialAs": 1})");
  EXPECT_TRUE(hasProblem(partialNumber.problems, "notifications.notifyPartialAs", "not a number"));

  const TargetsParse syntax = parseNotificationTargetsJson(R"({"onFailure": )", "jobs.x");
  ASSERT_EQ(syntax.problems.size(), 1u);
  EXPECT_EQ(syntax.problems[0].path, "jobs.x");
  EXPECT_NE(syntax.problems[0].message.find("invalid JSON"), std::string::npos);
}

TEST(NotificationTargetsParserTest, UrlsWithTokensAreNotEchoedInProblems) {
  const TargetsParse parsed =
      parseNotificationTargetsJson(R"({"onFailure": {"webhooks": ["ftp://u:s3cret@x/y"]}})");
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(parsed.problems[0].message.find("s3cret"), std::string::npos);
}

TEST(AddressShapeTest, EmailsAndUrls) {
  for (const char* good :
       {"ops@example.com", "first.last+tag@sub.example.co", "a@localhost", "o'brien@example.ie"}) {
    EXPECT_TRUE(isPlausibleEmail(good)) << good;
  }
  for (const char* bad :
       {"", "ops", "@example.com", "ops@", "a@b@c", "a b@example.com", "ops@exa mple.com",
        "<ops@example.com>", "ops@example.com\r\nBcc: x@y", ".ops@example.com", "ops.@example.com",
        "ops@-example.com", "ops@example.com.", "\"q\"@example.com"}) {
    EXPECT_FALSE(isPlausibleEmail(bad)) << bad;
  }
  EXPECT_TRUE(isHttpUrl("https://hooks.example.com/a?b=c"));
  EXPECT_TRUE(isHttpUrl("HTTP://127.0.0.1:8080/x"));
  EXPECT_FALSE(isHttpUrl("ftp://example.com/"));
  EXPECT_FALSE(isHttpUrl("example.com/hook"));
  EXPECT_FALSE(isHttpUrl("https:///path"));
  EXPECT_FALSE(isHttpUrl("https://example.com/a b"));
}

// --- properties ---

EnvLookup fakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(NotificationSettingsParserTest, ReadsSmtpAndWebhookKeys) {
  const std::map<std::string, std::string> props = {
      {"notify.smtp.host", " smtp.example.com "},
      {"notify.smtp.port", "587"},
      {"notify.smtp.startTls", "true"},
      {"notify.smtp.username", "sfsync"},
      {"notify.smtp.passwordEnv", "SFSYNC_SMTP_PASSWORD"},
      {"notify.smtp.from", "sfsync <sfsync@example.com>"},
      {"notify.smtp.timeoutSeconds", "15"},
      {"notify.webhook.timeoutSeconds", "5"},
      {"notify.webhook.maxAttempts", "4"},
      {"store.path", "ignored.db"},  // not ours
      {"logging.loggers.root.level", "debug"},
  };
  const SettingsParse parsed =
      parseNotificationSettings(props, fakeEnv({{"SFSYNC_SMTP_PASSWORD", "pa55word"}}));
  EXPECT_TRUE(parsed.problems.empty()) << joined(parsed.problems);
  const SmtpSettings& smtp = parsed.settings.smtp;
  EXPECT_EQ(smtp.host, "smtp.example.com");
  EXPECT_EQ(smtp.port, 587);
  EXPECT_TRUE(smtp.startTls);
  EXPECT_TRUE(smtp.verifyCertificates);
  EXPECT_EQ(smtp.username, "sfsync");
  EXPECT_EQ(smtp.password, "pa55word");
  EXPECT_EQ(smtp.from, "sfsync <sfsync@example.com>");
  EXPECT_EQ(smtp.timeout, std::chrono::seconds(15));
  EXPECT_EQ(parsed.settings.webhook.timeout, std::chrono::seconds(5));
  EXPECT_EQ(parsed.settings.webhook.maxAttempts, 4);
}

TEST(NotificationSettingsParserTest, NothingConfiguredIsFine) {
  const SettingsParse parsed = parseNotificationSettings({{"store.path", "x.db"}}, fakeEnv({}));
  EXPECT_TRUE(parsed.problems.empty()) << joined(parsed.problems);
  EXPECT_FALSE(parsed.settings.smtp.configured());
  EXPECT_EQ(parsed.settings.webhook.maxAttempts, 3);
}

TEST(NotificationSettingsParserTest, ReportsEveryProblemWithoutEchoingThePassword) {
  const std::map<std::string, std::string> props = {
      {"notify.smtp.port", "99999"},
      {"notify.smtp.startTls", "yes please"},
      {"notify.smtp.username", "sfsync"},
      {"notify.smtp.passwordEnv", "SMTP_PASS"},
      {"notify.smtp.password", "hunter2"},
      {"notify.smtp.from", "not an address"},
      {"notify.smtp.hots", "typo.example.com"},
      {"notify.webhook.maxAttempts", "0"},
  };
  const SettingsParse parsed = parseNotificationSettings(props, fakeEnv({}));
  const auto& p = parsed.problems;
  EXPECT_TRUE(hasProblem(p, "notify.smtp.host", "required when other notify.smtp.* keys"))
      << joined(p);
  EXPECT_TRUE(hasProblem(p, "notify.smtp.port", "must be a port number (1-65535)"));
  EXPECT_TRUE(hasProblem(p, "notify.smtp.startTls", "must be true or false"));
  EXPECT_TRUE(hasProblem(p, "notify.smtp.passwordEnv", "'SMTP_PASS' is not set"));
  EXPECT_TRUE(hasProblem(p, "notify.smtp.password", "notify.smtp.passwordEnv"));
  EXPECT_TRUE(hasProblem(p, "notify.smtp.from", "must be an address"));
  EXPECT_TRUE(hasProblem(p, "notify.smtp.hots",
                         "unknown key 'notify.smtp.hots' (did you mean 'notify.smtp.host'?)"));
  EXPECT_TRUE(hasProblem(p, "notify.webhook.maxAttempts", "(1-10)"));
  EXPECT_EQ(p.size(), 8u) << joined(p);
  EXPECT_EQ(joined(p).find("hunter2"), std::string::npos);
}

TEST(NotificationSettingsParserTest, CredentialsComeInPairsAndFromIsRequired) {
  const SettingsParse userOnly = parseNotificationSettings(
      {{"notify.smtp.host", "smtp.example.com"}, {"notify.smtp.username", "u"}}, fakeEnv({}));
  EXPECT_TRUE(hasProblem(userOnly.problems, "notify.smtp.passwordEnv", "required when"));
  EXPECT_TRUE(hasProblem(userOnly.problems, "notify.smtp.from", "required when"));

  const SettingsParse envOnly =
      parseNotificationSettings({{"notify.smtp.host", "smtp.example.com"},
                                 {"notify.smtp.from", "sfsync@example.com"},
                                 {"notify.smtp.passwordEnv", "P"}},
                                fakeEnv({{"P", "secret-value"}}));
  EXPECT_TRUE(hasProblem(envOnly.problems, "notify.smtp.username", "required when"));

  // A password pasted where the variable NAME belongs is refused, and not repeated back.
  const SettingsParse pasted =
      parseNotificationSettings({{"notify.smtp.host", "smtp.example.com"},
                                 {"notify.smtp.from", "sfsync@example.com"},
                                 {"notify.smtp.username", "u"},
                                 {"notify.smtp.passwordEnv", "p@ss w0rd!"}},
                                fakeEnv({}));
  EXPECT_TRUE(hasProblem(pasted.problems, "notify.smtp.passwordEnv", "name of an environment"));
  EXPECT_EQ(joined(pasted.problems).find("p@ss w0rd!"), std::string::npos);

  const SettingsParse emptyVar =
      parseNotificationSettings({{"notify.smtp.host", "smtp.example.com"},
                                 {"notify.smtp.from", "sfsync@example.com"},
                                 {"notify.smtp.username", "u"},
                                 {"notify.smtp.passwordEnv", "P"}},
                                fakeEnv({{"P", ""}}));
  EXPECT_TRUE(hasProblem(emptyVar.problems, "notify.smtp.passwordEnv", "'P' is empty"));
}

}  // namespace
}  // namespace sfsync::notify
