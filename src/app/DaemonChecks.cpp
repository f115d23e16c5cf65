#include "app/DaemonChecks.h"

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

}  // namespace

std::vector<config::ConfigProblem> checkDaemonConfig(
    const config::LoadedConfig& config, const std::map<std::string, std::string>& /*overrides*/,
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
  notify::SettingsParse settings = notify::parseNotificationSettings(config.app.notifyProperties);
  for (const auto& p : settings.problems) {
    problems.push_back({relative(config, config.app.file), p.path, p.message});
  }
  if (notifications != nullptr) *notifications = settings.settings;
  return problems;
}

}  // namespace sfsync::app
