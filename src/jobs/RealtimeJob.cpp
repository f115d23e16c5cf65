#include "sfsync/jobs/RealtimeJob.h"

#include <algorithm>
#include <vector>

#include <Poco/Logger.h>
#include <Poco/Path.h>

#include "jobs/RealtimeApplier.h"
#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/core/Ids.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync::jobs {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("sfsync.realtime"); }

// events/s covers the batches applied in the last 10 seconds.
constexpr std::int64_t kRateWindowMs = 10000;

std::int64_t epochMs(Clock::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string RealtimeJob::topicFor(const std::string& object) {
  if (object.size() > 3 && object.compare(object.size() - 3, 3, "__c") == 0) {
    return "/data/" + object.substr(0, object.size() - 1) + "ChangeEvent";
  }
  return "/data/" + object + "ChangeEvent";
}

RealtimeJob::RealtimeJob(const config::JobConfig& job, salesforce::SalesforceClient& client,
                         store::Store& store, Clock& clock, std::string errorDir,
                         StreamFactory streams, Action catchUp, Action reauthenticate,
                         RealtimeSettings settings)
    : job_(job),
      client_(client),
      store_(store),
      clock_(clock),
      errorDir_(std::move(errorDir)),
      streams_(std::move(streams)),
      catchUp_(std::move(catchUp)),
      reauthenticate_(std::move(reauthenticate)),
      settings_(settings) {
  stats_.job = job.name;
  stats_.connection = job.connection;
  stats_.topic = topicFor(job.sourceObject);
  stats_.state = "starting";
}

void RealtimeJob::setState(const std::string& state, const std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.state = state;
  if (!error.empty()) stats_.lastError = error;
}

RealtimeStats RealtimeJob::stats() const {
  const std::int64_t nowMs = epochMs(clock_.now());
  std::lock_guard<std::mutex> lock(mutex_);
  RealtimeStats out = stats_;
  std::int64_t recent = 0;
  for (const auto& [at, events] : applied_) {
    if (nowMs - at <= kRateWindowMs) recent += events;
  }
  out.eventsPerSecond = static_cast<double>(recent) * 1000.0 / kRateWindowMs;
  return out;
}

void RealtimeJob::notePosition(const std::string& replayId, std::int64_t nowMs) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : replayId) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.lastReplayId = hex;
  stats_.lastReplayStoredMs = nowMs;
}

void RealtimeJob::copyHourCounts() {
  stats_.hourExecutionId = record_.executionId;
  stats_.hourStart = record_.startTime;
  stats_.hourRead = record_.recordsRead;
  stats_.hourCreated = record_.created;
  stats_.hourUpdated = record_.updated;
  stats_.hourDeleted = record_.deleted;
  stats_.hourFailed = record_.failed;
}

void RealtimeJob::stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  stopped_ = true;
  if (stream_) stream_->cancel();
  wake_.notify_all();
}

bool RealtimeJob::stopRequested() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopped_;
}

void RealtimeJob::waitBackoff(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, d, [&] { return stopped_; });
}

void RealtimeJob::recordLag(std::int64_t lagMs) {
  // Caller holds mutex_.
  lags_.push_back(std::max<std::int64_t>(0, lagMs));
  if (lags_.size() > settings_.lagWindow) lags_.pop_front();
  stats_.lastLagMs = lags_.back();
}

