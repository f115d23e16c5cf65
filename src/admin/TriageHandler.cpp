#include "admin/TriageHandler.h"

#include <vector>

#include "admin/ActivityJson.h"
#include "admin/HttpResponses.h"
#include "sfsync/activity/ErrorFileReader.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

constexpr int kDefaultRows = 50;

void writeRow(JsonWriter& json, const std::vector<std::string>& row) {
  json.beginArray();
  for (const std::string& field : row) json.string(field);
  json.endArray();
}

void writeGroups(JsonWriter& json, const char* name,
                 const std::vector<activity::ErrorGroup>& groups) {
  json.key(name).beginArray();
  for (const activity::ErrorGroup& group : groups) {
    json.beginObject().stringField("key", group.key).integerField("count", group.count);
    json.key("samples").beginArray();
    for (const auto& row : group.samples) writeRow(json, row);
    json.endArray().endObject();
  }
  json.endArray();
}

// Parses a non-negative integer parameter (at most 9 digits); nullopt when malformed.
std::optional<std::int64_t> number(const RequestTarget& target, const char* name,
                                   std::int64_t fallback) {
  const std::string* text = target.parameter(name);
  if (text == nullptr) return fallback;
  if (text->empty() || text->size() > 9) return std::nullopt;
  std::int64_t value = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

bool TriageHandler::handles(const std::vector<std::string>& segments) {
  if (segments.size() == 4) {
    return segments[3] == "errors" || segments[3] == "warnings" || segments[3] == "rerun-failed";
  }
  return segments.size() == 5 && (segments[3] == "errors" || segments[3] == "warnings") &&
         segments[4] == "summary";
}

void TriageHandler::serve(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
  const std::vector<std::string>& segments = target_.segments();
  const std::string& id = segments[2];
  if (segments[3] == "rerun-failed") {
    if (!acceptMethods(request, response, {"POST"})) return;
    if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
    return rerun(response, id);
  }
  if (!acceptMethods(request, response, {"GET"})) return;
  const bool warnings = segments[3] == "warnings";
  const bool isSummary = segments.size() == 5;
  if (auto e = isSummary ? target_.checkParameters({})
                         : target_.checkParameters({"reason", "offset", "limit"})) {
    return sendParameterError(response, *e);
  }
  std::optional<store::ExecutionRecord> record = find(response, id);
  if (!record) return;
  if (record->kind == "chain") return chainFiles(response, *record);
  return isSummary ? summary(response, *record, warnings) : rows(response, *record, warnings);
}

std::optional<store::ExecutionRecord> TriageHandler::find(Poco::Net::HTTPServerResponse& response,
                                                          const std::string& executionId) {
  store::ExecutionQuery query;
  query.executionId = executionId;
  query.limit = 1;
  Result<std::vector<store::ExecutionRecord>> rows = context().store->listExecutions(query);
  if (!rows.ok()) {
    sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, rows.status().toString());
    return std::nullopt;
  }
  if (rows->empty()) {
    sendError(response, HTTPResponse::HTTP_NOT_FOUND, "unknown execution '" + executionId + "'");
    return std::nullopt;
  }
  return std::move(rows->front());
}

void TriageHandler::summary(Poco::Net::HTTPServerResponse& response,
                            const store::ExecutionRecord& record, bool warnings) {
  const std::string& path = warnings ? record.warningFile : record.errorFile;
  JsonWriter json;
  json.beginObject().stringField("executionId", record.executionId).stringField("kind", "job");
  json.stringField("file", warnings ? "warnings" : "errors");
  if (path.empty()) {
    json.integerField("rows", 0).key("header").beginArray().endArray();
    json.key("byReason").beginArray().endArray().key("byMapping").beginArray().endArray();
    json.booleanField("truncated", false).endObject();
    return sendJson(response, HTTPResponse::HTTP_OK, json.str());
  }
  Result<activity::ErrorSummary> read =
      activity::ErrorFileReader::summarize(path, activity::ErrorFileLimits{});
  if (!read.ok()) {
    return sendError(response, actionStatusFor(read.status().code()), read.status().message());
  }
  json.integerField("rows", read->rows).stringArrayField("header", read->header);
  writeGroups(json, "byReason", read->byReason);
  writeGroups(json, "byMapping", read->byMapping);
  json.booleanField("truncated", read->truncated).endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

void TriageHandler::rows(Poco::Net::HTTPServerResponse& response,
                         const store::ExecutionRecord& record, bool warnings) {
  const std::optional<std::int64_t> offset = number(target_, "offset", 0);
  if (!offset) return sendParameterError(response, {"offset", "offset must be an integer >= 0"});
  const std::optional<std::int64_t> limit = number(target_, "limit", kDefaultRows);
  const int maxLimit = activity::ErrorFileReader::kMaxPageLimit;
  if (!limit || *limit < 1 || *limit > maxLimit) {
    return sendParameterError(
        response, {"limit", "limit must be an integer from 1 to " + std::to_string(maxLimit)});
  }
  const std::string* reasonParam = target_.parameter("reason");
  const std::string reason = reasonParam ? *reasonParam : "";
  const std::string& path = warnings ? record.warningFile : record.errorFile;
  activity::ErrorRowsPage page;
  if (!path.empty()) {
    Result<activity::ErrorRowsPage> read = activity::ErrorFileReader::page(
        path, reason, *offset, static_cast<int>(*limit), activity::ErrorFileLimits{});
    if (!read.ok()) {
      return sendError(response, actionStatusFor(read.status().code()), read.status().message());
    }
    page = std::move(read).value();
  }
  JsonWriter json;
  json.beginObject().stringField("executionId", record.executionId);
  json.stringField("file", warnings ? "warnings" : "errors").stringField("reason", reason);
  json.integerField("offset", *offset).integerField("limit", *limit);
  json.integerField("matched", page.matched).stringArrayField("header", page.header);
  json.key("rows").beginArray();
  for (const auto& row : page.rows) writeRow(json, row);
  json.endArray().booleanField("truncated", page.truncated).endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

void TriageHandler::chainFiles(Poco::Net::HTTPServerResponse& response,
                               const store::ExecutionRecord& record) {
  store::ExecutionQuery children;
  children.parentId = record.executionId;
  children.limit = 0;
  Result<std::vector<store::ExecutionRecord>> jobs = context().store->listExecutions(children);
  if (!jobs.ok()) {
    return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, jobs.status().toString());
  }
  JsonWriter json;
  json.beginObject().stringField("executionId", record.executionId).stringField("kind", "chain");
  json.key("jobs").beginArray();
  for (const store::ExecutionRecord& job : *jobs) {
    json.beginObject()
        .stringField("executionId", job.executionId)
        .stringField("name", job.name)
        .stringField("status", job.status)
        .integerField("failed", job.failed)
        .integerField("warnings", job.warnings)
        .booleanField("errorFile", !job.errorFile.empty())
        .booleanField("warningFile", !job.warningFile.empty())
        .endObject();
  }
  json.endArray().endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

void TriageHandler::rerun(Poco::Net::HTTPServerResponse& response, const std::string& executionId) {
  Result<std::string> result = context().control->rerunFailed(executionId, actor_);
  JsonWriter json;
  json.beginObject().stringField("executionId", executionId).stringField("action", "rerun-failed");
  if (!result.ok()) {
    json.stringField("error", result.status().message()).endObject();
    return sendJson(response, actionStatusFor(result.status().code()), json.str());
  }
  json.stringField("message", *result).endObject();
  sendJson(response, HTTPResponse::HTTP_ACCEPTED, json.str());
}

}  // namespace sfsync::admin
