// Methods of the plain configuration structs declared in sfsync/config/Config.h.
#include "sfsync/config/Config.h"

#include <filesystem>

#include "config/ConfigText.h"

namespace sfsync::config {

namespace {

void addUnique(std::vector<std::string>& fields, const std::string& field) {
  for (const auto& f : fields) {
    if (text::equalsIgnoreCase(f, field)) return;
  }
  fields.push_back(field);
}

std::string fileStem(const std::string& file) {
  return std::filesystem::path(file).stem().string();
}

template <class T>
const T* findByNameOrStem(const std::vector<T>& items, const std::string& key) {
  for (const T& item : items) {
    if (item.name == key) return &item;
  }
  for (const T& item : items) {
    if (!item.file.empty() && fileStem(item.file) == key) return &item;
  }
  return nullptr;
}

}  // namespace

bool JobConfig::writesBack() const {
  for (const auto& t : targets) {
    for (const auto& m : t.mappings) {
      if (m.writesBack()) return true;
    }
  }
  return false;
}

std::vector<std::string> JobConfig::sourceFields() const {
  std::vector<std::string> fields{"Id"};
  for (const auto& f : extraFields) addUnique(fields, f);
  for (const auto& t : targets) {
    for (const auto& m : t.mappings) {
      if (!m.constant && m.fromTarget.empty() && !m.source.empty()) addUnique(fields, m.source);
    }
    for (const auto& d : t.derived) {
      for (const auto& pair : d.match) {
        if (!pair.source.empty()) addUnique(fields, pair.source);
      }
    }
  }
  if (!dedupeBy.empty()) addUnique(fields, dedupeBy);
  return fields;
}

std::vector<std::string> TargetConfig::upsertKeyTargets() const {
  std::vector<std::string> columns;
  for (const auto& m : mappings) {
    if (m.upsertKey) columns.push_back(m.target);
  }
  for (const auto& d : derived) {
    if (d.upsertKey) columns.push_back(d.target);
  }
  return columns;
}

const ConnectionConfig* AppConfig::findConnection(const std::string& name) const {
  for (const auto& c : connections) {
    if (c.settings.name == name) return &c;
  }
  return nullptr;
}

const JobConfig* LoadedConfig::findJob(const std::string& nameOrFileStem) const {
  return findByNameOrStem(jobs, nameOrFileStem);
}

const ChainConfig* LoadedConfig::findChain(const std::string& nameOrFileStem) const {
  return findByNameOrStem(chains, nameOrFileStem);
}

}  // namespace sfsync::config
