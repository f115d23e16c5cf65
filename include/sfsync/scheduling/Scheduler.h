// Scheduler: decides when jobs and chains run and runs them - schedule slots (with the misfire
// policy after downtime), run-now requests, the overlap lock, retries with backoff, pause/resume
// of an entry or a whole connection, disconnect/reconnect of a connection - and hands every run to
// a RunExecutor on its own worker threads. Time comes only from the injected Clock.
//
// Driving it: in production call start() (after the daemon forked; it starts a timer thread that
// calls tick() about every Options::tickInterval of real time) and stop() at shutdown. Tests call
// tick() themselves after FakeClock::advance() and then waitIdle(). No thread exists before the
// first run or start().
//
// Rules:
//   - Slots: tick() starts an entry when a slot of its schedule lies in (lastHandled, now]
//     (Schedule::dueRun()): an on-time run (trigger "schedule"), or after downtime one catch-up
//     run for the latest missed slot under misfire "run-once" (trigger "catch-up"), none under
//     "skip" (the policy is the Schedule's "misfire" key; a slot counts as missed when older than
//     Options::misfireGrace). lastHandled is loaded once per entry from Hooks::loadLastHandled in
//     addEntry() and each change - once per slot handled, and on resume or reconnect, never on an
//     idle tick - is reported through Hooks::saveLastHandled.
//   - New entries (nothing saved for them): missed slots are measured from the daemon's last
//     heartbeat (Hooks::loadHeartbeat), i.e. from when the previous daemon was last known alive. So
//     an entry that was configured but had not reached its first slot before a downtime gets its
//     catch-up run like any other entry ("run-once"), and an entry added while the daemon was down
//     counts as existing since the daemon stopped. With no heartbeat (the very first start) the
//     entry starts with the next slot. tick() saves the heartbeat (Hooks::saveHeartbeat) at most
//     every Options::heartbeatInterval, stop() once more.
//   - Overlap: an entry is busy from the start of its first attempt until its final outcome
//     (retry waits included). It holds a lock on its name and its members' names, so a job never
//     runs twice at the same time (nor in two chains at once). run-now on a busy entry is refused
//     with kInvalidArgument "'Company Sync' is already running" (OverlapPolicy::kRefuse) or queued
//     (kQueue: one queued run per entry, more requests are coalesced into it). A slot that comes
//     while busy is skipped (kRefuse; reported through Hooks::onNotice) or queued (kQueue).
//   - Retries: an attempt that ends Failed is retried after RetryPolicy::backoffAfter(attempt):
//     Hooks::onRetryScheduled reports the decision (the execution row then says "Retrying" until
//     the next attempt; that attempt cannot start before the hook returned), and tick() starts it
//     once the clock reached that time (no worker waits), with attempt + 1, the ORIGINAL trigger
//     (schedule, catch-up or run-now: attempt > 1 is what marks a retry) and the executionId the
//     first attempt returned. Hooks::onFinished fires once per run, after its final attempt.
//   - Pause (an entry or a connection): while paused no slot starts, no retry starts, queued
//     scheduled runs are dropped; the paused period's slots are recorded as handled (never caught
//     up, not even after a restart) and the schedule resumes with the first slot after resume().
//     run-now while paused is ALLOWED (an explicit admin action), as are queued run-now requests.
//   - Disconnect (a connection): like pause, and additionally run-now is refused ("connection 'X'
//     is disconnected"), queued runs are dropped and pending retries are cancelled (their run
//     finishes as Failed, onFinished fires). Runs already executing are not interrupted.
//     reconnect() resumes from the next slot like resume().
//   - stop(): no new runs; waits for executing runs; cancels pending retries (onFinished fires with
//     Failed) and drops queued runs.
//
// Thread-safety: every public method may be called from any thread (admin HTTP threads, the timer
// thread, workers) concurrently; one internal mutex guards all state. No hook and no
// RunExecutor::execute() is ever called with that mutex held: they may call back into the
// Scheduler (except stop()/waitIdle()) and may block on store I/O without holding up status(),
// runNow() or tick() of other threads. State saves (saveLastHandled, saveHeartbeat) are queued
// under the mutex and written afterwards by one thread at a time, in the order they were queued
// (so saves for one entry are never reordered); a failed save is reported through onNotice and
// EntryStatus::stateError, and retried with the next change. loadLastHandled / loadHeartbeat are
// called from addEntry() before it takes the mutex.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/core/Status.h"
#include "sfsync/scheduling/RunClaims.h"
#include "sfsync/scheduling/RunExecutor.h"
#include "sfsync/scheduling/Schedule.h"
#include "sfsync/scheduling/SchedulerEntry.h"

