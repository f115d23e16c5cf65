// ConnectionLoader: builds one ConnectionConfig from the connection.<name>.* properties - org type
// and custom domain URL, auth flow (with the JWT bearer flow's key file), API version, transport
// settings, credential sources and replication settings (bulk threshold, API budget, Bulk polling
// and result limits), reporting every invalid or unknown key, then resolves the credentials (see
// CredentialsResolver).
//
// Thread-safety: not thread-safe (one loader per load).
#pragma once

#include <string>

#include "config/ConfigPaths.h"
#include "config/CredentialsResolver.h"
#include "config/ProblemCollector.h"
#include "config/PropertiesFile.h"
#include "config/ReplicationKeys.h"
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

  // Ranges of the replication keys (issue 10).
  static constexpr long long kMaxBulkThreshold = replication_keys::kMaxBulkThreshold;
  static constexpr long long kMinBulkMaxRecords = 1000;
  static constexpr long long kMaxBulkMaxRecords = 1000000;

 private:
  void readOrgType(const std::string& prefix, const PropertyMap& props, ConnectionConfig& conn);
  void readTransport(const std::string& prefix, const PropertyMap& props, ConnectionConfig& conn);
  // bulkThreshold, apiBudgetPercent, bulkPollTimeoutSeconds, bulkMaxRecords.
  void readReplication(const std::string& prefix, const PropertyMap& props, ConnectionConfig& conn);
  // jwt.privateKeyFile: required with authFlow = jwt_bearer, checked to be a usable RSA key.
  void readJwtKey(const std::string& prefix, const PropertyMap& props, ConnectionConfig& conn);
  // A connection with type = snowflake (issue 14).
  ConnectionConfig loadSnowflake(const std::string& prefix, const PropertyMap& props,
                                 ConnectionConfig conn);
  // oauth.callbackUrl: only with authFlow = web_server, an http(s) URL ending in /oauth/callback.
  void readOAuthCallback(const std::string& prefix, const PropertyMap& props,
                         ConnectionConfig& conn);
  // Reads an integer in [min, max]; false (after reporting) when present but invalid.
  bool readInt(const PropertyMap& props, const std::string& key, long long min, long long max,
               long long* out);

  const ConfigPaths& paths_;
  ProblemCollector& problems_;
  CredentialsResolver& credentials_;
};

}  // namespace sfsync::config
