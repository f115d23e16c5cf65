#include "config/ChainParser.h"

#include <functional>
#include <map>

#include "config/ConfigText.h"
#include "config/JsonDocument.h"
#include "config/JsonObjectReader.h"
#include "config/RunKeys.h"

namespace sfsync::config {

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& n : names) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace

ChainParser::ChainParser(ProblemCollector& problems) : problems_(problems) {}

void ChainParser::readDependencies(const Poco::JSON::Array::Ptr& dependencies, bool jobsKnown,
                                   ChainConfig& chain) {
  for (std::size_t i = 0; i < dependencies->size(); ++i) {
    const std::string path = ProblemCollector::element("dependencies", i);
    const Poco::Dynamic::Var v = dependencies->get(static_cast<unsigned>(i));
    if (!JsonObjectReader::isObject(v)) {
      problems_.add(path, "expected an object, found " + JsonObjectReader::kindOf(v));
      continue;
    }
    JsonObjectReader in(v.extract<Poco::JSON::Object::Ptr>(), path, problems_);
    in.rejectUnknownKeys({"job", "after", "condition"});
    ChainDependency dep;
    dep.jsonPath = path;
    bool valid = true;
    for (const char* key : {"job", "after"}) {
      const auto name = in.getString(key, Presence::kRequired);
      if (!name) {
        valid = false;
        continue;
      }
      const std::string trimmed = text::trim(*name);
      if (jobsKnown && !contains(chain.jobs, trimmed)) {
        problems_.add(in.pathOf(key), "job '" + trimmed + "' is not in this chain (jobs: " +
                                          text::join(chain.jobs) + ")" +
                                          text::didYouMean(trimmed, chain.jobs));
        valid = false;
      }
      (std::string(key) == "job" ? dep.job : dep.after) = trimmed;
    }
    if (const auto condition = in.getChoice("condition", Presence::kOptional, "condition",
                                            {"success", "successOrPartial", "always"})) {
      dep.condition = *condition == 0   ? ChainDependency::Condition::kSuccess
                      : *condition == 1 ? ChainDependency::Condition::kSuccessOrPartial
                                        : ChainDependency::Condition::kAlways;
    }
    if (!valid) continue;
    if (dep.job == dep.after) {
      problems_.add(path, "job '" + dep.job + "' cannot run after itself");
      continue;
    }
    bool duplicate = false;
    for (const auto& earlier : chain.dependencies) {
      if (earlier.job == dep.job && earlier.after == dep.after) {
        problems_.add(path, "duplicate dependency: '" + dep.job + "' after '" + dep.after +
                                "' (also " + earlier.jsonPath + ")");
        duplicate = true;
        break;
      }
    }
    if (!duplicate) chain.dependencies.push_back(std::move(dep));
  }
}

void ChainParser::checkCycles(const ChainConfig& chain) {
  std::map<std::string, std::vector<std::string>> after;  // job -> the jobs it runs after
  for (const auto& d : chain.dependencies) after[d.job].push_back(d.after);
  enum class Mark { kNew, kActive, kDone };
  std::map<std::string, Mark> marks;
  std::vector<std::string> stack;
  // Depth-first search in the chain's job order; an edge back to a job on the stack closes a cycle.
  std::function<void(const std::string&)> visit = [&](const std::string& job) {
    marks[job] = Mark::kActive;
    stack.push_back(job);
    for (const std::string& next : after[job]) {
      if (marks[next] == Mark::kActive) {
        std::vector<std::string> cycle;
        bool inCycle = false;
        for (const auto& s : stack) {
          inCycle = inCycle || s == next;
          if (inCycle) cycle.push_back(s);
        }
        cycle.push_back(next);
        problems_.add("dependencies", "dependency cycle: " + text::join(cycle, " -> "));
      } else if (marks[next] == Mark::kNew) {
        visit(next);
      }
    }
    stack.pop_back();
    marks[job] = Mark::kDone;
  };
  for (const auto& job : chain.jobs) {
    if (marks[job] == Mark::kNew) visit(job);
  }
}

std::optional<ChainConfig> ChainParser::parse(const std::string& file, const std::string& text) {
  Poco::JSON::Object::Ptr root = JsonDocument::parseObject(text, problems_);
  if (!root) return std::nullopt;
  JsonObjectReader in(root, "", problems_);
  in.rejectUnknownKeys({"name", "jobs", "dependencies", "schedule", "maxParallel", "pipelined",
                        "overlap", "notifications", "enabled"});

  ChainConfig chain;
  chain.file = file;
  if (const auto name = in.getString("name", Presence::kRequired)) chain.name = text::trim(*name);
  const auto jobs = in.getStringArray("jobs", Presence::kRequired, /*nonEmpty=*/true);
  if (jobs) {
    // Duplicates are reported but kept, so that chain.jobs[i] is still "jobs[i]" for the checks
    // made later against the other files (a chain with problems is never run anyway).
    for (std::size_t i = 0; i < jobs->size(); ++i) {
      const std::string name = text::trim((*jobs)[i]);
      for (std::size_t j = 0; j < chain.jobs.size(); ++j) {
        if (chain.jobs[j] == name) {
          problems_.add(ProblemCollector::element("jobs", i),
                        "job '" + name + "' is listed twice (also " +
                            ProblemCollector::element("jobs", j) + ")");
          break;
        }
      }
      chain.jobs.push_back(name);
    }
  }
  chain.explicitDependencies = in.has("dependencies");
  if (Poco::JSON::Array::Ptr deps = in.getArray("dependencies", Presence::kOptional)) {
    readDependencies(deps, jobs.has_value(), chain);
    checkCycles(chain);
  }
  run_keys::readSchedule(in, &chain.scheduleJson);
  if (const auto n = in.getInteger("maxParallel", Presence::kOptional, 1, kMaxParallel)) {
    chain.maxParallel = static_cast<int>(*n);
  }
  if (const auto pipelined = in.getBool("pipelined", Presence::kOptional)) {
    chain.pipelined = *pipelined;
  }
  run_keys::readOverlap(in, &chain.overlap);
  run_keys::readNotifications(in, &chain.notificationsJson);
  if (const auto enabled = in.getBool("enabled", Presence::kOptional)) chain.enabled = *enabled;
  return chain;
}

}  // namespace sfsync::config
