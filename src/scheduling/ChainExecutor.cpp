#include "sfsync/scheduling/ChainExecutor.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "sfsync/core/LogLine.h"
#include "sfsync/scheduling/RunStatus.h"

namespace sfsync::scheduling {

JobOutcome ChainJobRunner::prepare(const std::string& job) {
  return {kRunFailed, "job '" + job + "' does not support a separate extract phase"};
}

JobOutcome ChainJobRunner::load(const std::string& job) {
  return {kRunFailed, "job '" + job + "' does not support a separate load phase"};
}

const ChainJobResult* ChainResult::find(const std::string& job) const {
  for (const ChainJobResult& r : jobs) {
    if (r.job == job) return &r;
  }
  return nullptr;
}

namespace {

int severity(const std::string& status) {
  if (status == kRunSuccess) return 0;
  if (status == kRunPartial) return 1;
  if (status == kRunDeferred) return 2;
  return 3;
}

const std::string& worse(const std::string& a, const std::string& b) {
  return severity(b) > severity(a) ? b : a;
}

std::string quotedList(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "'" : ", '") + n + "'";
  return text;
}

// The state of one run() call: the jobs' progress, guarded by one mutex, and the worker loop that
// every participating thread executes.
class ChainRun {
 public:
  ChainRun(const ChainPlan& plan, ChainJobRunner& runner, Clock& clock,
           const ChainExecutor::Options& options)
      : plan_(plan), runner_(runner), clock_(clock), options_(options), jobs_(plan.size()) {
    remaining_ = plan.size();
    for (std::size_t i = 0; i < plan.size(); ++i) {
      try {
        jobs_[i].phases = runner_.supportsPhases(plan.jobs()[i]);
      } catch (...) {
        jobs_[i].phases = false;  // run it whole
      }
    }
  }

  ChainResult run() {
    const std::size_t threads =
        std::min<std::size_t>(static_cast<std::size_t>(std::max(options_.maxParallel, 1)),
                              std::max<std::size_t>(plan_.size(), 1));
    std::vector<std::thread> helpers;
    for (std::size_t i = 1; i < threads; ++i) helpers.emplace_back([this] { work(); });
    work();
    for (std::thread& t : helpers) t.join();
    return result();
  }

 private:
  enum class Phase { kWaiting, kPreparing, kPrepared, kRunning, kRetryWait, kDone };
  enum class TaskKind { kLoad, kRun, kPrepare };

  struct JobState {
    Phase phase = Phase::kWaiting;
    bool phases = false;     // supportsPhases(): the first attempt is prepare + load
    bool extracted = false;  // prepare ended without Failed, or the job finished
    int attempt = 1;         // the current attempt, or the next one while in kRetryWait
    int attempts = 0;        // attempts started
    Clock::TimePoint retryAt;
    std::string prepareStatus;
    std::string status;
    std::string message;
  };

  struct Task {
    TaskKind kind = TaskKind::kRun;
    std::size_t job = 0;
    int attempt = 1;
  };

  const std::string& name(std::size_t i) const { return plan_.jobs()[i]; }

  bool predecessorsDone(std::size_t i) const {
    for (const ChainPlan::Dependency& d : plan_.predecessors(i)) {
      if (jobs_[d.job].phase != Phase::kDone) return false;
    }
    return true;
  }

  // The reason a finished predecessor keeps job `i` from running, or nullopt. Looks only at
  // predecessors that are done, first in plan order.
  std::optional<std::string> blockedBy(std::size_t i) const {
    for (const ChainPlan::Dependency& d : plan_.predecessors(i)) {
      const JobState& p = jobs_[d.job];
      if (p.phase != Phase::kDone || conditionAllows(d.condition, p.status)) continue;
      if (p.status == kRunDeferred) {
        return "predecessor '" + name(d.job) +
               "' was deferred (the API budget ran out or the daemon shut down; it resumes "
               "from its checkpoint at its next run); condition '" +
               runConditionName(d.condition) + "' not met";
      }
      return "predecessor '" + name(d.job) + "' ended " + p.status + "; condition '" +
             runConditionName(d.condition) + "' not met";
    }
    return std::nullopt;
  }

  void finish(std::size_t i, const std::string& status, const std::string& message) {
    JobState& job = jobs_[i];
    job.phase = Phase::kDone;
    job.extracted = true;
    job.status = status;
    job.message = message;
    --remaining_;
  }

  // Decides every job that no longer needs a worker: blocked jobs become Skipped (or stay Failed
  // when they already failed an attempt and wait for a retry). Repeats until nothing changes.
  void settle() {
    bool changed = true;
    while (changed) {
      changed = false;
      for (std::size_t i = 0; i < jobs_.size(); ++i) {
        JobState& job = jobs_[i];
        const bool undecided = job.phase == Phase::kWaiting || job.phase == Phase::kPrepared ||
                               job.phase == Phase::kRetryWait;
        if (!undecided || !predecessorsDone(i)) continue;
        const std::optional<std::string> reason = blockedBy(i);
        if (!reason) continue;
        if (job.phase == Phase::kRetryWait) {
          finish(i, kRunFailed, job.message + " (not retried: " + *reason + ")");
        } else {
          finish(i, kRunSkipped, *reason);
          skipsToDeliver_.emplace_back(name(i), *reason);
        }
        changed = true;
      }
    }
  }

