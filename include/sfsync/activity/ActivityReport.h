// ActivityReport: renders execution activity rows as a fixed-width text table for the terminal
// (`sfsyncd --run-job`, `--run-chain`, `--activity`) - with MODE ("incremental/bulk", "full/rest"),
// DELETED and RETRIES columns - followed, per row, by the counts of each target of a multi-target
// job ("<id> target Person: created 3, updated 1, skipped 0, failed 0"), its cursor ("<id> cursor:
// <start> -> <end>"), its API usage when the org's remaining allowance is known, its message and
// its error file path.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "sfsync/store/ExecutionRecord.h"

namespace sfsync::activity {

std::string formatActivity(const std::vector<store::ExecutionRecord>& rows);

}  // namespace sfsync::activity
