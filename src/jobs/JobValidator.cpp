#include "sfsync/jobs/JobValidator.h"

#include <Poco/String.h>

#include <map>
#include <utility>

#include "sfsync/salesforce/SoqlBuilder.h"

namespace sfsync::jobs {

namespace {

class Describes {
 public:
  explicit Describes(salesforce::SalesforceClient& client) : client_(client) {}
  const Result<salesforce::ObjectDescribe>& get(const std::string& object) {
    auto it = cache_.find(Poco::toLower(object));
    if (it == cache_.end()) {
      it = cache_.emplace(Poco::toLower(object), client_.describe(object)).first;
    }
    return it->second;
  }

 private:
  salesforce::SalesforceClient& client_;
  std::map<std::string, Result<salesforce::ObjectDescribe>> cache_;
};

// "" when `path` resolves from `object`, else what is wrong.
std::string checkPath(Describes& describes, const std::string& object, const std::string& path) {
  std::string current = object;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    const std::string hop = path.substr(start, dot == std::string::npos ? dot : dot - start);
    const Result<salesforce::ObjectDescribe>& d = describes.get(current);
    if (!d.ok()) return "cannot describe " + current + ": " + d.status().toString();
    if (dot == std::string::npos) {
      if (d->findField(hop) != nullptr) return "";
      return "field '" + hop + "' does not exist on " + current +
             " in Salesforce (renamed or deleted? remove it from the job and add it again)";
    }
    const salesforce::FieldDescribe* reference = nullptr;
    for (const auto& f : d->fields) {
      if (!f.relationshipName.empty() && Poco::icompare(f.relationshipName, hop) == 0) {
        reference = &f;
      }
    }
    if (reference == nullptr || reference->referenceTo.empty()) {
      return "relationship '" + hop + "' does not exist on " + current + " in Salesforce";
    }
    current = reference->referenceTo.front();
    start = dot + 1;
  }
}

// The source fields the job names (source.fields, mapping sources, derived match sources), with
// their JSON paths; not dedupeBy. (config::JobConfig::sourceFields() is the SELECT list: no paths,
// deduplicated, with Id and dedupeBy, without constant / fromTarget mappings.)
std::vector<std::pair<std::string, std::string>> mappedFields(const config::JobConfig& job) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (std::size_t i = 0; i < job.extraFields.size(); ++i) {
    fields.emplace_back("source.fields[" + std::to_string(i) + "]", job.extraFields[i]);
  }
  for (const auto& target : job.targets) {
    for (const auto& m : target.mappings) {
      if (!m.source.empty()) fields.emplace_back(m.jsonPath + ".source", m.source);
    }
    for (const auto& d : target.derived) {
      for (std::size_t k = 0; k < d.match.size(); ++k) {
        fields.emplace_back(d.jsonPath + ".match[" + std::to_string(k) + "].source",
                            d.match[k].source);
      }
    }
  }
  return fields;
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
  for (const auto& [path, field] : mappedFields(job)) {
    const salesforce::FieldDescribe* f = source.findField(field);
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
  std::vector<config::ConfigProblem> problems;
  auto problem = [&](const std::string& path, const std::string& message) {
    problems.push_back({job.file, path, message});
  };
  Describes describes(client);
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
  std::vector<std::pair<std::string, std::string>> fields = mappedFields(job);
  if (!job.dedupeBy.empty()) {  // checked right after source.fields, where the job file has it
    fields.insert(fields.begin() + static_cast<std::ptrdiff_t>(job.extraFields.size()),
                  {"source.dedupeBy", job.dedupeBy});
  }
  for (const auto& [path, field] : fields) check(path, field);
  checkReplication(job, *source, problems, *warnings);
  if (!job.filter.empty()) {
    salesforce::SoqlBuilder probe(job.sourceObject);
    probe.select("Id").where(job.filter).limit(1);
    Status s =
        client.query(probe.build(), {"Id"}, [](salesforce::RecordPage&) { return Status::OK(); });
    if (!s.ok()) problem("source.filter", "Salesforce rejects the filter: " + s.toString());
  }
  return problems;
}

}  // namespace sfsync::jobs
