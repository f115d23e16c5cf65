#include "sfsync/scheduling/Scheduler.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "scheduling/WorkerPool.h"
#include "sfsync/scheduling/RunStatus.h"

namespace sfsync::scheduling {

namespace {

constexpr const char* kTriggerSchedule = "schedule";
constexpr const char* kTriggerCatchUp = "catch-up";
constexpr const char* kTriggerRunNow = "run-now";
// A slot whose claim the store could not decide is asked again after this (while still current).
constexpr std::chrono::seconds kClaimRetryDelay{5};

}  // namespace

// A run that is about to start or waits in the queue.
struct Scheduler::Pending {
  std::string trigger;  // schedule, catch-up or run-now
  std::optional<Clock::TimePoint> slot;
  bool catchUp = false;
  std::string claimKey;    // an adopted claim (runAdopted); "" = claim on attempt 1
  std::uint64_t mark = 0;  // runNow()'s mark, passed on in RunRequest::mark
};

struct Scheduler::Entry {
  SchedulerEntry config;
  std::vector<std::string> lockNames;  // its name, then its members

  bool paused = false;
  Clock::TimePoint lastHandled;
  std::optional<Clock::TimePoint> nextSlot;  // first slot after lastHandled

  // The current run, valid while busy.
  bool busy = false;        // from the start of attempt 1 until the final outcome
  bool executing = false;   // an attempt is on a worker (or waiting for one)
  bool announcing = false;  // the worker is in onRetryScheduled: the retry may not start yet
  int attempt = 0;          // the executing attempt, or the pending one while retryAt is set
  Pending run;
  std::string executionId;
  std::string claimKey;  // the cluster claim of the current run
  std::string message;
  Clock::TimePoint startedAt;
  std::optional<Clock::TimePoint> retryAt;
  RetryPolicy runRetry;  // the retry policy the current run started with (a reload keeps it)

