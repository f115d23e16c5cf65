// RunNotice: what is said about one finished run of a job or chain - built from its execution row
// (and, for a chain, the rows of its jobs) - and which recipient list hears it. Renders the email
// subject and plain-text body and the JSON body POSTed to webhooks:
//   subject  "[sfsync] Company Sync: Partial Success (120 ok, 3 failed)"  ("Nightly (chain): ..."
//            for a chain); "ok" counts created + updated records
//   text     status, execution id, connection, trigger, start/end, counts, message, error file and,
//            for a chain, one line per job
//   JSON     {"event":"execution.finished","kind","name","executionId","status","outcome",
//             "connection","trigger","startTime","endTime",
//             "counts":{"read","created","updated","skipped","failed"},"message","errorFile",
//             "jobs":[{"name","executionId","status","startTime","endTime","counts",
//                      "message","errorFile"}, ...]}
//            ("outcome" is "success" or "failure": the list the notice went to; "jobs" is empty for
//            a job run)
//
// Thread-safety: an immutable value; copies may be used from any thread.
#pragma once

#include <string>
#include <vector>

#include "sfsync/notify/NotificationTargets.h"
#include "sfsync/store/ExecutionRecord.h"

namespace sfsync::notify {

// Whether the run being reported is the last attempt, or the scheduler will retry it.
enum class Attempt { kFinal, kRetryPending };

// Which list a finished run is reported to:
//   "Success"          -> kSuccess
//   "Partial Success"  -> kFailure, or kSuccess when partialAs is kSuccess
//   "Failed"           -> kFailure
//   "Deferred"         -> kFailure (API budget out; the text body says so and that the next run
//                         resumes from the checkpoint)
//   anything else ("Skipped", "Running", "") -> kNone
// A run that would be reported as a failure while attempt is kRetryPending -> kNone: a failure is
// notified once, after the last retry has failed.
NoticeKind classifyRun(const std::string& status, PartialAs partialAs, Attempt attempt);

class RunNotice {
 public:
  // The notice for a finished run; `chainJobs` are the job rows of a chain run in run order (empty
  // for a job run). kind() follows classifyRun(run.status, partialAs, attempt).
  static RunNotice forRun(const store::ExecutionRecord& run,
                          const std::vector<store::ExecutionRecord>& chainJobs, PartialAs partialAs,
                          Attempt attempt);

  RunNotice(NoticeKind kind, store::ExecutionRecord run,
            std::vector<store::ExecutionRecord> chainJobs);

  NoticeKind kind() const { return kind_; }
  const store::ExecutionRecord& run() const { return run_; }
  const std::vector<store::ExecutionRecord>& chainJobs() const { return jobs_; }

  // One line; control characters (CR, LF, ...) in names or statuses are replaced by spaces.
  std::string subject() const;
  // Plain text, LF line ends (the mail encoder turns them into CRLF).
  std::string textBody() const;
  // Compact JSON, UTF-8.
  std::string jsonBody() const;

 private:
  NoticeKind kind_;
  store::ExecutionRecord run_;
  std::vector<store::ExecutionRecord> jobs_;
};

}  // namespace sfsync::notify
