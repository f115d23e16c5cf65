// LookupResolver: resolves one derived mapping (Gainsight "Data Import Lookup") for a source
// record: the record's match-source values (key()) are looked up in the lookup object's
// match-target columns - by the caller, set-based for a whole page (Store::lookupGsids) - and the
// policies decide the outcome from the gsids found:
//   one match                      -> that gsid
//   several, useAny                -> the smallest gsid (deterministic "any one")
//   several, error                 -> rejected, LOOKUP_MULTIPLE_MATCHES with the candidates
//   none (or a null source value), null    -> null
//   none, reject                   -> rejected, LOOKUP_NO_MATCH
//   none, default                  -> the configured default value
// A self-lookup (lookup object == the mapping's own target) that finds nothing is "deferred"
// instead: the runner resolves it again after the whole extract is loaded, so a referenced record
// arriving later in the same run still resolves.
//
// Thread-safety: const after construction.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Result.h"
#include "sfsync/store/Store.h"

namespace sfsync::mapping {

struct LookupOutcome {
  enum class Kind { kResolved, kDeferred, kRejected };
  Kind kind = Kind::kResolved;
  Value value;             // gsid, null or the default
  std::string reasonCode;  // for kRejected
  std::string message;
  std::vector<std::string> candidates;  // for LOOKUP_MULTIPLE_MATCHES
  std::string key;  // for kRejected: the match values as text, for messages and error files
};

class LookupResolver {
 public:
  // `sourceColumns` is the SELECT list the rows follow; every match source must be in it.
  static Result<LookupResolver> create(const config::DerivedMappingConfig& config,
                                       const std::string& ownTarget,
                                       const std::vector<std::string>& sourceColumns);

  const config::DerivedMappingConfig& config() const { return config_; }
  bool selfLookup() const { return selfLookup_; }
  // Columns of the lookup object the index must cover, in match order.
  std::vector<std::string> matchTargets() const;

  // The match-source values of `row`, in match order; false when one is null (a null never matches:
  // resolve() with nullptr).
  bool key(const std::vector<Value>& row, store::Row& key) const;
  // A hash of key(row) without copying it; false when a match-source value is null.
  bool keyHash(const std::vector<Value>& row, std::size_t* hash) const;
  // Whether two rows have equal keys (value by value, of one type each).
  bool sameKey(const std::vector<Value>& a, const std::vector<Value>& b) const;

  // Resolves for `row` given the gsids its key matched (ascending; nullptr when key() was false).
  // `final` = true applies the no-match policy even to a self-lookup (the post-extract pass); false
  // defers a self-lookup miss.
  LookupOutcome resolve(const std::vector<Value>& row, const std::vector<std::string>* gsids,
                        bool final) const;

 private:
  LookupOutcome noMatch(const std::vector<Value>& row, bool final) const;

  config::DerivedMappingConfig config_;
  bool selfLookup_ = false;
  std::vector<int> sourceIndexes_;
};

}  // namespace sfsync::mapping