  std::optional<Pending> queued;
  std::optional<FinishedRun> last;
  std::string stateError;  // the last failed state save
  bool retired = false;    // removed by replaceEntries(): no retry, no new run
};

Scheduler::Scheduler(Clock& clock, RunExecutor& executor, Options options, Hooks hooks)
    : clock_(clock), executor_(executor), options_(options), hooks_(std::move(hooks)) {
  if (hooks_.loadHeartbeat) previousBeat_ = hooks_.loadHeartbeat();
}

Scheduler::Scheduler(Clock& clock, RunExecutor& executor)
    : Scheduler(clock, executor, Options(), Hooks()) {}

Scheduler::~Scheduler() { stop(); }

Scheduler::Entry* Scheduler::find(const std::string& name) const {
  for (const auto& e : entries_) {
    if (e->config.name == name) return e.get();
  }
  return nullptr;
}

bool Scheduler::connectionDisconnected(const Entry& e, std::string* which) const {
  for (const std::string& c : e.config.connections) {
    if (disconnected_.count(c) != 0) {
      if (which != nullptr) *which = c;
      return true;
    }
  }
  return false;
}

bool Scheduler::schedulable(const Entry& e) const {
  if (e.paused || connectionDisconnected(e)) return false;
  for (const std::string& c : e.config.connections) {
    if (pausedConnections_.count(c) != 0) return false;
  }
  return true;
}

std::optional<std::string> Scheduler::blocker(const Entry& e) const {
  const std::string& name = e.config.name;
  if (e.busy) {
    if (e.retryAt) {
      return "'" + name + "' is already running (waiting to retry, attempt " +
             std::to_string(e.attempt) + ")";
    }
    return "'" + name + "' is already running";
  }
  for (const std::string& lockName : e.lockNames) {
    const auto it = locks_.find(lockName);
    if (it == locks_.end()) continue;
    const std::string& holder = it->second->config.name;
    if (lockName == name) return "'" + name + "' is already running as part of '" + holder + "'";
    if (lockName == holder) {
      return "'" + name + "' cannot start while '" + holder + "' is running";
    }
    return "'" + name + "' cannot start while '" + holder + "' is running (both run job '" +
           lockName + "')";
  }
  return std::nullopt;
}

void Scheduler::notice(const std::string& name, const std::string& message) {
  if (hooks_.onNotice) notices_.emplace_back(name, message);
}

void Scheduler::deliver(const std::vector<FinishedRun>& finished,
                        const std::vector<std::pair<std::string, std::string>>& notices) {
  for (const auto& [name, message] : notices) {
    try {
      hooks_.onNotice(name, message);
    } catch (...) {
      // A failing log hook must not break scheduling.
    }
  }
  if (!hooks_.onFinished) return;
  for (const FinishedRun& run : finished) {
    try {
      hooks_.onFinished(run);
    } catch (...) {
      // Likewise for notifications.
    }
  }
}

void Scheduler::setLastHandled(Entry& e, Clock::TimePoint t) {
  e.lastHandled = t;
  // Written by flushState() once the caller released the mutex.
  if (e.config.schedule && hooks_.saveLastHandled) saves_.emplace_back(e.config.name, t);
}

Status Scheduler::callSave(const std::function<Status()>& save) const {
  try {
    return save();
  } catch (const std::exception& ex) {
    return Status::Internal(std::string("exception: ") + ex.what());
  } catch (...) {
    return Status::Internal("unknown exception");
  }
}

void Scheduler::flushState() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Another thread is writing: it loops until the queue is empty, so it writes ours too, in
    // order.
    if (flushing_ || (saves_.empty() && !heartbeat_)) return;
    flushing_ = true;
  }
  while (true) {
    std::vector<std::pair<std::string, Clock::TimePoint>> saves;
    std::optional<Clock::TimePoint> heartbeat;
    std::vector<std::pair<std::string, std::string>> notices;
    {
      std::lock_guard<std::mutex> lock(mu_);
      saves.swap(saves_);
      heartbeat.swap(heartbeat_);
      if (saves.empty() && !heartbeat) {
        flushing_ = false;
        idleCv_.notify_all();
        return;
      }
    }
    std::vector<std::pair<std::string, Status>> results;
    for (const auto& [name, t] : saves) {
      const std::string& n = name;
      const Clock::TimePoint when = t;
      results.emplace_back(name, callSave([&] { return hooks_.saveLastHandled(n, when); }));
    }
    Status beat = Status::OK();
    if (heartbeat && hooks_.saveHeartbeat) {
      beat = callSave([&] { return hooks_.saveHeartbeat(*heartbeat); });
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& [name, status] : results) {
        Entry* e = find(name);
        if (e != nullptr) e->stateError = status.ok() ? "" : status.toString();
        if (!status.ok()) {
          notice(name,
                 "could not save the last handled slot (it is retried with the next "
                 "change; a restart may repeat or miss a slot): " +
                     status.toString());
        }
      }
      if (!beat.ok()) notice("scheduler", "could not save the heartbeat: " + beat.toString());
      notices.swap(notices_);
    }
    deliver({}, notices);
  }
}

void Scheduler::restartSchedule(Entry& e, Clock::TimePoint now) {
  if (!e.config.schedule) return;
  setLastHandled(e, now);
  e.nextSlot = e.config.schedule->nextAfter(now);
}

std::unique_ptr<Scheduler::Entry> Scheduler::makeEntry(SchedulerEntry config) {
  auto e = std::make_unique<Entry>();
  e->config = std::move(config);
  e->lockNames.push_back(e->config.name);
  for (const std::string& m : e->config.members) {
    if (std::find(e->lockNames.begin(), e->lockNames.end(), m) == e->lockNames.end()) {
      e->lockNames.push_back(m);
    }
  }
  return e;
}

