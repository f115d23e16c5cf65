// ConnectionConsole: what the admin page's connections view asks of the daemon (issue 17), over
// one configuration snapshot and the store - the connection's details (org type, login host,
// user, API version, last authorisation, metadata age, the last API usage seen), the OAuth
// web-server flow with PKCE (authorize URL; code exchange -> refresh token into the encrypted
// credentials store -> ConnectionAuthorizer, which creates the OOB jobs on the first
// authorisation exactly as --authorize does) and Test connection (login + /limits, timed).
// DaemonRuntime's AdminControl methods call it and reload afterwards where config changed.
//
// State keys: "connection.<n>.instanceUrl", ".apiUsed", ".apiMax", ".apiCheckedAt" (besides
// ConnectionAuthorizer's ".authorizedAt" / ".multiCurrency").
//
// Thread-safety: stateless; safe from any thread (the store is thread-safe). Changes of the
// credentials store go through SecretStore::update (process-wide mutex; the token exchange and
// the authoriser's network calls run outside it). The refresh token is stored only after the
// authoriser succeeded.
#pragma once

#include <memory>
#include <string>

#include "sfsync/admin/AdminControl.h"
#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/store/Store.h"

namespace sfsync::app {

class ConnectionConsole {
 public:
  ConnectionConsole(const config::LoadedConfig& config, store::Store& store,
                    std::shared_ptr<Clock> clock)
      : config_(config), store_(store), clock_(std::move(clock)) {}

  // Fills the connections page's fields of `summary` (kind "connection", name set).
  void describe(admin::EntrySummary& summary) const;
  // See AdminControl::oauthRedirectUri / authorizeUrl.
  Result<std::string> redirectUri(const std::string& connection,
                                  const std::string& defaultRedirectUri) const;
  Result<std::string> authorizeUrl(const std::string& connection, const std::string& redirectUri,
                                   const std::string& state, const std::string& challenge) const;
  // Exchange, store, authorise, record update activity. The caller reloads.
  Result<std::string> completeAuthorization(const std::string& connection, const std::string& code,
                                            const std::string& codeVerifier,
                                            const std::string& redirectUri,
                                            const std::string& actor) const;
  // Disconnect of a web_server connection: removes "<name>.refreshToken" from the credentials
  // store (records update activity). false (nothing done) for other flows or when none is stored.
  // The caller reloads.
  Result<bool> forgetRefreshToken(const std::string& connection, const std::string& actor) const;
  // Login + /limits; the JSON answer of AdminControl::testConnection.
  Result<std::string> test(const std::string& connection) const;

 private:
  // The web_server connection `name`; kNotFound / kInvalidArgument otherwise.
  Result<const config::ConnectionConfig*> webConnection(const std::string& name) const;
  // Writes "<name>.refreshToken" into the encrypted credentials store.
  Status storeRefreshToken(const std::string& name, const std::string& token) const;
  // One update-activity row (kind "connection").
  void audit(const std::string& name, const std::string& action, const std::string& actor,
             const std::string& diff) const;
  std::string state(const std::string& name, const char* key) const;

  const config::LoadedConfig& config_;
  store::Store& store_;
  std::shared_ptr<Clock> clock_;
};

}  // namespace sfsync::app
