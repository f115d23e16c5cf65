// ExecutionLog: the activity row of one running execution. begin() writes a "Running" row to the
// store at once (so a crash leaves evidence that the daemon marks Failed on its next start); the
// caller adds counts while the run proceeds; finish() derives the final status and writes the row
// again. A begin() that fails must fail the run; see finishOrReport() for the end.
//
// Status rule (one place): a run-level error -> Failed; no failed records -> Success; some records
// succeeded and some failed -> Partial Success; records failed and none succeeded -> Failed.
//
// Logging: begin() logs the run's start and finish() its end (logger "sfsync.jobs": kind, name,
// execution id, trigger, attempt; at the end status, counts, API calls, retries, duration - as text
// and as LogLine fields). A row begun with status Skipped logs only its end.
//
// Thread-safety: not thread-safe; owned by the thread running the execution. The Store is
// thread-safe.
#pragma once

#include <string>

#include "sfsync/core/Clock.h"
#include "sfsync/core/EventBus.h"
#include "sfsync/store/Store.h"

namespace sfsync::activity {

inline constexpr const char* kStatusRunning = "Running";
inline constexpr const char* kStatusRetrying = "Retrying";  // between attempts of one run
inline constexpr const char* kStatusSuccess = "Success";
inline constexpr const char* kStatusPartial = "Partial Success";
inline constexpr const char* kStatusFailed = "Failed";
inline constexpr const char* kStatusSkipped = "Skipped";

class ExecutionLog {
 public:
  ExecutionLog(store::Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // Fills id and start time, status Running, and saves the row. `record` carries kind, name,
  // connection, trigger and parentId. A retry (executionId set, attempts > 1) continues the row of
  // its first attempt: it keeps that row's start time and trigger.
  Status begin(store::ExecutionRecord record);

  store::ExecutionRecord& record() { return record_; }

  // Live events (issue 16): begin() publishes "run.started" and finish() "run.finished" (after the
  // row is saved) with executionEventJson(record()). `events` is borrowed; nullptr: none.
  void setEvents(EventBus* events) { events_ = events; }
  // The payload of run.started / run.finished: kind, name, executionId, parentId, chain,
  // connection, trigger, attempt, status, startTime, endTime, the counts and the message.
  static std::string executionEventJson(const store::ExecutionRecord& r);

  // Sets end time and the derived status (or `forcedStatus` when given, e.g. Skipped), saves the
  // row. `runError` non-ok means the run itself failed; its text becomes the message. A row whose
  // begin() failed is not written (kIoError): its id may be another live run's, or the store is
  // failing - the caller reports the returned record instead.
  Status finish(const Status& runError, const std::string& forcedStatus = "");
  // finish() for the end of a run, where nothing is left to undo: a row that cannot be saved is
  // logged (logger "sfsync.activity") and the reason is appended to the record's message, so
  // whoever reports the returned record (CLI, chain row, notifications) says the store missed it.
  void finishOrReport(const Status& runError, const std::string& forcedStatus = "");

  static std::string deriveStatus(const store::ExecutionRecord& r, bool runFailed);

 private:
  void logStart() const;
  void logEnd() const;

  store::Store& store_;
  Clock& clock_;
  store::ExecutionRecord record_;
  EventBus* events_ = nullptr;
  bool begun_ = false;          // begin() saved the Running row
  Clock::TimePoint started_{};  // this attempt's start, for the end line's duration
};

}  // namespace sfsync::activity
