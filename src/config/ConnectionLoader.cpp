#include "config/ConnectionLoader.h"

#include <filesystem>
#include <system_error>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "config/ConfigText.h"
#include "config/SnowflakeKeys.h"
#include "sfsync/salesforce/JwtBearer.h"

namespace sfsync::config {

namespace {

const std::string* find(const PropertyMap& props, const std::string& key) {
  const auto it = props.find(key);
  return it == props.end() ? nullptr : &it->second;
}

// "vNN.N" (digits, a dot, digits).
bool isApiVersion(const std::string& s) {
  if (s.size() < 4 || s[0] != 'v') return false;
  const auto dot = s.find('.');
  if (dot == std::string::npos || dot == 1 || dot + 1 == s.size()) return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (i != dot && (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

bool isEnvPrefix(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// "scheme://host[:port]" if `url` is exactly an http(s) origin (a trailing '/' is tolerated).
bool normaliseOrigin(const std::string& url, std::string* origin) {
  try {
    const Poco::URI uri(url);
    const std::string scheme = text::toLower(uri.getScheme());
    if (scheme != "http" && scheme != "https") return false;
    if (uri.getHost().empty() || !uri.getUserInfo().empty() || !uri.getRawQuery().empty() ||
        !uri.getFragment().empty() || url.find('#') != std::string::npos) {
      return false;
    }
    if (!uri.getPath().empty() && uri.getPath() != "/") return false;
    const std::string host = uri.getHost();
    *origin = scheme + "://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host);
    if (uri.getSpecifiedPort() != 0) *origin += ":" + std::to_string(uri.getSpecifiedPort());
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace

// Issue 17: connection.<n>.oauth.callbackUrl, the web-server flow's redirect_uri when the admin
// port is reached through a proxy (default: derived from the page's own URL).
void ConnectionLoader::readOAuthCallback(const std::string& prefix, const PropertyMap& props,
                                         ConnectionConfig& conn) {
  const std::string key = prefix + "oauth.callbackUrl";
  const std::string* v = find(props, key);
  if (v == nullptr) return;
  const std::string url = text::trim(*v);
  const bool web = conn.settings.authFlow == salesforce::AuthFlow::kWebServer;
  if (!web) {
    problems_.add(key, "is only used with authFlow = web_server");
  } else if ((url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) || url.size() < 15 ||
             url.compare(url.size() - 15, 15, "/oauth/callback") != 0) {
    problems_.add(key,
                  "expected an http(s) URL ending in /oauth/callback (the admin port's "
                  "callback as the browser reaches it), got '" +
                      url + "'");
  } else {
    conn.oauthCallbackUrl = url;
  }
}

ConnectionLoader::ConnectionLoader(const ConfigPaths& paths, ProblemCollector& problems,
                                   CredentialsResolver& credentials)
    : paths_(paths), problems_(problems), credentials_(credentials) {}

const std::vector<std::string>& ConnectionLoader::knownKeys() {
  static const std::vector<std::string> kKeys = {"type",
                                                 "orgType",
                                                 "customDomainUrl",
                                                 "authFlow",
                                                 "oauth.callbackUrl",
                                                 "jwt.privateKeyFile",
                                                 "apiVersion",
                                                 "credentialsFile",
                                                 "credentialsEnvPrefix",
                                                 "queryBatchSize",
                                                 "maxRetries",
                                                 "timeoutMs",
                                                 "initialBackoffMs",
                                                 "maxBackoffMs",
                                                 "verifyCertificates",
                                                 "caFile",
                                                 "maxResponseBytes",
                                                 "maxStreamedResponseBytes",
                                                 "maxCallsPerRun",
                                                 "responseDeadlineSeconds",
                                                 "bulkThreshold",
                                                 "apiBudgetPercent",
                                                 "bulkPollTimeoutSeconds",
                                                 "bulkMaxRecords",
                                                 "metadataRefreshDays",
                                                 "dryRunMaxRecords",
                                                 "pubsubEndpoint"};
  return kKeys;
}

bool ConnectionLoader::readInt(const PropertyMap& props, const std::string& key, long long min,
                               long long max, long long* out) {
  const std::string* v = find(props, key);
  if (v == nullptr) return false;
  long long n = 0;
  if (!text::parseInteger(*v, &n) || n < min || n > max) {
    problems_.add(key, "expected an integer from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got '" + *v + "'");
    return false;
  }
  *out = n;
  return true;
}

void ConnectionLoader::readOrgType(const std::string& prefix, const PropertyMap& props,
                                   ConnectionConfig& conn) {
  salesforce::ConnectionSettings& s = conn.settings;
  if (const std::string* v = find(props, prefix + "orgType")) {
    const std::string t = text::toLower(text::trim(*v));
    if (t == "production") {
      s.orgType = salesforce::OrgType::kProduction;
    } else if (t == "sandbox") {
      s.orgType = salesforce::OrgType::kSandbox;
    } else if (t == "custom") {
      s.orgType = salesforce::OrgType::kCustomDomain;
    } else {
      problems_.add(prefix + "orgType",
                    "unknown org type '" + *v + "' (expected production, sandbox or custom)");
      return;  // customDomainUrl cannot be judged
    }
  }
  const std::string* url = find(props, prefix + "customDomainUrl");
  const bool custom = s.orgType == salesforce::OrgType::kCustomDomain;
  if (custom && (url == nullptr || text::trim(*url).empty())) {
    problems_.add(prefix + "customDomainUrl", "is required when orgType = custom");
  } else if (!custom && url != nullptr) {
    problems_.add(prefix + "customDomainUrl", "is only used with orgType = custom");
  } else if (custom && !normaliseOrigin(text::trim(*url), &s.customDomainUrl)) {
    problems_.add(prefix + "customDomainUrl",
                  "expected http(s)://host[:port] with no path, got '" + *url + "'");
  }
}

void ConnectionLoader::readTransport(const std::string& prefix, const PropertyMap& props,
                                     ConnectionConfig& conn) {
  salesforce::ConnectionSettings& s = conn.settings;
  long long n = 0;
  if (readInt(props, prefix + "queryBatchSize", 200, 2000, &n))
    s.queryBatchSize = static_cast<int>(n);
  if (readInt(props, prefix + "maxRetries", 0, 100, &n)) s.maxRetries = static_cast<int>(n);
  if (readInt(props, prefix + "timeoutMs", 1, 3600000, &n))
    s.timeout = std::chrono::milliseconds(n);
  if (readInt(props, prefix + "maxResponseBytes", 1024, 1ll << 40, &n)) s.maxResponseBytes = n;
  if (readInt(props, prefix + "maxStreamedResponseBytes", 1ll << 20, 1ll << 42, &n)) {
    s.maxStreamedResponseBytes = n;
  }
  if (readInt(props, prefix + "maxCallsPerRun", 1, 1ll << 40, &n)) s.maxCallsPerRun = n;
  if (readInt(props, prefix + "responseDeadlineSeconds", 1, 86400, &n)) {
    s.responseDeadline = std::chrono::seconds(n);
  }
  if (readInt(props, prefix + "initialBackoffMs", 0, 3600000, &n)) {
    s.initialBackoff = std::chrono::milliseconds(n);
  }
  if (readInt(props, prefix + "maxBackoffMs", 0, 3600000, &n)) {
    s.maxBackoff = std::chrono::milliseconds(n);
  }
  if (s.maxBackoff < s.initialBackoff) {
    problems_.add(prefix + "maxBackoffMs", "must not be less than initialBackoffMs (" +
                                               std::to_string(s.initialBackoff.count()) + ")");
  }
  if (const std::string* v = find(props, prefix + "pubsubEndpoint")) {
    const std::string endpoint = text::trim(*v);
    const auto colon = endpoint.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.size() ||
        endpoint.find('/') != std::string::npos) {
      problems_.add(prefix + "pubsubEndpoint", "expected host:port, got '" + *v + "'");
    } else {
      s.pubsubEndpoint = endpoint;
    }
  }
  if (const std::string* v = find(props, prefix + "verifyCertificates")) {
    if (!text::parseBoolean(*v, &s.verifyCertificates)) {
      problems_.add(prefix + "verifyCertificates", "expected true or false, got '" + *v + "'");
    }
  }
  if (const std::string* v = find(props, prefix + "caFile")) {
    s.caFile = paths_.resolve(text::trim(*v));
    std::error_code ec;
    if (!std::filesystem::is_regular_file(s.caFile, ec)) {
      problems_.add(prefix + "caFile", "file not found: " + paths_.display(s.caFile));
    }
  }
}

void ConnectionLoader::readReplication(const std::string& prefix, const PropertyMap& props,
                                       ConnectionConfig& conn) {
  salesforce::ConnectionSettings& s = conn.settings;
  long long n = 0;
  if (readInt(props, prefix + "bulkThreshold", 0, kMaxBulkThreshold, &n)) s.bulkThreshold = n;
  if (readInt(props, prefix + "dryRunMaxRecords", 1, salesforce::kMaxDryRunRecords, &n)) {
    s.dryRunMaxRecords = n;
  }
  if (readInt(props, prefix + "apiBudgetPercent", 1, 100, &n)) {
    s.apiBudgetPercent = static_cast<int>(n);
  }
  if (readInt(props, prefix + "bulkPollTimeoutSeconds", 10, 7 * 86400, &n)) {
    s.bulkPollTimeout = std::chrono::seconds(n);
  }
  if (readInt(props, prefix + "bulkMaxRecords", kMinBulkMaxRecords, kMaxBulkMaxRecords, &n)) {
    s.bulkMaxRecords = n;
  }
  if (readInt(props, prefix + "metadataRefreshDays", 1, 365, &n)) {
    s.metadataRefreshDays = static_cast<int>(n);
  }
}

void ConnectionLoader::readJwtKey(const std::string& prefix, const PropertyMap& props,
                                  ConnectionConfig& conn) {
  const std::string key = prefix + "jwt.privateKeyFile";
  const std::string* v = find(props, key);
  const bool jwt = conn.settings.authFlow == salesforce::AuthFlow::kJwtBearer;
  if (!jwt) {
    if (v != nullptr) problems_.add(key, "is only used with authFlow = jwt_bearer");
    return;
  }
  if (v == nullptr || text::trim(*v).empty()) {
    problems_.add(key,
                  "is required when authFlow = jwt_bearer (the connected app's PEM RSA "
                  "private key)");
    return;
  }
  conn.settings.jwtPrivateKeyFile = paths_.resolve(text::trim(*v));
  const Status usable = salesforce::checkJwtPrivateKeyFile(conn.settings.jwtPrivateKeyFile);
  if (!usable.ok()) {
    // The message names the absolute path; show the configured spelling instead.
    std::string message = usable.message();
    const std::string shown = paths_.display(conn.settings.jwtPrivateKeyFile);
    const auto at = message.find(conn.settings.jwtPrivateKeyFile);
    if (at != std::string::npos) {
      message.replace(at, conn.settings.jwtPrivateKeyFile.size(), shown);
    }
    problems_.add(key, message);
  }
}

ConnectionConfig ConnectionLoader::load(const std::string& name, const PropertyMap& props) {
  const std::string prefix = "connection." + name + ".";
  ConnectionConfig conn;
  conn.settings.name = name;
  if (const std::string* type = find(props, prefix + "type")) {
    const std::string t = text::toLower(text::trim(*type));
    if (t == "snowflake") return loadSnowflake(prefix, props, std::move(conn));
    if (t != "salesforce") {
      problems_.add(prefix + "type",
                    "unknown connection type '" + *type + "' (expected salesforce or snowflake)");
    }
  }

  // Unknown keys first: a misspelt key explains a later "missing" problem.
  const auto& known = knownKeys();
  for (auto it = props.lower_bound(prefix); it != props.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    const std::string key = it->first.substr(prefix.size());
    bool isKnown = false;
    for (const auto& k : known) isKnown = isKnown || k == key;
    if (!isKnown) {
      problems_.add(it->first, "unknown key '" + it->first + "'" + text::didYouMean(key, known));
    }
  }

  readOrgType(prefix, props, conn);
  bool authFlowOk = true;
  if (const std::string* v = find(props, prefix + "authFlow")) {
    const std::string t = text::toLower(text::trim(*v));
    if (t == "password") {
      conn.settings.authFlow = salesforce::AuthFlow::kPassword;
    } else if (t == "refresh_token") {
      conn.settings.authFlow = salesforce::AuthFlow::kRefreshToken;
    } else if (t == "jwt_bearer") {
      conn.settings.authFlow = salesforce::AuthFlow::kJwtBearer;
    } else if (t == "web_server") {
      conn.settings.authFlow = salesforce::AuthFlow::kWebServer;
    } else {
      problems_.add(prefix + "authFlow",
                    "unknown auth flow '" + *v +
                        "' (expected password, refresh_token, jwt_bearer or web_server)");
      authFlowOk = false;
    }
  }
  readOAuthCallback(prefix, props, conn);
  if (const std::string* v = find(props, prefix + "apiVersion")) {
    const std::string t = text::trim(*v);
    if (isApiVersion(t)) {
      conn.settings.apiVersion = t;
    } else {
      problems_.add(prefix + "apiVersion", "expected a version like v62.0, got '" + *v + "'");
    }
  }
  readTransport(prefix, props, conn);
  readReplication(prefix, props, conn);
  if (authFlowOk) readJwtKey(prefix, props, conn);

  if (const std::string* v = find(props, prefix + "credentialsFile")) {
    if (text::trim(*v).empty()) {
      problems_.add(prefix + "credentialsFile", "must not be empty");
    } else {
      conn.credentialsFile = paths_.resolve(text::trim(*v));
    }
  }
  if (const std::string* v = find(props, prefix + "credentialsEnvPrefix")) {
    const std::string t = text::trim(*v);
    if (isEnvPrefix(t)) {
      conn.credentialsEnvPrefix = t;
    } else {
      problems_.add(prefix + "credentialsEnvPrefix",
                    "expected letters, digits and '_' (e.g. SFSYNC_SAMPLE_), got '" + *v + "'");
    }
  }
  if (authFlowOk) credentials_.resolve(conn, prefix);
  return conn;
}

// Issue 14: a Snowflake connection (config/SnowflakeKeys); OAuth secrets are resolved like a
// Salesforce refresh_token connection's (credentials file, store, environment).
ConnectionConfig ConnectionLoader::loadSnowflake(const std::string& prefix,
                                                 const PropertyMap& props, ConnectionConfig conn) {
  conn.isSnowflake = true;
  const auto& known = snowflake_keys::knownKeys();
  for (auto it = props.lower_bound(prefix); it != props.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    const std::string key = it->first.substr(prefix.size());
    bool isKnown = false;
    for (const auto& k : known) isKnown = isKnown || k == key;
    if (!isKnown) {
      problems_.add(it->first, "unknown key '" + it->first + "' for type = snowflake" +
                                   text::didYouMean(key, known));
    }
  }
  snowflake_keys::read(prefix, props, paths_, problems_, conn);
  if (const std::string* v = find(props, prefix + "credentialsFile")) {
    if (!text::trim(*v).empty()) conn.credentialsFile = paths_.resolve(text::trim(*v));
  }
  if (const std::string* v = find(props, prefix + "credentialsEnvPrefix")) {
    if (isEnvPrefix(text::trim(*v))) conn.credentialsEnvPrefix = text::trim(*v);
  }
  if (conn.snowflake.auth == snowflake::SnowflakeAuth::kOAuth) {
    conn.settings.authFlow = salesforce::AuthFlow::kRefreshToken;
    credentials_.resolve(conn, prefix);
    conn.snowflake.clientId = conn.settings.clientId;
    conn.snowflake.clientSecret = conn.settings.clientSecret;
    conn.snowflake.refreshToken = conn.settings.refreshToken;
  }
  return conn;
}

}  // namespace sfsync::config
