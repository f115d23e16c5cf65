#include "app/StoreFactory.h"

#include <filesystem>
#include <system_error>

#include "sfsync/store/PostgresRunClaims.h"

namespace sfsync::app {

Result<store::StorePtr> openConfiguredStore(const config::AppConfig& app) {
  if (app.storeType == "postgresql") {
    // store.path's directory still holds the daemon's local files (its instance lock).
    const std::filesystem::path dir = std::filesystem::path(app.storePath).parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
    return store::openPostgresStore(app.storePostgres);
  }
  return store::openSqliteStore(app.storePath, app.storeCacheMb);
}

Result<scheduling::RunClaimsPtr> openConfiguredClaims(const config::AppConfig& app) {
  if (app.storeType == "postgresql") {
    return store::openPostgresRunClaims(app.storePostgres, app.clusterLeaseSeconds);
  }
  return scheduling::makeLocalRunClaims();
}

std::string describeStore(const config::AppConfig& app) {
  if (app.storeType != "postgresql") return app.storePath;
  return app.storePostgres.url +
         (app.storePostgres.schema.empty() ? "" : " (schema " + app.storePostgres.schema + ")");
}

}  // namespace sfsync::app
