// ConnectionLoader: builds one ConnectionConfig from the connection.<name>.* properties - org type
// and custom domain URL, auth flow, API version, transport settings and credential sources -
// reporting every invalid or unknown key, then resolves the credentials (see CredentialsResolver).
//
// Thread-safety: not thread-safe (one loader per load).
#pragma once

#include <string>

#include "config/ConfigPaths.h"
#include "config/CredentialsResolver.h"
#include "config/ProblemCollector.h"
#include "config/PropertiesFile.h"
#include "sfsync/config/Config.h"

namespace sfsync::config {

class ConnectionLoader {
 public:
  ConnectionLoader(const ConfigPaths& paths, ProblemCollector& problems,
                   CredentialsResolver& credentials);

  // Reads the keys "connection.<name>.*" from `props`; problems name the full property key.
  ConnectionConfig load(const std::string& name, const PropertyMap& props);

  // The keys allowed after "connection.<name>.".
  static const std::vector<std::string>& knownKeys();

 private:
  void readOrgType(const std::string& prefix, const PropertyMap& props, ConnectionConfig& conn);
  void readTransport(const std::string& prefix, const PropertyMap& props, ConnectionConfig& conn);
  // Reads an integer in [min, max]; false (after reporting) when present but invalid.
  bool readInt(const PropertyMap& props, const std::string& key, long long min, long long max,
               long long* out);

  const ConfigPaths& paths_;
  ProblemCollector& problems_;
  CredentialsResolver& credentials_;
};

}  // namespace sfsync::config
