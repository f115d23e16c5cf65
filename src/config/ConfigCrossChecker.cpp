#include "config/ConfigCrossChecker.h"

#include <functional>
#include <map>

#include <Poco/String.h>

#include "config/ConfigText.h"
#include "config/ProblemCollector.h"
#include "sfsync/scheduling/Schedule.h"

namespace sfsync::config {

namespace {

template <class T>
void checkUniqueNames(std::vector<ParsedFile<T>>& files, const char* what,
                      const std::function<void(ParsedFile<T>&, const std::string&)>& report) {
  std::map<std::string, const ParsedFile<T>*> seen;  // lower-case name -> first file
  for (auto& f : files) {
    if (!f.config || f.config->name.empty()) continue;
    const auto [it, inserted] = seen.emplace(text::toLower(f.config->name), &f);
    if (!inserted) {
      report(f, std::string("duplicate ") + what + " name '" + f.config->name + "' (also in " +
                    it->second->displayFile + ")");
    }
  }
}

std::vector<std::string> jobNames(const std::vector<ParsedFile<JobConfig>>& jobs) {
  std::vector<std::string> names;
  for (const auto& j : jobs) {
    if (j.config && !j.config->name.empty()) names.push_back(j.config->name);
  }
  return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& n : names) {
    if (n == name) return true;
  }
  return false;
}

std::string unknownJob(const std::string& name, const std::vector<std::string>& names) {
  return "unknown job '" + name + "'" + text::didYouMean(name, names);
}

}  // namespace

ConfigCrossChecker::ConfigCrossChecker(std::vector<ConfigProblem>& problems)
    : problems_(problems) {}

template <class T>
void ConfigCrossChecker::report(ParsedFile<T>& file, const std::string& path,
                                const std::string& message) {
  ProblemCollector(file.displayFile, problems_).add(path, message);
  file.clean = false;
}

void ConfigCrossChecker::checkJobs(std::vector<ParsedFile<JobConfig>>& jobs,
                                   const std::vector<std::string>& connectionNames,
                                   bool connectionsKnown) {
  checkUniqueNames<JobConfig>(jobs, "job", [this](ParsedFile<JobConfig>& f, const std::string& m) {
    report(f, "name", m);
  });
  const std::vector<std::string> names = jobNames(jobs);
  for (auto& f : jobs) {
    if (!f.config) continue;
    const JobConfig& job = *f.config;
    if (connectionsKnown && !job.connection.empty() && !contains(connectionNames, job.connection)) {
      report(f, "connection",
             "unknown connection '" + job.connection +
                 "' (configured: " + text::join(connectionNames) + ")" +
                 text::didYouMean(job.connection, connectionNames));
    }
    for (std::size_t i = 0; i < job.dependsOn.size(); ++i) {
      if (!contains(names, job.dependsOn[i])) {
        report(f, ProblemCollector::element("dependsOn", i), unknownJob(job.dependsOn[i], names));
      }
    }
  }
  checkCycles(jobs);
  checkRealtime(jobs);
  checkWriteBackTables(jobs);
}

// Issue 13: one write-back job per target table. A table has one capture trigger with one column
// list; two jobs would replace each other's (the first job's columns would stop being captured).
void ConfigCrossChecker::checkWriteBackTables(std::vector<ParsedFile<JobConfig>>& jobs) {
  std::map<std::string, std::string> owner;  // lower-case table -> job
  for (auto& f : jobs) {
    if (!f.config) continue;
    for (std::size_t i = 0; i < f.config->targets.size(); ++i) {
      const TargetConfig& t = f.config->targets[i];
      bool writes = false;
      for (const MappingConfig& m : t.mappings) writes = writes || m.writesBack();
      if (!writes) continue;
      const auto [it, inserted] = owner.emplace(Poco::toLower(t.object), f.config->name);
      if (!inserted && it->second != f.config->name) {
        report(f, ProblemCollector::element("targets", i),
               "job '" + it->second + "' already writes table '" + t.object +
                   "' back to Salesforce (one write-back job per table)");
      }
    }
  }
}

// Issue 18: one real-time job per source object and connection (enabled or not: enabling one must
// not be what breaks the configuration).
void ConfigCrossChecker::checkRealtime(std::vector<ParsedFile<JobConfig>>& jobs) {
  std::map<std::string, std::string> owner;  // connection + "\n" + lower-case object -> job
  for (auto& f : jobs) {
    if (!f.config || !f.config->realtime) continue;
    const JobConfig& job = *f.config;
    const std::string key = job.connection + "\n" + Poco::toLower(job.sourceObject);
    const auto [it, inserted] = owner.emplace(key, job.name);
    if (!inserted) {
      report(f, "realtime",
             "job '" + it->second + "' is already the real-time job of " + job.sourceObject +
                 " on connection '" + job.connection + "' (one real-time job per object)");
    }
  }
}

void ConfigCrossChecker::checkSources(std::vector<ParsedFile<JobConfig>>& jobs,
                                      const std::vector<ConnectionConfig>& connections) {
  for (auto& f : jobs) {
    if (!f.config) continue;
    const JobConfig& job = *f.config;
    const ConnectionConfig* conn = nullptr;
    for (const auto& c : connections) {
      if (c.settings.name == job.connection) conn = &c;
    }
    if (conn == nullptr) continue;  // reported by checkJobs
    if (conn->isSnowflake && !job.snowflakeSource()) {
      report(f, "source",
             "connection '" + job.connection +
                 "' is a Snowflake connection: name a \"table\" or a \"query\"");
    } else if (!conn->isSnowflake && job.snowflakeSource()) {
      report(f, "source",
             "connection '" + job.connection +
                 "' is a Salesforce connection: \"table\" and \"query\" are for "
                 "Snowflake connections (use \"object\")");
    } else if (conn->isSnowflake && job.onSourceDelete != DeletePolicy::kIgnore &&
               !conn->allowDeletes) {
      report(f, "onSourceDelete",
             "deleting people from a Snowflake source is off: set connection." + job.connection +
                 ".allowDeletes = true to offer it (hidden by default so participants are not "
                 "deleted by accident)");
    }
  }
}