Status Scheduler::addEntry(SchedulerEntry entry) {
  if (entry.name.empty()) return Status::InvalidArgument("an entry needs a name");
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (find(entry.name) != nullptr) {
      return Status::InvalidArgument("'" + entry.name + "' is registered twice");
    }
  }
  std::unique_ptr<Entry> e = makeEntry(std::move(entry));
  std::optional<Clock::TimePoint> loaded;
  if (e->config.schedule && hooks_.loadLastHandled) loaded = hooks_.loadLastHandled(e->config.name);
  std::lock_guard<std::mutex> lock(mu_);
  if (find(e->config.name) != nullptr) {
    return Status::InvalidArgument("'" + e->config.name + "' is registered twice");
  }
  const Clock::TimePoint now = clock_.now();
  // A new entry: missed slots count from the previous daemon's last heartbeat (never the future).
  const Clock::TimePoint since = loaded ? *loaded : std::min(previousBeat_.value_or(now), now);
  e->lastHandled = since;
  if (e->config.schedule) e->nextSlot = e->config.schedule->nextAfter(e->lastHandled);
  entries_.push_back(std::move(e));
  return Status::OK();
}

void Scheduler::redefine(Entry& e, SchedulerEntry config, Clock::TimePoint now) {
  const bool hadSchedule = e.config.schedule.has_value();
  std::unique_ptr<Entry> fresh = makeEntry(std::move(config));
  e.config = std::move(fresh->config);
  e.lockNames = std::move(fresh->lockNames);  // a run in progress keeps the locks it holds
  if (!e.config.schedule) {
    e.nextSlot.reset();
  } else if (!hadSchedule) {
    restartSchedule(e, now);
  } else {
    e.nextSlot = e.config.schedule->nextAfter(e.lastHandled);
  }
}

void Scheduler::retire(std::unique_ptr<Entry> e, Clock::TimePoint now,
                       std::vector<FinishedRun>& finished) {
  e->retired = true;
  e->queued.reset();
  if (e->busy && !e->executing && !e->announcing) {
    finishRun(*e, kRunFailed, e->message + " (retry cancelled: removed from the configuration)",
              e->attempt - 1, now, finished);
  }
  if (e->busy) retired_.push_back(std::move(e));  // its worker or retry hook still uses it
}

Status Scheduler::replaceEntries(std::vector<SchedulerEntry> entries) {
  std::set<std::string> names;
  for (const SchedulerEntry& entry : entries) {
    if (entry.name.empty()) return Status::InvalidArgument("an entry needs a name");
    if (!names.insert(entry.name).second) {
      return Status::InvalidArgument("'" + entry.name + "' is registered twice");
    }
  }
  std::map<std::string, std::optional<Clock::TimePoint>> loaded;  // new scheduled entries
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const SchedulerEntry& entry : entries) {
      if (entry.schedule && find(entry.name) == nullptr) loaded[entry.name];
    }
  }
  for (auto& [name, t] : loaded) {
    if (hooks_.loadLastHandled) t = hooks_.loadLastHandled(name);
  }
  std::vector<FinishedRun> finished;
  std::vector<std::pair<std::string, std::string>> notices;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const Clock::TimePoint now = clock_.now();
    std::vector<std::unique_ptr<Entry>> next;
    for (SchedulerEntry& entry : entries) {
      auto it = std::find_if(entries_.begin(), entries_.end(),
                             [&](const auto& e) { return e && e->config.name == entry.name; });
      if (it != entries_.end()) {
        redefine(**it, std::move(entry), now);
        next.push_back(std::move(*it));
        continue;
      }
      std::unique_ptr<Entry> e = makeEntry(std::move(entry));
      const auto found = loaded.find(e->config.name);
      const std::optional<Clock::TimePoint> saved =
          found == loaded.end() ? std::nullopt : found->second;
      e->lastHandled = saved ? *saved : std::min(previousBeat_.value_or(now), now);
      if (e->config.schedule) e->nextSlot = e->config.schedule->nextAfter(e->lastHandled);
      next.push_back(std::move(e));
    }
    for (auto& old : entries_) {
      if (old) retire(std::move(old), now, finished);
    }
    entries_ = std::move(next);
    startQueued(now);
    notices.swap(notices_);
  }
  flushState();
  deliver(finished, notices);
  return Status::OK();
}

