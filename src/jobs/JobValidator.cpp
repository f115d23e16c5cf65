#include "sfsync/jobs/JobValidator.h"

#include <Poco/String.h>

#include <map>

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

}  // namespace

std::vector<config::ConfigProblem> JobValidator::validate(const config::JobConfig& job,
                                                          salesforce::SalesforceClient& client) {
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
  for (std::size_t i = 0; i < job.extraFields.size(); ++i) {
    check("source.fields[" + std::to_string(i) + "]", job.extraFields[i]);
  }
  if (!job.dedupeBy.empty()) check("source.dedupeBy", job.dedupeBy);
  for (const auto& target : job.targets) {
    for (const auto& m : target.mappings) {
      if (!m.source.empty()) check(m.jsonPath + ".source", m.source);
    }
    for (const auto& d : target.derived) {
      for (std::size_t k = 0; k < d.match.size(); ++k) {
        check(d.jsonPath + ".match[" + std::to_string(k) + "].source", d.match[k].source);
      }
    }
  }
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
