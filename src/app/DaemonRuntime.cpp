#include "app/DaemonRuntime.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <condition_variable>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "app/ConnectionConsole.h"
#include "app/ReplicationRequests.h"
#include "sfsync/activity/ConfigAuditor.h"
#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/config/SecretRedaction.h"
#include "sfsync/core/Ids.h"
#include "sfsync/core/LogLine.h"
#include "sfsync/jobs/ChainRunner.h"
#include "sfsync/jobs/DryRun.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/jobs/MetadataRefresh.h"
#include "sfsync/jobs/WriteBackCapture.h"
#include "sfsync/notify/NotificationConfig.h"
#include "sfsync/notify/NotifierFactory.h"
#include "sfsync/notify/RunNotice.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/snowflake/RefreshTokenExpiry.h"
#include "sfsync/snowflake/SnowflakeLogin.h"

namespace sfsync::app {

namespace {

Poco::Logger& log() { return Poco::Logger::get("sfsync.runtime"); }

// Issue 13: local changes are captured from the moment the configuration is loaded (start and
// every reload), not only from a write-back job's first run. A failure is logged; the job's run
// installs the capture again (and fails visibly if it still cannot).
void installWriteBackCapture(const config::LoadedConfig& config, store::Store& store) {
  for (const std::string& problem : jobs::installWriteBackCapture(config.jobs, store)) {
    log().error("write-back capture not installed: %s", problem);
  }
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<scheduling::Schedule> scheduleOf(const std::string& json) {
  if (json.empty()) return std::nullopt;
  Result<scheduling::Schedule> schedule = scheduling::Schedule::parse(json);
  if (!schedule.ok()) return std::nullopt;  // the loader reported it; never reached when valid
  return *schedule;
}

scheduling::OverlapPolicy overlapOf(config::OverlapPolicy p) {
  return p == config::OverlapPolicy::kQueue ? scheduling::OverlapPolicy::kQueue
                                            : scheduling::OverlapPolicy::kRefuse;
}

scheduling::RunCondition conditionOf(config::ChainDependency::Condition c) {
  if (c == config::ChainDependency::Condition::kSuccess) return scheduling::RunCondition::kSuccess;
  if (c == config::ChainDependency::Condition::kAlways) return scheduling::RunCondition::kAlways;
  return scheduling::RunCondition::kSuccessOrPartial;
}

std::string isoOrEmpty(const std::optional<Clock::TimePoint>& t) {
  return t ? formatIso8601(*t) : "";
}

// When the daemon was last known alive (new entries measure missed slots from it).
constexpr const char* kHeartbeatKey = "scheduler.heartbeat";

std::string stateKey(const std::string& what, const std::string& name) {
  return "scheduler." + what + "." + name;
}

std::optional<Clock::TimePoint> fromMillis(const std::string& text) {
  try {
    std::size_t used = 0;
    const long long ms = std::stoll(text, &used);
    if (used == text.size()) return Clock::TimePoint(std::chrono::milliseconds(ms));
  } catch (const std::exception&) {
    // falls through: not a number
  }
  return std::nullopt;
}

std::string toMillis(Clock::TimePoint t) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

// A time saved in the scheduler state, or nullopt (logged when unreadable).
std::optional<Clock::TimePoint> loadTime(store::Store& store, const std::string& key) {
  Result<std::optional<std::string>> value = store.getState(key);
  if (!value.ok()) {
    log().error("cannot read scheduler state %s: %s", key, value.status().toString());
    return std::nullopt;
  }
  if (!value->has_value()) return std::nullopt;
  std::optional<Clock::TimePoint> t = fromMillis(**value);
  if (!t) log().warning("ignoring unreadable scheduler state %s = '%s'", key, **value);
  return t;
}

Status saveTime(store::Store& store, const std::string& key, Clock::TimePoint t) {
  Status s = store.putState(key, toMillis(t));
  if (!s.ok()) log().error("cannot save scheduler state %s: %s", key, s.toString());
  return s;
}

}  // namespace

scheduling::ChainCatalog DaemonRuntime::buildCatalog(const config::LoadedConfig& conf) {
  std::vector<scheduling::JobDefinition> jobs;
  std::set<std::string> chainMembers;  // a disabled member is Skipped ("disabled") at run time
  for (const config::ChainConfig& chain : conf.chains) {
    if (chain.enabled) chainMembers.insert(chain.jobs.begin(), chain.jobs.end());
  }
  for (const config::JobConfig& job : conf.jobs) {
    if (!job.enabled && chainMembers.count(job.name) == 0) continue;
    scheduling::JobDefinition d;
    d.name = job.name;
    d.connection = job.connection;
    d.dependsOn = job.dependsOn;
    d.schedule = scheduleOf(job.scheduleJson);
    d.retry.maxRetries = job.retries.count;
    d.retry.initialBackoff = std::chrono::seconds(job.retries.initialBackoffSeconds);
    d.retry.maxBackoff = std::chrono::seconds(job.retries.maxBackoffSeconds);
    d.overlap = overlapOf(job.overlap);
    jobs.push_back(std::move(d));
  }
  std::vector<scheduling::ChainDefinition> chains;
  for (const config::ChainConfig& chain : conf.chains) {
    if (!chain.enabled) continue;
    scheduling::ChainDefinition d;
    d.name = chain.name;
    d.jobs = chain.jobs;
    std::vector<scheduling::ChainEdge> edges;
    for (const auto& e : chain.dependencies) {
      edges.push_back({e.job, e.after, conditionOf(e.condition)});
    }
    d.edges = std::move(edges);
    d.schedule = scheduleOf(chain.scheduleJson);
    d.overlap = overlapOf(chain.overlap);
    chains.push_back(std::move(d));
  }
  return scheduling::ChainCatalog::build(jobs, chains);
}

DaemonRuntime::DaemonRuntime(const config::LoadedConfig& conf, store::Store& store,
                             std::shared_ptr<Clock> clock,
                             notify::NotificationSettings notifications,
                             scheduling::Scheduler::Options options,
                             scheduling::RunClaimsPtr claims)
    // Not owned: the caller keeps `conf` alive (the no-op deleter).
    : DaemonRuntime(
          std::shared_ptr<const config::LoadedConfig>(&conf, [](const config::LoadedConfig*) {}),
          store, std::move(clock), std::move(notifications), options, std::move(claims)) {}

DaemonRuntime::DaemonRuntime(std::shared_ptr<const config::LoadedConfig> conf, store::Store& store,
                             std::shared_ptr<Clock> clock,
                             notify::NotificationSettings notifications,
                             scheduling::Scheduler::Options options,
                             scheduling::RunClaimsPtr claims)
    : store_(store),
      clock_(std::move(clock)),
      claims_(claims ? std::move(claims) : scheduling::makeLocalRunClaims()) {
  options.claims = claims_.get();
  scheduling::ChainCatalog catalog = buildCatalog(*conf);
  generation_ = std::make_shared<const Generation>(
      Generation{std::move(conf), std::move(catalog),
                 std::shared_ptr<notify::Notifier>(notify::makeNotifier(notifications, clock_))});
  scheduling::Scheduler::Hooks hooks;
  hooks.onFinished = [this](const scheduling::FinishedRun& run) { onFinished(run); };
  hooks.onRetryScheduled = [this](const scheduling::RetryScheduled& r) { markRetrying(r); };
  hooks.loadLastHandled = [this](const std::string& name) {
    return loadTime(store_, stateKey("lastHandled", name));
  };
  hooks.saveLastHandled = [this](const std::string& name, Clock::TimePoint t) {
    return saveTime(store_, stateKey("lastHandled", name), t);
  };
  hooks.loadHeartbeat = [this] { return loadTime(store_, kHeartbeatKey); };
  hooks.saveHeartbeat = [this](Clock::TimePoint t) { return saveTime(store_, kHeartbeatKey, t); };
  hooks.onNotice = [](const std::string& name, const std::string& message) {
    log().information("%s: %s", name, message);
  };
  scheduler_ = std::make_unique<scheduling::Scheduler>(*clock_, *this, options, std::move(hooks));
}

DaemonRuntime::~DaemonRuntime() { stop(); }

DaemonRuntime::GenerationPtr DaemonRuntime::current() const {
  std::lock_guard<std::mutex> lock(generationMu_);
  return generation_;
}

std::shared_ptr<const config::LoadedConfig> DaemonRuntime::currentConfig() const {
  return current()->config;
}

DaemonRuntime::GenerationPtr DaemonRuntime::generationOf(const std::string& executionId) const {
  std::lock_guard<std::mutex> lock(generationMu_);
  const auto it = runGenerations_.find(executionId);
  return it != runGenerations_.end() ? it->second : generation_;
}

void DaemonRuntime::setConfigSource(ConfigSource source) { source_ = std::move(source); }

std::vector<scheduling::SchedulerEntry> DaemonRuntime::entriesOf(const Generation& generation) {
  std::vector<scheduling::SchedulerEntry> entries = generation.catalog.entries();
  // Jobs that run inside a chain get an unscheduled entry so run-now can start them alone; the
  // scheduler's member locks keep such a run and its chain apart.
  std::set<std::string> named;
  for (const auto& e : entries) named.insert(e.name);
  for (const config::JobConfig& job : generation.config->jobs) {
    if (!job.enabled || named.count(job.name) > 0) continue;
    scheduling::SchedulerEntry entry;
    entry.name = job.name;
    entry.kind = scheduling::RunKind::kJob;
    entry.connections = {job.connection};
    entry.retry = generation.catalog.retryPolicyOf(job.name);
    entries.push_back(std::move(entry));
  }
  return entries;
}

void DaemonRuntime::makeRealtimeRunner() {
  realtime_ = std::make_unique<RealtimeRunner>(
      currentConfig(), store_, clock_, &events_,
      [this](const config::JobConfig& job, const std::function<bool()>& stopping) {
        return realtimeCatchUp(job.name, stopping);
      },
      [this](const config::JobConfig& job) {
        // Review finding 5: the real-time side follows the job's and connection's flags.
        Result<scheduling::Scheduler::EntryStatus> st = scheduler_->status(job.name);
        return st.ok() && (st->paused || st->connectionPaused || st->disconnected);
      });
}

void DaemonRuntime::followRealtimeFlags() {
  if (!realtime_) return;
  for (const std::string& change : realtime_->reconcile(currentConfig())) {
    log().information("%s (pause / disconnect flags)", change);
  }
}

Status DaemonRuntime::init() {
  // Issue 18: exists before the admin server asks for its numbers; start() starts it.
  if (!realtime_) makeRealtimeRunner();
  const GenerationPtr generation = current();
  installWriteBackCapture(*generation->config, store_);
  std::vector<scheduling::SchedulerEntry> entries = entriesOf(*generation);
  for (const scheduling::SchedulerEntry& entry : entries) {
    Status s = scheduler_->addEntry(entry);
    if (!s.ok()) return s;
  }
  return restoreFlags(*generation, entries);
}

Status DaemonRuntime::restoreFlags(const Generation& generation,
                                   const std::vector<scheduling::SchedulerEntry>& entries) {
  for (const scheduling::SchedulerEntry& entry : entries) {
    Result<bool> paused = flagOf(stateKey("paused", entry.name));
    if (!paused.ok()) return paused.status();
    if (*paused) {
      Status p = scheduler_->pause(entry.name);
      if (!p.ok()) return p;
    }
  }
  for (const config::ConnectionConfig& c : generation.config->app.connections) {
    const std::string& name = c.settings.name;
    Result<bool> paused = flagOf(stateKey("pausedConnection", name));
    Result<bool> disconnected = flagOf(stateKey("disconnected", name));
    if (!paused.ok()) return paused.status();
    if (!disconnected.ok()) return disconnected.status();
    // kNotFound only when no enabled job uses the connection: nothing to pause then.
    Status p = *paused ? scheduler_->pauseConnection(name) : Status::OK();
    if (!p.ok() && p.code() != StatusCode::kNotFound) return p;
    Status d = *disconnected ? scheduler_->disconnect(name) : Status::OK();
    if (!d.ok() && d.code() != StatusCode::kNotFound) return d;
  }
  return Status::OK();
}

Result<bool> DaemonRuntime::flagOf(const std::string& key) {
  Result<std::optional<std::string>> v = store_.getState(key);
  if (!v.ok()) {
    return Status::IoError("cannot read scheduler state " + key + ": " + v.status().toString());
  }
  return v->has_value() && **v == "true";
}

void DaemonRuntime::start() {
  scheduler_->start();
  // Issue 12: heartbeat, lease renewal, adoption of dead daemons' runs, cluster-wide flags.
  if (!monitor_.joinable()) {
    monitor_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(monitorMu_);
      while (!monitorStop_) {
        // Beats are paced from their start: a slow beat (store calls of syncFlags) does not
        // stretch the time until the next lease renewal.
        const auto next = std::chrono::steady_clock::now() + claims_->beatInterval();
        lock.unlock();
        clusterBeat();
        lock.lock();
        monitorCv_.wait_until(lock, next, [this] { return monitorStop_; });
      }
    });
  }
  // Issue 18: the real-time jobs of the configuration the daemon started with.
  if (!realtime_) makeRealtimeRunner();
  realtime_->start();
}

