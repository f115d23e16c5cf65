#include "app/StoreFactory.h"

namespace sfsync::app {

Result<store::StorePtr> openConfiguredStore(const config::AppConfig& app) {
  if (app.storeType == "postgresql") return store::openPostgresStore(app.storePostgres);
  return store::openSqliteStore(app.storePath, app.storeCacheMb);
}

std::string describeStore(const config::AppConfig& app) {
  if (app.storeType != "postgresql") return app.storePath;
  return app.storePostgres.url +
         (app.storePostgres.schema.empty() ? "" : " (schema " + app.storePostgres.schema + ")");
}

}  // namespace sfsync::app