  // The next task: loads first, then runs and prepares, each in plan order.
  std::optional<Task> pickTask(Clock::TimePoint now) const {
    std::optional<Task> best;
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
      const JobState& job = jobs_[i];
      std::optional<Task> task;
      if (job.phase == Phase::kPrepared && predecessorsDone(i)) {
        task = Task{TaskKind::kLoad, i, job.attempt};
      } else if (job.phase == Phase::kRetryWait && predecessorsDone(i) && job.retryAt <= now) {
        task = Task{TaskKind::kRun, i, job.attempt};
      } else if (job.phase == Phase::kWaiting && job.phases && job.attempt == 1 && mayPrepare(i)) {
        task = Task{TaskKind::kPrepare, i, 1};
      } else if (job.phase == Phase::kWaiting && predecessorsDone(i)) {
        task = Task{TaskKind::kRun, i, job.attempt};
      }
      if (!task) continue;
      if (task->kind == TaskKind::kLoad) return task;
      if (!best) best = task;
    }
    return best;
  }

  // Whether job `i` may extract now: every predecessor has extracted (or finished) and none that
  // finished blocks it.
  bool mayPrepare(std::size_t i) const {
    for (const ChainPlan::Dependency& d : plan_.predecessors(i)) {
      if (!jobs_[d.job].extracted) return false;
    }
    return !blockedBy(i).has_value();
  }