void DaemonRuntime::stop() {
  if (realtime_) realtime_->stop();
  if (scheduler_) scheduler_->stop();
  // After the scheduler: the leases of runs finishing during the shutdown stay renewed.
  {
    std::lock_guard<std::mutex> lock(monitorMu_);
    monitorStop_ = true;
  }
  monitorCv_.notify_all();
  if (monitor_.joinable()) monitor_.join();
}

salesforce::SalesforceClientPtr DaemonRuntime::clientFor(const config::LoadedConfig& conf,
                                                         const std::string& connection) const {
  const config::ConnectionConfig* c = conf.app.findConnection(connection);
  if (c == nullptr) return nullptr;
  return salesforce::makeHttpClient(c->settings, clock_, shutdownToken_);
}

void DaemonRuntime::cancelInFlight() {
  // The one place shutdown interrupts in-flight Salesforce HTTP: every client of this runtime
  // holds shutdownToken_, so blocked reads return at once and later calls fail CANCELLED.
  log().information("shutdown: cancelling in-flight Salesforce calls");
  shutdownToken_->cancel();
}

Status DaemonRuntime::checkKnown(const std::string& kind, const std::string& name) const {
  const std::shared_ptr<const config::LoadedConfig> snapshot = currentConfig();
  const config::LoadedConfig& conf = *snapshot;
  if (kind == "connection") {
    if (conf.app.findConnection(name) != nullptr) return Status::OK();
    return Status::NotFound("no connection named '" + name + "'");
  }
  if (kind == "job") {
    const config::JobConfig* job = conf.findJob(name);
    if (job == nullptr) return Status::NotFound("no job named '" + name + "'");
    if (!job->enabled) return Status::NotFound("job '" + name + "' is disabled");
    return Status::OK();
  }
  if (kind == "chain") {
    const config::ChainConfig* chain = conf.findChain(name);
    if (chain == nullptr) return Status::NotFound("no chain named '" + name + "'");
    if (!chain->enabled) return Status::NotFound("chain '" + name + "' is disabled");
    return Status::OK();
  }
  return Status::NotFound("unknown kind '" + kind + "'");
}

