// RunStatus: the final status strings of a job or chain run as the scheduling engine sees them.
// They are the same words the execution activity rows use ("Success", "Partial Success", "Failed",
// "Skipped"), repeated here so scheduling does not depend on the activity module.
//
// Thread-safety: constants and pure functions.
#pragma once

#include <string>

namespace sfsync::scheduling {

inline constexpr const char* kRunSuccess = "Success";
inline constexpr const char* kRunPartial = "Partial Success";
inline constexpr const char* kRunFailed = "Failed";
inline constexpr const char* kRunSkipped = "Skipped";  // a chain job that did not run

// Whether `status` is one of the three outcomes a run can end with (Success, Partial Success,
// Failed). Anything else coming back from a runner is treated as Failed.
inline bool isRunOutcome(const std::string& status) {
  return status == kRunSuccess || status == kRunPartial || status == kRunFailed;
}

}  // namespace sfsync::scheduling
