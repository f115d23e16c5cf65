#include "sfsync/jobs/ChainRunner.h"

#include <Poco/Logger.h>

#include <map>
#include <mutex>

#include "jobs/JobExecution.h"
#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/scheduling/ChainExecutor.h"

namespace sfsync::jobs {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("sfsync.jobs"); }

scheduling::RunCondition toRunCondition(config::ChainDependency::Condition c) {
  switch (c) {
    case config::ChainDependency::Condition::kSuccess:
      return scheduling::RunCondition::kSuccess;
    case config::ChainDependency::Condition::kAlways:
      return scheduling::RunCondition::kAlways;
    case config::ChainDependency::Condition::kSuccessOrPartial:
      break;
  }
  return scheduling::RunCondition::kSuccessOrPartial;
}

scheduling::RetryPolicy retryPolicyOf(const config::JobConfig& job) {
  scheduling::RetryPolicy policy;
  policy.maxRetries = job.retries.count;
  policy.initialBackoff = std::chrono::seconds(job.retries.initialBackoffSeconds);
  policy.maxBackoff = std::chrono::seconds(job.retries.maxBackoffSeconds);
  return policy;
}

// Runs the chain's jobs for the executor; keeps each job's execution row across retries.
class JobsOfChain final : public scheduling::ChainJobRunner {
 public:
  JobsOfChain(const config::LoadedConfig& config, ChainContext& context, std::string chainId,
              std::string chainName, bool pipelined)
      : config_(config),
        context_(context),
        chainId_(std::move(chainId)),
        chainName_(std::move(chainName)),
        pipelined_(pipelined) {}

  scheduling::JobOutcome runJob(const std::string& jobName, int attempt) override {
    if (disabled(jobName)) {  // recorded Skipped; counts as done for its dependents
      skipJob(jobName, "disabled");
      return {activity::kStatusSuccess, "disabled"};
    }
    Execution run = start(jobName, attempt);
    return outcome(run.execution->runWhole());
  }

  bool supportsPhases(const std::string& jobName) override {
    return pipelined_ && !disabled(jobName);
  }

  // Extracts into the job's spill file; its load waits until its predecessors finished loading.
  scheduling::JobOutcome prepare(const std::string& jobName) override {
    Execution run = start(jobName, 1);
    if (!run.execution->extract().ok()) {
      return outcome(run.execution->load());  // load() only finishes the row as Failed
    }
    std::lock_guard<std::mutex> lock(mu_);
    prepared_[jobName] = std::move(run);
    return {activity::kStatusSuccess, ""};
  }

  scheduling::JobOutcome load(const std::string& jobName) override {
    Execution run = takePrepared(jobName);
    return outcome(run.execution->load());
  }

  void skipJob(const std::string& jobName, const std::string& reason) override {
    Execution prepared = takePrepared(jobName);
    if (prepared.execution) {  // extracted already: finish its row as Skipped, drop the buffer
      remember(prepared.execution->skip(reason));
      return;
    }
    const config::JobConfig* job = config_.findJob(jobName);
    activity::ExecutionLog log(context_.store, context_.clock);
    log.setEvents(context_.events);
    store::ExecutionRecord record;
    record.name = jobName;
    record.connection = job != nullptr ? job->connection : "";
    record.trigger = context_.trigger;
    record.parentId = chainId_;
    record.chainName = chainName_;
    record.status = activity::kStatusSkipped;  // no start line: only the skip is logged
    Status begun = log.begin(std::move(record));
    if (!begun.ok()) {  // finishOrReport below saves the whole row again, or logs why it cannot
      logger().error("job %s: cannot record its skipped execution: %s", jobName, begun.toString());
    }
    log.record().message = reason;
    log.finishOrReport(Status::OK(), activity::kStatusSkipped);
    remember(log.record());
  }

