#include "config/SnowflakeKeys.h"

#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <filesystem>

#include "config/ConfigText.h"
#include "sfsync/salesforce/JwtBearer.h"

namespace sfsync::config::snowflake_keys {

namespace {

const std::string* find(const PropertyMap& props, const std::string& key) {
  auto it = props.find(key);
  return it == props.end() ? nullptr : &it->second;
}

bool readInt(const PropertyMap& props, const std::string& key, long long min, long long max,
             ProblemCollector& problems, long long* out) {
  const std::string* v = find(props, key);
  if (v == nullptr) return false;
  long long n = 0;
  if (!text::parseInteger(*v, &n) || n < min || n > max) {
    problems.add(key, "expected an integer from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", got '" + *v + "'");
    return false;
  }
  *out = n;
  return true;
}

// True for localhost, 127.0.0.0/8 and ::1 (as the Salesforce transport allows http for).
bool loopbackHost(const std::string& rawHost) {
  std::string host = Poco::toLower(rawHost);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost" || host == "localhost.") return true;
  Poco::Net::IPAddress address;
  return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

// `url` for a message; never a URL that may carry a user name or password.
std::string shown(const std::string& url) {
  return url.find('@') == std::string::npos ? "'" + url + "'" : "(a URL with user info, not shown)";
}

void readUrl(const std::string& prefix, const PropertyMap& props, ProblemCollector& problems,
             snowflake::SnowflakeSettings& s) {
  const std::string* url = find(props, prefix + "accountUrl");
  if (url == nullptr || text::trim(*url).empty()) {
    problems.add(prefix + "accountUrl",
                 "is required for type = snowflake (https://<account>.snowflakecomputing.com)");
    return;
  }
  try {
    const Poco::URI uri(text::trim(*url));
    const std::string scheme = text::toLower(uri.getScheme());
    if (!uri.getUserInfo().empty()) {
      problems.add(prefix + "accountUrl",
                   "must not carry a user name or password (credentials go in their own keys)");
      return;
    }
    if ((scheme != "https" && scheme != "http") || uri.getHost().empty() ||
        (!uri.getPath().empty() && uri.getPath() != "/")) {
      problems.add(prefix + "accountUrl",
                   "expected https://host[:port] with no path, got " + shown(*url));
      return;
    }
    if (scheme == "http" && !loopbackHost(uri.getHost())) {
      problems.add(prefix + "accountUrl",
                   "http is allowed only for 127.0.0.1, ::1 and localhost (tokens would travel "
                   "in clear); use https, got " +
                       shown(*url));
      return;
    }
    const bool v6 = uri.getHost().find(':') != std::string::npos;
    s.accountUrl =
        scheme + "://" + (v6 ? "[" + uri.getHost() + "]" : uri.getHost()) +
        (uri.getSpecifiedPort() != 0 ? ":" + std::to_string(uri.getSpecifiedPort()) : "");
  } catch (const Poco::Exception&) {
    problems.add(prefix + "accountUrl", "not a URL: " + shown(*url));
  }
}

void readAuth(const std::string& prefix, const PropertyMap& props, const ConfigPaths& paths,
              ProblemCollector& problems, snowflake::SnowflakeSettings& s) {
  if (const std::string* v = find(props, prefix + "authenticator")) {
    const std::string t = text::toLower(text::trim(*v));
    if (t == "keypair") {
      s.auth = snowflake::SnowflakeAuth::kKeyPair;
    } else if (t == "oauth") {
      s.auth = snowflake::SnowflakeAuth::kOAuth;
    } else {
      problems.add(prefix + "authenticator",
                   "unknown authenticator '" + *v + "' (expected keypair or oauth)");
    }
  }
  const bool keyPair = s.auth == snowflake::SnowflakeAuth::kKeyPair;
  const std::string* key = find(props, prefix + "privateKeyFile");
  if (keyPair && (key == nullptr || text::trim(*key).empty())) {
    problems.add(prefix + "privateKeyFile",
                 "is required with authenticator = keypair (PEM RSA key)");
  } else if (!keyPair && key != nullptr) {
    problems.add(prefix + "privateKeyFile", "is only used with authenticator = keypair");
  } else if (keyPair) {
    s.privateKeyFile = paths.resolve(text::trim(*key));
    Status usable = salesforce::checkJwtPrivateKeyFile(s.privateKeyFile);
    if (!usable.ok()) problems.add(prefix + "privateKeyFile", usable.message());
  }
  if (keyPair && s.user.empty())
    problems.add(prefix + "user", "is required with authenticator = keypair");
  if (const std::string* v = find(props, prefix + "refreshTokenIssued")) {
    Poco::DateTime issued;
    int tz = 0;
    if (keyPair) {
      problems.add(prefix + "refreshTokenIssued", "is only used with authenticator = oauth");
    } else if (!Poco::DateTimeParser::tryParse("%Y-%m-%d", text::trim(*v), issued, tz)) {
      problems.add(prefix + "refreshTokenIssued", "expected a date YYYY-MM-DD, got '" + *v + "'");
    } else {
      s.refreshTokenIssued = std::chrono::system_clock::from_time_t(issued.timestamp().epochTime());
    }
  }
  long long n = 0;
  if (readInt(props, prefix + "refreshTokenValidityDays", 1, 3660, problems, &n)) {
    s.refreshTokenValidityDays = static_cast<int>(n);
  }
}

void readLimits(const std::string& prefix, const PropertyMap& props, const ConfigPaths& paths,
                ProblemCollector& problems, snowflake::SnowflakeSettings& s) {
  long long n = 0;
  if (readInt(props, prefix + "timeoutMs", 1, 3600000, problems, &n))
    s.timeout = std::chrono::milliseconds(n);
  if (readInt(props, prefix + "responseDeadlineSeconds", 1, 86400, problems, &n)) {
    s.responseDeadline = std::chrono::seconds(n);
  }
  if (readInt(props, prefix + "maxPartitionBytes", 1024, 1ll << 34, problems, &n))
    s.maxPartitionBytes = n;
  if (readInt(props, prefix + "pollIntervalMs", 10, 600000, problems, &n)) {
    s.pollInterval = std::chrono::milliseconds(n);
  }
  if (readInt(props, prefix + "statementTimeoutSeconds", 1, 604800, problems, &n)) {
    s.statementTimeout = std::chrono::seconds(n);
  }
  if (const std::string* v = find(props, prefix + "verifyCertificates")) {
    if (!text::parseBoolean(*v, &s.verifyCertificates)) {
      problems.add(prefix + "verifyCertificates", "expected true or false, got '" + *v + "'");
    }
  }
  if (const std::string* v = find(props, prefix + "caFile")) {
    s.caFile = paths.resolve(text::trim(*v));
    std::error_code ec;
    if (!std::filesystem::is_regular_file(s.caFile, ec)) {
      problems.add(prefix + "caFile", "file not found: " + paths.display(s.caFile));
    }
  }
}

}  // namespace

const std::vector<std::string>& knownKeys() {
  static const std::vector<std::string> kKeys = {"type",
                                                 "accountUrl",
                                                 "account",
                                                 "user",
                                                 "warehouse",
                                                 "database",
                                                 "schema",
                                                 "role",
                                                 "authenticator",
                                                 "privateKeyFile",
                                                 "refreshTokenIssued",
                                                 "refreshTokenValidityDays",
                                                 "allowDeletes",
                                                 "timeoutMs",
                                                 "responseDeadlineSeconds",
                                                 "maxPartitionBytes",
                                                 "pollIntervalMs",
                                                 "statementTimeoutSeconds",
                                                 "caFile",
                                                 "verifyCertificates",
                                                 "credentialsFile",
                                                 "credentialsEnvPrefix"};
  return kKeys;
}

void read(const std::string& prefix, const PropertyMap& props, const ConfigPaths& paths,
          ProblemCollector& problems, ConnectionConfig& conn) {
  snowflake::SnowflakeSettings& s = conn.snowflake;
  s.name = conn.settings.name;
  readUrl(prefix, props, problems, s);
  const std::pair<const char*, std::string*> plain[] = {
      {"account", &s.account},   {"user", &s.user},     {"warehouse", &s.warehouse},
      {"database", &s.database}, {"schema", &s.schema}, {"role", &s.role}};
  for (const auto& [key, field] : plain) {
    if (const std::string* v = find(props, prefix + key)) *field = text::trim(*v);
  }
  readAuth(prefix, props, paths, problems, s);
  readLimits(prefix, props, paths, problems, s);
  if (const std::string* v = find(props, prefix + "allowDeletes")) {
    if (!text::parseBoolean(*v, &conn.allowDeletes)) {
      problems.add(prefix + "allowDeletes", "expected true or false, got '" + *v + "'");
    }
  }
}

}  // namespace sfsync::config::snowflake_keys
