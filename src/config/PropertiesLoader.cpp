#include "config/PropertiesLoader.h"

#include <filesystem>
#include <system_error>

#include "config/ConfigText.h"
#include "config/ConnectionLoader.h"
#include "config/CredentialsResolver.h"
#include "config/ProblemCollector.h"
#include "sfsync/secrets/SecretStore.h"

namespace sfsync::config {

namespace {

const std::vector<std::string>& knownKeys() {
  static const std::vector<std::string> kKeys = {"store.type",
                                                 "store.path",
                                                 "store.cacheMb",
                                                 "store.url",
                                                 "store.schema",
                                                 "store.connectTimeoutSeconds",
                                                 "store.statementTimeoutSeconds",
                                                 "admin.host",
                                                 "admin.port",
                                                 "admin.tokens",
                                                 "admin.threads",
                                                 "admin.maxConnections",
                                                 "admin.requestTimeoutSeconds",
                                                 "admin.keepAliveSeconds",
                                                 "admin.eventStreams",
                                                 "admin.eventKeepAliveSeconds",
                                                 "admin.eventStreamMaxSeconds",
                                                 "admin.tls.certificateFile",
                                                 "admin.tls.privateKeyFile",
                                                 "paths.jobs",
                                                 "paths.chains",
                                                 "paths.errors",
                                                 "log.file",
                                                 "connections",
                                                 "scheduler.maxParallelRuns",
                                                 "scheduler.tickSeconds",
                                                 "cluster.leaseSeconds",
                                                 "retention.days",
                                                 "secrets.file",
                                                 "secrets.keyFile"};
  return kKeys;
}

const char* const kTokenPrefix = "admin.token.";

// Key families validated elsewhere: "notify.*" by the notify module (SMTP / webhook settings),
// "log.*" and "logging.*" (Poco's logging configuration) by the app (LogSettings).
bool isForeignKey(const std::string& key) {
  return key.rfind("notify.", 0) == 0 || key.rfind("log.", 0) == 0 || key.rfind("logging.", 0) == 0;
}

const std::vector<std::string>& knownSections() {
  static const std::vector<std::string> kSections = {
      "store",     "admin",     "paths",  "log",     "connection", "connections",
      "scheduler", "retention", "notify", "logging", "secrets",    "cluster"};
  return kSections;
}

// " (did you mean '...'?)" for an unknown key: the closest known key, else the key with its first
// name replaced by the closest section ("notfy.smtp.host" -> "notify.smtp.host"), else "".
std::string suggestKey(const std::string& key) {
  const std::string best = text::closestName(key, knownKeys());
  if (!best.empty()) return " (did you mean '" + best + "'?)";
  const auto dot = key.find('.');
  if (dot == std::string::npos) return "";
  const std::string section = text::closestName(key.substr(0, dot), knownSections());
  if (section.empty() || section == key.substr(0, dot)) return "";
  return " (did you mean '" + section + key.substr(dot) + "'?)";
}

const std::string* find(const PropertyMap& props, const std::string& key) {
  const auto it = props.find(key);
  return it == props.end() ? nullptr : &it->second;
}

// A trimmed, non-empty value, or nullptr after reporting it as missing / empty.
const std::string* required(const PropertyMap& props, const std::string& key,
                            ProblemCollector& problems) {
  const std::string* v = find(props, key);
  if (v == nullptr) {
    problems.add(key, "is required");
  } else if (text::trim(*v).empty()) {
    problems.add(key, "must not be empty");
    v = nullptr;
  }
  return v;
}

// An integer property from `min` to `max`; false (after reporting a bad value) or when absent.
bool readInt(const PropertyMap& props, const std::string& key, long long min, long long max,
             ProblemCollector& problems, int* out) {
  const std::string* v = find(props, key);
  if (v == nullptr) return false;
  long long n = 0;
  if (!text::parseInteger(*v, &n) || n < min || n > max) {
    problems.add(key, "expected an integer from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", got '" + *v + "'");
    return false;
  }
  *out = static_cast<int>(n);
  return true;
}

bool isSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace

PropertiesLoader::PropertiesLoader(const ConfigPaths& paths, std::vector<ConfigProblem>& problems)
    : paths_(paths), problems_(problems) {}

bool PropertiesLoader::load(const std::string& propertiesFile,
                            const std::map<std::string, std::string>& overrides, AppConfig* app) {
  app->file = paths_.resolve(propertiesFile);
  app->baseDir = paths_.baseDir();
  ProblemCollector problems(paths_.display(app->file), problems_);

  ParsedProperties parsed;
  std::string error;
  if (!PropertiesFile::read(app->file, &parsed, &error)) {
    problems.add("$", "cannot read properties file: " + error);
    return false;
  }
  PropertiesFile::report(parsed, problems);
  PropertyMap props = std::move(parsed.values);
  for (const auto& [key, value] : overrides) {
    std::size_t column = 0;
    const std::string bad = PropertiesParser::keyProblem(key, &column);
    if (bad.empty()) {
      props[key] = value;
      app->overriddenKeys.push_back(key);  // issue 16: not audited as a config-file edit
    } else {
      problems.add("$", "--define: " + bad + " at column " + std::to_string(column));
    }
  }
  for (const auto& [key, value] : props) {
    if (key.rfind("notify.", 0) == 0) app->notifyProperties[key] = value;
    if (key.rfind("log.", 0) == 0 || key.rfind("logging.", 0) == 0) {
      app->logProperties[key] = value;
    }
  }

  const std::size_t firstProblem = problems_.size();
  readStore(props, problems, app);
  readAdmin(props, problems, app);
  readAdminTokens(props, problems, app);
  readAdminTls(props, problems, app);
  readPaths(props, problems, app);
  readScheduler(props, problems, app);
  readSecrets(props, problems, app);
  if (app->storeType == "postgresql" && secretsLoaded_) {
    const auto password = secretValues_.find("store.password");
    if (password != secretValues_.end()) app->storePostgres.password = password->second;
  }
  readConnections(props, problems, app);

  // A problem about a value given with --define should say so.
  for (std::size_t i = firstProblem; i < problems_.size(); ++i) {
    ConfigProblem& p = problems_[i];
    if (p.file == problems.file() && overrides.count(p.path) != 0) {
      p.message += " (value set on the command line)";
    }
  }
  return true;
}

void PropertiesLoader::readStore(const PropertyMap& props, ProblemCollector& problems,
                                 AppConfig* app) {
  if (const std::string* type = find(props, "store.type")) {
    const std::string t = text::toLower(text::trim(*type));
    if (t == "sqlite" || t == "postgresql") {
      app->storeType = t;
    } else {
      problems.add("store.type",
                   "unsupported store type '" + *type + "' (expected sqlite or postgresql)");
    }
  }
  if (app->storeType == "postgresql") {
    readPostgresStore(props, problems, app);
    return;
  }
  for (const char* key : {"store.url", "store.schema", "store.connectTimeoutSeconds",
                          "store.statementTimeoutSeconds", "cluster.leaseSeconds"}) {
    if (find(props, key) != nullptr) problems.add(key, "only applies with store.type = postgresql");
  }
  if (const std::string* path = required(props, "store.path", problems)) {
    app->storePath = paths_.resolve(text::trim(*path));
  }
  readInt(props, "store.cacheMb", 1, 4096, problems, &app->storeCacheMb);
}

void PropertiesLoader::readPostgresStore(const PropertyMap& props, ProblemCollector& problems,
                                         AppConfig* app) {
  store::PostgresSettings& pg = app->storePostgres;
  if (const std::string* url = required(props, "store.url", problems)) {
    pg.url = text::trim(*url);
    Status valid = store::validatePostgresUrl(pg.url);
    if (!valid.ok()) {
      problems.add("store.url", valid.message());
      pg.url.clear();
    }
  }
  if (const std::string* schema = find(props, "store.schema")) {
    pg.schema = text::trim(*schema);
    if (pg.schema.empty() || pg.schema.size() > 63) {
      problems.add("store.schema",
                   "expected a schema name of 1 to 63 bytes, got '" + *schema + "'");
    }
  }
  readInt(props, "store.connectTimeoutSeconds", 1, 300, problems, &pg.connectTimeoutSeconds);
  readInt(props, "store.statementTimeoutSeconds", 1, 86400, problems, &pg.statementTimeoutSeconds);
  if (find(props, "store.cacheMb") != nullptr) {
    problems.add("store.cacheMb", "only applies with store.type = sqlite");
  }
  // Local files only (the daemon's lock, the default credentials file): optional here.
  const std::string* path = find(props, "store.path");
  app->storePath = paths_.resolve(path != nullptr ? text::trim(*path) : std::string("var/sfsync"));
}

void PropertiesLoader::readAdmin(const PropertyMap& props, ProblemCollector& problems,
                                 AppConfig* app) {
  if (const std::string* host = find(props, "admin.host")) {
    if (text::trim(*host).empty()) {
      problems.add("admin.host", "must not be empty");
    } else {
      app->adminHost = text::trim(*host);
    }
  }
  if (const std::string* port = find(props, "admin.port")) {
    long long n = 0;
    if (!text::parseInteger(*port, &n) || n < 0 || n > 65535) {
      problems.add("admin.port", "expected a port number from 0 to 65535, got '" + *port + "'");
    } else {
      app->adminPort = static_cast<int>(n);
    }
  }
  const struct {
    const char* key;
    long long low, high;
    int* out;
  } limits[] = {{"admin.threads", 1, 64, &app->adminThreads},
                {"admin.maxConnections", 1, 10000, &app->adminMaxConnections},
                {"admin.requestTimeoutSeconds", 1, 300, &app->adminRequestTimeoutSeconds},
                {"admin.keepAliveSeconds", 0, 300, &app->adminKeepAliveSeconds},
                {"admin.eventStreams", 0, 64, &app->adminEventStreams},
                {"admin.eventKeepAliveSeconds", 1, 300, &app->adminEventKeepAliveSeconds},
                {"admin.eventStreamMaxSeconds", 10, 86400, &app->adminEventStreamMaxSeconds}};
  for (const auto& limit : limits) {
    const std::string* v = find(props, limit.key);
    if (v == nullptr) continue;
    long long n = 0;
    if (!text::parseInteger(*v, &n) || n < limit.low || n > limit.high) {
      problems.add(limit.key, "expected an integer from " + std::to_string(limit.low) + " to " +
                                  std::to_string(limit.high) + ", got '" + *v + "'");
    } else {
      *limit.out = static_cast<int>(n);
    }
  }
}

void PropertiesLoader::readAdminTokens(const PropertyMap& props, ProblemCollector& problems,
                                       AppConfig* app) {
  if (const std::string* v = find(props, "admin.tokens")) {
    for (const std::string& name : text::splitTrimmed(*v, ',')) {
      if (name.empty()) continue;
      if (!text::isConnectionName(name)) {
        problems.add("admin.tokens",
                     "invalid token name '" + name + "' (use letters, digits, '_' and '-')");
        continue;
      }
      bool duplicate = false;
      for (const auto& n : tokenNames_) duplicate = duplicate || n == name;
      if (duplicate) {
        problems.add("admin.tokens", "token '" + name + "' is listed twice");
        continue;
      }
      tokenNames_.push_back(name);
    }
  }
  for (const std::string& name : tokenNames_) {
    const std::string key = kTokenPrefix + name + ".sha256";
    const std::string* v = find(props, key);
    if (v == nullptr) {
      problems.add(key, "is required for token '" + name + "' listed in admin.tokens");
      continue;
    }
    // The digest is not the token, but it is not echoed either.
    const std::string hex = text::trim(*v);
    if (!isSha256Hex(hex)) {
      problems.add(key, "expected the token's SHA-256 as 64 hexadecimal digits, got " +
                            std::to_string(hex.size()) + " characters" +
                            (hex.size() == 64 ? " that are not all hexadecimal digits" : ""));
      continue;
    }
    AdminToken token{name, text::toLower(hex), "admin"};
    if (const std::string* role = find(props, kTokenPrefix + name + ".role")) {
      token.role = text::trim(*role);
      if (token.role != "viewer" && token.role != "operator" && token.role != "admin") {
        problems.add(kTokenPrefix + name + ".role",
                     "unknown role '" + token.role + "'; use viewer, operator or admin");
        continue;
      }
    }
    app->adminTokens.push_back(token);
  }
}

void PropertiesLoader::readAdminTls(const PropertyMap& props, ProblemCollector& problems,
                                    AppConfig* app) {
  const std::string certKey = "admin.tls.certificateFile";
  const std::string keyKey = "admin.tls.privateKeyFile";
  const std::string* cert = find(props, certKey);
  const std::string* key = find(props, keyKey);
  if (cert == nullptr && key == nullptr) return;
  if (cert == nullptr) {
    problems.add(certKey, "is required when " + keyKey + " is set");
  } else if (key == nullptr) {
    problems.add(keyKey, "is required when " + certKey + " is set");
  }
  std::string certFile, keyFile;
  auto existingFile = [&](const std::string& name, const std::string* value, std::string* out) {
    if (value == nullptr) return false;
    if (text::trim(*value).empty()) {
      problems.add(name, "must not be empty");
      return false;
    }
    *out = paths_.resolve(text::trim(*value));
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*out, ec)) {
      problems.add(name, "file not found: " + paths_.display(*out));
      return false;
    }
    return true;
  };
  const bool certOk = existingFile(certKey, cert, &certFile);
  const bool keyOk = existingFile(keyKey, key, &keyFile);
  if (certOk && keyOk) {
    app->tlsCertificateFile = certFile;
    app->tlsPrivateKeyFile = keyFile;
  }
}

void PropertiesLoader::readScheduler(const PropertyMap& props, ProblemCollector& problems,
                                     AppConfig* app) {
  readInt(props, "scheduler.maxParallelRuns", 1, 16, problems, &app->schedulerMaxParallel);
  readInt(props, "scheduler.tickSeconds", 1, 60, problems, &app->schedulerTickSeconds);
  readInt(props, "cluster.leaseSeconds", 2, 3600, problems, &app->clusterLeaseSeconds);
  readInt(props, "retention.days", 1, 3650, problems, &app->retentionDays);
}

void PropertiesLoader::readPaths(const PropertyMap& props, ProblemCollector& problems,
                                 AppConfig* app) {
  auto directory = [&](const std::string& key, std::string* out) {
    const std::string* v = required(props, key, problems);
    if (v == nullptr) return false;
    *out = paths_.resolve(text::trim(*v));
    std::error_code ec;
    const auto status = std::filesystem::status(*out, ec);
    if (!std::filesystem::exists(status)) {
      problems.add(key, "directory not found: " + paths_.display(*out));
      return false;
    }
    if (!std::filesystem::is_directory(status)) {
      problems.add(key, "not a directory: " + paths_.display(*out));
      return false;
    }
    return true;
  };
  jobsDirOk_ = directory("paths.jobs", &app->jobsDir);
  chainsDirOk_ = directory("paths.chains", &app->chainsDir);
  if (const std::string* v = required(props, "paths.errors", problems)) {
    app->errorDir = paths_.resolve(text::trim(*v));  // created by the runner; need not exist yet
  }
  if (const std::string* v = find(props, "log.file")) {
    if (!text::trim(*v).empty()) app->logFile = paths_.resolve(text::trim(*v));
  }
}

void PropertiesLoader::readConnections(const PropertyMap& props, ProblemCollector& problems,
                                       AppConfig* app) {
  std::vector<std::string> listed;
  if (const std::string* v = required(props, "connections", problems)) {
    for (const std::string& name : text::splitTrimmed(*v, ',')) {
      if (name.empty()) continue;
      if (!text::isConnectionName(name)) {
        problems.add("connections",
                     "invalid connection name '" + name + "' (use letters, digits, '_' and '-')");
        continue;
      }
      bool duplicate = false;
      for (const auto& n : listed) duplicate = duplicate || n == name;
      if (duplicate) {
        problems.add("connections", "connection '" + name + "' is listed twice");
        continue;
      }
      listed.push_back(name);
    }
    if (listed.empty()) problems.add("connections", "must name at least one connection");
  }
  connectionsKnown_ = !listed.empty();
  rejectUnknownKeys(props, listed, problems);

  CredentialsResolver credentials(paths_, problems, problems_);
  if (secretsLoaded_) credentials.useSecretStore(secretValues_, paths_.display(app->secretsFile));
  ConnectionLoader loader(paths_, problems, credentials);
  for (const std::string& name : listed) app->connections.push_back(loader.load(name, props));
}

void PropertiesLoader::reportTokenKey(const std::string& key, ProblemCollector& problems,
                                      std::vector<std::string>& reportedTokens) const {
  const std::string rest = key.substr(std::string(kTokenPrefix).size());
  const auto dot = rest.find('.');
  const std::string name = rest.substr(0, dot);
  bool listed = false;
  for (const auto& n : tokenNames_) listed = listed || n == name;
  if (listed) {
    const std::string sub = dot == std::string::npos ? "" : rest.substr(dot + 1);
    if (sub != "sha256" && sub != "role") {
      problems.add(key, "unknown key '" + key + "'" + text::didYouMean(sub, {"sha256", "role"}));
    }
    return;
  }
  for (const auto& n : reportedTokens) {
    if (n == name) return;
  }
  reportedTokens.push_back(name);
  problems.add(kTokenPrefix + name, "token '" + name +
                                        "' is configured but not listed in 'admin.tokens'" +
                                        text::didYouMean(name, tokenNames_));
}

void PropertiesLoader::rejectUnknownKeys(const PropertyMap& props,
                                         const std::vector<std::string>& listed,
                                         ProblemCollector& problems) {
  std::vector<std::string> reportedConnections;
  std::vector<std::string> reportedTokens;
  for (const auto& [key, value] : props) {
    (void)value;
    if (isForeignKey(key)) continue;
    bool known = false;
    for (const auto& k : knownKeys()) known = known || k == key;
    if (known) continue;
    if (key.rfind(kTokenPrefix, 0) == 0) {
      reportTokenKey(key, problems, reportedTokens);
      continue;
    }
    if (key.rfind("connection.", 0) == 0) {
      const std::string rest = key.substr(std::string("connection.").size());
      const auto dot = rest.find('.');
      if (dot != std::string::npos && dot > 0) {
        const std::string name = rest.substr(0, dot);
        bool isListed = false;
        for (const auto& n : listed) isListed = isListed || n == name;
        if (isListed) continue;  // its keys are checked by ConnectionLoader
        bool reported = false;
        for (const auto& n : reportedConnections) reported = reported || n == name;
        if (!reported && connectionsKnown_) {
          reportedConnections.push_back(name);
          problems.add("connection." + name, "connection '" + name +
                                                 "' is configured but not listed in 'connections'" +
                                                 text::didYouMean(name, listed));
        }
        continue;
      }
    }
    problems.add(key, "unknown key '" + key + "'" + suggestKey(key));
  }
}

void PropertiesLoader::readSecrets(const PropertyMap& props, ProblemCollector& problems,
                                   AppConfig* app) {
  const std::string* file = find(props, "secrets.file");
  const std::string* keyFile = find(props, "secrets.keyFile");
  if (file == nullptr && keyFile == nullptr) return;
  if (keyFile == nullptr || text::trim(*keyFile).empty()) {
    problems.add("secrets.keyFile", "is required when secrets.file is set");
    return;
  }
  app->secretsKeyFile = paths_.resolve(text::trim(*keyFile));
  if (file != nullptr && text::trim(*file).empty()) {
    problems.add("secrets.file", "must not be empty");
    return;
  }
  if (file != nullptr) {
    app->secretsFile = paths_.resolve(text::trim(*file));
  } else {
    const std::string dir = app->storePath.empty()
                                ? paths_.resolve("var")
                                : std::filesystem::path(app->storePath).parent_path().string();
    app->secretsFile = dir + "/credentials.enc";
  }
  const std::string keyName = paths_.display(app->secretsKeyFile);
  Result<std::string> key = secrets::SecretStore::readKey(app->secretsKeyFile);
  if (!key.ok()) {
    problems.add(
        "secrets.keyFile",
        key.status().code() == StatusCode::kNotFound
            ? "key file " + keyName + " not found (sfsyncd --set-secret creates it with the store)"
            : key.status().message());
    return;
  }
  Result<secrets::SecretStore::Values> values =
      secrets::SecretStore::load(app->secretsFile, app->secretsKeyFile);
  if (values.ok()) {
    secretValues_ = std::move(values).value();
  } else if (values.status().code() != StatusCode::kNotFound) {
    problems.add("secrets.file", values.status().message());
    return;
  }
  secretsLoaded_ = true;  // a store not written yet is an empty one
}

}  // namespace sfsync::config