  std::vector<store::ExecutionRecord> records(const std::vector<std::string>& order) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<store::ExecutionRecord> out;
    for (const auto& name : order) {
      auto it = records_.find(name);
      if (it != records_.end()) out.push_back(it->second);
    }
    return out;
  }

 private:
  // A job execution with the client and context it runs with (they outlive the phases).
  struct Execution {
    salesforce::SalesforceClientPtr client;
    std::unique_ptr<RunContext> context;
    std::unique_ptr<JobExecution> execution;
  };

  bool disabled(const std::string& jobName) const {
    const config::JobConfig* job = config_.findJob(jobName);
    return job != nullptr && !job->enabled;
  }

  Execution start(const std::string& jobName, int attempt) {
    const config::JobConfig* job = config_.findJob(jobName);
    Execution run;
    run.client = context_.clients(job->connection);
    run.context = std::make_unique<RunContext>(*run.client, context_.store, context_.clock,
                                               context_.errorDir, context_.trigger, chainId_);
    run.context->executionId = executionIdOf(jobName);
    run.context->attempt = attempt;
    run.context->chainName = chainName_;
    run.context->stopRequested = context_.stopRequested;
    run.context->events = context_.events;
    if (const config::ConnectionConfig* c = config_.app.findConnection(job->connection)) {
      run.context->useConnection(*c);
    }
    run.execution = std::make_unique<JobExecution>(*job, *run.context);
    return run;
  }

  Execution takePrepared(const std::string& jobName) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = prepared_.find(jobName);
    if (it == prepared_.end()) return {};
    Execution run = std::move(it->second);
    prepared_.erase(it);
    return run;
  }

  scheduling::JobOutcome outcome(const store::ExecutionRecord& record) {
    remember(record);
    return {record.status, record.message};
  }

  std::string executionIdOf(const std::string& job) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = records_.find(job);
    return it == records_.end() ? "" : it->second.executionId;
  }
  void remember(const store::ExecutionRecord& record) {
    std::lock_guard<std::mutex> lock(mu_);
    records_[record.name] = record;
  }

  const config::LoadedConfig& config_;
  ChainContext& context_;
  const std::string chainId_;
  const std::string chainName_;
  const bool pipelined_;
  std::mutex mu_;
  std::map<std::string, Execution> prepared_;
  std::map<std::string, store::ExecutionRecord> records_;
};

// The chain's execution row as begun: kind, name, trigger, id and attempt of this run, and the
// connection of its first job.
store::ExecutionRecord chainRowStart(const config::ChainConfig& chain,
                                     const config::LoadedConfig& config,
                                     const ChainContext& context) {
  store::ExecutionRecord start;
  start.kind = "chain";
  start.name = chain.name;
  start.trigger = context.trigger;
  start.executionId = context.executionId;
  start.attempts = context.attempt;
  for (const auto& jobName : chain.jobs) {
    const config::JobConfig* job = config.findJob(jobName);
    if (job != nullptr && start.connection.empty()) start.connection = job->connection;
  }
  return start;
}

}  // namespace

ChainRun ChainRunner::run(const config::ChainConfig& chain, const config::LoadedConfig& config,
                          ChainContext& context) {
  ChainRun result;
  activity::ExecutionLog chainLog(context.store, context.clock);
  chainLog.setEvents(context.events);
  Status begun = chainLog.begin(chainRowStart(chain, config, context));
  store::ExecutionRecord& chainRecord = chainLog.record();
  if (!begun.ok()) {  // no job runs without its chain row: their rows would point nowhere
    logger().error("chain %s: cannot record the start of execution %s: %s", chain.name,
                   chainRecord.executionId, begun.toString());
    chainLog.finishOrReport(
        Status::IoError("cannot record the start of the run in the store: " + begun.message()));
    result.chain = chainRecord;
    return result;
  }

  std::vector<scheduling::ChainEdge> edges;
  for (const auto& d : chain.dependencies) {
    edges.push_back({d.job, d.after, toRunCondition(d.condition)});
  }
  Result<scheduling::ChainPlan> plan = scheduling::ChainPlan::build(chain.name, chain.jobs, edges);
  if (!plan.ok()) {  // the loader validates chains; this guards against a config built in code
    chainLog.finishOrReport(plan.status());
    result.chain = chainRecord;
    return result;
  }

  JobsOfChain runner(config, context, chainRecord.executionId, chain.name, chain.pipelined);
  scheduling::ChainExecutor::Options options;
  options.maxParallel = chain.maxParallel;
  options.retryPolicy = [&config](const std::string& job) {
    const config::JobConfig* j = config.findJob(job);
    return j != nullptr ? retryPolicyOf(*j) : scheduling::RetryPolicy{};
  };
  scheduling::ChainResult outcome =
      scheduling::ChainExecutor(context.clock, options).run(*plan, runner);

  result.jobs = runner.records(plan->jobs());
  for (const store::ExecutionRecord& job : result.jobs) {
    chainRecord.recordsRead += job.recordsRead;
    chainRecord.created += job.created;
    chainRecord.updated += job.updated;
    chainRecord.unchanged += job.unchanged;
    chainRecord.skipped += job.skipped;
    chainRecord.failed += job.failed;
    chainRecord.warnings += job.warnings;
    chainRecord.apiCalls += job.apiCalls;
    chainRecord.retries += job.retries;
  }
  chainRecord.message = outcome.message;
  chainLog.finishOrReport(Status::OK(), outcome.status);
  result.chain = chainRecord;
  return result;
}

}  // namespace sfsync::jobs
