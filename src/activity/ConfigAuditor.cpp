#include "sfsync/activity/ConfigAuditor.h"

#include "sfsync/activity/LineDiff.h"
#include "sfsync/config/SecretRedaction.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace sfsync::activity {

namespace {

const char* kPrefix = "config.snapshot.";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// What an admin may change about a connection; credentials appear only as where they come from.
std::string describeConnection(const config::ConnectionConfig& c) {
  const salesforce::ConnectionSettings& s = c.settings;
  const char* org = s.orgType == salesforce::OrgType::kProduction ? "production"
                    : s.orgType == salesforce::OrgType::kSandbox  ? "sandbox"
                                                                  : "custom";
  std::ostringstream out;
  out << "orgType = " << org << "\n"
      << "loginUrl = " << s.loginUrl() << "\n"
      << "authFlow = " << salesforce::authFlowName(s.authFlow) << "\n"
      << "apiVersion = " << s.apiVersion << "\n"
      << "credentialsFile = " << c.credentialsFile << "\n"
      << "credentialsEnvPrefix = " << c.credentialsEnvPrefix << "\n";
  // Only for this flow, so snapshots of the other flows read as before.
  if (s.authFlow == salesforce::AuthFlow::kJwtBearer) {
    out << "jwt.privateKeyFile = " << s.jwtPrivateKeyFile << "\n";
  }
  return out.str();
}

// The stored snapshots (redacted: ones written before URLs were redacted must not leak into a
// diff). `scrub` gets the keys whose stored text changes only by that redaction: they are
// rewritten without an update record.
Status loadPrevious(store::Store& store, const std::map<std::string, std::string>& current,
                    std::map<std::string, std::string>* previous, std::vector<std::string>* scrub) {
  Result<std::vector<std::pair<std::string, std::string>>> stored = store.listState(kPrefix);
  if (!stored.ok()) return stored.status();
  for (auto& [stateKey, value] : *stored) {
    // An empty snapshot marks an item already recorded as removed.
    if (value.empty()) continue;
    const std::string key = stateKey.substr(std::string(kPrefix).size());
    std::string redacted = config::SecretRedaction::jsonText(value);
    const auto now = current.find(key);
    if (redacted != value && now != current.end() && now->second == redacted) {
      scrub->push_back(key);
    }
    (*previous)[key] = std::move(redacted);
  }
  return Status::OK();
}

// Items a --define override changes ("connection.<name>" for "connection.<name>.<setting>"): the
// running values are not the file's, so they are neither compared nor snapshotted while overridden.
std::set<std::string> overriddenItems(const config::AppConfig& app) {
  std::set<std::string> out;
  const std::string prefix = "connection.";
  for (const std::string& key : app.overriddenKeys) {
    if (key.rfind(prefix, 0) != 0) continue;
    const std::size_t dot = key.find('.', prefix.size());
    out.insert(key.substr(0, dot));  // "connection.<name>" (the whole key when it has no setting)
  }
  return out;
}

}  // namespace

std::string ConfigAuditor::lineDiff(const std::string& before, const std::string& after) {
  return LineDiff::compute(before, after).text;
}

Result<std::vector<store::UpdateRecord>> ConfigAuditor::audit(const config::LoadedConfig& config,
                                                              store::Store& store, Clock& clock,
                                                              const std::string& actor) {
  std::map<std::string, std::string> current;  // "<kind>.<name>" -> snapshot text
  for (const auto& c : config.app.connections) {
    current["connection." + c.settings.name] = describeConnection(c);
  }
  // Webhook URLs carry secrets: snapshots and diffs keep only their scheme and host.
  for (const auto& job : config.jobs) {
    current["job." + job.name] = config::SecretRedaction::jsonText(readFile(job.file));
  }
  for (const auto& chain : config.chains) {
    current["chain." + chain.name] = config::SecretRedaction::jsonText(readFile(chain.file));
  }

  std::map<std::string, std::string> previous;
  std::vector<std::string> scrub;  // stored snapshots that still hold a URL in full
  if (Status s = loadPrevious(store, current, &previous, &scrub); !s.ok()) return s;
  for (const std::string& key : overriddenItems(config.app)) {
    current.erase(key);
    previous.erase(key);
    scrub.erase(std::remove(scrub.begin(), scrub.end(), key), scrub.end());
  }

  const std::string now = formatIso8601(clock.now());
  std::vector<store::UpdateRecord> records;
  auto record = [&](const std::string& key, const std::string& action, std::string diff) {
    const auto dot = key.find('.');
    records.push_back(
        {"", now, actor, key.substr(0, dot), key.substr(dot + 1), action, std::move(diff)});
  };
  for (const auto& [key, text] : current) {
    auto before = previous.find(key);
    if (before == previous.end()) {
      record(key, "added", lineDiff("", text));
    } else if (before->second != text) {
      record(key, "edited", lineDiff(before->second, text));
    }
  }
  for (const auto& [key, text] : previous) {
    if (current.count(key) == 0) record(key, "removed", lineDiff(text, ""));
  }
  Status s = store.transaction([&]() -> Status {
    for (const auto& key : scrub) {
      Status saved = store.putState(kPrefix + key, current[key]);
      if (!saved.ok()) return saved;
    }
    for (const auto& r : records) {
      Status saved = store.saveUpdate(r);
      if (!saved.ok()) return saved;
      const std::string key = kPrefix + r.kind + "." + r.name;
      saved = store.putState(
          key, r.action == "removed" ? std::string() : current[r.kind + "." + r.name]);
      if (!saved.ok()) return saved;
    }
    return Status::OK();
  });
  if (!s.ok()) return s;
  return records;
}

}  // namespace sfsync::activity
