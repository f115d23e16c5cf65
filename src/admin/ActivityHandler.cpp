#include "admin/ActivityHandler.h"

#include <fstream>
#include <optional>

#include "admin/ActivityFilter.h"
#include "admin/ActivityJson.h"
#include "admin/GuardedConnection.h"
#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

// A download name safe inside a quoted Content-Disposition filename: "<name>-<file name>" with
// anything but letters, digits, '.', '-' and '_' replaced by '_'.
std::string downloadName(const store::ExecutionRecord& r, const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string out;
  for (char c : r.name + "-" + base) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    out += safe ? c : '_';
  }
  return out;
}

}  // namespace

void ActivityHandler::serve(Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  const std::vector<std::string>& segments = target_.segments();  // "api", "activity", ...
  if (segments.size() == 2) return list(response);
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
  if (segments.size() == 3) return detail(response, segments[2]);
  if (segments.size() == 4 && (segments[3] == "errors.csv" || segments[3] == "success.csv" ||
                               segments[3] == "warnings.csv")) {
    return download(response, segments[2], segments[3]);
  }
  sendError(
      response, HTTPResponse::HTTP_NOT_FOUND,
      "no such resource; use /api/activity/{execution}[/errors.csv|/success.csv|/warnings.csv]");
}

void ActivityHandler::list(Poco::Net::HTTPServerResponse& response) {
  ActivityFilter filter;
  if (auto e = ActivityFilter::parse(target_, &filter)) return sendParameterError(response, *e);
  Result<ExecutionPage> page = filter.readPage(*context().store);
  if (!page.ok()) {
    return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, page.status().toString());
  }
  JsonWriter json;
  json.beginObject().key("executions").beginArray();
  for (const store::ExecutionRecord& r : page->rows) writeExecution(json, r);
  json.endArray().integerField("limit", filter.limit());
  json.key("nextCursor");
  if (page->next) {
    json.string(PageCursor::encode(*page->next));
  } else {
    json.null();
  }
  json.endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

std::optional<store::ExecutionRecord> ActivityHandler::find(Poco::Net::HTTPServerResponse& response,
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

namespace {

// Issue 16: a chain's row gets its counts when the chain ends; while it runs, show the sums of its
// job runs so far (each job row is kept current page by page).
void sumChildren(store::ExecutionRecord& chain, const std::vector<store::ExecutionRecord>& jobs) {
  chain.recordsRead = chain.created = chain.updated = chain.skipped = chain.failed = 0;
  chain.apiCalls = chain.warnings = chain.deleted = chain.unchanged = 0;
  for (const store::ExecutionRecord& job : jobs) {
    chain.recordsRead += job.recordsRead;
    chain.created += job.created;
    chain.updated += job.updated;
    chain.unchanged += job.unchanged;
    chain.skipped += job.skipped;
    chain.failed += job.failed;
    chain.apiCalls += job.apiCalls;
    chain.warnings += job.warnings;
    chain.deleted += job.deleted;
  }
}

}  // namespace

void ActivityHandler::detail(Poco::Net::HTTPServerResponse& response,
                             const std::string& executionId) {
  std::optional<store::ExecutionRecord> record = find(response, executionId);
  if (!record) return;
  store::ExecutionQuery childQuery;
  childQuery.parentId = executionId;
  childQuery.limit = 0;
  Result<std::vector<store::ExecutionRecord>> children =
      context().store->listExecutions(childQuery);
  if (!children.ok()) {
    return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                     children.status().toString());
  }
  if (record->kind == "chain" && record->status == "Running") sumChildren(*record, *children);
  JsonWriter json;
  json.beginObject().key("execution");
  writeExecution(json, *record);
  json.key("children").beginArray();
  for (const store::ExecutionRecord& child : *children) writeExecution(json, child);
  json.endArray();
  // Issue 16: the last run.progress of the running job, or of a running chain's running jobs.
  json.key("progress").beginArray();
  if (context().events != nullptr && record->status == "Running") {
    if (std::optional<std::string> p = context().events->recall(record->executionId)) json.raw(*p);
    for (const store::ExecutionRecord& child : *children) {
      if (child.status != "Running") continue;
      if (std::optional<std::string> p = context().events->recall(child.executionId)) json.raw(*p);
    }
  }
  json.endArray().endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

void ActivityHandler::download(Poco::Net::HTTPServerResponse& response,
                               const std::string& executionId, const std::string& file) {
  std::optional<store::ExecutionRecord> record = find(response, executionId);
  if (!record) return;
  const bool errors = file == "errors.csv";
  const bool warnings = file == "warnings.csv";
  const std::string& path = errors     ? record->errorFile
                            : warnings ? record->warningFile
                                       : record->successFile;
  const std::string what = errors ? "error file" : warnings ? "warnings file" : "success file";
  if (path.empty()) {
    return sendError(response, HTTPResponse::HTTP_NOT_FOUND,
                     "execution '" + executionId + "' has no " + what);
  }
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    return sendError(response, HTTPResponse::HTTP_NOT_FOUND,
                     "the " + what + " of execution '" + executionId +
                         "' no longer exists (removed by retention?)");
  }
  const std::streamoff size = in.tellg();
  in.seekg(0);
  addApiHeaders(response);
  response.setStatusAndReason(HTTPResponse::HTTP_OK);
  response.setContentType("text/csv; charset=utf-8");
  response.set("Content-Disposition",
               "attachment; filename=\"" + downloadName(*record, path) + "\"");
  response.setContentLength(static_cast<std::streamsize>(size));
  GuardedConnection::send(response, in);
}

}  // namespace sfsync::admin
