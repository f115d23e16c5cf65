// PropertiesLoader: reads conf/sfsync.properties (plus command-line overrides) into AppConfig -
// store, admin endpoint (with its tokens and TLS files), directories, log file, scheduler limits,
// retention, the encrypted credentials store and every listed connection - reporting each missing,
// invalid or unknown key under the property's name, and every malformed line of the file under
// "line N". Every key is checked except two families: "notify.*" (collected into
// AppConfig::notifyProperties for the notify module, which validates them) and "log.*" /
// "logging.*" (collected into AppConfig::logProperties; the app validates and applies them,
// src/app/LogSettings).
//
// Thread-safety: not thread-safe (one loader per load).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/ConfigPaths.h"
#include "config/ProblemCollector.h"
#include "config/PropertiesFile.h"
#include "sfsync/config/Config.h"

namespace sfsync::config {

class PropertiesLoader {
 public:
  PropertiesLoader(const ConfigPaths& paths, std::vector<ConfigProblem>& problems);

  // Fills `app`. Returns false when the properties file itself cannot be read (then nothing else is
  // known and the only problem reported is why).
  bool load(const std::string& propertiesFile, const std::map<std::string, std::string>& overrides,
            AppConfig* app);

  // After load(): whether "connections" named at least one valid connection (so a job naming
  // another one is wrong), and whether the jobs / chains directories exist.
  bool connectionsKnown() const { return connectionsKnown_; }
  bool jobsDirOk() const { return jobsDirOk_; }
  bool chainsDirOk() const { return chainsDirOk_; }

 private:
  void readStore(const PropertyMap& props, ProblemCollector& problems, AppConfig* app);
  // store.url, store.schema, store.*TimeoutSeconds (store.type = postgresql).
  void readPostgresStore(const PropertyMap& props, ProblemCollector& problems, AppConfig* app);
  void readAdmin(const PropertyMap& props, ProblemCollector& problems, AppConfig* app);
  void readAdminTokens(const PropertyMap& props, ProblemCollector& problems, AppConfig* app);
  void readAdminTls(const PropertyMap& props, ProblemCollector& problems, AppConfig* app);
  void readPaths(const PropertyMap& props, ProblemCollector& problems, AppConfig* app);
  void readScheduler(const PropertyMap& props, ProblemCollector& problems, AppConfig* app);
  void readConnections(const PropertyMap& props, ProblemCollector& problems, AppConfig* app);
  // secrets.file / secrets.keyFile: decrypts the credentials store for CredentialsResolver.
  void readSecrets(const PropertyMap& props, ProblemCollector& problems, AppConfig* app);
  void rejectUnknownKeys(const PropertyMap& props, const std::vector<std::string>& listed,
                         ProblemCollector& problems);
  // One "admin.token.*" key: unknown for a listed token unless ".sha256"; otherwise its token is
  // reported once as not listed.
  void reportTokenKey(const std::string& key, ProblemCollector& problems,
                      std::vector<std::string>& reportedTokens) const;

  const ConfigPaths& paths_;
  std::vector<ConfigProblem>& problems_;
  bool connectionsKnown_ = false;
  bool jobsDirOk_ = false;
  bool chainsDirOk_ = false;
  std::vector<std::string> tokenNames_;              // valid names listed in admin.tokens
  bool secretsLoaded_ = false;                       // the store is configured and readable
  std::map<std::string, std::string> secretValues_;  // its entries (secret; never reported)
};

}  // namespace sfsync::config
