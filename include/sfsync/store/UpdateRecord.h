// UpdateRecord: one row of update activity - a configuration change (a job, chain, connection or
// the settings added, removed or edited) as shown on the activity page. Times are ISO-8601 UTC
// strings (formatIso8601).
//
// Thread-safety: plain value type.
#pragma once

#include <string>

namespace sfsync::store {

struct UpdateRecord {
  std::string id;      // unique; Store::saveUpdate generates one when empty
  std::string time;    // when the change was made
  std::string actor;   // who made it, e.g. "admin" or "cli"
  std::string kind;    // "job", "chain", "connection" or "settings"
  std::string name;    // the job, chain or connection name (empty for settings)
  std::string action;  // "added", "removed" or "edited"
  std::string diff;    // human-readable change, e.g. a unified diff of the file
};

}  // namespace sfsync::store
