#include "admin/DefinitionsHandler.h"

#include <optional>
#include <string>
#include <vector>

#include "admin/ActivityJson.h"
#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"
#include "sfsync/admin/RealtimeJson.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

constexpr int kRecentExecutions = 10;

// Issue 18: each real-time job's live numbers in its JSON ("realtime").
void addRealtime(AdminControl& control, std::vector<EntrySummary>& jobs) {
  for (const RealtimeStats& stats : control.realtime()) {
    for (EntrySummary& job : jobs) {
      if (job.name == stats.job) job.realtimeJson = realtimeStatsJson(stats);
    }
  }
}

}  // namespace

void DefinitionsHandler::serve(Poco::Net::HTTPServerRequest& request,
                               Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  const std::vector<std::string>& segments = target_.segments();  // "api", family[, name]
  if (segments.size() > 3) {
    return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "no such resource");
  }
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
  const std::string& family = segments[1];
  AdminControl& control = *context().control;
  std::vector<EntrySummary> entries = family == "connections" ? control.connections()
                                      : family == "jobs"      ? control.jobs()
                                                              : control.chains();
  if (family == "jobs") addRealtime(control, entries);
  JsonWriter json;
  if (segments.size() == 2) {
    json.beginObject().key(family).beginArray();
    for (const EntrySummary& entry : entries) writeSummary(json, entry, false);
    json.endArray().endObject();
    return sendJson(response, HTTPResponse::HTTP_OK, json.str());
  }

  const std::string& name = segments[2];
  const EntrySummary* found = nullptr;
  for (const EntrySummary& entry : entries) {
    if (entry.name == name) found = &entry;
  }
  const std::string singular = family.substr(0, family.size() - 1);
  if (found == nullptr) {
    return sendError(response, HTTPResponse::HTTP_NOT_FOUND,
                     "unknown " + singular + " '" + name + "'");
  }
  store::ExecutionQuery query;
  if (singular == "connection") {
    query.connection = name;
  } else {
    query.name = name;
    query.kind = singular;
  }
  query.limit = kRecentExecutions;
  Result<std::vector<store::ExecutionRecord>> recent = context().store->listExecutions(query);
  if (!recent.ok()) {
    return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                     recent.status().toString());
  }
  // Issue 17: the file's text and ETag for the editor (If-Match of a PUT).
  std::optional<DefinitionDocument> document;
  if (context().editor != nullptr && singular != "connection") {
    Result<DefinitionDocument> read = context().editor->read(singular, name);
    if (!read.ok()) {  // without the text and its ETag the page could never save (every PUT 412)
      return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                       "cannot read the " + singular + "'s file: " + read.status().message());
    }
    document = std::move(*read);
  }
  if (document) response.set("ETag", document->etag);
  json.beginObject().key(singular);
  writeSummary(json, *found, singular != "connection");
  if (document) {
    json.stringField("etag", document->etag).stringField("text", document->text);
  }
  json.key("recentExecutions").beginArray();
  for (const store::ExecutionRecord& r : *recent) writeExecution(json, r);
  json.endArray().endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

}  // namespace sfsync::admin
