#include "sfsync/scheduling/ChainPlan.h"

#include <algorithm>
#include <utility>

#include "sfsync/scheduling/RunStatus.h"

namespace sfsync::scheduling {

const char* runConditionName(RunCondition condition) {
  switch (condition) {
    case RunCondition::kSuccess:
      return "success";
    case RunCondition::kSuccessOrPartial:
      return "success-or-partial";
    case RunCondition::kAlways:
      return "always";
  }
  return "?";
}

Result<RunCondition> parseRunCondition(const std::string& text) {
  for (RunCondition c :
       {RunCondition::kSuccess, RunCondition::kSuccessOrPartial, RunCondition::kAlways}) {
    if (text == runConditionName(c)) return c;
  }
  return Status::InvalidArgument("unknown condition '" + text +
                                 "' (expected success, success-or-partial or always)");
}

bool conditionAllows(RunCondition condition, const std::string& status) {
  switch (condition) {
    case RunCondition::kSuccess:
      return status == kRunSuccess;
    case RunCondition::kSuccessOrPartial:
      return status == kRunSuccess || status == kRunPartial;
    case RunCondition::kAlways:
      return true;
  }
  return false;
}

std::vector<ChainEdge> ChainPlan::edgesFromDependsOn(
    const std::vector<std::string>& chainJobs,
    const std::map<std::string, std::vector<std::string>>& dependsOn) {
  const std::set<std::string> inChain(chainJobs.begin(), chainJobs.end());
  std::vector<ChainEdge> edges;
  for (const std::string& job : chainJobs) {
    const auto it = dependsOn.find(job);
    if (it == dependsOn.end()) continue;
    for (const std::string& after : it->second) {
      if (inChain.count(after) != 0) edges.push_back({job, after, RunCondition::kSuccessOrPartial});
    }
  }
  return edges;
}

std::vector<ChainEdge> ChainPlan::sequentialEdges(const std::vector<std::string>& jobs,
                                                  RunCondition condition) {
  std::vector<ChainEdge> edges;
  for (std::size_t i = 1; i < jobs.size(); ++i) edges.push_back({jobs[i], jobs[i - 1], condition});
  return edges;
}

namespace {

// Finds the dependency cycles of a graph given as successor lists (arrows point to the job that
// runs after). Depth-first in plan order; each back edge closes one cycle, reported starting at
// its member with the lowest index.
class CycleFinder {
 public:
  explicit CycleFinder(const std::vector<std::vector<std::size_t>>& successors)
      : successors_(successors), color_(successors.size(), kWhite) {}

  std::vector<std::vector<std::size_t>> find() {
    for (std::size_t i = 0; i < successors_.size(); ++i) {
      if (color_[i] == kWhite) visit(i);
    }
    return cycles_;
  }

 private:
  enum Color { kWhite, kGrey, kBlack };

  void visit(std::size_t node) {
    color_[node] = kGrey;
    stack_.push_back(node);
    for (std::size_t next : successors_[node]) {
      if (color_[next] == kGrey) {
        record(next);
      } else if (color_[next] == kWhite) {
        visit(next);
      }
    }
    stack_.pop_back();
    color_[node] = kBlack;
  }

  // The stack from `start` to its top, then back to `start`, rotated to begin at the lowest index.
  void record(std::size_t start) {
    auto from = std::find(stack_.begin(), stack_.end(), start);
    std::vector<std::size_t> cycle(from, stack_.end());
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    if (std::find(cycles_.begin(), cycles_.end(), cycle) == cycles_.end()) {
      cycles_.push_back(cycle);
    }
  }