void ConfigCrossChecker::checkCycles(std::vector<ParsedFile<JobConfig>>& jobs) {
  std::map<std::string, ParsedFile<JobConfig>*> byName;
  for (auto& f : jobs) {
    if (f.config && !f.config->name.empty()) byName.emplace(f.config->name, &f);
  }
  enum class Mark { kNew, kActive, kDone };
  std::map<std::string, Mark> marks;
  std::vector<std::string> stack;
  // Depth-first search; an edge back to a job on the stack closes a cycle, reported once on the
  // job where the search entered it.
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    marks[name] = Mark::kActive;
    stack.push_back(name);
    for (const std::string& dep : byName[name]->config->dependsOn) {
      if (byName.count(dep) == 0 || dep == name) continue;
      if (marks[dep] == Mark::kActive) {
        std::vector<std::string> cycle;
        bool inCycle = false;
        for (const auto& s : stack) {
          inCycle = inCycle || s == dep;
          if (inCycle) cycle.push_back(s);
        }
        cycle.push_back(dep);
        report(*byName[dep], "dependsOn", "dependency cycle: " + text::join(cycle, " -> "));
      } else if (marks[dep] == Mark::kNew) {
        visit(dep);
      }
    }
    stack.pop_back();
    marks[name] = Mark::kDone;
  };
  for (auto& [name, file] : byName) {
    (void)file;
    if (marks[name] == Mark::kNew) visit(name);
  }
}

void ConfigCrossChecker::checkChains(std::vector<ParsedFile<ChainConfig>>& chains,
                                     const std::vector<ParsedFile<JobConfig>>& jobs,
                                     bool jobsKnown) {
  checkUniqueNames<ChainConfig>(
      chains, "chain",
      [this](ParsedFile<ChainConfig>& f, const std::string& m) { report(f, "name", m); });
  checkChainSchedules(chains);
  if (!jobsKnown) return;
  const std::vector<std::string> names = jobNames(jobs);
  for (auto& f : chains) {
    if (!f.config) continue;
    for (std::size_t i = 0; i < f.config->jobs.size(); ++i) {
      if (!contains(names, f.config->jobs[i])) {
        report(f, ProblemCollector::element("jobs", i), unknownJob(f.config->jobs[i], names));
      }
    }
  }
  deriveDependencies(chains, jobs);
}

void ConfigCrossChecker::deriveDependencies(std::vector<ParsedFile<ChainConfig>>& chains,
                                            const std::vector<ParsedFile<JobConfig>>& jobs) {
  std::map<std::string, const JobConfig*> byName;  // the first job of each name
  for (const auto& j : jobs) {
    if (j.config && !j.config->name.empty()) byName.emplace(j.config->name, &*j.config);
  }
  for (auto& f : chains) {
    if (!f.config || f.config->explicitDependencies) continue;
    ChainConfig& chain = *f.config;
    chain.dependencies.clear();
    for (std::size_t i = 0; i < chain.jobs.size(); ++i) {
      const std::string& name = chain.jobs[i];
      bool repeated = false;
      for (std::size_t k = 0; k < i; ++k) repeated = repeated || chain.jobs[k] == name;
      const auto job = byName.find(name);
      if (repeated || job == byName.end()) continue;
      for (const std::string& after : job->second->dependsOn) {
        if (after == name || !contains(chain.jobs, after)) continue;
        ChainDependency dep;
        dep.job = name;
        dep.after = after;
        dep.condition = ChainDependency::Condition::kSuccessOrPartial;
        bool duplicate = false;
        for (const auto& d : chain.dependencies) {
          duplicate = duplicate || (d.job == dep.job && d.after == dep.after);
        }
        if (!duplicate) chain.dependencies.push_back(std::move(dep));
      }
    }
  }
}

void ConfigCrossChecker::checkChainSchedules(std::vector<ParsedFile<ChainConfig>>& chains) {
  struct FirstChain {
    const ChainConfig* chain;
    std::string schedule;  // Schedule::describe()
  };
  std::map<std::string, FirstChain> firstByJob;  // job -> first chain (file order) with a schedule
  for (auto& f : chains) {
    if (!f.config || f.config->scheduleJson.empty()) continue;
    const auto schedule = scheduling::Schedule::parse(f.config->scheduleJson);
    if (!schedule.ok()) continue;  // reported by ChainParser
    const std::string described = schedule->describe();
    const std::vector<std::string>& chainJobs = f.config->jobs;
    for (std::size_t i = 0; i < chainJobs.size(); ++i) {
      bool repeated = false;
      for (std::size_t k = 0; k < i; ++k) repeated = repeated || chainJobs[k] == chainJobs[i];
      if (repeated) continue;
      const auto [it, inserted] =
          firstByJob.emplace(chainJobs[i], FirstChain{&*f.config, described});
      if (inserted || it->second.schedule == described) continue;
      report(f, ProblemCollector::element("jobs", i),
             "job '" + chainJobs[i] + "' is in chains '" + it->second.chain->name + "' and '" +
                 f.config->name + "' with different schedules (" + it->second.schedule + "; " +
                 described + ")");
    }
  }
}

}  // namespace sfsync::config
