// NotificationConfig: reads notification configuration and reports EVERY problem (it never stops at
// the first) as a (path, message) pair, for the config loader to prefix with the file name:
//   - a job's or chain's "notifications" object:
//       {"onSuccess": {"emails": [...], "webhooks": [...]},
//        "onFailure": {"emails": [...], "webhooks": [...]},
//        "notifyPartialAs": "failure" | "success"}
//     every key optional; paths like "notifications.onFailure.emails[1]". Problems: unknown keys,
//     wrong JSON types, addresses not shaped like local@domain, URLs that are not absolute http(s),
//     a bad notifyPartialAs. Duplicate entries in one list are dropped silently.
//   - the `notify.*` properties (path = property key):
//       notify.smtp.host, notify.smtp.port (1-65535, default 25), notify.smtp.startTls
//       (true|false), notify.smtp.username, notify.smtp.passwordEnv (NAME of an environment
//       variable holding the password), notify.smtp.from, notify.smtp.timeoutSeconds,
//       notify.smtp.verifyCertificates, notify.smtp.caFile, notify.smtp.heloName,
//       notify.webhook.timeoutSeconds, notify.webhook.maxAttempts,
//       notify.webhook.verifyCertificates, notify.webhook.caFile.
//     Other `notify.*` keys are problems (a literal notify.smtp.password is refused: passwords come
//     from the environment). Keys outside `notify.*` are ignored. Values are never echoed for the
//     password variable.
//
// Thread-safety: stateless functions; safe from any thread (the default environment lookup reads
// the process environment).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>

#include "sfsync/notify/NotificationSettings.h"
#include "sfsync/notify/NotificationTargets.h"

namespace sfsync::notify {

struct NotifyProblem {
  std::string path;  // JSON path ("notifications.onSuccess.emails[0]") or property key
  std::string message;
  std::string toString() const { return path + ": " + message; }
};

struct TargetsParse {
  NotificationTargets targets;  // the valid parts; invalid entries are left out
  std::vector<NotifyProblem> problems;
};

struct SettingsParse {
  NotificationSettings settings;
  std::vector<NotifyProblem> problems;
};

// `value` is the "notifications" value of a job or chain (a Poco JSON object, as the config loader
// holds it); `path` is its JSON path. An empty Var (key absent) gives empty targets and no problem.
TargetsParse parseNotificationTargets(const Poco::Dynamic::Var& value,
                                      const std::string& path = "notifications");
// Same, from JSON text; a syntax error is one problem at `path`.
TargetsParse parseNotificationTargetsJson(const std::string& jsonText,
                                          const std::string& path = "notifications");

// Looks an environment variable up; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup processEnvironment();

SettingsParse parseNotificationSettings(const std::map<std::string, std::string>& properties,
                                        const EnvLookup& env = processEnvironment());

// Shape checks shared by the parsers and the senders.
// "local@domain": printable ASCII without spaces, quotes, angle brackets or CR/LF; a domain of
// letters, digits, '-' and non-empty dot-separated labels.
bool isPlausibleEmail(const std::string& address);
// An absolute http:// or https:// URL with a host.
bool isHttpUrl(const std::string& url);

}  // namespace sfsync::notify