void Scheduler::dispatch(Entry& e, const Pending& run, Clock::TimePoint now) {
  e.busy = true;
  e.attempt = 1;
  e.run = run;
  e.executionId.clear();
  e.claimKey = run.claimKey;
  e.message.clear();
  e.startedAt = now;
  e.retryAt.reset();
  e.runRetry = e.config.retry;
  for (const std::string& n : e.lockNames) locks_[n] = &e;
  RunRequest request;
  request.name = e.config.name;
  request.kind = e.config.kind;
  request.trigger = run.trigger;
  request.attempt = 1;
  request.slot = run.slot;
  request.catchUp = run.catchUp;
  request.claimKey = run.claimKey;
  request.mark = run.mark;
  submit(e, std::move(request));
}

void Scheduler::submit(Entry& e, RunRequest request) {
  e.executing = true;
  ++active_;
  if (!pool_) pool_ = std::make_unique<WorkerPool>(options_.workerThreads);
  Entry* entry = &e;
  pool_->submit([this, entry, request] { executeOnWorker(entry, request); });
}

bool Scheduler::claimOnWorker(Entry* e, RunRequest& request) {
  ClaimRequest ask;
  ask.name = request.name;
  ask.kind = request.kind;
  ask.trigger = request.trigger;
  ask.slot = request.slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ask.locks = e->lockNames;
  }
  Result<ClaimDecision> decision = Status::Internal("no decision");
  try {
    decision = options_.claims->claim(ask);
  } catch (const std::exception& ex) {
    decision = Status::Internal(std::string("exception: ") + ex.what());
  }
  std::vector<std::pair<std::string, std::string>> notices;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (decision.ok() && decision->granted) {
      e->claimKey = decision->key;
      request.claimKey = decision->key;
      return true;
    }
    const Clock::TimePoint now = clock_.now();
    if (!decision.ok() && request.slot && !stopped_ && !e->retired && e->nextSlot &&
        now + kClaimRetryDelay < *e->nextSlot) {
      // The store could not decide: the slot is still current, so ask again later (tick() starts
      // attempt 1 again, which claims again) rather than lose the slot.
      e->executing = false;
      e->attempt = 1;
      e->retryAt = now + kClaimRetryDelay;
      notice(e->config.name, "cannot claim it in the store (" + decision.status().toString() +
                                 "); trying again at " + formatIso8601(*e->retryAt));
      notices.swap(notices_);
    } else {
      releaseUnclaimed(e, decision, notices);
    }
  }
  deliver({}, notices);
  std::lock_guard<std::mutex> lock(mu_);
  retired_.erase(std::remove_if(retired_.begin(), retired_.end(),
                                [](const std::unique_ptr<Entry>& r) {
                                  return !r->busy && !r->executing && !r->announcing;
                                }),
                 retired_.end());
  if (--active_ == 0) idleCv_.notify_all();
  return false;
}

void Scheduler::releaseUnclaimed(Entry* e, const Result<ClaimDecision>& decision,
                                 std::vector<std::pair<std::string, std::string>>& notices) {
  // Not this daemon's run: the entry is free again, as if the run had never started here.
  notice(e->config.name,
         decision.ok() ? "not run here: " + decision->reason
                       : "not run: cannot claim it in the store: " + decision.status().toString());
  e->busy = false;
  e->executing = false;
  for (auto it = locks_.begin(); it != locks_.end();) {
    it = it->second == e ? locks_.erase(it) : std::next(it);
  }
  startQueued(clock_.now());
  notices.swap(notices_);
}