namespace sfsync::scheduling {

class WorkerPool;

class Scheduler {
 public:
  struct Options {
    int workerThreads = 4;  // runs executing at once; further runs wait for a worker
    std::chrono::seconds misfireGrace = Schedule::kDefaultMisfireGrace;
    std::chrono::milliseconds tickInterval{1000};  // start(): real time between ticks
    std::chrono::seconds heartbeatInterval{60};    // clock time between heartbeat saves
    // Several daemons on one store (issue 12): attempt 1 of every run asks claims->claim() on its
    // worker thread (no lock held) and starts only when granted; a refused run ends without a
    // FinishedRun (notice only), so every slot runs on exactly one daemon. nullptr: no claims.
    // Must outlive the Scheduler.
    RunClaims* claims = nullptr;
  };

  struct Hooks {
    // Called once per run with its final outcome (after the last retry), on a worker thread (or
    // on the thread that cancelled a pending retry). Notifications hang off this.
    std::function<void(const FinishedRun&)> onFinished;
    // An attempt failed and another one follows (see RetryScheduled); called on the worker thread
    // before the retry can start. Mark the execution row as waiting here.
    std::function<void(const RetryScheduled&)> onRetryScheduled;
    // The last handled slot time of `name` as saved before a restart; nullopt when unknown.
    std::function<std::optional<Clock::TimePoint>(const std::string& name)> loadLastHandled;
    // `name`'s last handled time changed (store it for loadLastHandled after a restart).
    std::function<Status(const std::string& name, Clock::TimePoint lastHandled)> saveLastHandled;
    // When the daemon was last known alive (saved by saveHeartbeat); nullopt on the first start.
    std::function<std::optional<Clock::TimePoint>()> loadHeartbeat;
    std::function<Status(Clock::TimePoint alive)> saveHeartbeat;
    // Something an admin may want in the log: a skipped slot, a queued run, a cancelled retry.
    std::function<void(const std::string& name, const std::string& message)> onNotice;
  };

  enum class RunNowResult {
    kStarted,        // handed to a worker
    kQueued,         // the entry is busy; this run starts when it is done (OverlapPolicy::kQueue)
    kAlreadyQueued,  // a run was already queued; this request is merged into it
  };

  // What the admin page shows for one entry.
  struct EntryStatus {
    std::string name;
    RunKind kind = RunKind::kJob;
    std::string schedule;                     // Schedule::describe(), empty when unscheduled
    bool paused = false;                      // the entry itself
    bool connectionPaused = false;            // one of its connections
    bool disconnected = false;                // one of its connections
    bool running = false;                     // an attempt is executing (or waiting for a worker)
    bool retrying = false;                    // busy, waiting for the next attempt at retryAt
    std::optional<Clock::TimePoint> retryAt;  // a retry is pending
    int attempt = 0;                          // current or pending attempt while busy
    bool queued = false;
    std::optional<Clock::TimePoint> nextRun;
    std::optional<FinishedRun> lastRun;
    std::string stateError;  // the last failed state save for this entry; "" once a save worked
  };

  // `clock` and `executor` must outlive the Scheduler. Starts no thread. Calls
  // Hooks::loadHeartbeat (the previous daemon's last heartbeat, for new entries).
  Scheduler(Clock& clock, RunExecutor& executor, Options options, Hooks hooks);
  Scheduler(Clock& clock, RunExecutor& executor);
  ~Scheduler();  // stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Registers an entry (normally all of them at startup, before start()); loads its last handled
  // time (for a new entry: the previous daemon's last heartbeat, see the rules above).
  // kInvalidArgument for an empty or duplicate name.
  Status addEntry(SchedulerEntry entry);