Status RealtimeJob::saveExecution(bool finishing) {
  const std::string now = formatIso8601(clock_.now());
  const std::string hour = now.substr(0, 13);
  if (!recordHour_.empty() && (hour != recordHour_ || finishing)) {
    record_.status = record_.failed > 0 ? activity::kStatusPartial : activity::kStatusSuccess;
    record_.endTime = now;
    if (errors_ && errors_->rows() > 0) record_.errorFile = errors_->path();
    Status s = store_.saveExecution(record_);
    if (!s.ok() || finishing) return s;
    recordHour_.clear();
  }
  if (recordHour_.empty()) {
    record_ = store::ExecutionRecord{};
    record_.executionId = newUuid();
    record_.name = job_.name;
    record_.connection = job_.connection;
    record_.trigger = "realtime";
    record_.mode = "realtime";
    record_.api = "pubsub";
    record_.status = "Running";
    record_.startTime = now;
    recordHour_ = hour;
    Poco::Path files(errorDir_);
    files.makeDirectory().pushDirectory(JobRunner::slug(job_.name));
    errors_ = std::make_unique<activity::ErrorFile>(
        files.setFileName(record_.executionId + ".errors.csv").toString(), job_.sourceFields());
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::int64_t> sorted(lags_.begin(), lags_.end());
    std::sort(sorted.begin(), sorted.end());
    if (!sorted.empty()) {
      stats_.lagP50Ms = sorted[sorted.size() / 2];
      stats_.lagP99Ms = sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)];
    }
    record_.message = "real-time: lag p50 " + std::to_string(stats_.lagP50Ms) + " ms, p99 " +
                      std::to_string(stats_.lagP99Ms) + " ms";
    copyHourCounts();
  }
  if (errors_ && errors_->rows() > 0) record_.errorFile = errors_->path();
  return store_.saveExecution(record_);
}

Status RealtimeJob::runCatchUp(const std::string& why) {
  setState("catching-up");
  logger().information("job %s: real-time catch-up run (%s)", job_.name, why);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++stats_.catchUps;
  }
  Status s = catchUp_ ? catchUp_() : Status::OK();
  // Retryable whatever the cause (the run failed, was refused or dropped): run() backs off and
  // the next subscribe asks for the catch-up again.
  if (!s.ok()) return Status::Unavailable("catch-up: " + s.message());
  return RealtimeApplier::clearPosition(store_, job_);
}

Status RealtimeJob::onBatch(const source::ChangeBatch& batch, RealtimeApplier& applier) {
  const std::int64_t nowMs = epochMs(clock_.now());
  if (batch.events.empty()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++stats_.keepalives;
    }
    // A keepalive: everything up to its latest replay id was delivered and applied.
    if (batch.latestReplayId.empty()) return Status::OK();
    // Everything committed before now was delivered: the position's time is now.
    Status stored = RealtimeApplier::storePosition(store_, job_, batch.latestReplayId, nowMs);
    if (stored.ok()) notePosition(batch.latestReplayId, nowMs);
    return stored;
  }
  Result<AppliedBatch> applied =
      applier.apply(batch.events, batch.events.back().replayId, nowMs, record_);
  if (!applied.ok()) return applied.status();
  notePosition(batch.events.back().replayId, nowMs);
  const std::int64_t appliedMs = epochMs(clock_.now());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.events += applied->events;
    stats_.records += applied->records;
    ++stats_.batches;
    stats_.lastAppliedMs = appliedMs;
    for (const auto& e : batch.events) {
      if (e.commitTimestamp > 0) recordLag(appliedMs - e.commitTimestamp);
      stats_.lastEventMs = std::max(stats_.lastEventMs, e.commitTimestamp);
    }
    applied_.emplace_back(appliedMs, applied->events);
    while (!applied_.empty() && appliedMs - applied_.front().first > kRateWindowMs) {
      applied_.pop_front();
    }
  }
  Status saved = saveExecution(false);
  if (!saved.ok()) return saved;
  if (!applied->overflow) return Status::OK();
  Status caught = runCatchUp("GAP_OVERFLOW event");
  if (caught.ok()) setState("connected");
  return caught;
}