scheduling::ExecutionOutcome DaemonRuntime::execute(const scheduling::RunRequest& request) {
  // The run's configuration snapshot: a retry reuses the one its first attempt started with.
  const GenerationPtr generation =
      request.attempt > 1 ? generationOf(request.executionId) : current();
  scheduling::ExecutionOutcome outcome = executeWith(*generation, request);
  if (!outcome.executionId.empty()) {
    // A retry, and the run's notification, use this snapshot even after a reload; onFinished drops
    // it.
    std::lock_guard<std::mutex> lock(generationMu_);
    runGenerations_[outcome.executionId] = generation;
  }
  return outcome;
}

scheduling::ExecutionOutcome DaemonRuntime::executeWith(const Generation& generation,
                                                        const scheduling::RunRequest& request) {
  const config::LoadedConfig& conf = *generation.config;
  // A retry keeps its run's trigger (attempt > 1 says it is a retry; the row counts attempts).
  const std::string& trigger = request.trigger;
  if (request.kind == scheduling::RunKind::kJob) {
    const config::JobConfig* job = conf.findJob(request.name);
    if (job == nullptr) return {activity::kStatusFailed, request.executionId, "unknown job"};
    salesforce::SalesforceClientPtr client = clientFor(conf, job->connection);
    if (client == nullptr) {
      return {activity::kStatusFailed, request.executionId,
              "unknown connection '" + job->connection + "'"};
    }
    // Issue 16: a re-run of failed records reads only those Ids: it never counts as a catch-up.
    std::optional<jobs::FailedRecords> rerun = takeRerunRequest(request);
    // Issue 18: a real-time catch-up asked for this job runs as this run. The guard finishes the
    // request on every way out, so its waiter never waits for a run that already ended.
    struct CatchUpGuard {
      DaemonRuntime* runtime;
      std::uint64_t id;
      std::string status = activity::kStatusFailed;
      std::string message = "the catch-up run ended before running the job";
      ~CatchUpGuard() {
        if (id != 0) runtime->finishCatchUp(id, status, message);
      }
    } guard{this, !rerun && request.attempt == 1 ? takeCatchUp(job->name, request.mark) : 0};
    jobs::RunContext context(*client, store_, *clock_, conf.app.errorDir,
                             guard.id != 0 ? std::string("realtime") : trigger);
    context.executionId = request.executionId;
    context.attempt = request.attempt;
    context.useConnection(*conf.app.findConnection(job->connection));
    context.stopRequested = &stopRequested_;
    context.events = &events_;
    if (rerun) {
      store::ExecutionRecord r = jobs::FailedRerun::run(*job, context, *rerun);  // issue 16
      return {r.status, r.executionId, r.message};
    }
    store::ExecutionRecord r = jobs::JobRunner::run(*job, context);
    guard.status = r.status;
    guard.message = r.message;
    return {r.status, r.executionId, r.message};
  }
  const config::ChainConfig* chain = conf.findChain(request.name);
  if (chain == nullptr) return {activity::kStatusFailed, request.executionId, "unknown chain"};
  jobs::ChainContext context(
      store_, *clock_, conf.app.errorDir,
      [this, &conf](const std::string& connection) { return clientFor(conf, connection); },
      trigger);
  context.executionId = request.executionId;
  context.attempt = request.attempt;
  context.stopRequested = &stopRequested_;
  context.events = &events_;
  jobs::ChainRun run = jobs::ChainRunner::run(*chain, conf, context);
  return {run.chain.status, run.chain.executionId, run.chain.message};
}

// The row of a run waiting to retry says so (status Retrying, the next attempt's time); the next
// attempt's begin() turns it back into Running.
void DaemonRuntime::markRetrying(const scheduling::RetryScheduled& retry) {
  logRetry(retry);
  std::optional<store::ExecutionRecord> row = executionRow(retry.executionId);
  if (!row) return;
  row->status = activity::kStatusRetrying;
  row->endTime.clear();
  row->nextAttempt = formatIso8601(retry.retryAt);
  row->message = "attempt " + std::to_string(retry.failedAttempt) + " failed: " + retry.message +
                 "; attempt " + std::to_string(retry.nextAttempt) + " at " + row->nextAttempt;
  Status saved = store_.saveExecution(*row);
  if (!saved.ok()) {
    log().error("cannot mark execution %s of '%s' as Retrying: %s", retry.executionId, retry.name,
                saved.toString());
  }
}

std::optional<store::ExecutionRecord> DaemonRuntime::executionRow(const std::string& id) {
  if (id.empty()) return std::nullopt;
  store::ExecutionQuery byId;
  byId.executionId = id;
  Result<std::vector<store::ExecutionRecord>> rows = store_.listExecutions(byId);
  if (!rows.ok()) {
    log().error("cannot read execution %s: %s", id, rows.status().toString());
    return std::nullopt;
  }
  if (rows->empty()) return std::nullopt;
  return rows->front();
}

void DaemonRuntime::logRetry(const scheduling::RetryScheduled& retry) {
  const std::string kind(scheduling::runKindName(retry.kind));
  const std::string at = formatIso8601(retry.retryAt);
  LogLine(Poco::Message::PRIO_WARNING,
          kind + " '" + retry.name + "' attempt " + std::to_string(retry.failedAttempt) +
              " failed (execution " + retry.executionId + "): " + retry.message + "; attempt " +
              std::to_string(retry.nextAttempt) + " at " + at)
      .field("event", "run.retry")
      .field("kind", kind)
      .field("name", retry.name)
      .field("executionId", retry.executionId)
      .field("trigger", retry.trigger)
      .field("attempt", retry.failedAttempt)
      .field("nextAttempt", retry.nextAttempt)
      .field("nextAttemptAt", at)
      .field("reason", retry.message)
      .emit(log());
}

void DaemonRuntime::onFinished(const scheduling::FinishedRun& run) {
  {
    std::lock_guard<std::mutex> lock(catchUpMu_);
    ++finishedRuns_[run.name];
  }
  catchUpCv_.notify_all();
  // A pending retry that was cancelled (stop, disconnect) leaves its row Retrying: close it.
  std::optional<store::ExecutionRecord> row = executionRow(run.executionId);
  // The run's end line came from its execution row (ExecutionLog) unless it is closed here.
  const bool closedHere = row && row->status == activity::kStatusRetrying;
  log().log(Poco::Message(log().name(),
                          std::string(scheduling::runKindName(run.kind)) + " '" + run.name +
                              "' finished " + run.status + " after " +
                              std::to_string(run.attempts) + " attempt(s)" +
                              (closedHere ? ": " + run.message : ""),
                          closedHere ? Poco::Message::PRIO_WARNING : Poco::Message::PRIO_DEBUG));
  if (closedHere) {
    row->status = activity::kStatusFailed;
    row->endTime = formatIso8601(run.finishedAt);
    row->nextAttempt.clear();
    row->message = run.message;
    Status saved = store_.saveExecution(*row);
    if (!saved.ok()) {
      log().error("cannot close execution %s of '%s': %s", run.executionId, run.name,
                  saved.toString());
    }
  }
  if (!run.claimKey.empty()) {  // issue 12: the slot is done for the whole cluster
    Status finished = claims_->finish(run.claimKey, run.status, run.executionId);
    if (!finished.ok()) {
      log().warning("%s '%s': cannot finish its cluster claim: %s",
                    std::string(scheduling::runKindName(run.kind)), run.name, finished.toString());
    }
  }
  notifyRun(run);
  {
    std::lock_guard<std::mutex> lock(generationMu_);
    runGenerations_.erase(run.executionId);
  }
  pruneIfDue();
  refreshMetadataIfDue();
}