void Scheduler::executeOnWorker(Entry* e, RunRequest request) {
  if (options_.claims != nullptr && request.attempt == 1 && request.claimKey.empty() &&
      !claimOnWorker(e, request)) {
    return;
  }
  ExecutionOutcome outcome;
  try {
    outcome = executor_.execute(request);
  } catch (const std::exception& ex) {
    outcome.status = kRunFailed;
    outcome.message = std::string("exception: ") + ex.what();
  } catch (...) {
    outcome.status = kRunFailed;
    outcome.message = "unknown exception";
  }
  if (!isRunOutcome(outcome.status)) {
    outcome.message = "unexpected status '" + outcome.status + "'" +
                      (outcome.message.empty() ? "" : ": " + outcome.message);
    outcome.status = kRunFailed;
  }

  std::vector<FinishedRun> finished;
  std::vector<std::pair<std::string, std::string>> notices;
  std::optional<RetryScheduled> retrying;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const Clock::TimePoint now = clock_.now();
    e->executing = false;
    if (!outcome.executionId.empty()) e->executionId = outcome.executionId;
    e->message = outcome.message;
    const RetryPolicy& retry = e->runRetry;
    if (outcome.status == kRunFailed && retry.retriesAfter(request.attempt) && !stopped_ &&
        !e->retired && !connectionDisconnected(*e)) {
      e->attempt = request.attempt + 1;
      e->retryAt = now + retry.backoffAfter(request.attempt);
      e->announcing = static_cast<bool>(hooks_.onRetryScheduled);
      notice(e->config.name, "attempt " + std::to_string(request.attempt) + " failed (" +
                                 outcome.message + "); attempt " + std::to_string(e->attempt) +
                                 " at " + formatIso8601(*e->retryAt));
      if (e->announcing) {
        retrying = RetryScheduled{e->config.name,  e->config.kind, e->run.trigger, e->executionId,
                                  request.attempt, e->attempt,     *e->retryAt,    outcome.message};
      }
    } else {
      finishRun(*e, outcome.status, outcome.message, request.attempt, now, finished);
      startQueued(now);
    }
    notices.swap(notices_);
  }
  deliver(finished, notices);
  if (retrying) announceRetry(e, *retrying);
  std::lock_guard<std::mutex> lock(mu_);
  // A retired entry whose run is over is referenced by nothing any more.
  retired_.erase(std::remove_if(retired_.begin(), retired_.end(),
                                [](const std::unique_ptr<Entry>& r) {
                                  return !r->busy && !r->executing && !r->announcing;
                                }),
                 retired_.end());
  if (--active_ == 0) idleCv_.notify_all();
}

void Scheduler::announceRetry(Entry* e, const RetryScheduled& retry) {
  try {
    hooks_.onRetryScheduled(retry);
  } catch (...) {
    // The row keeps saying Failed until the next attempt; scheduling goes on.
  }
  std::vector<FinishedRun> finished;
  std::vector<std::pair<std::string, std::string>> notices;
  {
    std::lock_guard<std::mutex> lock(mu_);
    e->announcing = false;
    std::string connection;
    // A disconnect that came while the hook ran could not cancel the retry: do it now. (stop()
    // cancels pending retries itself once every worker is done.)
    if (e->busy && e->retryAt && e->retired) {
      finishRun(*e, kRunFailed, e->message + " (retry cancelled: removed from the configuration)",
                e->attempt - 1, clock_.now(), finished);
      startQueued(clock_.now());
    } else if (e->busy && e->retryAt && connectionDisconnected(*e, &connection)) {
      const Clock::TimePoint now = clock_.now();
      finishRun(*e, kRunFailed,
                e->message + " (retry cancelled: connection '" + connection + "' disconnected)",
                e->attempt - 1, now, finished);
      startQueued(now);
    }
    notices.swap(notices_);
  }
  deliver(finished, notices);
}

void Scheduler::finishRun(Entry& e, const std::string& status, const std::string& message,
                          int attempts, Clock::TimePoint now, std::vector<FinishedRun>& finished) {
  FinishedRun run;
  run.name = e.config.name;
  run.kind = e.config.kind;
  run.trigger = e.run.trigger;
  run.executionId = e.executionId;
  run.status = status;
  run.message = message;
  run.attempts = attempts;
  run.slot = e.run.slot;
  run.catchUp = e.run.catchUp;
  run.startedAt = e.startedAt;
  run.finishedAt = now;
  run.claimKey = e.claimKey;
  e.last = run;
  e.busy = false;
  e.executing = false;
  e.retryAt.reset();
  e.announcing = false;
  // Every lock it holds: a reload may have changed lockNames since the run took them.
  for (auto it = locks_.begin(); it != locks_.end();) {
    it = it->second == &e ? locks_.erase(it) : std::next(it);
  }
  finished.push_back(std::move(run));
}

