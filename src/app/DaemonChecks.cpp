#include "app/DaemonChecks.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SocketAddress.h>

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

// What serve checks before it listens (AdminServer::start): the host parses or resolves, and the
// TLS certificate and key load into a server context. The port range is the loader's.
void checkAdminEndpoint(const config::LoadedConfig& config,
                        std::vector<config::ConfigProblem>& problems) {
  const std::string file = relative(config, config.app.file);
  try {
    const Poco::Net::SocketAddress address(config.app.adminHost,
                                           static_cast<Poco::UInt16>(config.app.adminPort));
    (void)address;
  } catch (const Poco::Exception& e) {
    problems.push_back({file, "admin.host",
                        "'" + config.app.adminHost +
                            "' is not an IP address or a host name that resolves (" +
                            e.displayText() + ")"});
  }
  if (config.app.tlsCertificateFile.empty()) return;
  try {
    // The same context AdminServer builds; loading the files is what can fail.
    Poco::Net::Context::Ptr tls =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, config.app.tlsPrivateKeyFile,
                               config.app.tlsCertificateFile, "", Poco::Net::Context::VERIFY_NONE,
                               9, false, "HIGH:!aNULL:!MD5:!RC4:!3DES");
  } catch (const Poco::Exception& e) {
    problems.push_back(
        {file, "admin.tls.certificateFile",
         "the admin server cannot use this certificate and private key (" + e.displayText() + ")"});
  }
}

}  // namespace

std::vector<config::ConfigProblem> checkDaemonConfig(
    const config::LoadedConfig& config, const std::map<std::string, std::string>& /*overrides*/,
    notify::NotificationSettings* notifications) {
  std::vector<config::ConfigProblem> problems;
  checkAdminEndpoint(config, problems);
  if (config.problems.empty()) {  // files with problems are left out: chains would look broken
    const scheduling::ChainCatalog catalog = DaemonRuntime::buildCatalog(config);
    for (const std::string& problem : catalog.problems()) {
      problems.push_back({relative(config, config.app.chainsDir), "chains", problem});
    }
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
