// parseNotificationSettings / processEnvironment (declared in NotificationConfig.h).
#include <Poco/Environment.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "sfsync/core/Names.h"
#include "sfsync/notify/NotificationConfig.h"

namespace sfsync::notify {
namespace {

constexpr const char* kHost = "notify.smtp.host";
constexpr const char* kPort = "notify.smtp.port";
constexpr const char* kStartTls = "notify.smtp.startTls";
constexpr const char* kUsername = "notify.smtp.username";
constexpr const char* kPasswordEnv = "notify.smtp.passwordEnv";
constexpr const char* kFrom = "notify.smtp.from";
constexpr const char* kSmtpTimeout = "notify.smtp.timeoutSeconds";
constexpr const char* kSmtpVerify = "notify.smtp.verifyCertificates";
constexpr const char* kSmtpCaFile = "notify.smtp.caFile";
constexpr const char* kHeloName = "notify.smtp.heloName";
constexpr const char* kWebhookTimeout = "notify.webhook.timeoutSeconds";
constexpr const char* kWebhookAttempts = "notify.webhook.maxAttempts";
constexpr const char* kWebhookVerify = "notify.webhook.verifyCertificates";
constexpr const char* kWebhookCaFile = "notify.webhook.caFile";

const std::vector<std::string>& knownKeys() {
  static const std::vector<std::string> kKeys = {
      kHost,          kPort,         kStartTls,   kUsername, kPasswordEnv,    kFrom,
      kSmtpTimeout,   kSmtpVerify,   kSmtpCaFile, kHeloName, kWebhookTimeout, kWebhookAttempts,
      kWebhookVerify, kWebhookCaFile};
  return kKeys;
}

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool isEnvName(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// "sfsync@example.com" or "Display Name <sfsync@example.com>".
bool isPlausibleSender(const std::string& from) {
  if (from.find_first_of("\r\n") != std::string::npos) return false;
  const auto open = from.find('<');
  if (open == std::string::npos) return isPlausibleEmail(from);
  const auto close = from.find('>', open);
  if (close == std::string::npos || close + 1 != from.size()) return false;
  return isPlausibleEmail(from.substr(open + 1, close - open - 1));
}

class PropertyReader {
 public:
  PropertyReader(const std::map<std::string, std::string>& props, std::vector<NotifyProblem>& out)
      : props_(props), problems_(out) {}

  void add(const std::string& key, const std::string& message) {
    problems_.push_back({key, message});
  }

  // The trimmed value, or "" when absent.
  std::string text(const char* key) const {
    const auto it = props_.find(key);
    return it == props_.end() ? std::string() : Poco::trim(it->second);
  }
  bool has(const char* key) const { return props_.count(key) > 0; }

  void integer(const char* key, int min, int max, const char* what, int* out) {
    if (!has(key)) return;
    int value = 0;
    if (!Poco::NumberParser::tryParse(text(key), value) || value < min || value > max) {
      add(key, std::string("must be ") + what + " (" + std::to_string(min) + "-" +
                   std::to_string(max) + "), not '" + text(key) + "'");
      return;
    }
    *out = value;
  }

  void boolean(const char* key, bool* out) {
    if (!has(key)) return;
    const std::string v = Poco::toLower(text(key));
    if (v == "true") {
      *out = true;
    } else if (v == "false") {
      *out = false;
    } else {
      add(key, "must be true or false, not '" + text(key) + "'");
    }
  }

  void seconds(const char* key, std::chrono::milliseconds* out) {
    int value = -1;
    integer(key, 1, 3600, "a number of seconds", &value);
    if (value > 0) *out = std::chrono::seconds(value);
  }

 private:
  const std::map<std::string, std::string>& props_;
  std::vector<NotifyProblem>& problems_;
};

}  // namespace

EnvLookup processEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

SettingsParse parseNotificationSettings(const std::map<std::string, std::string>& properties,
                                        const EnvLookup& env) {
  SettingsParse out;
  PropertyReader r(properties, out.problems);
  SmtpSettings& smtp = out.settings.smtp;
  WebhookSettings& webhook = out.settings.webhook;

  bool anySmtpKey = false;
  for (const auto& [key, value] : properties) {
    (void)value;
    if (!startsWith(key, "notify.")) continue;
    if (startsWith(key, "notify.smtp.")) anySmtpKey = true;
    bool known = false;
    for (const auto& k : knownKeys()) known = known || k == key;
    if (known) continue;
    if (key == "notify.smtp.password") {
      r.add(key,
            "passwords are not read from the properties file: put it in an environment "
            "variable and name that variable in notify.smtp.passwordEnv");
    } else {
      r.add(key, "unknown key '" + key + "'" + didYouMean(key, knownKeys()));
    }
  }

  smtp.host = r.text(kHost);
  r.integer(kPort, 1, 65535, "a port number", &smtp.port);
  r.boolean(kStartTls, &smtp.startTls);
  r.boolean(kSmtpVerify, &smtp.verifyCertificates);
  smtp.caFile = r.text(kSmtpCaFile);
  smtp.heloName = r.text(kHeloName);
  r.seconds(kSmtpTimeout, &smtp.timeout);
  smtp.username = r.text(kUsername);
  smtp.from = r.text(kFrom);

  if (smtp.host.empty()) {
    if (anySmtpKey) r.add(kHost, "required when other notify.smtp.* keys are set");
  } else if (smtp.from.empty()) {
    r.add(kFrom, "required when notify.smtp.host is set");
  }
  if (!smtp.from.empty() && !isPlausibleSender(smtp.from)) {
    r.add(kFrom, "must be an address (sfsync@example.com) or Name <sfsync@example.com>, not '" +
                     smtp.from + "'");
  }
  if (smtp.heloName.find_first_of(" \t\r\n") != std::string::npos) {
    r.add(kHeloName, "must be a host name without spaces");
  }

  const std::string passwordEnv = r.text(kPasswordEnv);
  if (!smtp.username.empty() && passwordEnv.empty()) {
    r.add(kPasswordEnv,
          "required when notify.smtp.username is set (the NAME of an environment "
          "variable holding the SMTP password)");
  }
  if (!passwordEnv.empty()) {
    if (smtp.username.empty()) r.add(kUsername, "required when notify.smtp.passwordEnv is set");
    if (!isEnvName(passwordEnv)) {
      r.add(kPasswordEnv,
            "must be the name of an environment variable ([A-Za-z_][A-Za-z0-9_]*), "
            "not the password itself");
    } else {
      const std::optional<std::string> password = env ? env(passwordEnv) : std::nullopt;
      if (!password) {
        r.add(kPasswordEnv, "environment variable '" + passwordEnv + "' is not set");
      } else if (password->empty()) {
        r.add(kPasswordEnv, "environment variable '" + passwordEnv + "' is empty");
      } else {
        smtp.password = *password;
      }
    }
  }

  r.seconds(kWebhookTimeout, &webhook.timeout);
  r.integer(kWebhookAttempts, 1, 10, "a number of attempts", &webhook.maxAttempts);
  r.boolean(kWebhookVerify, &webhook.verifyCertificates);
  webhook.caFile = r.text(kWebhookCaFile);
  return out;
}

}  // namespace sfsync::notify
