#include "app/ConnectionConsole.h"

#include <Poco/Logger.h>
#include <Poco/Path.h>

#include <chrono>
#include <filesystem>

#include "sfsync/jobs/ConnectionAuthorizer.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/salesforce/WebServerFlow.h"
#include "sfsync/secrets/SecretStore.h"

namespace sfsync::app {

namespace {

Poco::Logger& log() { return Poco::Logger::get("sfsync.app"); }

const char* orgTypeName(salesforce::OrgType type) {
  switch (type) {
    case salesforce::OrgType::kSandbox:
      return "sandbox";
    case salesforce::OrgType::kCustomDomain:
      return "custom";
    case salesforce::OrgType::kProduction:
      break;
  }
  return "production";
}

std::int64_t toInteger(const std::string& text) {
  try {
    return text.empty() ? -1 : std::stoll(text);
  } catch (const std::exception&) {
    return -1;
  }
}

std::string jsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

}  // namespace

std::string ConnectionConsole::state(const std::string& name, const char* key) const {
  Result<std::optional<std::string>> v = store_.getState("connection." + name + "." + key);
  return v.ok() && v->has_value() ? **v : std::string();
}

void ConnectionConsole::describe(admin::EntrySummary& s) const {
  const config::ConnectionConfig* c = config_.app.findConnection(s.name);
  if (c == nullptr) return;
  const salesforce::ConnectionSettings& settings = c->settings;
  s.orgType = orgTypeName(settings.orgType);
  s.loginUrl = settings.loginUrl();
  s.username = settings.username;
  s.apiVersion = settings.apiVersion;
  s.authFlow = salesforce::authFlowName(settings.authFlow);
  s.authorized =
      settings.authFlow != salesforce::AuthFlow::kWebServer || !settings.refreshToken.empty();
  s.authorizedAt = state(s.name, "authorizedAt");
  s.instanceUrl = state(s.name, "instanceUrl");
  s.apiUsed = toInteger(state(s.name, "apiUsed"));
  s.apiMax = toInteger(state(s.name, "apiMax"));
  s.apiCheckedAt = state(s.name, "apiCheckedAt");
  Result<std::vector<store::MetadataEntry>> cached = store_.listMetadata(s.name);
  if (cached.ok()) {
    for (const store::MetadataEntry& e : *cached) {  // ISO-8601 UTC sorts as text
      if (s.metadataFetchedAt.empty() || e.fetchedAt < s.metadataFetchedAt) {
        s.metadataFetchedAt = e.fetchedAt;
      }
    }
  }
}

Result<const config::ConnectionConfig*> ConnectionConsole::webConnection(
    const std::string& name) const {
  const config::ConnectionConfig* c = config_.app.findConnection(name);
  if (c == nullptr) return Status::NotFound("no connection named '" + name + "'");
  if (c->settings.authFlow != salesforce::AuthFlow::kWebServer) {
    return Status::InvalidArgument("connection '" + name +
                                   "' uses authFlow = " + authFlowName(c->settings.authFlow) +
                                   "; the page authorises connections with authFlow = web_server");
  }
  return c;
}

Result<std::string> ConnectionConsole::redirectUri(const std::string& connection,
                                                   const std::string& defaultRedirectUri) const {
  Result<const config::ConnectionConfig*> c = webConnection(connection);
  if (!c.ok()) return c.status();
  return (*c)->oauthCallbackUrl.empty() ? defaultRedirectUri : (*c)->oauthCallbackUrl;
}

Result<std::string> ConnectionConsole::authorizeUrl(const std::string& connection,
                                                    const std::string& redirectUri,
                                                    const std::string& state,
                                                    const std::string& challenge) const {
  Result<const config::ConnectionConfig*> c = webConnection(connection);
  if (!c.ok()) return c.status();
  return salesforce::WebServerFlow::authorizeUrl((*c)->settings, redirectUri, state, challenge);
}

Status ConnectionConsole::storeRefreshToken(const std::string& name,
                                            const std::string& token) const {
  const std::string& file = config_.app.secretsFile;
  const std::string& keyFile = config_.app.secretsKeyFile;
  if (file.empty() || keyFile.empty()) {
    return Status::InvalidArgument(
        "set secrets.keyFile in " + config_.app.file +
        ": the page keeps refresh tokens in the encrypted credentials store");
  }
  Result<bool> saved =
      secrets::SecretStore::update(file, keyFile, [&](secrets::SecretStore::Values& values) {
        values[name + ".refreshToken"] = token;
        return true;
      });
  return saved.ok() ? Status::OK() : saved.status();
}

void ConnectionConsole::audit(const std::string& name, const std::string& action,
                              const std::string& actor, const std::string& diff) const {
  store::UpdateRecord update;
  update.time = formatIso8601(clock_->now());
  update.actor = actor;
  update.kind = "connection";
  update.name = name;
  update.action = action;
  update.diff = diff;
  Status saved = store_.saveUpdate(update);
  if (!saved.ok())
    log().error("connection %s %s: audit row not saved: %s", name, action, saved.toString());
}

Result<std::string> ConnectionConsole::completeAuthorization(const std::string& connection,
                                                             const std::string& code,
                                                             const std::string& codeVerifier,
                                                             const std::string& redirectUri,
                                                             const std::string& actor) const {
  Result<const config::ConnectionConfig*> c = webConnection(connection);
  if (!c.ok()) return c.status();
  salesforce::ConnectionSettings settings = (*c)->settings;
  Result<salesforce::WebServerGrant> grant =
      salesforce::WebServerFlow::exchangeCode(settings, code, codeVerifier, redirectUri);
  if (!grant.ok()) return grant.status();
  Status saved = store_.putState("connection." + connection + ".instanceUrl", grant->instanceUrl);
  if (!saved.ok()) return saved;
  settings.refreshToken = grant->refreshToken;
  jobs::OobRequest oob;
  oob.templatesDir = Poco::Path(config_.app.file).parent().pushDirectory("oob").toString();
  oob.jobsDir = config_.app.jobsDir;
  oob.chainsDir = config_.app.chainsDir;
  oob.connection = connection;
  salesforce::SalesforceClientPtr client = salesforce::makeHttpClient(settings, clock_);
  Result<jobs::AuthorizationResult> result =
      jobs::ConnectionAuthorizer::authorize(*client, store_, *clock_, oob);
  if (!result.ok()) return result.status();
  // Only now (describe and the OOB files succeeded) is the token kept: a failed authorisation
  // leaves the credentials store as it was.
  if (Status stored = storeRefreshToken(connection, grant->refreshToken); !stored.ok()) {
    return stored;
  }
  std::string message = std::string("authorised") +
                        (result->firstAuthorization ? " for the first time" : " again (jobs kept)");
  if (!result->writtenFiles.empty()) {
    message += "; created " + std::to_string(result->writtenFiles.size()) + " OOB file(s)";
  }
  audit(connection, "authorized", actor,
        "connection '" + connection + "' " + message +
            " through the admin page (OAuth web-server "
            "flow); refresh token stored in the credentials store");
  log().information("connection %s %s by %s", connection, message, actor);
  return message;
}

Result<bool> ConnectionConsole::forgetRefreshToken(const std::string& connection,
                                                   const std::string& actor) const {
  const config::ConnectionConfig* c = config_.app.findConnection(connection);
  if (c == nullptr || c->settings.authFlow != salesforce::AuthFlow::kWebServer) return false;
  const std::string& file = config_.app.secretsFile;
  const std::string& keyFile = config_.app.secretsKeyFile;
  if (file.empty() || keyFile.empty()) return false;
  Result<bool> removed =
      secrets::SecretStore::update(file, keyFile, [&](secrets::SecretStore::Values& values) {
        return values.erase(connection + ".refreshToken") > 0;
      });
  if (!removed.ok()) {
    if (removed.status().code() == StatusCode::kNotFound) return false;  // no key file
    return removed.status();
  }
  if (!*removed) return false;
  audit(connection, "deauthorized", actor,
        "connection '" + connection +
            "' disconnected through the admin API: its refresh token was removed from the "
            "credentials store (Authorize to connect it again)");
  return true;
}

Result<std::string> ConnectionConsole::test(const std::string& connection) const {
  const config::ConnectionConfig* c = config_.app.findConnection(connection);
  if (c == nullptr) return Status::NotFound("no connection named '" + connection + "'");
  salesforce::SalesforceClientPtr client = salesforce::makeHttpClient(c->settings, clock_);
  const auto started = std::chrono::steady_clock::now();
  Status login = client->authenticate();
  Result<salesforce::OrgLimits> limits =
      login.ok() ? client->limits() : Result<salesforce::OrgLimits>(login);
  const auto latencyMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - started)
                             .count();
  if (!limits.ok()) {
    return "{\"ok\":false,\"latencyMs\":" + std::to_string(latencyMs) +
           ",\"error\":" + jsonString(limits.status().toString()) + "}";
  }
  const std::int64_t used = limits->dailyApiRequestsMax - limits->dailyApiRequestsRemaining;
  const std::string now = formatIso8601(clock_->now());
  const std::string prefix = "connection." + connection + ".";
  const std::pair<const char*, std::string> values[] = {
      {"apiUsed", std::to_string(used)},
      {"apiMax", std::to_string(limits->dailyApiRequestsMax)},
      {"apiCheckedAt", now}};
  for (const auto& [key, value] : values) {
    Status saved = store_.putState(prefix + key, value);
    if (!saved.ok()) {
      log().warning("connection %s: %s not saved: %s", connection, std::string(key),
                    saved.toString());
    }
  }
  return "{\"ok\":true,\"latencyMs\":" + std::to_string(latencyMs) +
         ",\"apiUsed\":" + std::to_string(used) +
         ",\"apiMax\":" + std::to_string(limits->dailyApiRequestsMax) +
         ",\"checkedAt\":" + jsonString(now) + "}";
}

}  // namespace sfsync::app