void DaemonRuntime::notifyRun(const scheduling::FinishedRun& run) {
  const GenerationPtr generation = generationOf(run.executionId);
  const config::LoadedConfig& conf = *generation->config;
  const bool isJob = run.kind == scheduling::RunKind::kJob;
  const config::JobConfig* job = isJob ? conf.findJob(run.name) : nullptr;
  const config::ChainConfig* chain = isJob ? nullptr : conf.findChain(run.name);
  const std::string json =
      job != nullptr ? job->notificationsJson : (chain != nullptr ? chain->notificationsJson : "");
  if (json.empty() || run.executionId.empty()) return;
  // A run the shutdown stopped is not news (it resumes at the next start), and a notification
  // would hold up the exit.
  if (stopRequested_.load() && run.status == store::kStatusDeferred) return;
  notify::TargetsParse targets = notify::parseNotificationTargetsJson(json);
  store::ExecutionQuery byId;
  byId.executionId = run.executionId;
  Result<std::vector<store::ExecutionRecord>> rows = store_.listExecutions(byId);
  if (!rows.ok() || rows->empty()) return;
  std::vector<store::ExecutionRecord> chainJobs;
  if (!isJob) {
    store::ExecutionQuery children;
    children.parentId = run.executionId;
    children.limit = 0;
    Result<std::vector<store::ExecutionRecord>> jobsOfChain = store_.listExecutions(children);
    if (jobsOfChain.ok()) chainJobs = std::move(jobsOfChain).value();
  }
  notify::RunNotice notice = notify::RunNotice::forRun(
      rows->front(), chainJobs, targets.targets.partialAs, notify::Attempt::kFinal);
  // Issue 14: a Snowflake refresh token near its expiry (the warning is in the run's message) is
  // also told to the failure recipients of a run that would not notify them.
  if (notice.kind() != notify::NoticeKind::kFailure && job != nullptr && job->snowflakeSource() &&
      !targets.targets.onFailure.empty() &&
      rows->front().message.find(snowflake::kExpiringMarker) != std::string::npos) {
    notify::RunNotice warning(notify::NoticeKind::kFailure, rows->front(), {});
    Status warned = generation->notifier->notify(warning, targets.targets);
    if (!warned.ok()) {
      log().warning("notification for '%s' failed: %s", run.name, warned.toString());
    }
  }
  if (notice.kind() == notify::NoticeKind::kNone) return;
  Status sent = generation->notifier->notify(notice, targets.targets);
  if (!sent.ok()) log().warning("notification for '%s' failed: %s", run.name, sent.toString());
}

void DaemonRuntime::pruneIfDue() {
  std::lock_guard<std::mutex> lock(pruneMu_);
  const Clock::TimePoint now = clock_->now();
  if (lastPrune_ != Clock::TimePoint{} && now - lastPrune_ < std::chrono::hours(24)) return;
  lastPrune_ = now;
  const Clock::TimePoint bound = now - std::chrono::hours(24) * currentConfig()->app.retentionDays;
  Result<std::vector<std::string>> files = store_.pruneExecutions(formatIso8601(bound));
  if (!files.ok()) {
    log().warning("retention pruning failed: %s", files.status().toString());
    return;
  }
  for (const std::string& file : *files) std::remove(file.c_str());
}

void DaemonRuntime::refreshMetadataIfDue() {
  if (stopRequested_) return;  // no Salesforce calls once a shutdown began
  {
    std::lock_guard<std::mutex> lock(metadataMu_);
    const Clock::TimePoint now = clock_->now();
    if (lastMetadataCheck_ != Clock::TimePoint{} &&
        now - lastMetadataCheck_ < std::chrono::hours(24)) {
      return;
    }
    lastMetadataCheck_ = now;
  }
  const GenerationPtr generation = current();
  {
    std::lock_guard<std::mutex> refreshing(metadataRefreshMu_);  // only refreshes take it
    metadataRefresher(generation).refreshDue("daemon");  // Salesforce calls: outside metadataMu_
  }
  // The page re-reads jobs (invalid flags) on this event; per-connection outcomes are logged.
  events_.publish("metadata.refresh", R"({"connection":"","actor":"daemon","scheduled":true})");
}

MetadataRefresher DaemonRuntime::metadataRefresher(const GenerationPtr& generation) {
  return MetadataRefresher(*generation->config, store_, *clock_, generation->notifier.get(),
                           [this, generation](const std::string& connection) {
                             return clientFor(*generation->config, connection);
                           });
}

Result<std::string> DaemonRuntime::refreshMetadata(const std::string& connection,
                                                   const std::string& actor) {
  if (Status known = checkKnown("connection", connection); !known.ok()) return known;
  log().information("metadata refresh of '%s' requested by %s", connection, actor);
  const GenerationPtr generation = current();
  Result<std::string> refreshed = [&] {
    std::lock_guard<std::mutex> refreshing(metadataRefreshMu_);  // only refreshes take it
    return metadataRefresher(generation).refresh(connection, actor);
  }();
  Poco::JSON::Object event;
  event.set("connection", connection);
  event.set("actor", actor);
  event.set("scheduled", false);
  event.set("ok", refreshed.ok());
  event.set("message", refreshed.ok() ? *refreshed : refreshed.status().message());
  std::ostringstream json;
  event.stringify(json);
  events_.publish("metadata.refresh", json.str());
  return refreshed;
}

Result<std::string> DaemonRuntime::announce(const std::string& kind, const std::string& name,
                                            const std::string& action, const std::string& actor,
                                            Result<std::string> result) {
  if (!result.ok()) return result;
  Poco::JSON::Object event;
  event.set("action", action);
  event.set("kind", kind);
  event.set("name", name);
  event.set("actor", actor);
  event.set("result", *result);
  std::ostringstream json;
  event.stringify(json);
  events_.publish("control", json.str());
  return result;
}

Result<std::string> DaemonRuntime::dryRun(const std::string& job, std::int64_t maxRecords,
                                          const std::string& actor) {
  if (Status known = checkKnown("job", job); !known.ok()) return known;
  const std::shared_ptr<const config::LoadedConfig> conf = currentConfig();
  const config::JobConfig* found = conf->findJob(job);
  if (found == nullptr) return Status::NotFound("no job named '" + job + "'");  // a reload raced
  Result<scheduling::Scheduler::EntryStatus> status = scheduler_->status(found->name);
  if (status.ok() && status->running) {
    return Status::InvalidArgument("'" + found->name + "' is running; dry-run it when it is not");
  }
  const config::ConnectionConfig* connection = conf->app.findConnection(found->connection);
  salesforce::SalesforceClientPtr client = clientFor(*conf, found->connection);
  if (connection == nullptr || client == nullptr) {
    return Status::NotFound("unknown connection '" + found->connection + "'");
  }
  jobs::DryRunOptions options;
  options.maxRecords = jobs::DryRun::maxRecordsFor(*found, connection->settings, maxRecords);
  if (connection->isSnowflake) options.snowflake = &connection->snowflake;  // issue 14
  log().information("dry run of '%s' requested by %s (at most %s records)", found->name, actor,
                    std::to_string(options.maxRecords));
  Result<jobs::DryRunReport> report = jobs::DryRun::run(*found, *client, store_, *clock_, options);
  if (!report.ok()) return report.status();
  return jobs::dryRunJson(*report);
}

