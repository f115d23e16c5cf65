#include "config/JobParser.h"

#include "config/ConfigText.h"
#include "config/JsonDocument.h"
#include "config/JsonObjectReader.h"
#include "config/MappingParser.h"

namespace sfsync::config {

JobParser::JobParser(ProblemCollector& problems) : problems_(problems) {}

std::optional<JobConfig> JobParser::parse(const std::string& file, const std::string& text) {
  Poco::JSON::Object::Ptr root = JsonDocument::parseObject(text, problems_);
  if (!root) return std::nullopt;
  JsonObjectReader in(root, "", problems_);
  in.rejectUnknownKeys({"name", "connection", "enabled", "source", "target", "operation",
                        "mappings", "dependsOn", "schedule"});

  JobConfig job;
  job.file = file;
  if (const auto name = in.getString("name", Presence::kRequired)) job.name = text::trim(*name);
  if (const auto connection = in.getString("connection", Presence::kRequired)) {
    job.connection = text::trim(*connection);
  }
  if (const auto enabled = in.getBool("enabled", Presence::kOptional)) job.enabled = *enabled;

  if (Poco::JSON::Object::Ptr source = in.getObject("source", Presence::kRequired)) {
    JsonObjectReader src(source, "source", problems_);
    src.rejectUnknownKeys({"object", "fields", "filter"});
    if (const auto object = src.getString("object", Presence::kRequired)) {
      if (text::isApiName(*object)) {
        job.sourceObject = *object;
      } else {
        problems_.add("source.object", "invalid object name '" + *object + "'");
      }
    }
    if (const auto fields = src.getStringArray("fields", Presence::kOptional, false)) {
      for (std::size_t i = 0; i < fields->size(); ++i) {
        const std::string& f = (*fields)[i];
        if (text::isFieldPath(f)) {
          job.extraFields.push_back(f);
        } else {
          problems_.add(ProblemCollector::element("source.fields", i),
                        "invalid field name '" + f + "'");
        }
      }
    }
    if (const auto filter = src.getString("filter", Presence::kOptional, /*allowEmpty=*/true)) {
      job.filter = text::trim(*filter);
    }
  }

  if (Poco::JSON::Object::Ptr target = in.getObject("target", Presence::kRequired)) {
    JsonObjectReader tgt(target, "target", problems_);
    tgt.rejectUnknownKeys({"object"});
    if (const auto object = tgt.getString("object", Presence::kRequired)) {
      if (text::isApiName(*object)) {
        job.targetObject = *object;
      } else {
        problems_.add("target.object", "invalid object name '" + *object +
                                           "' (use letters, digits and '_', starting with a "
                                           "letter)");
      }
    }
  }

  if (const auto operation = in.getString("operation", Presence::kOptional)) {
    if (*operation == "update") {
      job.updateOnly = true;
    } else if (*operation != "upsert") {
      problems_.add("operation",
                    "unknown operation '" + *operation + "' (expected \"upsert\" or \"update\")");
    }
  }

  if (Poco::JSON::Array::Ptr mappings = in.getArray("mappings", Presence::kRequired)) {
    job.mappings = MappingParser(problems_).parse(mappings, "mappings");
  }

  if (const auto dependsOn = in.getStringArray("dependsOn", Presence::kOptional, false)) {
    // Bad entries are reported but kept, so that dependsOn[i] still matches the file for the
    // checks made later against the other jobs.
    for (std::size_t i = 0; i < dependsOn->size(); ++i) {
      const std::string name = text::trim((*dependsOn)[i]);
      const std::string path = ProblemCollector::element("dependsOn", i);
      bool repeated = false;
      for (const auto& d : job.dependsOn) repeated = repeated || d == name;
      if (!job.name.empty() && name == job.name) {
        problems_.add(path, "a job cannot depend on itself");
      } else if (repeated) {
        problems_.add(path, "job '" + name + "' is listed twice");
      }
      job.dependsOn.push_back(name);
    }
  }

  if (Poco::JSON::Object::Ptr schedule = in.getObject("schedule", Presence::kOptional)) {
    job.scheduleJson = JsonDocument::compact(schedule);
  }
  return job;
}

}  // namespace sfsync::config
