#include "jobs/JobFields.h"

#include <Poco/String.h>

namespace sfsync::jobs {

std::vector<MappedField> mappedFields(const config::JobConfig& job) {
  std::vector<MappedField> fields;
  for (std::size_t i = 0; i < job.extraFields.size(); ++i) {
    fields.push_back({"source.fields[" + std::to_string(i) + "]", job.extraFields[i], false});
  }
  for (const auto& target : job.targets) {
    for (const auto& m : target.mappings) {
      if (!m.source.empty())
        fields.push_back({m.jsonPath + ".source", m.source, m.type.has_value()});
    }
    for (const auto& d : target.derived) {
      for (std::size_t k = 0; k < d.match.size(); ++k) {
        fields.push_back(
            {d.jsonPath + ".match[" + std::to_string(k) + "].source", d.match[k].source, false});
      }
    }
  }
  return fields;
}

namespace {

const salesforce::FieldDescribe* relationship(const salesforce::ObjectDescribe& d,
                                              const std::string& hop) {
  const salesforce::FieldDescribe* reference = nullptr;
  for (const auto& f : d.fields) {
    if (!f.relationshipName.empty() && Poco::icompare(f.relationshipName, hop) == 0) {
      reference = &f;
    }
  }
  return reference;
}

}  // namespace

PathResolution resolvePath(const DescribeLookup& describes, const std::string& object,
                           const std::string& path) {
  PathResolution out;
  out.object = object;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    out.hop = path.substr(start, dot == std::string::npos ? dot : dot - start);
    const Result<salesforce::ObjectDescribe>& d = describes(out.object);
    if (!d.ok()) {
      if (d.status().code() == StatusCode::kNotFound && d.status().message() == kNotAvailable) {
        out.unknown = true;
      } else {
        out.problem = "cannot describe " + out.object + ": " + d.status().toString();
      }
      return out;
    }
    if (dot == std::string::npos) {
      if (const salesforce::FieldDescribe* f = d->findField(out.hop)) {
        out.field = *f;
        out.found = true;
      } else {
        out.problem = "field '" + out.hop + "' does not exist on " + out.object + " in Salesforce";
      }
      return out;
    }
    const salesforce::FieldDescribe* reference = relationship(*d, out.hop);
    if (reference == nullptr || reference->referenceTo.empty()) {
      out.problem =
          "relationship '" + out.hop + "' does not exist on " + out.object + " in Salesforce";
      return out;
    }
    out.object = reference->referenceTo.front();
    start = dot + 1;
  }
}

}  // namespace sfsync::jobs
