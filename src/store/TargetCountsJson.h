// TargetCountsJson: the text form of ExecutionRecord::targets in the executions table's
// target_counts column - a JSON array of {"target", "created", "updated", "skipped", "failed",
// "unchanged" (optional on reading: rows saved before it existed)}
// objects in target order ("[]" when empty).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/ExecutionRecord.h"

namespace sfsync::store {

std::string targetCountsToJson(const std::vector<TargetCounts>& targets);
// "" (a row written before the column existed) is an empty list; anything but the array above is
// kDataError.
Result<std::vector<TargetCounts>> targetCountsFromJson(const std::string& text);

}  // namespace sfsync::store