Result<std::string> DaemonRuntime::control(const std::string& kind, const std::string& name,
                                           const std::string& action, const std::string& actor,
                                           const std::function<Status()>& apply) {
  const bool flagOn = action == "pause" || action == "disconnect";
  const std::string flag =
      kind == "connection"
          ? (action == "pause" || action == "resume" ? "pausedConnection" : "disconnected")
          : "paused";
  const std::string key = stateKey(flag, name);
  // One action per flag at a time: the flag saved last is the live state applied last, so
  // concurrent pause/resume cannot persist the opposite of what runs. (Only actions on the same
  // flag wait here; the scheduler itself is never locked during the store write.)
  std::lock_guard<std::mutex> serial(
      controlLocks_[std::hash<std::string>{}(key) % controlLocks_.size()]);
  // One update row per state change: repeating an action whose flag is already set (a second
  // pause) applies and saves it again but records no second row (issue 16).
  Result<std::optional<std::string>> before = store_.getState(key);
  const bool unchanged = before.ok() && before->value_or("false") == (flagOn ? "true" : "false");
  Status s = apply();
  if (!s.ok()) return s;
  followRealtimeFlags();  // issue 18: stop / start the real-time side with the flag
  const std::string done = action + (action.back() == 'e' ? "d" : "ed");  // paused, resumed, ...
  Status saved = store_.putState(key, flagOn ? "true" : "false");
  if (!saved.ok()) {
    log().error("%s '%s': %s applied but not saved: %s", kind, name, action, saved.toString());
    return Status::IoError(
        kind + " '" + name + "': " + action +
        " applied, but it could not be saved (a restart will not keep it): " + saved.toString());
  }
  if (unchanged) return "already " + done;  // the flag was set already: no second update row
  store::UpdateRecord update;
  update.time = formatIso8601(clock_->now());
  update.actor = actor;
  update.kind = kind;
  update.name = name;
  update.action = done;
  update.diff = kind + " '" + name + "' " + update.action + " through the admin API";
  Status audited = store_.saveUpdate(update);
  if (!audited.ok()) {
    log().error("%s '%s' %s by %s, but the audit row was not saved: %s", kind, name, update.action,
                actor, audited.toString());
    return Status::IoError(kind + " '" + name + "' " + update.action +
                           ", but the audit row could not be saved: " + audited.toString());
  }
  return update.action;
}

Result<std::string> DaemonRuntime::runNow(const std::string& kind, const std::string& name,
                                          const std::string& actor) {
  if (Status known = checkKnown(kind, name); !known.ok()) return known;
  // Issue 12: claimed before it is handed to the scheduler, so the answer is the cluster's.
  Result<std::string> claim = claimRunNow(kind, name);
  if (!claim.ok()) return claim.status();
  Result<scheduling::Scheduler::RunNowResult> r = scheduler_->runNow(name, *claim);
  if (!claim->empty() && (!r.ok() || *r != scheduling::Scheduler::RunNowResult::kStarted)) {
    Status ended = claims_->finish(*claim, "Skipped", "");  // not used: see Scheduler::runNow
    if (!ended.ok()) log().warning("cannot end the unused claim %s: %s", *claim, ended.toString());
  }
  if (!r.ok()) return r.status();
  log().information("run-now of '%s' requested by %s", name, actor);
  std::string result = "already queued";
  switch (*r) {
    case scheduling::Scheduler::RunNowResult::kStarted:
      result = "started";
      break;
    case scheduling::Scheduler::RunNowResult::kQueued:
      result = "queued";
      break;
    case scheduling::Scheduler::RunNowResult::kAlreadyQueued:
      break;
  }
  return announce(kind, name, "run", actor, result);
}

Result<std::string> DaemonRuntime::pause(const std::string& kind, const std::string& name,
                                         const std::string& actor) {
  if (Status known = checkKnown(kind, name); !known.ok()) return known;
  return announce(kind, name, "pause", actor, control(kind, name, "pause", actor, [&] {
                    return kind == "connection" ? scheduler_->pauseConnection(name)
                                                : scheduler_->pause(name);
                  }));
}

Result<std::string> DaemonRuntime::resume(const std::string& kind, const std::string& name,
                                          const std::string& actor) {
  if (Status known = checkKnown(kind, name); !known.ok()) return known;
  return announce(kind, name, "resume", actor, control(kind, name, "resume", actor, [&] {
                    return kind == "connection" ? scheduler_->resumeConnection(name)
                                                : scheduler_->resume(name);
                  }));
}

Result<std::string> DaemonRuntime::replicationRequest(const std::string& job,
                                                      ReplicationRequest request,
                                                      const std::string& actor) {
  if (Status known = checkKnown("job", job); !known.ok()) return known;
  const std::shared_ptr<const config::LoadedConfig> conf = currentConfig();
  const config::JobConfig* found = conf->findJob(job);
  if (found == nullptr) return Status::NotFound("no job named '" + job + "'");  // a reload raced
  const std::string& name = found->name;  // the key is by name, not file stem
  log().information("%s of '%s' requested by %s", std::string(requestName(request)), name, actor);
  return announce("job", name, std::string(requestName(request)), actor,
                  writeRequest(store_, request, name, actor, "the admin API", clock_->now()));
}

Result<std::string> DaemonRuntime::fullResync(const std::string& job, const std::string& actor) {
  return replicationRequest(job, ReplicationRequest::kFullResync, actor);
}

Result<std::string> DaemonRuntime::allowMassDelete(const std::string& job,
                                                   const std::string& actor) {
  return replicationRequest(job, ReplicationRequest::kAllowMassDelete, actor);
}

// Issue 16: a run-now attempt 1 of a job with a pending re-run request runs only the failed Ids;
// the request is consumed either way (a stale one, whose execution or file is gone, is dropped).
std::optional<jobs::FailedRecords> DaemonRuntime::takeRerunRequest(
    const scheduling::RunRequest& request) {
  if (request.trigger != "run-now" || request.attempt != 1) return std::nullopt;
  const std::string key = jobs::rerunFailedKey(request.name);
  Result<std::optional<std::string>> pending = store_.getState(key);
  if (!pending.ok() || !pending->has_value()) return std::nullopt;
  Status erased = store_.eraseState(key);
  if (!erased.ok()) log().error("cannot clear %s: %s", key, erased.toString());
  Result<jobs::FailedRecords> failed = jobs::FailedRerun::plan(store_, **pending);
  if (!failed.ok()) {
    log().warning("re-run of the failed records of execution %s dropped: %s", **pending,
                  failed.status().toString());
    return std::nullopt;
  }
  return std::move(failed).value();
}