  // Configuration reload: makes `entries` the registered set, in their order. An entry already
  // registered under the same name keeps its state - last handled slot, pause flag, a run in
  // progress (with the locks it took and its attempt count), a queued run, its last run - and
  // takes the new definition: its next slot is recomputed from its last handled slot (from now
  // when it had no schedule before; unscheduled entries have none); the next run uses the new retry
  // and overlap policies and members (a run in progress keeps the retry policy it started with).
  // New names are added as by addEntry(). Registered names missing from `entries` are removed: a
  // queued run is dropped, a pending retry is cancelled (the run finishes Failed and onFinished
  // fires), an executing attempt finishes without retry. kInvalidArgument for an empty or duplicate
  // name (then nothing changes).
  Status replaceEntries(std::vector<SchedulerEntry> entries);

  // Starts everything due at clock.now(): retries whose backoff elapsed, then schedule slots, in
  // registration order. Returns the number of runs started. 0 after stop().
  int tick();
  // Starts the timer thread. Idempotent.
  void start();
  // Stops the timer, refuses new runs, waits for executing runs, cancels pending retries and
  // queued runs, joins the workers. Idempotent; must not be called from a worker or a hook.
  void stop();
  // Waits (real time, up to `timeout`) until no run is executing or waiting for a worker and
  // every finished-run hook has returned. Pending retries do not count (they need tick()).
  // Returns false on timeout. Not from a worker or a hook.
  bool waitIdle(std::chrono::milliseconds timeout = std::chrono::minutes(5));

  // Starts `name` now on a worker (trigger "run-now"), or queues it (OverlapPolicy::kQueue).
  // Errors: kNotFound ("no job or chain named 'X'"); kInvalidArgument when refused: "'X' is
  // already running", "'X' is already running (waiting to retry, attempt 2)", "'X' is already
  // running as part of 'Chain'", "'Chain' cannot start while 'X' is running", "'A' cannot start
  // while 'B' is running (both run job 'J')", "'X' cannot run: connection 'C' is disconnected";
  // kUnavailable after stop().
  Result<RunNowResult> runNow(const std::string& name);
  // The same with a claim the caller already holds (RunClaims, issue 12): a started run keeps
  // `claimKey` and claims nothing on its worker. Unless the answer is kStarted the claim was not
  // used (a queued run claims when it starts): the caller ends it.
  Result<RunNowResult> runNow(const std::string& name, const std::string& claimKey);
  // The same with a `mark` the run's RunRequest carries (and its retries): the caller can tell
  // the run it asked for from any other. A run already queued takes the mark (a newer mark
  // replaces an older one).
  Result<RunNowResult> runNow(const std::string& name, const std::string& claimKey,
                              std::uint64_t mark);

  // Runs a claim this daemon adopted from a dead one (RunClaims::adoptExpired) with its original
  // trigger and slot; the run holds `run.key` (no new claim). kNotFound for an unknown name,
  // kInvalidArgument when the entry cannot start here now (busy, disconnected), kUnavailable after
  // stop(): give the claim back then (RunClaims::release).
  Status runAdopted(const AdoptedRun& run);

  // Pause/resume one entry. kNotFound for an unknown name. Pausing twice is fine.
  Status pause(const std::string& name);
  Status resume(const std::string& name);
  // Pause/resume every entry that uses `connection`. kNotFound when no entry uses it.
  Status pauseConnection(const std::string& connection);
  Status resumeConnection(const std::string& connection);
  // Disconnect/reconnect `connection` (see the rules above). kNotFound when no entry uses it.
  Status disconnect(const std::string& connection);
  Status reconnect(const std::string& connection);

