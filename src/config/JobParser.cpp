#include "config/JobParser.h"

#include "config/ConfigText.h"
#include "config/JsonDocument.h"
#include "config/JsonObjectReader.h"
#include "config/ReplicationKeys.h"
#include "config/RunKeys.h"
#include "config/TargetParser.h"
#include "config/WriteBackKeys.h"

namespace sfsync::config {

JobParser::JobParser(ProblemCollector& problems) : problems_(problems) {}

void JobParser::readTargets(JsonObjectReader& in, JobConfig& job) {
  TargetParser parser(problems_);
  if (!in.has("targets")) {
    job.targets.push_back(parser.parseSingle(in));
    return;
  }
  if (in.has("target")) {
    problems_.add("target", "use either \"target\" (one target) or \"targets\", not both");
  }
  for (const char* key : {"mappings", "derivedMappings"}) {
    if (in.has(key)) {
      problems_.add(key, "not allowed with \"targets\": put the mappings inside each target");
    }
  }
  if (Poco::JSON::Array::Ptr targets = in.getArray("targets", Presence::kRequired)) {
    job.targets = parser.parseList(targets, "targets");
  }
}

void JobParser::readRetries(JsonObjectReader& in, RetryConfig& retries) {
  Poco::JSON::Object::Ptr object = in.getObject("retries", Presence::kOptional);
  if (!object) return;
  JsonObjectReader r(object, "retries", problems_);
  r.rejectUnknownKeys({"count", "initialBackoffSeconds", "maxBackoffSeconds"});
  if (const auto n = r.getInteger("count", Presence::kOptional, 0, kMaxRetries)) {
    retries.count = static_cast<int>(*n);
  }
  const auto initial =
      r.getInteger("initialBackoffSeconds", Presence::kOptional, 1, kMaxBackoffSeconds);
  if (initial) retries.initialBackoffSeconds = static_cast<int>(*initial);
  const auto max = r.getInteger("maxBackoffSeconds", Presence::kOptional, 1, kMaxBackoffSeconds);
  if (max) retries.maxBackoffSeconds = static_cast<int>(*max);
  const bool checkable =
      (initial || !r.has("initialBackoffSeconds")) && (max || !r.has("maxBackoffSeconds"));
  if (checkable && retries.maxBackoffSeconds < retries.initialBackoffSeconds) {
    problems_.add(r.pathOf(max ? "maxBackoffSeconds" : "initialBackoffSeconds"),
                  "maxBackoffSeconds (" + std::to_string(retries.maxBackoffSeconds) +
                      ") must not be less than initialBackoffSeconds (" +
                      std::to_string(retries.initialBackoffSeconds) + ")");
  }
}

std::optional<JobConfig> JobParser::parse(const std::string& file, const std::string& text) {
  Poco::JSON::Object::Ptr root = JsonDocument::parseObject(text, problems_);
  if (!root) return std::nullopt;
  JsonObjectReader in(root, "", problems_);
  in.rejectUnknownKeys({"name",
                        "connection",
                        "enabled",
                        "source",
                        "target",
                        "targets",
                        "operation",
                        "mappings",
                        "derivedMappings",
                        "dependsOn",
                        "schedule",
                        "retries",
                        "overlap",
                        "notifications",
                        "successFile",
                        "bulkThreshold",
                        "dryRunMaxRecords",
                        "onSourceDelete",
                        "massDeletePercent",
                        "refreshCalculatedEvery",
                        "createInSalesforce",
                        "externalIdField"});

  JobConfig job;
  job.file = file;
  if (const auto name = in.getString("name", Presence::kRequired)) job.name = text::trim(*name);
  if (const auto connection = in.getString("connection", Presence::kRequired)) {
    job.connection = text::trim(*connection);
  }
  if (const auto enabled = in.getBool("enabled", Presence::kOptional)) job.enabled = *enabled;

  if (Poco::JSON::Object::Ptr source = in.getObject("source", Presence::kRequired)) {
    JsonObjectReader src(source, "source", problems_);
    src.rejectUnknownKeys({"object", "fields", "filter", "dedupeBy", "mode", "api", "overlap"});
    replication_keys::readSourceKeys(src, job);
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
    if (const auto dedupeBy = src.getString("dedupeBy", Presence::kOptional, /*allowEmpty=*/true)) {
      const std::string field = text::trim(*dedupeBy);
      if (field.empty() || text::isApiName(field)) {
        job.dedupeBy = field;
      } else {
        problems_.add("source.dedupeBy",
                      "invalid field name '" + *dedupeBy +
                          "' (expected a field of the source object such as SystemModstamp, or "
                          "\"\" to turn deduplication off)");
      }
    }
  }

  readTargets(in, job);

  if (const auto operation = in.getString("operation", Presence::kOptional)) {
    if (*operation == "update") {
      job.updateOnly = true;
    } else if (*operation != "upsert") {
      problems_.add("operation",
                    "unknown operation '" + *operation + "' (expected \"upsert\" or \"update\")");
    }
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

  run_keys::readSchedule(in, &job.scheduleJson);
  readRetries(in, job.retries);
  run_keys::readOverlap(in, &job.overlap);
  run_keys::readNotifications(in, &job.notificationsJson);
  if (const auto successFile = in.getBool("successFile", Presence::kOptional)) {
    job.successFile = *successFile;
  }
  replication_keys::readJobKeys(in, job);
  write_back_keys::readJobKeys(in, job);
  return job;
}

}  // namespace sfsync::config
