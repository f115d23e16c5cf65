// ChainPlan: the validated dependency graph (a DAG) of one chain - which jobs it runs, which job
// waits for which, and under what condition. Pure data and checks: no threads, no clock, no I/O.
// ChainExecutor runs a plan; ChainCatalog builds the plans of a whole configuration.
//
// Edges: {job, after, condition} means `job` starts only after `after` finished, and only if
// `after`'s final status satisfies `condition`. By default a chain's edges come from its jobs'
// "dependsOn" lists restricted to the chain's jobs (edgesFromDependsOn()); a chain file may give
// explicit edges instead. Jobs without edges between them are independent and may run in parallel.
//
// "Plan order" is the order of the chain's job list; it breaks ties wherever several jobs are
// equally ready, so runs and messages are deterministic.
//
// Thread-safety: an immutable value once built; const methods may be called from any thread.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"

namespace sfsync::scheduling {

// When a job runs after one of its predecessors finished.
enum class RunCondition {
  kSuccess,           // only after Success
  kSuccessOrPartial,  // after Success or Partial Success (the default)
  kAlways,            // whatever the predecessor's status, Failed and Skipped included
};

// "success", "success-or-partial", "always" (the words chain files use).
const char* runConditionName(RunCondition condition);
// Parses the words above; kInvalidArgument ("unknown condition 'x' (expected success,
// success-or-partial or always)") otherwise.
Result<RunCondition> parseRunCondition(const std::string& text);
// Whether a predecessor that ended with `status` (Success, Partial Success, Failed, Skipped) lets
// a job with this condition run.
bool conditionAllows(RunCondition condition, const std::string& status);

struct ChainEdge {
  std::string job;    // the job that waits
  std::string after;  // the job it waits for
  RunCondition condition = RunCondition::kSuccessOrPartial;
};

class ChainPlan {
 public:
  struct Dependency {
    std::size_t job = 0;  // index of the predecessor in jobs()
    RunCondition condition = RunCondition::kSuccessOrPartial;
  };

  // Edges {job, after=d, success-or-partial} for every job of `chainJobs` and every d in its
  // dependsOn list (looked up by job name in `dependsOn`) that is also in `chainJobs`; other
  // names are left out (ChainCatalog warns about them). In plan order.
  static std::vector<ChainEdge> edgesFromDependsOn(
      const std::vector<std::string>& chainJobs,
      const std::map<std::string, std::vector<std::string>>& dependsOn);
  // Edges that make `jobs` run one after another, in list order.
  static std::vector<ChainEdge> sequentialEdges(
      const std::vector<std::string>& jobs,
      RunCondition condition = RunCondition::kSuccessOrPartial);

  // Every problem of the chain, each a complete message starting with "chain '<name>': ":
  //   has no jobs / job 'A' is listed twice / unknown job 'A' (only when `knownJobs` is given) /
  //   job 'A' depends on itself / job 'A' depends on 'B', which is not in the chain /
  //   dependency of 'A' on 'B' is given twice with different conditions (...) /
  //   dependency cycle: A -> B -> A   (arrows point to the job that runs after; the cycle starts
  //                                    at its member listed first in the chain)
  // Empty when the chain is valid. Identical duplicate edges are not a problem.
  static std::vector<std::string> validate(const std::string& chainName,
                                           const std::vector<std::string>& jobs,
                                           const std::vector<ChainEdge>& edges,
                                           const std::set<std::string>* knownJobs = nullptr);
  // Validates (as above) and builds the plan. On error returns kInvalidArgument whose message is
  // every problem, one per line.
  static Result<ChainPlan> build(const std::string& chainName, const std::vector<std::string>& jobs,
                                 const std::vector<ChainEdge>& edges,
                                 const std::set<std::string>* knownJobs = nullptr);

  const std::string& name() const { return name_; }
  // The chain's jobs in plan order.
  const std::vector<std::string>& jobs() const { return jobs_; }
  std::size_t size() const { return jobs_.size(); }
  std::optional<std::size_t> indexOf(const std::string& job) const;
  // What job `i` waits for, by predecessor index (ascending).
  const std::vector<Dependency>& predecessors(std::size_t i) const { return predecessors_[i]; }
  // The jobs that wait for job `i`, by index (ascending).
  const std::vector<std::size_t>& successors(std::size_t i) const { return successors_[i]; }
  // The order a one-job-at-a-time run uses: dependencies first, otherwise plan order.
  std::vector<std::string> topologicalOrder() const;

 private:
  ChainPlan() = default;

  std::string name_;
  std::vector<std::string> jobs_;
  std::vector<std::vector<Dependency>> predecessors_;
  std::vector<std::vector<std::size_t>> successors_;
};

}  // namespace sfsync::scheduling
