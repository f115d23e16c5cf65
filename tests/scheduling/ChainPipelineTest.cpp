// ChainExecutor with two-phase jobs (prepare = extract into a buffer, load = write it): a job may
// extract while its predecessor loads, but loads happen in dependency order, so the target ends up
// exactly as after a plain one-job-at-a-time run. The "target" is an in-memory map of tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "scheduling/ChainTestSupport.h"
#include "sfsync/scheduling/ChainExecutor.h"
#include "sfsync/scheduling/RunStatus.h"

namespace sfsync::scheduling {
namespace {

using C = RunCondition;
using Tables = std::map<std::string, std::vector<std::string>>;

// Source data; each row is "id|field". Contacts point at accounts, cases at contacts.
const Tables kSource = {
    {"Accounts", {"acc-1|Acme", "acc-2|Globex", "acc-3|Initech"}},
    {"Contacts", {"con-1|acc-2", "con-2|acc-3", "con-3|acc-1"}},
    {"Cases", {"case-1|con-2", "case-2|con-3"}},
    {"Users", {"usr-1|ann", "usr-2|bob"}},
};

std::string field(const std::string& row, int n) {
  std::size_t start = 0;
  for (int i = 0; i < n; ++i) start = row.find('|', start) + 1;
  return row.substr(start, row.find('|', start) - start);
}

// The value of `column` in the target row of `table` whose id is `id`, or "<unresolved>".
std::string lookup(const Tables& target, const std::string& table, const std::string& id,
                   int column) {
  const auto it = target.find(table);
  if (it != target.end()) {
    for (const std::string& row : it->second) {
      if (field(row, 0) == id) return field(row, column);
    }
  }
  return "<unresolved>";
}

// Accounts, Contacts and Cases support phases (when enabled); Users and Report never do.
class PipelineRunner : public ChainJobRunner {
 public:
  explicit PipelineRunner(bool phases) : phases_(phases) {}

  // Accounts' load waits (bounded) until Contacts' prepare has begun, to prove they overlap.
  void expectOverlap() { waitForOverlap_ = true; }
  void failLoadOnce(const std::string& job) { failLoadOnce_.insert(job); }
  void failLoadAlways(const std::string& job) { failLoadAlways_.insert(job); }
  void failPrepare(const std::string& job) { failPrepare_.insert(job); }

  bool supportsPhases(const std::string& job) override {
    return phases_ && job != "Users" && job != "Report";
  }

  JobOutcome prepare(const std::string& job) override {
    event(job + ".prepare.start");
    if (failPrepare_.count(job) != 0) {
      event(job + ".prepare.end");
      return {kRunFailed, "extract failed"};
    }
    std::vector<std::string> rows = extract(job);
    {
      std::lock_guard<std::mutex> lock(mu_);
      buffers_[job] = std::move(rows);
    }
    event(job + ".prepare.end");
    return {kRunSuccess, ""};
  }

  JobOutcome load(const std::string& job) override {
    event(job + ".load.start");
    if (waitForOverlap_ && job == "Accounts") {
      std::unique_lock<std::mutex> lock(mu_);
      overlapSeen_ = cv_.wait_for(lock, testing::kGenerousTimeout,
                                  [&] { return hasEvent("Contacts.prepare.start"); });
    }
    std::vector<std::string> rows;
    {
      std::lock_guard<std::mutex> lock(mu_);
      rows = std::move(buffers_[job]);
      buffers_.erase(job);
    }
    const JobOutcome outcome = write(job, rows);
    event(job + ".load.end");
    return outcome;
  }

  JobOutcome runJob(const std::string& job, int attempt) override {
    event(job + ".run.start#" + std::to_string(attempt));
    const JobOutcome outcome = write(job, extract(job));
    event(job + ".run.end");
    return outcome;
  }

  void skipJob(const std::string& job, const std::string& reason) override {
    std::lock_guard<std::mutex> lock(mu_);
    buffers_.erase(job);
    skips_[job] = reason;
  }

  Tables target() const {
    std::lock_guard<std::mutex> lock(mu_);
    return target_;
  }
  std::vector<std::string> events() const {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }
  std::map<std::string, std::string> skips() const {
    std::lock_guard<std::mutex> lock(mu_);
    return skips_;
  }
  std::size_t buffered() const {
    std::lock_guard<std::mutex> lock(mu_);
    return buffers_.size();
  }
  bool overlapSeen() const {
    std::lock_guard<std::mutex> lock(mu_);
    return overlapSeen_;
  }

