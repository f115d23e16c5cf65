// ActivityReport: renders execution activity rows as a fixed-width text table for the terminal
// (`sfsyncd --run-chain`, `--activity`), followed by the error file path of each row that has one.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "sfsync/store/ExecutionRecord.h"

namespace sfsync::activity {

std::string formatActivity(const std::vector<store::ExecutionRecord>& rows);

}  // namespace sfsync::activity
