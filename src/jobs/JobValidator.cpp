#include "sfsync/jobs/JobValidator.h"

#include <Poco/String.h>

#include <map>
#include <utility>

#include "jobs/JobFields.h"
#include "jobs/WriteBackPlan.h"
#include "sfsync/salesforce/SoqlBuilder.h"

namespace sfsync::jobs {

namespace {

class Describes {
 public:
  explicit Describes(JobValidator::DescribeFn fetch) : fetch_(std::move(fetch)) {}
  const Result<salesforce::ObjectDescribe>& get(const std::string& object) {
    auto it = cache_.find(Poco::toLower(object));
    if (it == cache_.end()) it = cache_.emplace(Poco::toLower(object), fetch_(object)).first;
    return it->second;
  }

 private:
  JobValidator::DescribeFn fetch_;
  std::map<std::string, Result<salesforce::ObjectDescribe>> cache_;
};

// "" when `path` resolves from `object`, else what is wrong.
std::string checkPath(Describes& describes, const std::string& object, const std::string& path) {
  PathResolution r = resolvePath(
      [&](const std::string& o) -> const Result<salesforce::ObjectDescribe>& {
        return describes.get(o);
      },
      object, path);
  if (r.found || (!r.problem.empty() && r.problem.rfind("field '", 0) != 0)) return r.problem;
  return "field '" + r.hop + "' does not exist on " + r.object +
         " in Salesforce (renamed or deleted? remove it from the job and add it again)";
}

// The replication rules against the source object's describe (see the header).
void checkReplication(const config::JobConfig& job, const salesforce::ObjectDescribe& source,
                      std::vector<config::ConfigProblem>& problems,
                      std::vector<config::ConfigProblem>& warnings) {
  const std::string& object = job.sourceObject;
  const bool hasStamp = source.findField("SystemModstamp") != nullptr;
  if (job.mode == config::SourceMode::kIncremental && !hasStamp) {
    problems.push_back({job.file, "source.mode",
                        "\"incremental\" needs SystemModstamp, which " + object +
                            " does not have; use \"full\" (or leave \"mode\" out: objects "
                            "without SystemModstamp are read in full)"});
  }
  if (job.onSourceDelete != config::DeletePolicy::kIgnore &&
      source.findField("IsDeleted") == nullptr) {
    if (Poco::icompare(object, "User") == 0) {
      problems.push_back({job.file, "onSourceDelete",
                          "Salesforce never deletes Users (they are deactivated: map IsActive to "
                          "see it), so User has no IsDeleted and no delete to follow; use "
                          "\"ignore\""});
    } else {
      warnings.push_back({job.file, "onSourceDelete",
                          object + " has no IsDeleted field: its deletes are found only by "
                                   "comparing every Id with Salesforce (a full Id read each run)"});
    }
  }
  const bool incremental = job.mode == config::SourceMode::kIncremental ||
                           (job.mode == config::SourceMode::kAuto && hasStamp);
  if (!incremental || job.refreshCalculatedEverySeconds > 0) return;
  for (const MappedField& mapped : mappedFields(job)) {
    const std::string& path = mapped.jsonPath;
    const salesforce::FieldDescribe* f = source.findField(mapped.path);
    if (f == nullptr || !f->calculated) continue;
    warnings.push_back({job.file, path,
                        "field '" + f->name +
                            "' is a formula or roll-up (calculated) field: its "
                            "value changes without touching SystemModstamp, so incremental runs "
                            "miss those changes; set \"refreshCalculatedEvery\" (e.g. \"7d\") "
                            "for a periodic full pass, or \"mode\": \"full\""});
  }
}

}  // namespace

std::vector<config::ConfigProblem> JobValidator::validate(const config::JobConfig& job,
                                                          salesforce::SalesforceClient& client) {
  std::vector<config::ConfigProblem> ignored;
  return validate(job, client, &ignored);
}

std::vector<config::ConfigProblem> JobValidator::validate(
    const config::JobConfig& job, salesforce::SalesforceClient& client,
    std::vector<config::ConfigProblem>* warnings) {
  return validate(job, client, warnings,
                  [&client](const std::string& object) { return client.describe(object); });
}

std::vector<config::ConfigProblem> JobValidator::validate(
    const config::JobConfig& job, salesforce::SalesforceClient& client,
    std::vector<config::ConfigProblem>* warnings, const DescribeFn& describe) {
  return validateWith(job, &client, warnings, describe);
}

std::vector<config::ConfigProblem> JobValidator::validateOffline(
    const config::JobConfig& job, std::vector<config::ConfigProblem>* warnings,
    const DescribeFn& describe) {
  return validateWith(job, nullptr, warnings, describe);
}

std::vector<config::ConfigProblem> JobValidator::validateWith(
    const config::JobConfig& job, salesforce::SalesforceClient* client,
    std::vector<config::ConfigProblem>* warnings, const DescribeFn& describe) {
  std::vector<config::ConfigProblem> problems;
  auto problem = [&](const std::string& path, const std::string& message) {
    problems.push_back({job.file, path, message});
  };
  Describes describes(describe);
  const Result<salesforce::ObjectDescribe>& source = describes.get(job.sourceObject);
  if (!source.ok()) {
    const bool unreachable = source.status().code() != StatusCode::kRemoteError;
    problem(unreachable ? "connection" : "source.object", source.status().toString());
    return problems;
  }
  auto check = [&](const std::string& jsonPath, const std::string& field) {
    const std::string wrong = checkPath(describes, job.sourceObject, field);
    if (!wrong.empty()) problem(jsonPath, wrong);
  };
  std::vector<MappedField> fields = mappedFields(job);
  if (!job.dedupeBy.empty()) {  // checked right after source.fields, where the job file has it
    fields.insert(fields.begin() + static_cast<std::ptrdiff_t>(job.extraFields.size()),
                  {"source.dedupeBy", job.dedupeBy, false});
  }
  for (const MappedField& f : fields) check(f.jsonPath, f.path);
  checkReplication(job, *source, problems, *warnings);
  for (const auto& [path, message] : writeBackProblems(job, *source)) problem(path, message);
  if (client != nullptr && !job.filter.empty()) {
    salesforce::SoqlBuilder probe(job.sourceObject);
    probe.select("Id").where(job.filter).limit(1);
    Status s =
        client->query(probe.build(), {"Id"}, [](salesforce::RecordPage&) { return Status::OK(); });
    if (!s.ok()) problem("source.filter", "Salesforce rejects the filter: " + s.toString());
  }
  return problems;
}

}  // namespace sfsync::jobs