 private:
  bool hasEvent(const std::string& e) const {
    return std::find(events_.begin(), events_.end(), e) != events_.end();
  }

  void event(const std::string& e) {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(e);
    cv_.notify_all();
  }

  std::vector<std::string> extract(const std::string& job) const {
    const auto it = kSource.find(job);
    return it == kSource.end() ? std::vector<std::string>() : it->second;
  }

  // Maps and writes rows: lookups read what earlier loads wrote to the target.
  JobOutcome write(const std::string& job, const std::vector<std::string>& rows) {
    std::lock_guard<std::mutex> lock(mu_);
    if (failLoadAlways_.count(job) != 0 || failLoadOnce_.erase(job) != 0) {
      return {kRunFailed, "store refused the batch"};
    }
    std::vector<std::string>& table = target_[job];
    if (job == "Report") {
      for (const auto& [name, content] : target_) {
        if (name != "Report") table.push_back(name + "=" + std::to_string(content.size()));
      }
      return {kRunSuccess, ""};
    }
    for (const std::string& row : rows) {
      const std::string id = field(row, 0);
      if (job == "Contacts") {
        table.push_back(id + "|" + lookup(target_, "Accounts", field(row, 1), 1));
      } else if (job == "Cases") {
        const std::string accountId = lookup(target_, "Contacts", field(row, 1), 1);
        table.push_back(id + "|" + field(row, 1) + "|" + accountId);
      } else {
        table.push_back(row);
      }
    }
    return {kRunSuccess, ""};
  }

