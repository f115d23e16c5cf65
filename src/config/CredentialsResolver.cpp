#include "config/CredentialsResolver.h"

#include <cstdlib>
#include <vector>

#include "config/ConfigText.h"
#include "config/PropertiesFile.h"

namespace sfsync::config {

namespace {

struct Credential {
  const char* key;        // key in the credentials file
  const char* envSuffix;  // environment variable is <prefix><envSuffix>
  std::string salesforce::ConnectionSettings::*field;
};

const std::vector<Credential>& credentials() {
  using S = salesforce::ConnectionSettings;
  static const std::vector<Credential> kCredentials = {
      {"clientId", "CLIENT_ID", &S::clientId},
      {"clientSecret", "CLIENT_SECRET", &S::clientSecret},
      {"username", "USERNAME", &S::username},
      {"password", "PASSWORD", &S::password},
      {"securityToken", "SECURITY_TOKEN", &S::securityToken},
      {"refreshToken", "REFRESH_TOKEN", &S::refreshToken},
  };
  return kCredentials;
}

std::vector<std::string> requiredKeys(salesforce::AuthFlow flow) {
  if (flow == salesforce::AuthFlow::kRefreshToken) return {"clientId", "refreshToken"};
  if (flow == salesforce::AuthFlow::kJwtBearer) return {"clientId", "username"};
  if (flow == salesforce::AuthFlow::kWebServer) return {"clientId"};  // the page adds the token
  return {"clientId", "clientSecret", "username", "password"};
}

const char* flowName(salesforce::AuthFlow flow) { return salesforce::authFlowName(flow); }

}  // namespace

CredentialsResolver::CredentialsResolver(const ConfigPaths& paths,
                                         ProblemCollector& propertiesProblems,
                                         std::vector<ConfigProblem>& allProblems)
    : paths_(paths), propertiesProblems_(propertiesProblems), allProblems_(allProblems) {}

void CredentialsResolver::useSecretStore(const std::map<std::string, std::string>& values,
                                         const std::string& displayName) {
  secretValues_ = &values;
  secretStoreName_ = displayName;
}

std::vector<std::string> CredentialsResolver::credentialKeys() {
  std::vector<std::string> keys;
  for (const Credential& c : credentials()) keys.push_back(c.key);
  return keys;
}

void CredentialsResolver::applySecretStore(ConnectionConfig& conn) const {
  if (secretValues_ == nullptr) return;
  for (const Credential& c : credentials()) {
    const auto it = secretValues_->find(conn.settings.name + "." + c.key);
    if (it != secretValues_->end() && !it->second.empty()) conn.settings.*(c.field) = it->second;
  }
}

void CredentialsResolver::resolve(ConnectionConfig& conn, const std::string& keyPrefix) {
  salesforce::ConnectionSettings& settings = conn.settings;
  const std::string fileName =
      conn.credentialsFile.empty() ? "" : paths_.display(conn.credentialsFile);

  // 1. The credentials file.
  if (!conn.credentialsFile.empty()) {
    ParsedProperties parsed;
    std::string error;
    if (!PropertiesFile::read(conn.credentialsFile, &parsed, &error)) {
      propertiesProblems_.add(keyPrefix + "credentialsFile",
                              "cannot read credentials file " + fileName + ": " + error);
      return;  // which credentials are missing is unknowable; do not pile up follow-on problems
    }
    ProblemCollector fileProblems(fileName, allProblems_);
    PropertiesFile::report(parsed, fileProblems);
    const PropertyMap& values = parsed.values;
    std::vector<std::string> known;
    for (const Credential& c : credentials()) known.push_back(c.key);
    for (const auto& [key, value] : values) {
      bool matched = false;
      for (const Credential& c : credentials()) {
        if (key == c.key) {
          settings.*(c.field) = value;
          matched = true;
        }
      }
      if (!matched) {
        fileProblems.add(key, "unknown key '" + key + "'" + text::didYouMean(key, known));
      }
    }
  }

  // 2. The encrypted credentials store overrides the file.
  applySecretStore(conn);

  // 3. Environment variables override both.
  if (!conn.credentialsEnvPrefix.empty()) {
    for (const Credential& c : credentials()) {
      const char* value = std::getenv((conn.credentialsEnvPrefix + c.envSuffix).c_str());
      if (value != nullptr && *value != '\0') settings.*(c.field) = value;
    }
  }

  // 4. What the auth flow needs.
  for (const std::string& key : requiredKeys(settings.authFlow)) {
    for (const Credential& c : credentials()) {
      if (key != c.key || !(settings.*(c.field)).empty()) continue;
      std::vector<std::string> places;
      if (!fileName.empty()) places.push_back("key '" + key + "' in " + fileName);
      if (secretValues_ != nullptr) {
        places.push_back("entry '" + settings.name + "." + key + "' in " + secretStoreName_);
      }
      if (!conn.credentialsEnvPrefix.empty()) {
        places.push_back("environment variable " + conn.credentialsEnvPrefix + c.envSuffix);
      }
      const std::string where = places.empty()
                                    ? "no credentialsFile or credentialsEnvPrefix is configured"
                                    : "looked for " + text::join(places, " and ");
      propertiesProblems_.add(keyPrefix.substr(0, keyPrefix.size() - 1),
                              std::string("missing credential '") + key + "' needed by the " +
                                  flowName(settings.authFlow) + " flow (" + where + ")");
    }
  }
}

}  // namespace sfsync::config