  // The last finished run (final outcome), or nullopt.
  std::optional<FinishedRun> lastRun(const std::string& name) const;
  // The next slot that will start `name`; nullopt when unscheduled, paused or disconnected.
  std::optional<Clock::TimePoint> nextRun(const std::string& name) const;
  Result<EntryStatus> status(const std::string& name) const;
  std::vector<EntryStatus> statuses() const;  // registration order

 private:
  struct Entry;
  struct Pending;

  Entry* find(const std::string& name) const;
  static std::unique_ptr<Entry> makeEntry(SchedulerEntry config);
  // replaceEntries(): takes the new definition into a registered entry, keeping its state.
  void redefine(Entry& e, SchedulerEntry config, Clock::TimePoint now);
  // replaceEntries(): an entry no longer configured; kept in retired_ while its run executes.
  void retire(std::unique_ptr<Entry> e, Clock::TimePoint now, std::vector<FinishedRun>& finished);
  bool schedulable(const Entry& e) const;
  bool connectionDisconnected(const Entry& e, std::string* which = nullptr) const;
  std::optional<std::string> blocker(const Entry& e) const;
  void setLastHandled(Entry& e, Clock::TimePoint t);
  void restartSchedule(Entry& e, Clock::TimePoint now);
  void dispatch(Entry& e, const Pending& run, Clock::TimePoint now);
  void startQueued(Clock::TimePoint now);
  void submit(Entry& e, RunRequest request);
  void finishRun(Entry& e, const std::string& status, const std::string& message, int attempts,
                 Clock::TimePoint now, std::vector<FinishedRun>& finished);
  void executeOnWorker(Entry* e, RunRequest request);
  // Attempt 1 with claims: asks for the claim; false when the run must not start (then the entry
  // is released here, or - the store could not decide a still-current slot - kept busy with the
  // claim asked again kClaimRetryDelay later; the caller only ends the task).
  bool claimOnWorker(Entry* e, RunRequest& request);
  // Under mu_: frees an entry whose run was not claimed here (`notices` gets the notices).
  void releaseUnclaimed(Entry* e, const Result<ClaimDecision>& decision,
                        std::vector<std::pair<std::string, std::string>>& notices);
  Status changeConnection(const std::string& connection, std::set<std::string>& set, bool add,
                          bool disconnecting);
  void notice(const std::string& name, const std::string& message);
  void deliver(const std::vector<FinishedRun>& finished,
               const std::vector<std::pair<std::string, std::string>>& notices);
  EntryStatus statusOf(const Entry& e) const;
  void announceRetry(Entry* e, const RetryScheduled& retry);
  void flushState();
  Status callSave(const std::function<Status()>& save) const;
  void timerLoop();

  Clock& clock_;
  RunExecutor& executor_;
  const Options options_;
  const Hooks hooks_;

  mutable std::mutex mu_;
  std::condition_variable idleCv_;
  std::vector<std::unique_ptr<Entry>> entries_;
  // Entries removed by replaceEntries() while busy: their worker still points at them.
  std::vector<std::unique_ptr<Entry>> retired_;
  std::map<std::string, Entry*> locks_;  // locked name -> entry holding it
  std::set<std::string> pausedConnections_;
  std::set<std::string> disconnected_;
  std::vector<std::pair<std::string, std::string>> notices_;  // to deliver outside the lock
  int active_ = 0;  // dispatched tasks not yet completely done (hooks included)
  bool stopped_ = false;
  // State saves queued under mu_ and written by flushState() outside it.
  std::vector<std::pair<std::string, Clock::TimePoint>> saves_;  // (entry, lastHandled)
  std::optional<Clock::TimePoint> heartbeat_;                    // a heartbeat to save
  std::optional<Clock::TimePoint> lastBeat_;                     // the last heartbeat queued
  std::optional<Clock::TimePoint> previousBeat_;  // loadHeartbeat() in the constructor
  bool flushing_ = false;                         // a thread is in flushState()
  std::unique_ptr<WorkerPool> pool_;

  std::mutex timerMu_;
  std::condition_variable timerCv_;
  std::thread timer_;
  bool timerStop_ = false;
};

}  // namespace sfsync::scheduling
