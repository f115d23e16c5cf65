// StreamingSession: the credentials Salesforce's Pub/Sub API wants as call metadata (issue 18):
// an access token, the instance URL and the org Id (tenantid). A streaming client logs in on its
// own (the connection's flow, one token request) rather than sharing a REST client's session, so
// renewing it after UNAUTHENTICATED never races a run's requests.
//
// Thread-safety: openStreamingSession is safe from any thread (it owns its transport).
#pragma once

#include <memory>
#include <string>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ConnectionSettings.h"

namespace sfsync::salesforce {

struct StreamingSession {
  std::string accessToken;  // secret: never logged
  std::string instanceUrl;
  std::string orgId;
};

// Errors as Authenticator::requestToken; kDataError when the token answer's "id" names no org.
Result<StreamingSession> openStreamingSession(const ConnectionSettings& settings,
                                              std::shared_ptr<Clock> clock);

// The org Id of an identity URL ("https://login.salesforce.com/id/00D.../005..."), "" if none.
std::string orgIdOfIdentityUrl(const std::string& identityUrl);

}  // namespace sfsync::salesforce
