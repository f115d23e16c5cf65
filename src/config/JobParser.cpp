#include "config/JobParser.h"

#include "config/ConfigText.h"
#include "config/JsonDocument.h"
#include "config/JsonObjectReader.h"
#include "config/ReplicationKeys.h"
#include "config/RunKeys.h"
#include "config/TargetParser.h"
#include "sfsync/snowflake/SnowflakeQuery.h"
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
                        "createNewPeople", "realtime",
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
    src.rejectUnknownKeys({"object", "fields", "filter", "dedupeBy", "mode", "api", "overlap",
                           "table", "query", "incrementalColumn", "identifier"});
    replication_keys::readSourceKeys(src, job);
    if (src.has("table") || src.has("query")) {
      readSnowflakeSource(src, job);
    } else if (const auto object = src.getString("object", Presence::kRequired)) {
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
  if (const auto create = in.getBool("createNewPeople", Presence::kOptional)) {
    if (in.has("operation")) {
      problems_.add("createNewPeople", "give either createNewPeople or operation, not both");
    }
    job.updateOnly = !*create;
  }
  if (const auto realtime = in.getBool("realtime", Presence::kOptional)) job.realtime = *realtime;
  write_back_keys::readJobKeys(in, job);
  return job;
}

void JobParser::readSnowflakeSource(JsonObjectReader& src, JobConfig& job) {
  if (src.has("object")) {
    problems_.add("source.object",
                  "a Snowflake source names a \"table\" or a \"query\", not an object");
  }
  snowflake::SnowflakeQuery query;
  if (const auto table = src.getString("table", Presence::kOptional))
    query.table = text::trim(*table);
  if (const auto sql = src.getString("query", Presence::kOptional)) query.query = text::trim(*sql);
  query.fields = {"x"};  // the fields are checked with the other source fields
  Status valid = query.validate();
  if (!valid.ok()) {
    const std::string& m = valid.message();
    const std::size_t colon = m.find(": ");
    problems_.add(colon == std::string::npos ? "source" : m.substr(0, colon),
                  colon == std::string::npos ? m : m.substr(colon + 2));
  }
  job.sourceTable = query.table;
  job.sourceQuery = query.query;
  const std::size_t dot = query.table.rfind('.');
  job.sourceObject =
      query.table.empty() ? "QUERY" : query.table.substr(dot == std::string::npos ? 0 : dot + 1);
  if (!src.has("dedupeBy")) job.dedupeBy.clear();  // no SystemModstamp in a warehouse table
  if (const auto column = src.getString("incrementalColumn", Presence::kOptional)) {
    job.incrementalColumn = text::trim(*column);
    if (!text::isApiName(job.incrementalColumn)) {
      problems_.add("source.incrementalColumn", "invalid column name '" + *column + "'");
    } else {
      job.extraFields.push_back(job.incrementalColumn);  // read, to know the run's highest value
    }
  }
  if (const auto id = src.getString("identifier", Presence::kOptional)) {
    job.identifierColumn = text::trim(*id);
    if (!text::isApiName(job.identifierColumn)) {
      problems_.add("source.identifier", "invalid column name '" + *id + "'");
    }
  }
}

}  // namespace sfsync::config
