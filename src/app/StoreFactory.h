// StoreFactory: the one place the daemon turns its configuration into a Store - store.type
// "sqlite" (store.path, store.cacheMb) or "postgresql" (store.url, store.schema, the deadlines and
// the password from the credentials store; store.path's directory is created for the daemon's local
// files). describeStore names the store for logs and the health
// endpoint without any secret.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "sfsync/config/Config.h"
#include "sfsync/core/Result.h"
#include "sfsync/scheduling/RunClaims.h"
#include "sfsync/store/Store.h"

namespace sfsync::app {

Result<store::StorePtr> openConfiguredStore(const config::AppConfig& app);

// Issue 12: who runs what when several daemons share the store - PostgreSQL's claims (their own
// connection, cluster.leaseSeconds) or, for SQLite, the single-process claims.
Result<scheduling::RunClaimsPtr> openConfiguredClaims(const config::AppConfig& app);

// "store.path" for SQLite, "store.url (schema S)" for PostgreSQL: never a password.
std::string describeStore(const config::AppConfig& app);

}  // namespace sfsync::app