  const bool phases_;
  bool waitForOverlap_ = false;
  std::set<std::string> failLoadOnce_, failLoadAlways_, failPrepare_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Tables target_;
  std::map<std::string, std::vector<std::string>> buffers_;
  std::vector<std::string> events_;
  std::map<std::string, std::string> skips_;
  bool overlapSeen_ = false;
};

ChainPlan pipelinePlan() {
  Result<ChainPlan> plan =
      ChainPlan::build("Nightly", {"Accounts", "Contacts", "Cases", "Users", "Report"},
                       {{"Contacts", "Accounts", C::kSuccessOrPartial},
                        {"Cases", "Contacts", C::kSuccessOrPartial},
                        {"Report", "Cases", C::kAlways},
                        {"Report", "Users", C::kAlways}});
  return std::move(plan).value();
}

std::size_t indexOf(const std::vector<std::string>& events, const std::string& e) {
  const auto it = std::find(events.begin(), events.end(), e);
  EXPECT_NE(it, events.end()) << "missing event " << e;
  return static_cast<std::size_t>(it - events.begin());
}

Tables sequentialTarget() {
  sfsync::testing::FakeClock clock;
  PipelineRunner runner(/*phases=*/false);
  ChainExecutor::Options options;
  options.maxParallel = 1;
  const ChainResult result = ChainExecutor(clock, options).run(pipelinePlan(), runner);
  EXPECT_EQ(result.status, kRunSuccess);
  return runner.target();
}

TEST(ChainPipelineTest, SequentialReferenceResolvesEveryLookup) {
  const Tables target = sequentialTarget();
  EXPECT_EQ(target.at("Contacts"),
            std::vector<std::string>({"con-1|Globex", "con-2|Initech", "con-3|Acme"}));
  EXPECT_EQ(target.at("Cases"),
            std::vector<std::string>({"case-1|con-2|Initech", "case-2|con-3|Acme"}));
  EXPECT_EQ(target.at("Report"),
            std::vector<std::string>({"Accounts=3", "Cases=2", "Contacts=3", "Users=2"}));
}

TEST(ChainPipelineTest, ExtractOverlapsThePredecessorsLoadButLoadsKeepDependencyOrder) {
  sfsync::testing::FakeClock clock;
  PipelineRunner runner(/*phases=*/true);
  runner.expectOverlap();
  ChainExecutor::Options options;
  options.maxParallel = 3;
  const ChainResult result = ChainExecutor(clock, options).run(pipelinePlan(), runner);
  ASSERT_EQ(result.status, kRunSuccess) << result.message;

  EXPECT_TRUE(runner.overlapSeen()) << "Contacts did not start extracting while Accounts loaded";
  const std::vector<std::string> ev = runner.events();
  // Contacts extracts after Accounts extracted and while Accounts loads ...
  EXPECT_LT(indexOf(ev, "Accounts.prepare.end"), indexOf(ev, "Contacts.prepare.start"));
  EXPECT_LT(indexOf(ev, "Contacts.prepare.start"), indexOf(ev, "Accounts.load.end"));
  // ... but loads strictly follow the dependencies.
  EXPECT_LT(indexOf(ev, "Accounts.load.end"), indexOf(ev, "Contacts.load.start"));
  EXPECT_LT(indexOf(ev, "Contacts.prepare.end"), indexOf(ev, "Cases.prepare.start"));
  EXPECT_LT(indexOf(ev, "Contacts.load.end"), indexOf(ev, "Cases.load.start"));
  EXPECT_LT(indexOf(ev, "Cases.load.end"), indexOf(ev, "Report.run.start#1"));
  EXPECT_LT(indexOf(ev, "Users.run.end"), indexOf(ev, "Report.run.start#1"));
  EXPECT_EQ(runner.buffered(), 0u);

  EXPECT_EQ(runner.target(), sequentialTarget());
}

TEST(ChainPipelineTest, PreparedJobIsSkippedAndItsBufferDroppedWhenThePredecessorLoadFails) {
  sfsync::testing::FakeClock clock;
  PipelineRunner runner(/*phases=*/true);
  runner.expectOverlap();  // Contacts is certainly prepared before Accounts' load ends
  runner.failLoadAlways("Accounts");
  ChainExecutor::Options options;
  options.maxParallel = 3;
  const ChainResult result = ChainExecutor(clock, options).run(pipelinePlan(), runner);

  EXPECT_EQ(result.status, kRunFailed);
  EXPECT_EQ(result.find("Accounts")->status, kRunFailed);
  EXPECT_EQ(result.find("Contacts")->status, kRunSkipped);
  EXPECT_EQ(result.find("Cases")->status, kRunSkipped);
  EXPECT_EQ(result.find("Report")->status, kRunSuccess);  // "always"
  EXPECT_EQ(runner.skips().at("Contacts"),
            "predecessor 'Accounts' ended Failed; condition 'success-or-partial' not met");
  const std::vector<std::string> ev = runner.events();
  EXPECT_NE(std::find(ev.begin(), ev.end(), "Contacts.prepare.end"), ev.end());
  EXPECT_EQ(std::find(ev.begin(), ev.end(), "Contacts.load.start"), ev.end());
  // Cases may have extracted too (Contacts had extracted); it never loads either.
  EXPECT_EQ(std::find(ev.begin(), ev.end(), "Cases.load.start"), ev.end());
  EXPECT_EQ(runner.skips().at("Cases"),
            "predecessor 'Contacts' ended Skipped; condition 'success-or-partial' not met");
  EXPECT_EQ(runner.buffered(), 0u);
}

TEST(ChainPipelineTest, FailedExtractEndsTheAttemptAndSuccessorsNeverExtract) {
  sfsync::testing::FakeClock clock;
  PipelineRunner runner(/*phases=*/true);
  runner.failPrepare("Accounts");
  ChainExecutor::Options options;
  options.maxParallel = 2;
  const ChainResult result = ChainExecutor(clock, options).run(pipelinePlan(), runner);
  EXPECT_EQ(result.find("Accounts")->status, kRunFailed);
  EXPECT_EQ(result.find("Accounts")->message, "extract failed");
  EXPECT_EQ(result.find("Contacts")->status, kRunSkipped);
  const std::vector<std::string> ev = runner.events();
  EXPECT_EQ(std::find(ev.begin(), ev.end(), "Accounts.load.start"), ev.end());
  EXPECT_EQ(std::find(ev.begin(), ev.end(), "Contacts.prepare.start"), ev.end());
}

TEST(ChainPipelineTest, FailedLoadIsRetriedAsAWholeRunAndTheResultMatchesSequential) {
  sfsync::testing::FakeClock clock;
  PipelineRunner runner(/*phases=*/true);
  runner.failLoadOnce("Accounts");
  ChainExecutor::Options options;
  options.maxParallel = 3;
  options.retryPolicy = [](const std::string&) {
    RetryPolicy p;
    p.maxRetries = 1;
    p.initialBackoff = std::chrono::seconds(5);
    return p;
  };
  const ChainResult result = ChainExecutor(clock, options).run(pipelinePlan(), runner);
  ASSERT_EQ(result.status, kRunSuccess) << result.message;
  EXPECT_EQ(result.find("Accounts")->attempts, 2);
  const std::vector<std::string> ev = runner.events();
  EXPECT_LT(indexOf(ev, "Accounts.run.end"), indexOf(ev, "Contacts.load.start"));
  EXPECT_EQ(runner.target(), sequentialTarget());
}

}  // namespace
}  // namespace sfsync::scheduling