Result<std::string> DaemonRuntime::rerunFailed(const std::string& executionId,
                                               const std::string& actor) {
  Result<jobs::FailedRecords> failed = jobs::FailedRerun::plan(store_, executionId);
  if (!failed.ok()) return failed.status();
  if (Status known = checkKnown("job", failed->job); !known.ok()) {
    return Status::NotFound("the job '" + failed->job + "' of execution '" + executionId +
                            "' is no longer configured");
  }
  Status stored = store_.putState(jobs::rerunFailedKey(failed->job), executionId);
  if (!stored.ok()) return stored;
  Result<scheduling::Scheduler::RunNowResult> r = scheduler_->runNow(failed->job);
  if (!r.ok()) {
    store_.eraseState(jobs::rerunFailedKey(failed->job))
        .ignoreError();  // best effort: a stale request is dropped by the next run-now anyway
    return r.status();
  }
  log().information("re-run of %z failed record(s) of execution %s ('%s') requested by %s",
                    failed->ids.size(), executionId, failed->job, actor);
  return "re-run of " + std::to_string(failed->ids.size()) + " failed record(s) of '" +
         failed->job + "' " +
         (*r == scheduling::Scheduler::RunNowResult::kStarted ? "started" : "queued");
}

Result<std::string> DaemonRuntime::disconnect(const std::string& name, const std::string& actor) {
  if (Status known = checkKnown("connection", name); !known.ok()) return known;
  Result<std::string> done = announce("connection", name, "disconnect", actor,
                                      control("connection", name, "disconnect", actor,
                                              [&] { return scheduler_->disconnect(name); }));
  if (!done.ok()) return done;
  // Issue 17: a web_server connection also forgets its refresh token; Authorize connects it again.
  Result<bool> forgot =
      ConnectionConsole(*currentConfig(), store_, clock_).forgetRefreshToken(name, actor);
  if (!forgot.ok()) {
    return Status::IoError(
        *done + ", but its refresh token could not be removed: " + forgot.status().message());
  }
  if (!*forgot) return done;
  Result<admin::ReloadOutcome> reloaded = reload(actor);
  if (!reloaded.ok() || !reloaded->applied) {
    log().warning("connection %s: refresh token removed, the reload did not apply", name);
  }
  return *done + "; refresh token removed (Authorize to connect it again)";
}

Result<std::string> DaemonRuntime::reconnect(const std::string& name, const std::string& actor) {
  if (Status known = checkKnown("connection", name); !known.ok()) return known;
  // Re-authorise before scheduling resumes (a revoked password must be fixed first), and before
  // control() takes its per-flag lock: no Salesforce round trip is made while holding it.
  const std::shared_ptr<const config::LoadedConfig> conf = currentConfig();  // keeps `conn` alive
  const config::ConnectionConfig* conn = conf->app.findConnection(name);
  if (conn != nullptr && conn->isSnowflake) {  // issue 14: a Snowflake connection's own login
    Status auth = snowflake::login(conn->snowflake, *clock_);
    if (!auth.ok()) return Status::InvalidArgument("cannot reconnect: " + auth.toString());
    return announce("connection", name, "reconnect", actor,
                    control("connection", name, "reconnect", actor,
                            [&] { return scheduler_->reconnect(name); }));
  }
  salesforce::SalesforceClientPtr client = clientFor(*currentConfig(), name);
  if (client == nullptr) return Status::NotFound("no connection named '" + name + "'");
  Status auth = client->authenticate();
  if (!auth.ok()) return Status::InvalidArgument("cannot reconnect: " + auth.toString());
  return announce(
      "connection", name, "reconnect", actor,
      control("connection", name, "reconnect", actor, [&] { return scheduler_->reconnect(name); }));
}

admin::EntrySummary DaemonRuntime::summarize(const std::string& kind, const std::string& name) {
  admin::EntrySummary s;
  s.kind = kind;
  s.name = name;
  Result<scheduling::Scheduler::EntryStatus> status = scheduler_->status(name);
  if (status.ok()) {
    s.schedule = status->schedule;
    s.paused = status->paused || status->connectionPaused;
    s.disconnected = status->disconnected;
    // Busy = what run-now refuses: an attempt executing, or waiting to retry.
    s.running = status->running || status->retrying;
    s.retrying = status->retrying;
    s.attempt = status->running || status->retrying ? status->attempt : 0;
    s.nextAttempt = isoOrEmpty(status->retryAt);
    s.nextRun = isoOrEmpty(status->nextRun);
  }
  store::ExecutionQuery newest;
  newest.name = name;
  newest.kind = kind;
  newest.limit = 1;
  Result<std::vector<store::ExecutionRecord>> rows = store_.listExecutions(newest);
  if (rows.ok() && !rows->empty()) {
    s.lastStatus = rows->front().status;
    s.lastRun = rows->front().startTime;
  }
  // The row turns Retrying just after the failed attempt wrote it; the scheduler knows first.
  if (s.retrying) s.lastStatus = activity::kStatusRetrying;
  return s;
}