void Scheduler::startQueued(Clock::TimePoint now) {
  if (stopped_) return;
  for (const auto& e : entries_) {
    if (!e->queued || e->busy || connectionDisconnected(*e) || blocker(*e)) continue;
    const Pending run = *e->queued;
    e->queued.reset();
    dispatch(*e, run, now);
  }
}

int Scheduler::tick() {
  int started = 0;
  std::vector<std::pair<std::string, std::string>> notices;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return 0;
    const Clock::TimePoint now = clock_.now();
    if (hooks_.saveHeartbeat && (!lastBeat_ || now - *lastBeat_ >= options_.heartbeatInterval)) {
      heartbeat_ = now;
      lastBeat_ = now;
    }
    for (const auto& ptr : entries_) {
      Entry& e = *ptr;
      if (e.busy && !e.executing && !e.announcing && e.retryAt && *e.retryAt <= now &&
          schedulable(e)) {
        RunRequest request;
        request.name = e.config.name;
        request.kind = e.config.kind;
        request.trigger = e.run.trigger;  // a retry keeps the run's trigger; attempt > 1 marks it
        request.attempt = e.attempt;
        request.executionId = e.executionId;
        request.slot = e.run.slot;
        request.catchUp = e.run.catchUp;
        request.claimKey = e.claimKey;
        request.mark = e.run.mark;
        e.retryAt.reset();
        submit(e, std::move(request));
        ++started;
      }
      if (!e.config.schedule || !e.nextSlot || now < *e.nextSlot) continue;
      const Schedule& schedule = *e.config.schedule;
      if (!schedulable(e)) {
        // A paused period's slots count as handled: never caught up, not even after a restart.
        restartSchedule(e, now);
        continue;
      }
      const std::optional<Schedule::DueRun> due =
          schedule.dueRun(e.lastHandled, now, options_.misfireGrace);
      restartSchedule(e, now);
      if (!due) {
        notice(e.config.name, "missed slots skipped (misfire policy: skip)");
        continue;
      }
      const Pending run{due->catchUp ? kTriggerCatchUp : kTriggerSchedule, due->slot, due->catchUp,
                        ""};
      if (const std::optional<std::string> busy = blocker(e)) {
        const std::string slot = formatIso8601(due->slot);
        if (e.config.overlap == OverlapPolicy::kQueue) {
          if (!e.queued) e.queued = run;
          notice(e.config.name, "slot " + slot + " queued: " + *busy);
        } else {
          notice(e.config.name, "slot " + slot + " skipped: " + *busy);
        }
        continue;
      }
      dispatch(e, run, now);
      ++started;
    }
    notices.swap(notices_);
  }
  flushState();
  deliver({}, notices);
  return started;
}

Result<Scheduler::RunNowResult> Scheduler::runNow(const std::string& name) {
  return runNow(name, "");
}

Result<Scheduler::RunNowResult> Scheduler::runNow(const std::string& name,
                                                  const std::string& claimKey) {
  return runNow(name, claimKey, 0);
}

Result<Scheduler::RunNowResult> Scheduler::runNow(const std::string& name,
                                                  const std::string& claimKey, std::uint64_t mark) {
  std::vector<std::pair<std::string, std::string>> notices;
  Result<RunNowResult> result = Status::Internal("unreachable");
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return Status::Unavailable("the scheduler is stopped");
    Entry* e = find(name);
    if (e == nullptr) return Status::NotFound("no job or chain named '" + name + "'");
    std::string connection;
    if (connectionDisconnected(*e, &connection)) {
      return Status::InvalidArgument("'" + name + "' cannot run: connection '" + connection +
                                     "' is disconnected");
    }
    if (const std::optional<std::string> busy = blocker(*e)) {
      if (e->config.overlap != OverlapPolicy::kQueue) return Status::InvalidArgument(*busy);
      if (e->queued) {
        if (mark != 0) e->queued->mark = mark;  // the newest asker is the one still waiting
        result = RunNowResult::kAlreadyQueued;
      } else {
        // A queued run claims on its worker when it starts (a held claim could be dropped with
        // the queue and would block the entry cluster-wide).
        e->queued = Pending{kTriggerRunNow, std::nullopt, false, "", mark};
        notice(name, "run-now queued: " + *busy);
        result = RunNowResult::kQueued;
      }
    } else {
      dispatch(*e, Pending{kTriggerRunNow, std::nullopt, false, claimKey, mark}, clock_.now());
      result = RunNowResult::kStarted;
    }
    notices.swap(notices_);
  }
  deliver({}, notices);
  return result;
}

