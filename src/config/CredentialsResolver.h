// CredentialsResolver: fills the secret fields of one connection (clientId, clientSecret, username,
// password, securityToken, refreshToken) from three sources, later ones winning: its credentials
// .properties file, the encrypted credentials store (entries "<connection>.<key>", see
// secrets/SecretStore.h) and environment variables <prefix>CLIENT_ID ... Then reports every
// credential the auth flow needs but no source provides, naming the key and where it was looked
// for. Secret values never appear in a problem.
//
// Thread-safety: not thread-safe (one resolver per load); reads the process environment.
#pragma once

#include <map>
#include <string>
#include <vector>

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

  // Entries of the decrypted credentials store (`displayName` names it in problems); must outlive
  // the resolver. Without a call, no store is consulted.
  void useSecretStore(const std::map<std::string, std::string>& values,
                      const std::string& displayName);

  // The credential keys a store entry or credentials file may set ("clientId", ...).
  static std::vector<std::string> credentialKeys();

 private:
  void applySecretStore(ConnectionConfig& conn) const;

  const ConfigPaths& paths_;
  ProblemCollector& propertiesProblems_;
  std::vector<ConfigProblem>& allProblems_;
  const std::map<std::string, std::string>* secretValues_ = nullptr;
  std::string secretStoreName_;
};

}  // namespace sfsync::config
