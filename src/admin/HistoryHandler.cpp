#include "admin/HistoryHandler.h"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "admin/HttpResponses.h"
#include "admin/IsoTime.h"
#include "admin/JsonWriter.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

std::optional<ParameterError> parseLimit(const RequestTarget& target, int* limit) {
  const std::string* text = target.parameter("limit");
  if (text == nullptr) {
    *limit = HistoryHandler::kDefaultLimit;
    return std::nullopt;
  }
  const ParameterError error{
      "limit", "limit must be an integer from 1 to " + std::to_string(HistoryHandler::kMaxLimit)};
  if (text->empty() || text->size() > 3) return error;
  int value = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return error;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > HistoryHandler::kMaxLimit) return error;
  *limit = value;
  return std::nullopt;
}

bool configured(AdminControl& control, const std::string& kind, const std::string& name) {
  const std::vector<EntrySummary> entries = kind == "job" ? control.jobs() : control.chains();
  for (const EntrySummary& e : entries) {
    if (e.name == name) return true;
  }
  return false;
}

void writeRun(JsonWriter& json, const store::ExecutionRecord& r) {
  json.beginObject()
      .stringField("executionId", r.executionId)
      .stringField("status", r.status)
      .stringField("startTime", r.startTime)
      .stringOrNullField("endTime", r.endTime);
  const std::optional<std::int64_t> start = parseIsoTime(r.startTime);
  const std::optional<std::int64_t> end = parseIsoTime(r.endTime);
  json.key("durationMs");
  if (start && end && *end >= *start) {
    json.integer(*end - *start);
  } else {
    json.null();
  }
  json.integerField("recordsRead", r.recordsRead)
      .integerField("succeeded", r.succeeded())
      .integerField("failed", r.failed)
      .integerField("warnings", r.warnings)
      .endObject();
}

// Success / finished runs (Skipped and unfinished excluded), as JSON; null when none finished.
std::string successRate(const std::vector<store::ExecutionRecord>& runs, int* finished) {
  int succeeded = 0;
  *finished = 0;
  for (const store::ExecutionRecord& r : runs) {
    if (store::isUnfinishedStatus(r.status) || r.status == "Skipped") continue;
    ++*finished;
    if (r.status == "Success") ++succeeded;
  }
  if (*finished == 0) return "null";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", static_cast<double>(succeeded) / *finished);
  return buffer;
}

}  // namespace

void HistoryHandler::serve(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  const std::vector<std::string>& segments = target_.segments();  // api, family, name, history
  const std::string kind = segments[1] == "jobs" ? "job" : "chain";
  const std::string& name = segments[2];
  if (auto e = target_.checkParameters({"limit"})) return sendParameterError(response, *e);
  int limit = kDefaultLimit;
  if (auto e = parseLimit(target_, &limit)) return sendParameterError(response, *e);
  if (!configured(*context().control, kind, name)) {
    return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "unknown " + kind + " '" + name + "'");
  }
  store::ExecutionQuery query;
  query.kind = kind;
  query.name = name;
  query.limit = limit;
  Result<std::vector<store::ExecutionRecord>> runs = context().store->listExecutions(query);
  if (!runs.ok()) {
    return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, runs.status().toString());
  }
  int finished = 0;
  const std::string rate = successRate(*runs, &finished);
  JsonWriter json;
  json.beginObject().stringField("kind", kind).stringField("name", name);
  json.integerField("limit", limit).integerField("finished", finished);
  json.key("successRate").raw(rate);
  json.key("runs").beginArray();
  for (const store::ExecutionRecord& r : *runs) writeRun(json, r);
  json.endArray().endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

}  // namespace sfsync::admin