Status Scheduler::runAdopted(const AdoptedRun& adopted) {
  std::vector<std::pair<std::string, std::string>> notices;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return Status::Unavailable("the scheduler is stopped");
    Entry* e = find(adopted.name);
    if (e == nullptr) return Status::NotFound("no job or chain named '" + adopted.name + "'");
    std::string connection;
    if (connectionDisconnected(*e, &connection)) {
      return Status::InvalidArgument("'" + adopted.name + "' cannot run: connection '" +
                                     connection + "' is disconnected");
    }
    if (const std::optional<std::string> busy = blocker(*e)) {
      return Status::InvalidArgument(*busy);
    }
    notice(adopted.name, "adopted " + adopted.key + " from daemon " + adopted.previousDaemon);
    dispatch(*e, Pending{adopted.trigger, adopted.slot, false, adopted.key}, clock_.now());
    notices.swap(notices_);
  }
  deliver({}, notices);
  return Status::OK();
}

Status Scheduler::pause(const std::string& name) {
  std::vector<std::pair<std::string, std::string>> notices;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Entry* e = find(name);
    if (e == nullptr) return Status::NotFound("no job or chain named '" + name + "'");
    e->paused = true;
    if (e->queued && e->queued->trigger != kTriggerRunNow) {
      e->queued.reset();
      notice(name, "queued scheduled run dropped: paused");
    }
    notices.swap(notices_);
  }
  deliver({}, notices);
  return Status::OK();
}

Status Scheduler::resume(const std::string& name) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    Entry* e = find(name);
    if (e == nullptr) return Status::NotFound("no job or chain named '" + name + "'");
    const bool was = schedulable(*e);
    e->paused = false;
    if (!was && schedulable(*e)) restartSchedule(*e, clock_.now());
  }
  flushState();
  return Status::OK();
}

Status Scheduler::pauseConnection(const std::string& connection) {
  return changeConnection(connection, pausedConnections_, true, false);
}

Status Scheduler::resumeConnection(const std::string& connection) {
  return changeConnection(connection, pausedConnections_, false, false);
}

Status Scheduler::disconnect(const std::string& connection) {
  return changeConnection(connection, disconnected_, true, true);
}

Status Scheduler::reconnect(const std::string& connection) {
  return changeConnection(connection, disconnected_, false, false);
}

Status Scheduler::changeConnection(const std::string& connection, std::set<std::string>& set,
                                   bool add, bool disconnecting) {
  std::vector<FinishedRun> finished;
  std::vector<std::pair<std::string, std::string>> notices;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::pair<Entry*, bool>> affected;  // entry, was schedulable
    for (const auto& e : entries_) {
      const auto& cs = e->config.connections;
      if (std::find(cs.begin(), cs.end(), connection) != cs.end()) {
        affected.emplace_back(e.get(), schedulable(*e));
      }
    }
    if (affected.empty()) {
      return Status::NotFound("no job or chain uses connection '" + connection + "'");
    }
    if (add) {
      set.insert(connection);
    } else {
      set.erase(connection);
    }
    const Clock::TimePoint now = clock_.now();
    bool freed = false;
    for (auto& [e, was] : affected) {
      if (add && e->queued && (disconnecting || e->queued->trigger != kTriggerRunNow)) {
        e->queued.reset();
        notice(e->config.name, "queued run dropped: connection '" + connection + "' " +
                                   (disconnecting ? "disconnected" : "paused"));
      }
      if (disconnecting && e->busy && !e->executing && !e->announcing && e->retryAt) {
        finishRun(*e, kRunFailed,
                  e->message + " (retry cancelled: connection '" + connection + "' disconnected)",
                  e->attempt - 1, now, finished);
        freed = true;
      }
      if (!was && schedulable(*e)) restartSchedule(*e, now);
    }
    if (freed) startQueued(now);
    notices.swap(notices_);
  }
  flushState();
  deliver(finished, notices);
  return Status::OK();
}