Status RealtimeJob::streamOnce(const salesforce::ObjectDescribe& describe) {
  Result<std::optional<RealtimeApplier::Position>> stored =
      RealtimeApplier::storedPosition(store_, job_);
  if (!stored.ok()) return stored.status();
  source::StreamRequest request;
  request.topic = topicFor(job_.sourceObject);
  request.batchSize = settings_.batchSize;
  const std::int64_t nowMs = epochMs(clock_.now());
  Result<bool> owed = RealtimeApplier::catchUpPending(store_, job_);
  if (!owed.ok()) return owed.status();
  if (owed.value()) {
    // A GAP_OVERFLOW's catch-up did not complete (stopped, killed, failed): run it first.
    Status caught = runCatchUp("a GAP_OVERFLOW catch-up is pending");
    if (!caught.ok()) return caught;
    if (stored.value()) {  // the changes after the overflow are still to come: resume there
      request.start = source::ReplayStart::kAfterReplayId;
      request.replayId = stored.value()->replayId;
    }
  } else if (stored.value() && nowMs - stored.value()->storedAtMs > settings_.retentionMs) {
    Status caught = runCatchUp("the stored replay id is older than the retention window");
    if (!caught.ok()) return caught;
  } else if (stored.value()) {
    notePosition(stored.value()->replayId, stored.value()->storedAtMs);
    request.start = source::ReplayStart::kAfterReplayId;
    request.replayId = stored.value()->replayId;
  }
  Result<source::ChangeStreamPtr> stream = streams_();
  if (!stream.ok()) return stream.status();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return Status::OK();
    stream_ = stream.value().get();
  }
  setState("connected");
  RealtimeApplier applier(job_, describe, store_, client_, *errors_);
  Status prepared = applier.prepare();
  if (!prepared.ok()) return prepared;
  Status s = stream.value()->subscribe(
      request, [&](const source::ChangeBatch& batch) { return onBatch(batch, applier); });
  std::lock_guard<std::mutex> lock(mutex_);
  stream_ = nullptr;
  if (!s.ok() && request.start == source::ReplayStart::kAfterReplayId &&
      s.code() == StatusCode::kInvalidArgument) {
    return Status::InvalidArgument("stale replay id: " + s.message());
  }
  return s;
}

Status RealtimeJob::afterFailure(const Status& s, bool fromReplayId, int& failures) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++stats_.reconnects;
    stats_.lastError = s.message();
  }
  logger().warning("job %s: real-time stream: %s", job_.name, s.toString());
  Status failed = s;
  if (s.code() == StatusCode::kInvalidArgument && fromReplayId) {
    failed = runCatchUp("the stored replay id is no longer retained");
    if (failed.ok()) return failed;  // subscribes from LATEST at once
    logger().warning("job %s: %s", job_.name, failed.toString());
  }
  return backOff(failed, failures);
}

Status RealtimeJob::backOff(const Status& s, int& failures) {
  if (s.code() == StatusCode::kNotFound || s.code() == StatusCode::kPermissionDenied) return s;
  if (s.code() == StatusCode::kUnauthenticated && failures == 0 && reauthenticate_) {
    ++failures;
    Status renewed = reauthenticate_();
    if (renewed.ok()) return Status::OK();  // subscribe again at once
    logger().warning("job %s: cannot renew the session: %s", job_.name, renewed.toString());
  }
  const std::chrono::milliseconds backoff(std::min<long long>(
      settings_.maxBackoff.count(), settings_.initialBackoff.count() << std::min(failures, 16)));
  ++failures;
  setState("reconnecting", s.message());
  waitBackoff(backoff);
  if (s.code() == StatusCode::kUnauthenticated && reauthenticate_) {
    Status renewed = reauthenticate_();
    if (!renewed.ok()) {
      logger().warning("job %s: cannot renew the session: %s", job_.name, renewed.toString());
    }
  }
  return Status::OK();
}

Status RealtimeJob::run() {
  Result<salesforce::ObjectDescribe> describe = client_.describe(job_.sourceObject);
  if (!describe.ok()) {
    setState("stopped", describe.status().message());
    return describe.status();
  }
  Status s = saveExecution(false);
  if (!s.ok()) return s;
  int failures = 0;
  Status result = Status::OK();
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopped_) break;
    }
    const std::int64_t batchesBefore = stats().batches;
    s = streamOnce(describe.value());
    if (stats().batches > batchesBefore) failures = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopped_) break;
    }
    if (s.ok()) continue;
    const bool fromReplayId = s.message().rfind("stale replay id: ", 0) == 0;
    Status go = afterFailure(s, fromReplayId, failures);
    if (!go.ok()) {
      result = go;
      break;
    }
  }
  setState("stopped", result.ok() ? "" : result.message());
  Status saved = saveExecution(true);
  if (!saved.ok() && result.ok()) result = saved;
  return result;
}

}  // namespace sfsync::jobs
