// SnowflakeKeys: the keys of a connection with `connection.<n>.type = snowflake` (issue 14):
// accountUrl (required), account, user, warehouse, database, schema, role, authenticator
// (keypair | oauth), privateKeyFile (keypair), refreshTokenIssued (YYYY-MM-DD) and
// refreshTokenValidityDays (oauth), allowDeletes, timeoutMs, responseDeadlineSeconds,
// maxPartitionBytes, pollIntervalMs, statementTimeoutSeconds, caFile, verifyCertificates, and the
// credential sources (credentialsFile, credentialsEnvPrefix: clientId, clientSecret, refreshToken
// as for Salesforce). Every problem names the full key.
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <vector>

#include "config/ConfigPaths.h"
#include "config/ProblemCollector.h"
#include "config/PropertiesFile.h"
#include "sfsync/config/Config.h"

namespace sfsync::config::snowflake_keys {

// The keys allowed after "connection.<name>." for a Snowflake connection.
const std::vector<std::string>& knownKeys();

// Reads everything but the credentials into conn.snowflake (and conn.allowDeletes,
// credentialsFile, credentialsEnvPrefix); `prefix` is "connection.<name>.".
void read(const std::string& prefix, const PropertyMap& props, const ConfigPaths& paths,
          ProblemCollector& problems, ConnectionConfig& conn);

}  // namespace sfsync::config::snowflake_keys