std::optional<FinishedRun> Scheduler::lastRun(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  const Entry* e = find(name);
  if (e == nullptr) return std::nullopt;
  return e->last;
}

std::optional<Clock::TimePoint> Scheduler::nextRun(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  const Entry* e = find(name);
  if (e == nullptr || !e->config.schedule || !schedulable(*e)) return std::nullopt;
  return e->nextSlot;
}

Scheduler::EntryStatus Scheduler::statusOf(const Entry& e) const {
  EntryStatus s;
  s.name = e.config.name;
  s.kind = e.config.kind;
  if (e.config.schedule) s.schedule = e.config.schedule->describe();
  s.paused = e.paused;
  for (const std::string& c : e.config.connections) {
    if (pausedConnections_.count(c) != 0) s.connectionPaused = true;
    if (disconnected_.count(c) != 0) s.disconnected = true;
  }
  s.running = e.busy && e.executing;
  if (e.busy) {
    s.retrying = e.retryAt.has_value();
    s.retryAt = e.retryAt;
    s.attempt = e.attempt;
  }
  s.stateError = e.stateError;
  s.queued = e.queued.has_value();
  if (e.config.schedule && schedulable(e)) s.nextRun = e.nextSlot;
  s.lastRun = e.last;
  return s;
}

Result<Scheduler::EntryStatus> Scheduler::status(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  const Entry* e = find(name);
  if (e == nullptr) return Status::NotFound("no job or chain named '" + name + "'");
  return statusOf(*e);
}

std::vector<Scheduler::EntryStatus> Scheduler::statuses() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<EntryStatus> all;
  for (const auto& e : entries_) all.push_back(statusOf(*e));
  return all;
}

bool Scheduler::waitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return idleCv_.wait_for(lock, timeout, [this] { return active_ == 0 && !flushing_; });
}

void Scheduler::start() {
  std::lock_guard<std::mutex> lock(timerMu_);
  if (timer_.joinable() || timerStop_) return;
  timer_ = std::thread([this] { timerLoop(); });
}

void Scheduler::timerLoop() {
  std::unique_lock<std::mutex> lock(timerMu_);
  while (!timerStop_) {
    lock.unlock();
    tick();
    lock.lock();
    timerCv_.wait_for(lock, options_.tickInterval, [this] { return timerStop_; });
  }
}

void Scheduler::stop() {
  {
    std::lock_guard<std::mutex> lock(timerMu_);
    timerStop_ = true;
  }
  timerCv_.notify_all();
  if (timer_.joinable()) timer_.join();

  std::vector<FinishedRun> finished;
  std::vector<std::pair<std::string, std::string>> notices;
  std::unique_ptr<WorkerPool> pool;
  {
    std::unique_lock<std::mutex> lock(mu_);
    const bool first = !stopped_;
    stopped_ = true;
    idleCv_.wait(lock, [this] { return active_ == 0; });
    const Clock::TimePoint now = clock_.now();
    for (const auto& e : entries_) {
      e->queued.reset();
      if (e->busy && !e->executing) {
        finishRun(*e, kRunFailed, e->message + " (retry cancelled: scheduler stopped)",
                  e->attempt - 1, now, finished);
      }
    }
    if (first && hooks_.saveHeartbeat) heartbeat_ = now;  // alive until now
    notices.swap(notices_);
    pool.swap(pool_);
  }
  flushState();
  {
    // Another thread may still be writing queued state: stop() returns after it is on disk.
    std::unique_lock<std::mutex> lock(mu_);
    idleCv_.wait(lock, [this] { return !flushing_; });
  }
  deliver(finished, notices);
  if (pool) pool->shutdown();
}

}  // namespace sfsync::scheduling