std::vector<admin::EntrySummary> DaemonRuntime::jobs() {
  const GenerationPtr generation = current();
  std::vector<admin::EntrySummary> out;
  for (const config::JobConfig& job : generation->config->jobs) {
    admin::EntrySummary s = summarize("job", job.name);
    s.connection = job.connection;
    s.file = job.file;
    s.definitionJson = config::SecretRedaction::jsonText(readFile(job.file));  // webhook URLs
    const std::vector<std::string> chains = generation->catalog.chainsOf(job.name);
    if (!chains.empty()) s.chain = chains.front();
    if (std::optional<jobs::JobInvalidity> invalid =
            jobs::MetadataRefresh::invalidity(store_, job)) {
      s.invalid = true;
      s.invalidReason = invalid->reason;
      s.invalidMessage = invalid->message;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<admin::EntrySummary> DaemonRuntime::chains() {
  const std::shared_ptr<const config::LoadedConfig> conf = currentConfig();
  std::vector<admin::EntrySummary> out;
  for (const config::ChainConfig& chain : conf->chains) {
    admin::EntrySummary s = summarize("chain", chain.name);
    s.file = chain.file;
    s.definitionJson = config::SecretRedaction::jsonText(readFile(chain.file));
    s.members = chain.jobs;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<admin::EntrySummary> DaemonRuntime::connections() {
  const std::shared_ptr<const config::LoadedConfig> conf = currentConfig();
  std::vector<admin::EntrySummary> out;
  for (const config::ConnectionConfig& c : conf->app.connections) {
    admin::EntrySummary s;
    s.kind = "connection";
    s.name = c.settings.name;
    for (const config::JobConfig& job : conf->jobs) {
      if (job.connection == c.settings.name) s.members.push_back(job.name);
    }
    for (const char* flag : {"pausedConnection", "disconnected"}) {
      Result<std::optional<std::string>> v = store_.getState(stateKey(flag, s.name));
      const bool on = v.ok() && v->has_value() && **v == "true";
      (std::string(flag) == "disconnected" ? s.disconnected : s.paused) = on;
    }
    ConnectionConsole(*conf, store_, clock_).describe(s);  // issue 17
    out.push_back(std::move(s));
  }
  return out;
}

// ---- Issue 17: connections page (ConnectionConsole) ----

Result<std::string> DaemonRuntime::oauthRedirectUri(const std::string& connection,
                                                    const std::string& defaultRedirectUri) {
  return ConnectionConsole(*currentConfig(), store_, clock_)
      .redirectUri(connection, defaultRedirectUri);
}

Result<std::string> DaemonRuntime::authorizeUrl(const std::string& connection,
                                                const std::string& redirectUri,
                                                const std::string& state,
                                                const std::string& codeChallenge) {
  return ConnectionConsole(*currentConfig(), store_, clock_)
      .authorizeUrl(connection, redirectUri, state, codeChallenge);
}

Result<std::string> DaemonRuntime::completeAuthorization(const std::string& connection,
                                                         const std::string& code,
                                                         const std::string& codeVerifier,
                                                         const std::string& redirectUri,
                                                         const std::string& actor) {
  const std::shared_ptr<const config::LoadedConfig> conf = currentConfig();
  Result<std::string> done =
      ConnectionConsole(*conf, store_, clock_)
          .completeAuthorization(connection, code, codeVerifier, redirectUri, actor);
  if (!done.ok()) return done;
  // The refresh token (credentials store) and new OOB job files take effect now.
  Result<admin::ReloadOutcome> reloaded = reload(actor);
  if (!reloaded.ok()) return *done + "; reload: " + reloaded.status().message();
  if (!reloaded->applied) {
    return *done + "; the reload was refused: " +
           (reloaded->problems.empty() ? std::string("see the log") : reloaded->problems.front());
  }
  // Publishes the "control" event only; the outcome is `done` itself.
  announce("connection", connection, "authorize", actor, *done).status().ignoreError();
  // A connection disconnected from the page (token forgotten) runs again once authorised.
  Result<bool> disconnected = flagOf(stateKey("disconnected", connection));
  if (disconnected.ok() && *disconnected) {
    Result<std::string> again = reconnect(connection, actor);
    return *done + (again.ok() ? "; reconnected" : "; reconnect: " + again.status().message());
  }
  return done;
}

Result<std::string> DaemonRuntime::testConnection(const std::string& connection,
                                                  const std::string& actor) {
  (void)actor;
  return ConnectionConsole(*currentConfig(), store_, clock_).test(connection);
}

}  // namespace sfsync::app

namespace sfsync::app {

namespace {

// The settings read only at startup (the admin server, the store, logging, the scheduler's
// threads): `next` keeps the running values; returns the keys whose value on disk differs.
std::vector<std::string> keepRestartOnly(const config::AppConfig& running,
                                         config::AppConfig& next) {
  std::vector<std::string> changed;
  auto keep = [&changed](const char* key, const auto& now, auto& loaded) {
    if (now == loaded) return;
    changed.emplace_back(key);
    loaded = now;
  };
  keep("admin.host", running.adminHost, next.adminHost);
  keep("admin.port", running.adminPort, next.adminPort);
  keep("admin.threads", running.adminThreads, next.adminThreads);
  keep("admin.maxConnections", running.adminMaxConnections, next.adminMaxConnections);
  keep("admin.requestTimeoutSeconds", running.adminRequestTimeoutSeconds,
       next.adminRequestTimeoutSeconds);
  keep("admin.keepAliveSeconds", running.adminKeepAliveSeconds, next.adminKeepAliveSeconds);
  auto tokens = [](const config::AppConfig& app) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& t : app.adminTokens) out.emplace_back(t.name, t.sha256Hex + " " + t.role);
    return out;
  };
  if (tokens(running) != tokens(next)) {
    changed.emplace_back("admin.tokens");
    next.adminTokens = running.adminTokens;
  }
  keep("admin.tls.certificateFile", running.tlsCertificateFile, next.tlsCertificateFile);
  keep("admin.tls.privateKeyFile", running.tlsPrivateKeyFile, next.tlsPrivateKeyFile);
  keep("admin.eventStreams", running.adminEventStreams, next.adminEventStreams);
  keep("admin.eventKeepAliveSeconds", running.adminEventKeepAliveSeconds,
       next.adminEventKeepAliveSeconds);
  keep("admin.eventStreamMaxSeconds", running.adminEventStreamMaxSeconds,
       next.adminEventStreamMaxSeconds);
  keep("store.path", running.storePath, next.storePath);
  keep("store.cacheMb", running.storeCacheMb, next.storeCacheMb);
  keep("store.type", running.storeType, next.storeType);
  keep("store.url", running.storePostgres.url, next.storePostgres.url);
  keep("store.schema", running.storePostgres.schema, next.storePostgres.schema);
  keep("store.connectTimeoutSeconds", running.storePostgres.connectTimeoutSeconds,
       next.storePostgres.connectTimeoutSeconds);
  keep("store.statementTimeoutSeconds", running.storePostgres.statementTimeoutSeconds,
       next.storePostgres.statementTimeoutSeconds);
  keep("store.password", running.storePostgres.password, next.storePostgres.password);
  keep("log.file", running.logFile, next.logFile);
  keep("log.* / logging.*", running.logProperties, next.logProperties);
  keep("scheduler.maxParallelRuns", running.schedulerMaxParallel, next.schedulerMaxParallel);
  keep("scheduler.tickSeconds", running.schedulerTickSeconds, next.schedulerTickSeconds);
  keep("cluster.leaseSeconds", running.clusterLeaseSeconds, next.clusterLeaseSeconds);
  return changed;
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace

Result<admin::ReloadOutcome> DaemonRuntime::reload(const std::string& actor) {
  return reloadAs(actor, "config file");
}

Result<admin::ReloadOutcome> DaemonRuntime::reloadEdited(const std::string& actor) {
  return reloadAs(actor, actor);
}

Result<admin::ReloadOutcome> DaemonRuntime::reloadAs(const std::string& actor,
                                                     const std::string& auditActor) {
  if (!source_) return Status::Unavailable("this daemon cannot reload its configuration");
  std::lock_guard<std::mutex> serial(reloadMu_);
  if (stopRequested_.load()) return Status::Unavailable("the daemon is shutting down");
  log().information("configuration reload requested by %s", actor);
  LoadedSource loaded;
  try {
    loaded = source_();
  } catch (const std::exception& ex) {
    return Status::Internal(std::string("cannot load the configuration: ") + ex.what());
  }
  if (!loaded.config) return Status::Internal("cannot load the configuration");
  Result<admin::ReloadOutcome> outcome =
      !loaded.config->problems.empty()
          ? Result<admin::ReloadOutcome>(refuseReload(*loaded.config, actor))
          : applyReload(std::move(loaded.config), std::move(loaded.notifications), actor,
                        auditActor);
  if (!outcome.ok()) return outcome;
  Poco::JSON::Object event;
  event.set("actor", actor);
  event.set("applied", outcome->applied);
  Poco::JSON::Array changes;
  for (const std::string& c : outcome->changes) changes.add(c);
  event.set("changes", changes);
  event.set("problems", static_cast<int>(outcome->problems.size()));
  std::ostringstream json;
  event.stringify(json);
  events_.publish("config.reload", json.str());
  return outcome;
}

admin::ReloadOutcome DaemonRuntime::refuseReload(const config::LoadedConfig& next,
                                                 const std::string& actor) {
  admin::ReloadOutcome outcome;
  for (const config::ConfigProblem& problem : next.problems) {
    outcome.problems.push_back(problem.toString());
    log().error("reload refused: %s", problem.toString());
  }
  log().warning(
      "configuration reload by %s refused (%z problem(s)); the running configuration "
      "is kept",
      actor, outcome.problems.size());
  store::UpdateRecord update;
  update.time = formatIso8601(clock_->now());
  update.actor = actor;
  update.kind = "config";
  update.name = currentConfig()->app.file;
  update.action = "reload refused";
  update.diff = joined(outcome.problems, "\n");
  Status saved = store_.saveUpdate(update);
  if (!saved.ok()) log().error("cannot record the refused reload: %s", saved.toString());
  return outcome;
}

Result<admin::ReloadOutcome> DaemonRuntime::applyReload(std::shared_ptr<config::LoadedConfig> next,
                                                        notify::NotificationSettings notifications,
                                                        const std::string& actor,
                                                        const std::string& auditActor) {
  const GenerationPtr running = current();
  admin::ReloadOutcome outcome;
  outcome.applied = true;
  outcome.needsRestart = keepRestartOnly(running->config->app, next->app);
  Result<std::vector<store::UpdateRecord>> audited =
      activity::ConfigAuditor::audit(*next, store_, *clock_, auditActor);
  if (!audited.ok()) {
    log().error("reload: cannot record the configuration changes: %s", audited.status().toString());
  } else {
    for (const auto& r : *audited)
      outcome.changes.push_back(r.kind + " '" + r.name + "' " + r.action);
  }
  scheduling::ChainCatalog catalog = buildCatalog(*next);
  auto generation = std::make_shared<const Generation>(
      Generation{std::move(next), std::move(catalog),
                 std::shared_ptr<notify::Notifier>(notify::makeNotifier(notifications, clock_))});
  const std::vector<scheduling::SchedulerEntry> entries = entriesOf(*generation);
  {
    std::lock_guard<std::mutex> lock(generationMu_);
    generation_ = generation;
  }
  Status replaced = scheduler_->replaceEntries(entries);
  if (!replaced.ok()) {  // validated entries are unique and named: not expected
    std::lock_guard<std::mutex> lock(generationMu_);
    generation_ = running;
    return replaced;
  }
  Status flags = restoreFlags(*generation, entries);
  if (!flags.ok()) log().error("reload: cannot restore pause flags: %s", flags.toString());
  if (realtime_) {  // issue 18: start / stop / restart the real-time jobs the reload changed
    for (const std::string& change : realtime_->reconcile(generation->config)) {
      log().information("reload: %s", change);
      outcome.changes.push_back(change);
    }
  }
  installWriteBackCapture(*generation->config, store_);
  store::UpdateRecord update;
  update.time = formatIso8601(clock_->now());
  update.actor = actor;
  update.kind = "config";
  update.name = generation->config->app.file;
  update.action = "reloaded";
  update.diff = outcome.changes.empty() ? "no job, chain or connection changed"
                                        : joined(outcome.changes, "\n");
  if (!outcome.needsRestart.empty()) {
    update.diff +=
        "\nneeds restart (the running values stay): " + joined(outcome.needsRestart, ", ");
  }
  Status saved = store_.saveUpdate(update);
  if (!saved.ok()) log().error("cannot record the reload: %s", saved.toString());
  log().information("configuration reloaded by %s: %z change(s)%s", actor, outcome.changes.size(),
                    outcome.needsRestart.empty()
                        ? std::string()
                        : "; needs restart: " + joined(outcome.needsRestart, ", "));
  return outcome;
}

void DaemonRuntime::shutdown(std::chrono::milliseconds grace) {
  stopRequested_.store(true);
  log().information(
      "shutdown: runs stop after their current page; in-flight Salesforce calls "
      "are cancelled after " +
      std::to_string(grace.count()) + " ms");
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(mu);
    if (!cv.wait_for(lock, grace, [&] { return done; })) cancelInFlight();
  });
  stop();  // no new runs; waits for the runs in flight
  {
    std::lock_guard<std::mutex> lock(mu);
    done = true;
  }
  cv.notify_all();
  watchdog.join();
}

}  // namespace sfsync::app

namespace sfsync::app {

// ---- Issue 18: real-time jobs

std::vector<RealtimeStats> DaemonRuntime::realtime() {
  return realtime_ ? realtime_->stats() : std::vector<RealtimeStats>{};
}

std::uint64_t DaemonRuntime::takeCatchUp(const std::string& job, std::uint64_t mark) {
  if (mark == 0) return 0;
  std::lock_guard<std::mutex> lock(catchUpMu_);
  auto it = catchUps_.find(mark);
  // Gone: its waiter gave up (the run goes on as a plain run).
  if (it == catchUps_.end() || it->second.job != job || it->second.taken) return 0;
  it->second.taken = true;
  return mark;
}

void DaemonRuntime::finishCatchUp(std::uint64_t id, const std::string& status,
                                  const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(catchUpMu_);
    auto it = catchUps_.find(id);
    if (it == catchUps_.end()) return;  // its waiter gave up after the run took it
    it->second.done = true;
    it->second.status = status;
    it->second.message = message;
  }
  catchUpCv_.notify_all();
}

Status DaemonRuntime::realtimeCatchUp(const std::string& job,
                                      const std::function<bool()>& stopping) {
  const auto cancelled = [&] { return stopping() || stopRequested_.load(); };
  std::unique_lock<std::mutex> lock(catchUpMu_);
  const std::uint64_t id = ++nextCatchUpId_;
  CatchUpRequest& mine = catchUps_[id];  // std::map: stays put until endCatchUp erases it
  mine.job = job;
  bool requested = false;
  std::int64_t passedAt = 0;  // finishedRuns_ once the run asked for has surely ended
  int dropped = 0;  // times the requested run ended (or was dropped) without taking the request
  bool waitLogged = false;
  while (!mine.done && !cancelled()) {
    if (!requested && !mine.taken) {
      const std::int64_t seen = finishedRuns_[job];
      lock.unlock();
      Result<scheduling::Scheduler::RunNowResult> r = scheduler_->runNow(job, "", id);
      lock.lock();
      if (r.ok()) {
        requested = true;  // started, or queued behind the job's run (overlap "queue")
        passedAt = seen + (*r == scheduling::Scheduler::RunNowResult::kStarted ? 1 : 2);
        continue;
      }
      const bool busy = r.status().code() == StatusCode::kInvalidArgument &&
                        r.status().message().find("disconnected") == std::string::npos;
      if (!busy) {
        catchUps_.erase(id);
        return r.status();
      }
      if (!waitLogged) {
        log().information("job %s: real-time catch-up waits for the job's run to end (%s)", job,
                          r.status().message());
        waitLogged = true;
      }
      // Wait for the running run to finish, then ask again.
      catchUpCv_.wait_for(lock, std::chrono::seconds(1),
                          [&] { return finishedRuns_[job] != seen || mine.done || cancelled(); });
      continue;
    }
    catchUpCv_.wait_for(lock, std::chrono::seconds(1), [&] { return mine.done || cancelled(); });
    if (mine.done || mine.taken || cancelled()) continue;
    // The run asked for may never come: a re-run took it, a pause or a disconnect dropped the
    // queued run, another daemon holds the job's claim, a newer mark replaced this one. Ask again
    // once the job is idle or that run has surely ended; give up after a few tries (the real-time
    // job backs off and retries its catch-up).
    const bool passed = finishedRuns_[job] >= passedAt;
    lock.unlock();
    Result<scheduling::Scheduler::EntryStatus> st = scheduler_->status(job);
    lock.lock();
    if (mine.done || mine.taken) continue;
    if (passed || (st.ok() && !st->running && !st->queued)) {
      requested = false;
      if (++dropped > 3) {
        catchUps_.erase(id);
        return Status::Unavailable("real-time catch-up of '" + job +
                                   "': the job's run did not start");
      }
    }
  }
  return endCatchUp(job, id);
}

Status DaemonRuntime::endCatchUp(const std::string& job, std::uint64_t id) {
  const CatchUpRequest request = catchUps_[id];
  catchUps_.erase(id);  // a run asked for that has not taken it yet runs as a plain run
  if (!request.done) return Status::Unavailable("real-time catch-up of '" + job + "' cancelled");
  if (request.status == activity::kStatusSuccess || request.status == activity::kStatusPartial) {
    return Status::OK();
  }
  return Status::Unavailable("catch-up run " + request.status + ": " + request.message);
}

}  // namespace sfsync::app
