// MetadataRefresher: the app side of the metadata refresh (issue 15) - `sfsyncd
// --refresh-metadata=CONNECTION`, `POST /api/connections/{name}/refresh-metadata` and the daemon's
// daily housekeeping. Builds a client for the connection, runs jobs::MetadataRefresh over the
// configured jobs and notifies each job that turned invalid (the job's onFailure recipients; the
// notice's status is "Invalid" and its message names the field and the reason code).
//
// Thread-safety: none of its own; the caller serialises refreshes (DaemonRuntime holds a mutex only
// refreshes take; the CLI runs one).
#pragma once

#include <functional>
#include <mutex>
#include <string>

#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/jobs/MetadataRefresh.h"
#include "sfsync/notify/Notifier.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/store/Store.h"

namespace sfsync::app {

class MetadataRefresher {
 public:
  using ClientFactory = std::function<salesforce::SalesforceClientPtr(const std::string&)>;
  // `notifier` may be null (no notifications).
  MetadataRefresher(const config::LoadedConfig& config, store::Store& store, Clock& clock,
                    notify::Notifier* notifier, ClientFactory clients);

  // Refreshes one connection. kNotFound for an unknown connection; a Salesforce failure as is.
  // On success a one-line summary.
  Result<std::string> refresh(const std::string& connection, const std::string& actor);
  // Refreshes every connection with a cached describe older than its metadataRefreshDays
  // (failures are logged).
  void refreshDue(const std::string& actor);

 private:
  void notifyInvalid(const std::string& connection, const jobs::JobValidityChange& change);

  const config::LoadedConfig& config_;
  store::Store& store_;
  Clock& clock_;
  notify::Notifier* notifier_;
  ClientFactory clients_;
};

}  // namespace sfsync::app
