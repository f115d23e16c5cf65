#include "app/DaemonChecks.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include "app/DaemonRuntime.h"
#include "sfsync/notify/NotificationConfig.h"

namespace sfsync::app {

namespace {

std::string relative(const config::LoadedConfig& config, const std::string& file) {
  const std::string base = config.app.baseDir + "/";
  return file.rfind(base, 0) == 0 ? file.substr(base.size()) : file;
}

void checkTargets(const config::LoadedConfig& config, const std::string& file,
                  const std::string& json, std::vector<config::ConfigProblem>& problems) {
  if (json.empty()) return;
  for (const auto& p : notify::parseNotificationTargetsJson(json).problems) {
    problems.push_back({relative(config, file), p.path, p.message});
  }
}

std::map<std::string, std::string> notifyProperties(
    const std::string& file, const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> out;
  try {
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> properties(
        new Poco::Util::PropertyFileConfiguration(file));
    Poco::Util::AbstractConfiguration::Keys sections;
    properties->keys("notify", sections);
    for (const auto& section : sections) {
      Poco::Util::AbstractConfiguration::Keys keys;
      properties->keys("notify." + section, keys);
      for (const auto& key : keys) {
        const std::string full = "notify." + section + "." + key;
        out[full] = properties->getString(full);
      }
    }
  } catch (const Poco::Exception&) {
    // The loader already reported an unreadable properties file.
  }
  for (const auto& [key, value] : overrides) {
    if (key.rfind("notify.", 0) == 0) out[key] = value;
  }
  return out;
}

}  // namespace

std::vector<config::ConfigProblem> checkDaemonConfig(
    const config::LoadedConfig& config, const std::map<std::string, std::string>& overrides,
    notify::NotificationSettings* notifications) {
  std::vector<config::ConfigProblem> problems;
  const scheduling::ChainCatalog catalog = DaemonRuntime::buildCatalog(config);
  for (const std::string& problem : catalog.problems()) {
    problems.push_back({relative(config, config.app.chainsDir), "chains", problem});
  }
  for (const auto& job : config.jobs)
    checkTargets(config, job.file, job.notificationsJson, problems);
  for (const auto& chain : config.chains) {
    checkTargets(config, chain.file, chain.notificationsJson, problems);
  }
  notify::SettingsParse settings =
      notify::parseNotificationSettings(notifyProperties(config.app.file, overrides));
  for (const auto& p : settings.problems) {
    problems.push_back({relative(config, config.app.file), p.path, p.message});
  }
  if (notifications != nullptr) *notifications = settings.settings;
  return problems;
}

}  // namespace sfsync::app
