#include "sfsync/scheduling/ChainCatalog.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace sfsync::scheduling {

namespace {

std::string collapseBlanks(const std::string& text) {
  std::istringstream in(text);
  std::string word, out;
  while (in >> word) out += (out.empty() ? "" : " ") + word;
  return out;
}

void addUnique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

bool ChainCatalog::sameFireTimes(const Schedule& a, const Schedule& b) {
  const ScheduleSpec& x = a.spec();
  const ScheduleSpec& y = b.spec();
  if (x.kind != y.kind || x.timeZone != y.timeZone) return false;
  using Kind = ScheduleSpec::Kind;
  switch (x.kind) {
    case Kind::kEvery:
      return x.everyHours == y.everyHours && x.minute == y.minute;
    case Kind::kDaily:
    case Kind::kWeekdays:
      return x.hour == y.hour && x.minute == y.minute;
    case Kind::kWeekly:
      return x.weekday == y.weekday && x.hour == y.hour && x.minute == y.minute;
    case Kind::kMonthly:
      return x.dayOfMonth == y.dayOfMonth && x.hour == y.hour && x.minute == y.minute;
    case Kind::kCron:
      return collapseBlanks(x.cron) == collapseBlanks(y.cron);
  }
  return false;
}

ChainCatalog ChainCatalog::build(const std::vector<JobDefinition>& jobs,
                                 const std::vector<ChainDefinition>& chains) {
  ChainCatalog catalog;

  std::map<std::string, const JobDefinition*> jobByName;
  std::set<std::string> jobNames;
  for (const JobDefinition& job : jobs) {
    if (!jobByName.emplace(job.name, &job).second) {
      catalog.problems_.push_back("job '" + job.name + "' is defined twice");
    }
    jobNames.insert(job.name);
  }
  std::set<std::string> chainNames;
  for (const ChainDefinition& chain : chains) {
    if (!chainNames.insert(chain.name).second) {
      catalog.problems_.push_back("chain '" + chain.name + "' is defined twice");
    }
    if (jobNames.count(chain.name) != 0) {
      catalog.problems_.push_back("'" + chain.name + "' is both a job and a chain");
    }
  }
  std::map<std::string, std::vector<std::string>> dependsOn;
  for (const JobDefinition& job : jobs) {
    for (const std::string& d : job.dependsOn) {
      if (jobNames.count(d) == 0) {
        catalog.problems_.push_back("job '" + job.name + "' depends on unknown job '" + d + "'");
      }
    }
    dependsOn.emplace(job.name, job.dependsOn);
    catalog.jobRetries_.emplace(job.name, job.retry);
  }

  // Chains: plans, membership, ignored dependencies.
  std::map<std::string, std::vector<const ChainDefinition*>> chainsOfJob;
  for (const ChainDefinition& chain : chains) {
    for (const std::string& job : chain.jobs) {
      auto& list = chainsOfJob[job];
      if (std::find(list.begin(), list.end(), &chain) == list.end()) list.push_back(&chain);
    }
    std::vector<ChainEdge> edges;
    if (chain.edges) {
      edges = *chain.edges;
    } else {
      edges = ChainPlan::edgesFromDependsOn(chain.jobs, dependsOn);
      const std::set<std::string> inChain(chain.jobs.begin(), chain.jobs.end());
      for (const std::string& job : chain.jobs) {
        const auto it = jobByName.find(job);
        if (it == jobByName.end()) continue;
        for (const std::string& d : it->second->dependsOn) {
          if (inChain.count(d) == 0 && jobNames.count(d) != 0) {
            catalog.warnings_.push_back("job '" + job + "' depends on '" + d +
                                        "', which is not in chain '" + chain.name +
                                        "'; that dependency is ignored there");
          }
        }
      }
    }
    const std::vector<std::string> problems =
        ChainPlan::validate(chain.name, chain.jobs, edges, &jobNames);
    if (problems.empty()) {
      catalog.plans_.push_back(ChainPlan::build(chain.name, chain.jobs, edges, &jobNames).value());
    } else {
      catalog.problems_.insert(catalog.problems_.end(), problems.begin(), problems.end());
    }
  }

  // Jobs in several chains: the scheduled chains must agree on the fire times.
  for (const JobDefinition& job : jobs) {
    const auto it = chainsOfJob.find(job.name);
    if (it == chainsOfJob.end()) continue;
    const std::vector<const ChainDefinition*>& in = it->second;
    std::vector<std::string> names;
    for (const ChainDefinition* c : in) names.push_back(c->name);
    catalog.membership_.emplace_back(job.name, names);
    bool reported = false;
    for (std::size_t a = 0; a < in.size() && !reported; ++a) {
      for (std::size_t b = a + 1; b < in.size() && !reported; ++b) {
        if (!in[a]->schedule || !in[b]->schedule) continue;
        if (sameFireTimes(*in[a]->schedule, *in[b]->schedule)) continue;
        catalog.problems_.push_back("job '" + job.name + "' is in chains '" + in[a]->name +
                                    "' and '" + in[b]->name + "' which have different schedules (" +
                                    in[a]->schedule->describe() + " vs " +
                                    in[b]->schedule->describe() + ")");
        reported = true;
      }
    }
    if (job.schedule) {
      catalog.warnings_.push_back("job '" + job.name + "' is in chain '" + in.front()->name +
                                  "'; its own schedule (" + job.schedule->describe() +
                                  ") is ignored");
    }
  }

  // Entries: standalone jobs, then chains with a plan.
  for (const JobDefinition& job : jobs) {
    if (chainsOfJob.count(job.name) != 0 || jobByName[job.name] != &job) continue;
    for (const std::string& d : job.dependsOn) {
      if (jobNames.count(d) == 0) continue;  // already a problem
      catalog.warnings_.push_back("job '" + job.name + "' depends on '" + d +
                                  "' but is not in a chain; the dependency is ignored");
    }
    SchedulerEntry entry;
    entry.name = job.name;
    entry.kind = RunKind::kJob;
    entry.schedule = job.schedule;
    if (!job.connection.empty()) entry.connections.push_back(job.connection);
    entry.retry = job.retry;
    entry.overlap = job.overlap;
    catalog.entries_.push_back(std::move(entry));
  }
  std::set<std::string> entered;
  for (const ChainDefinition& chain : chains) {
    if (catalog.findPlan(chain.name) == nullptr) continue;
    if (!entered.insert(chain.name).second)
      continue;  // a duplicate name (a problem): keep the first
    SchedulerEntry entry;
    entry.name = chain.name;
    entry.kind = RunKind::kChain;
    entry.schedule = chain.schedule;
    for (const std::string& job : chain.jobs) {
      const auto it = jobByName.find(job);
      if (it != jobByName.end() && !it->second->connection.empty()) {
        addUnique(entry.connections, it->second->connection);
      }
      addUnique(entry.members, job);
    }
    entry.retry = chain.retry;
    entry.overlap = chain.overlap;
    catalog.entries_.push_back(std::move(entry));
  }
  return catalog;
}

const ChainPlan* ChainCatalog::findPlan(const std::string& chain) const {
  for (const ChainPlan& plan : plans_) {
    if (plan.name() == chain) return &plan;
  }
  return nullptr;
}

std::vector<std::string> ChainCatalog::chainsOf(const std::string& job) const {
  for (const auto& [name, chains] : membership_) {
    if (name == job) return chains;
  }
  return {};
}

RetryPolicy ChainCatalog::retryPolicyOf(const std::string& job) const {
  const auto it = jobRetries_.find(job);
  return it == jobRetries_.end() ? RetryPolicy() : it->second;
}

}  // namespace sfsync::scheduling
