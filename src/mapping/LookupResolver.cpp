#include "sfsync/mapping/LookupResolver.h"

#include <Poco/String.h>

#include <algorithm>
#include <functional>

#include "sfsync/core/Names.h"

#include "sfsync/core/ReasonCodes.h"

namespace sfsync::mapping {

namespace {
std::string describeMatch(const config::DerivedMappingConfig& c, const std::vector<Value>& row,
                          const std::vector<int>& indexes) {
  std::string text;
  for (std::size_t i = 0; i < c.match.size(); ++i) {
    if (i > 0) text += " AND ";
    const Value& v = row[indexes[i]];
    text += c.match[i].target + " = " + (isNull(v) ? "null" : "'" + valueToText(v) + "'");
  }
  return text;
}
}  // namespace

Result<LookupResolver> LookupResolver::create(const config::DerivedMappingConfig& config,
                                              const std::string& ownTarget,
                                              const std::vector<std::string>& sourceColumns) {
  LookupResolver r;
  r.config_ = config;
  r.selfLookup_ = Poco::icompare(config.lookupObject, ownTarget) == 0;
  for (const auto& pair : config.match) {
    const int index = indexOfIgnoreCase(sourceColumns, pair.source);
    if (index < 0) {
      return Status::Internal("derived mapping source '" + pair.source + "' is not selected");
    }
    r.sourceIndexes_.push_back(index);
  }
  return r;
}

std::vector<std::string> LookupResolver::matchTargets() const {
  std::vector<std::string> targets;
  for (const auto& pair : config_.match) targets.push_back(pair.target);
  return targets;
}

LookupOutcome LookupResolver::noMatch(const std::vector<Value>& row, bool final) const {
  LookupOutcome outcome;
  if (selfLookup_ && !final) {
    outcome.kind = LookupOutcome::Kind::kDeferred;
    return outcome;
  }
  switch (config_.onNoMatch) {
    case config::NoMatchPolicy::kNull:
      outcome.value = Value{};
      break;
    case config::NoMatchPolicy::kDefault:
      outcome.value = config_.defaultValue;
      break;
    case config::NoMatchPolicy::kReject:
      outcome.kind = LookupOutcome::Kind::kRejected;
      outcome.reasonCode = reason::kLookupNoMatch;
      outcome.key = describeMatch(config_, row, sourceIndexes_);
      outcome.message = config_.target + ": no " + config_.lookupObject + " matches " + outcome.key;
      break;
  }
  return outcome;
}

bool LookupResolver::key(const std::vector<Value>& row, store::Row& key) const {
  key.clear();
  for (int i : sourceIndexes_) {
    if (isNull(row[i])) return false;
    key.push_back(row[i]);
  }
  return true;
}

bool LookupResolver::keyHash(const std::vector<Value>& row, std::size_t* hash) const {
  std::size_t h = 0;
  for (int i : sourceIndexes_) {
    if (isNull(row[i])) return false;
    h = h * 31 + std::hash<Value>{}(row[i]);
  }
  *hash = h;
  return true;
}

bool LookupResolver::sameKey(const std::vector<Value>& a, const std::vector<Value>& b) const {
  return std::all_of(sourceIndexes_.begin(), sourceIndexes_.end(),
                     [&](int i) { return a[i] == b[i]; });
}

LookupOutcome LookupResolver::resolve(const std::vector<Value>& row,
                                      const std::vector<std::string>* gsids, bool final) const {
  LookupOutcome outcome;
  if (gsids != nullptr && !gsids->empty() &&
      (gsids->size() == 1 || config_.onMultipleMatches == config::MultipleMatchPolicy::kUseAny)) {
    outcome.value = Value(gsids->front());
    return outcome;
  }
  if (gsids == nullptr) return noMatch(row, true);  // a null source value
  if (gsids->empty()) return noMatch(row, final);
  // The key text is built only for what is reported: a rejection.
  outcome.key = describeMatch(config_, row, sourceIndexes_);
  outcome.kind = LookupOutcome::Kind::kRejected;
  outcome.reasonCode = reason::kLookupMultipleMatches;
  outcome.candidates = *gsids;
  outcome.message = config_.target + ": " + std::to_string(gsids->size()) + " " +
                    config_.lookupObject + " records match " + outcome.key;
  return outcome;
}

}  // namespace sfsync::mapping
