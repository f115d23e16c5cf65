// WriteBackCapture: installs the capture of local changes (issue 13: the Outbox's triggers and
// sfsync's own echo suppression) for every write-back job of a configuration, when the daemon
// starts and on every reload - so a change made before a job's first run is captured too. Install
// is idempotent (triggers are dropped and re-created with the current column list). A target table
// that does not exist yet is skipped: nothing can write to it, and the run that creates it installs
// its capture before its outbound phase.
//
// Thread-safety: through the Store (its calls are serialised); no state of its own.
#pragma once

#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/store/Outbox.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

// The capture specs of `job`'s write-back targets (none when it does not write back).
std::vector<store::OutboxTarget> outboxTargetsOf(const config::JobConfig& job);

// Installs the capture of every write-back job in `jobs` whose target tables exist. Returns one
// message per job that could not be installed ("job 'X': ..."); the rest are installed.
std::vector<std::string> installWriteBackCapture(const std::vector<config::JobConfig>& jobs,
                                                 store::Store& store);

}  // namespace sfsync::jobs
