// RealtimeJob: the real-time side of a job with "realtime": true (issue 18). Subscribes to the
// source object's Change Data Capture topic (/data/<Object>ChangeEvent, custom objects
// /data/<Name>__ChangeEvent) through a source::ChangeStream and applies every answer's events as
// one micro-batch (jobs/RealtimeApplier: same mapping, lookup and upsert pipeline as scheduled
// runs; the replay id is stored in the batch's transaction).
//
// Where it starts: after the stored replay id; LATEST when there is none. A stored replay id older
// than the retention window (72 h), or one the server refuses (kInvalidArgument), first runs the
// job's catch-up (an incremental scheduled run, supplied by the caller) and then subscribes from
// LATEST. A GAP_OVERFLOW event runs the catch-up after its batch (a pending mark stored with the
// batch makes the next subscribe run it first, then resume after the stored replay id, if it did
// not complete). A failed catch-up is
// retried after the backoff; it never ends run(). On kUnauthenticated the caller's
// reauthenticate() renews the session and it subscribes again at once; other failures
// (kUnavailable: lost connection, missed keepalives) retry with exponential backoff (initial ..
// max); kNotFound / kPermissionDenied (no such topic, CDC not enabled for the object) end run().
// Keepalives store their latest replay id when nothing is pending, so an idle topic's position
// does not age out.
//
// Activity: a rolling execution row per clock hour (trigger "realtime", mode "realtime", api
// "pubsub"), Running while its hour lasts, with the hour's counts and a message with the lag
// (commitTimestamp to applied) p50 / p99. stats() gives the live numbers (admin page, /metrics):
// state "connected" while subscribed, "reconnecting" during a backoff, "catching-up", "stopped".
//
// Thread-safety: run() on one thread; stop() and stats() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "sfsync/activity/ErrorFile.h"
#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/RealtimeStats.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/source/ChangeStream.h"
#include "sfsync/store/ExecutionRecord.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

class RealtimeApplier;

struct RealtimeSettings {
  int batchSize = 100;                             // events requested at a time (1..1000)
  std::int64_t retentionMs = 72LL * 3600 * 1000;   // Salesforce keeps events 72 hours
  std::chrono::milliseconds initialBackoff{1000};  // first retry after a failure
  std::chrono::milliseconds maxBackoff{60000};     // backoff doubles up to this
  std::size_t lagWindow = 10000;                   // events the lag percentiles cover
};

using RealtimeStats = sfsync::RealtimeStats;  // state: starting, connected, reconnecting,
                                              // catching-up, stopped

class RealtimeJob {
 public:
  using StreamFactory = std::function<Result<source::ChangeStreamPtr>()>;
  using Action = std::function<Status()>;

  // `catchUp` runs the job once (incremental); `reauthenticate` renews the session the stream
  // factory's credentials come from. All references must outlive run().
  RealtimeJob(const config::JobConfig& job, salesforce::SalesforceClient& client,
              store::Store& store, Clock& clock, std::string errorDir, StreamFactory streams,
              Action catchUp, Action reauthenticate, RealtimeSettings settings = {});

  // Streams until stop(); returns OK then, or the error that ended it (see above).
  Status run();
  void stop();
  bool stopRequested() const;  // stop() was called
  RealtimeStats stats() const;

  // The topic of an object ("/data/AccountChangeEvent", "/data/Tier__ChangeEvent").
  static std::string topicFor(const std::string& object);

 private:
  Status streamOnce(const salesforce::ObjectDescribe& describe);
  Status onBatch(const source::ChangeBatch& batch, RealtimeApplier& applier);
  Status runCatchUp(const std::string& why);
  // Reacts to a failed subscribe: OK to go on (after any backoff), else the error that ends run().
  Status afterFailure(const Status& s, bool fromReplayId, int& failures);
  // Ends run() on kNotFound / kPermissionDenied; else renews the session or waits the backoff.
  Status backOff(const Status& s, int& failures);
  void waitBackoff(std::chrono::milliseconds d);
  void recordLag(std::int64_t lagMs);
  // Copies the hour's counts into stats_ (caller holds mutex_).
  void copyHourCounts();
  // Remembers a stored position for stats().
  void notePosition(const std::string& replayId, std::int64_t nowMs);
  // Rolls the hourly execution row (finishing the previous hour's) and saves it.
  Status saveExecution(bool finishing);
  void setState(const std::string& state, const std::string& error = "");

  const config::JobConfig& job_;
  salesforce::SalesforceClient& client_;
  store::Store& store_;
  Clock& clock_;
  const std::string errorDir_;
  const StreamFactory streams_;
  const Action catchUp_;
  const Action reauthenticate_;
  const RealtimeSettings settings_;

  store::ExecutionRecord record_;  // the current hour's row (run() thread only)
  std::string recordHour_;         // "YYYY-MM-DDTHH" of record_
  std::unique_ptr<activity::ErrorFile> errors_;

  mutable std::mutex mutex_;  // guards stats_, lags_, stream_, stopped_
  std::condition_variable wake_;
  RealtimeStats stats_;
  std::deque<std::int64_t> lags_;
  std::deque<std::pair<std::int64_t, std::int64_t>> applied_;  // (applied at ms, events), 10 s
  source::ChangeStream* stream_ = nullptr;
  bool stopped_ = false;
};

}  // namespace sfsync::jobs
