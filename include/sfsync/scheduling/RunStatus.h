// RunStatus: the final status strings of a job or chain run as the scheduling engine sees them.
// They are the same words the execution activity rows use ("Success", "Partial Success", "Failed",
// "Skipped", "Deferred"), repeated here so scheduling does not depend on the activity module.
//
// Thread-safety: constants and pure functions.
#pragma once

#include <string>

namespace sfsync::scheduling {

inline constexpr const char* kRunSuccess = "Success";
inline constexpr const char* kRunPartial = "Partial Success";
inline constexpr const char* kRunFailed = "Failed";
inline constexpr const char* kRunSkipped = "Skipped";  // a chain job that did not run
// The API budget (or Salesforce's REQUEST_LIMIT_EXCEEDED) ran out: the run stopped at its last
// checkpoint. Never retried (a retry would only spend more of the exhausted budget): the next
// scheduled run resumes from the checkpoint. Does not satisfy the "success" or
// "success-or-partial" chain conditions; a chain with a Deferred job ends Deferred unless a job
// Failed.
inline constexpr const char* kRunDeferred = "Deferred";

// Whether `status` is one of the four outcomes a run can end with (Success, Partial Success,
// Failed, Deferred). Anything else coming back from a runner is treated as Failed.
inline bool isRunOutcome(const std::string& status) {
  return status == kRunSuccess || status == kRunPartial || status == kRunFailed ||
         status == kRunDeferred;
}

}  // namespace sfsync::scheduling
