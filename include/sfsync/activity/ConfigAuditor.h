// ConfigAuditor: update activity for configuration edits made on disk. The daemon keeps a snapshot
// of every job file, chain file and connection (without secrets) in the store's state; on start it
// (and on each reload) compares the loaded configuration with the snapshots and writes one
// UpdateRecord per added, removed or edited item (actor "config file") with a readable line diff,
// then stores the new snapshots. Changes made through the admin API are audited where they are
// made, under the token's name. A connection whose properties a --define override changes
// (AppConfig::overriddenKeys) is left out while overridden: the running values are not the file's,
// so no "edited" row is written and its stored snapshot stays the file's.
//
// Thread-safety: run at startup and on each configuration reload, one call at a time (the daemon
// serialises reloads); the store is thread-safe.
#pragma once

#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/store/Store.h"

namespace sfsync::activity {

class ConfigAuditor {
 public:
  // Records the differences between the stored snapshots and `config`; returns the records written.
  static Result<std::vector<store::UpdateRecord>> audit(const config::LoadedConfig& config,
                                                        store::Store& store, Clock& clock,
                                                        const std::string& actor = "config file");

  // A line diff: "- old line" / "+ new line" for changed lines, unchanged lines left out; bounded
  // memory and time whatever the sizes (see LineDiff: a file too different for a line diff is
  // recorded as "~ file replaced: N lines before, M lines after ...").
  static std::string lineDiff(const std::string& before, const std::string& after);
};

}  // namespace sfsync::activity
