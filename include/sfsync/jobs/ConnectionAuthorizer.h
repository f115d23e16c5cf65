// ConnectionAuthorizer: (re-)authorises a connection - logs in with its credentials, detects
// whether the org has multi-currency on (a describable CurrencyType object), records the
// authorisation in the store's state, and on the FIRST authorisation creates the out-of-the-box
// jobs (OobJobWriter): the full set for the first connection ever authorised, User + Currency Sync
// for later ones. Re-authorising (new password, revoked token) never touches job files:
// configuration is kept.
//
// State keys: "connection.<name>.authorizedAt", "connection.<name>.multiCurrency",
// "oob.primaryConnection".
//
// Thread-safety: one call at a time per connection; the store is thread-safe.
#pragma once

#include <string>
#include <vector>

#include "sfsync/core/Clock.h"
#include "sfsync/jobs/OobJobWriter.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

struct AuthorizationResult {
  bool firstAuthorization = false;
  bool primary = false;
  bool multiCurrency = false;
  std::vector<std::string> writtenFiles;
};

class ConnectionAuthorizer {
 public:
  // `oob` names the connection and the template/jobs/chains directories; primary and multiCurrency
  // are decided here.
  static Result<AuthorizationResult> authorize(salesforce::SalesforceClient& client,
                                               store::Store& store, Clock& clock, OobRequest oob);
};

}  // namespace sfsync::jobs
