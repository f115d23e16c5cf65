// CredentialsResolver: fills the secret fields of one connection (clientId, clientSecret, username,
// password, securityToken, refreshToken) from its credentials .properties file and from environment
// variables <prefix>CLIENT_ID ... (an environment variable wins over the file), then reports every
// credential the auth flow needs but neither source provides, naming the key and where it was
// looked for. Secret values never appear in a problem.
//
// Thread-safety: not thread-safe (one resolver per load); reads the process environment.
#pragma once

#include <string>

#include "config/ConfigPaths.h"
#include "config/ProblemCollector.h"
#include "sfsync/config/Config.h"

namespace sfsync::config {

class CredentialsResolver {
 public:
  // `propertiesProblems` reports against the main properties file; problems inside a credentials
  // file are appended to `allProblems` under that file's name.
  CredentialsResolver(const ConfigPaths& paths, ProblemCollector& propertiesProblems,
                      std::vector<ConfigProblem>& allProblems);

  // Uses conn.credentialsFile (absolute, may be empty) and conn.credentialsEnvPrefix (may be
  // empty); `keyPrefix` is "connection.<name>." for problem paths.
  void resolve(ConnectionConfig& conn, const std::string& keyPrefix);

 private:
  const ConfigPaths& paths_;
  ProblemCollector& propertiesProblems_;
  std::vector<ConfigProblem>& allProblems_;
};

}  // namespace sfsync::config