  const std::vector<std::vector<std::size_t>>& successors_;
  std::vector<Color> color_;
  std::vector<std::size_t> stack_;
  std::vector<std::vector<std::size_t>> cycles_;
};

}  // namespace

std::vector<std::string> ChainPlan::validate(const std::string& chainName,
                                             const std::vector<std::string>& jobs,
                                             const std::vector<ChainEdge>& edges,
                                             const std::set<std::string>* knownJobs) {
  const std::string prefix = "chain '" + chainName + "': ";
  std::vector<std::string> problems;
  if (jobs.empty()) problems.push_back(prefix + "has no jobs");

  std::map<std::string, std::size_t> index;
  for (const std::string& job : jobs) {
    if (!index.emplace(job, index.size()).second) {
      problems.push_back(prefix + "job '" + job + "' is listed twice");
    } else if (knownJobs != nullptr && knownJobs->count(job) == 0) {
      problems.push_back(prefix + "unknown job '" + job + "'");
    }
  }

  std::map<std::pair<std::size_t, std::size_t>, RunCondition> seen;  // (job, after) -> condition
  std::vector<std::vector<std::size_t>> successors(index.size());
  for (const ChainEdge& edge : edges) {
    if (edge.job == edge.after) {
      problems.push_back(prefix + "job '" + edge.job + "' depends on itself");
      continue;
    }
    const auto job = index.find(edge.job);
    const auto after = index.find(edge.after);
    if (job == index.end() || after == index.end()) {
      const std::string& missing = job == index.end() ? edge.job : edge.after;
      problems.push_back(prefix + "job '" + edge.job + "' depends on '" + edge.after + "', but '" +
                         missing + "' is not in the chain");
      continue;
    }
    const auto [it, inserted] =
        seen.emplace(std::make_pair(job->second, after->second), edge.condition);
    if (!inserted) {
      if (it->second != edge.condition) {
        problems.push_back(prefix + "dependency of '" + edge.job + "' on '" + edge.after +
                           "' is given twice with different conditions (" +
                           runConditionName(it->second) + ", " + runConditionName(edge.condition) +
                           ")");
      }
      continue;
    }
    successors[after->second].push_back(job->second);
  }

  // Index -> name for the cycle messages (indices follow first occurrence in `jobs`).
  std::vector<std::string> names(index.size());
  for (const auto& [name, i] : index) names[i] = name;
  for (auto& list : successors) std::sort(list.begin(), list.end());
  for (const std::vector<std::size_t>& cycle : CycleFinder(successors).find()) {
    std::string text;
    for (std::size_t node : cycle) text += names[node] + " -> ";
    problems.push_back(prefix + "dependency cycle: " + text + names[cycle.front()]);
  }
  return problems;
}

Result<ChainPlan> ChainPlan::build(const std::string& chainName,
                                   const std::vector<std::string>& jobs,
                                   const std::vector<ChainEdge>& edges,
                                   const std::set<std::string>* knownJobs) {
  const std::vector<std::string> problems = validate(chainName, jobs, edges, knownJobs);
  if (!problems.empty()) {
    std::string message;
    for (const std::string& p : problems) message += (message.empty() ? "" : "\n") + p;
    return Status::InvalidArgument(message);
  }
  ChainPlan plan;
  plan.name_ = chainName;
  plan.jobs_ = jobs;
  plan.predecessors_.resize(jobs.size());
  plan.successors_.resize(jobs.size());
  std::set<std::pair<std::size_t, std::size_t>> added;
  for (const ChainEdge& edge : edges) {
    const std::size_t job = *plan.indexOf(edge.job);
    const std::size_t after = *plan.indexOf(edge.after);
    if (!added.emplace(job, after).second) continue;  // identical duplicate
    plan.predecessors_[job].push_back({after, edge.condition});
    plan.successors_[after].push_back(job);
  }
  for (auto& list : plan.predecessors_) {
    std::sort(list.begin(), list.end(),
              [](const Dependency& a, const Dependency& b) { return a.job < b.job; });
  }
  for (auto& list : plan.successors_) std::sort(list.begin(), list.end());
  return plan;
}

std::optional<std::size_t> ChainPlan::indexOf(const std::string& job) const {
  const auto it = std::find(jobs_.begin(), jobs_.end(), job);
  if (it == jobs_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - jobs_.begin());
}

std::vector<std::string> ChainPlan::topologicalOrder() const {
  std::vector<std::size_t> waiting(jobs_.size());
  for (std::size_t i = 0; i < jobs_.size(); ++i) waiting[i] = predecessors_[i].size();
  std::set<std::size_t> ready;
  for (std::size_t i = 0; i < jobs_.size(); ++i) {
    if (waiting[i] == 0) ready.insert(i);
  }
  std::vector<std::string> order;
  while (!ready.empty()) {
    const std::size_t next = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(jobs_[next]);
    for (std::size_t s : successors_[next]) {
      if (--waiting[s] == 0) ready.insert(s);
    }
  }
  return order;
}

}  // namespace sfsync::scheduling