  // The earliest retry that waits only for time, if any.
  std::optional<Clock::TimePoint> nextRetry() const {
    std::optional<Clock::TimePoint> earliest;
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
      const JobState& job = jobs_[i];
      if (job.phase != Phase::kRetryWait || !predecessorsDone(i)) continue;
      if (!earliest || job.retryAt < *earliest) earliest = job.retryAt;
    }
    return earliest;
  }

  JobOutcome execute(const Task& task) {
    const std::string& job = name(task.job);
    JobOutcome outcome;
    try {
      switch (task.kind) {
        case TaskKind::kLoad:
          outcome = runner_.load(job);
          break;
        case TaskKind::kPrepare:
          outcome = runner_.prepare(job);
          break;
        case TaskKind::kRun:
          outcome = runner_.runJob(job, task.attempt);
          break;
      }
    } catch (const std::exception& e) {
      outcome = {kRunFailed, std::string("exception: ") + e.what()};
    } catch (...) {
      outcome = {kRunFailed, "unknown exception"};
    }
    if (!isRunOutcome(outcome.status)) {
      outcome.message = "unexpected status '" + outcome.status + "'" +
                        (outcome.message.empty() ? "" : ": " + outcome.message);
      outcome.status = kRunFailed;
    }
    return outcome;
  }

  // The retry policy of job `i`, asked without the lock (the callback may do anything, including
  // waiting for other jobs). A throwing callback means no retries.
  RetryPolicy policyOf(std::size_t i) const {
    if (!options_.retryPolicy) return RetryPolicy();
    try {
      return options_.retryPolicy(name(i));
    } catch (...) {
      return RetryPolicy();
    }
  }

  void logRetry(const std::string& job, int failedAttempt, Clock::TimePoint at,
                const std::string& reason) const {
    const std::string when = formatIso8601(at);
    LogLine(Poco::Message::PRIO_WARNING, "job '" + job + "' (chain '" + plan_.name() +
                                             "') attempt " + std::to_string(failedAttempt) +
                                             " failed: " + reason + "; attempt " +
                                             std::to_string(failedAttempt + 1) + " at " + when)
        .field("event", "run.retry")
        .field("kind", "job")
        .field("name", job)
        .field("chain", plan_.name())
        .field("attempt", failedAttempt)
        .field("nextAttempt", failedAttempt + 1)
        .field("nextAttemptAt", when)
        .field("reason", reason)
        .emit(Poco::Logger::get("sfsync.scheduling"));
  }

  void attemptFailed(std::size_t i, const std::string& message, const RetryPolicy& policy,
                     Clock::TimePoint now) {
    JobState& job = jobs_[i];
    if (!policy.retriesAfter(job.attempt)) {
      finish(i, kRunFailed, message);
      return;
    }
    job.phase = Phase::kRetryWait;
    job.message = message;
    job.retryAt = now + policy.backoffAfter(job.attempt);
    ++job.attempt;
  }

  void apply(const Task& task, const JobOutcome& outcome, const RetryPolicy& policy,
             Clock::TimePoint now) {
    JobState& job = jobs_[task.job];
    switch (task.kind) {
      case TaskKind::kPrepare:
        if (outcome.status == kRunFailed) {
          attemptFailed(task.job, outcome.message, policy, now);
        } else {
          job.phase = Phase::kPrepared;
          job.extracted = true;
          job.prepareStatus = outcome.status;
          job.message = outcome.message;
        }
        break;
      case TaskKind::kLoad: {
        const std::string status = worse(job.prepareStatus, outcome.status);
        const std::string message = outcome.message.empty() ? job.message : outcome.message;
        if (status == kRunFailed) {
          attemptFailed(task.job, message, policy, now);
        } else {
          finish(task.job, status, message);
        }
        break;
      }
      case TaskKind::kRun:
        if (outcome.status == kRunFailed) {
          attemptFailed(task.job, outcome.message, policy, now);
        } else {
          finish(task.job, outcome.status, outcome.message);
        }
        break;
    }
  }

  void deliverSkips(std::vector<std::pair<std::string, std::string>>& skips) {
    for (const auto& [job, reason] : skips) {
      try {
        runner_.skipJob(job, reason);
      } catch (...) {
        // The skip is already decided; a runner that cannot record it must not stop the chain.
      }
    }
    skips.clear();
  }

  // The loop every worker thread runs until all jobs are decided.
  void work() {
    std::vector<std::pair<std::string, std::string>> skips;
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      settle();
      skips.insert(skips.end(), skipsToDeliver_.begin(), skipsToDeliver_.end());
      skipsToDeliver_.clear();
      if (remaining_ == 0) {
        cv_.notify_all();
        lock.unlock();
        deliverSkips(skips);
        return;
      }
      const Clock::TimePoint now = clock_.now();
      if (const std::optional<Task> task = pickTask(now)) {
        JobState& job = jobs_[task->job];
        job.phase = task->kind == TaskKind::kPrepare ? Phase::kPreparing : Phase::kRunning;
        if (task->kind != TaskKind::kLoad) job.attempts = task->attempt;
        cv_.notify_all();  // settle() may have made more than this task ready
        lock.unlock();
        deliverSkips(skips);
        const JobOutcome outcome = execute(*task);
        // Only a Failed outcome can fail the attempt (a prepare never leaves a Failed status).
        const RetryPolicy policy =
            outcome.status == kRunFailed ? policyOf(task->job) : RetryPolicy();
        const Clock::TimePoint ended = clock_.now();
        // Exactly when apply() schedules a retry; logged here, without the lock.
        if (outcome.status == kRunFailed && policy.retriesAfter(task->attempt)) {
          logRetry(name(task->job), task->attempt, ended + policy.backoffAfter(task->attempt),
                   outcome.message);
        }
        lock.lock();
        apply(*task, outcome, policy, ended);
        cv_.notify_all();
        continue;
      }
      if (!skips.empty()) {
        lock.unlock();
        deliverSkips(skips);
        lock.lock();
        continue;
      }
      const std::optional<Clock::TimePoint> retry = nextRetry();
      if (retry && !timeKeeper_) {
        // Only time is missing: one worker waits on the clock, the others on the condition.
        timeKeeper_ = true;
        const auto wait =
            std::min<Clock::TimePoint::duration>(*retry - now, std::chrono::seconds(1));
        lock.unlock();
        clock_.sleepFor(std::max(std::chrono::duration_cast<std::chrono::milliseconds>(wait),
                                 std::chrono::milliseconds(1)));
        lock.lock();
        timeKeeper_ = false;
        cv_.notify_all();
        continue;
      }
      cv_.wait(lock);
    }
  }

  ChainResult result() const {
    ChainResult result;
    std::vector<std::string> failed, deferred, partial, skipped;
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
      const JobState& job = jobs_[i];
      result.jobs.push_back({name(i), job.status, job.message, job.attempts});
      if (job.status == kRunFailed) failed.push_back(name(i));
      if (job.status == kRunDeferred) deferred.push_back(name(i));
      if (job.status == kRunPartial) partial.push_back(name(i));
      if (job.status == kRunSkipped) skipped.push_back(name(i));
    }
    result.status = !failed.empty()                        ? kRunFailed
                    : !deferred.empty()                    ? kRunDeferred
                    : !partial.empty() || !skipped.empty() ? kRunPartial
                                                           : kRunSuccess;
    std::vector<std::string> parts;
    if (!failed.empty()) parts.push_back("failed: " + quotedList(failed));
    if (!deferred.empty()) parts.push_back("deferred: " + quotedList(deferred));
    if (!partial.empty()) parts.push_back("partial: " + quotedList(partial));
    if (!skipped.empty()) parts.push_back("skipped: " + quotedList(skipped));
    for (const std::string& p : parts) result.message += (result.message.empty() ? "" : "; ") + p;
    return result;
  }

  const ChainPlan& plan_;
  ChainJobRunner& runner_;
  Clock& clock_;
  const ChainExecutor::Options& options_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<JobState> jobs_;
  std::size_t remaining_ = 0;                                        // jobs not yet done
  std::vector<std::pair<std::string, std::string>> skipsToDeliver_;  // (job, reason)
  bool timeKeeper_ = false;  // a worker is waiting on the clock for a retry
};

}  // namespace

ChainExecutor::ChainExecutor(Clock& clock, Options options)
    : clock_(clock), options_(std::move(options)) {}

ChainResult ChainExecutor::run(const ChainPlan& plan, ChainJobRunner& runner) const {
  return ChainRun(plan, runner, clock_, options_).run();
}

}  // namespace sfsync::scheduling
