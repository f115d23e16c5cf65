#include "admin/MetricsHandler.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "admin/ActivityJson.h"
#include "admin/HttpResponses.h"
#include "admin/IsoTime.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

constexpr int kPageRows = 1000;

// A label value escaped per the exposition format (backslash, double quote, line feed).
std::string label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string seconds(std::int64_t millis) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%lld.%03lld", static_cast<long long>(millis / 1000),
                static_cast<long long>(millis % 1000));
  return buffer;
}

void header(std::string& out, const char* name, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n";
}

struct JobTotals {
  std::array<std::int64_t, 6> records{};  // read, created, updated, skipped, failed, deleted
  std::int64_t apiCalls = 0;
};

}  // namespace

void MetricsHandler::serve(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);

  std::map<std::pair<std::string, std::string>, std::int64_t> executions;  // (kind, status)
  for (const char* kind : {"job", "chain"}) {
    for (const char* const* s = executionStatuses(); *s != nullptr; ++s) executions[{kind, *s}] = 0;
  }
  std::map<std::string, JobTotals> jobs;
  std::map<std::pair<std::string, std::string>, std::int64_t> lastSuccess;    // (kind, name)
  std::map<std::pair<std::string, std::string>, std::int64_t> lastExecution;  // (kind, name)

  store::ExecutionQuery query;
  query.limit = kPageRows;
  while (true) {
    Result<std::vector<store::ExecutionRecord>> rows = context().store->listExecutions(query);
    if (!rows.ok()) {
      return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                       rows.status().toString());
    }
    for (const store::ExecutionRecord& r : *rows) {
      ++executions[{r.kind, r.status}];
      const std::pair<std::string, std::string> key{r.kind, r.name};
      // Newest first: the first row seen per (kind, name) is the newest.
      if (std::optional<std::int64_t> start = parseIsoTime(r.startTime)) {
        lastExecution.emplace(key, *start);
      }
      if (r.status == "Success") {
        if (std::optional<std::int64_t> end = parseIsoTime(r.endTime))
          lastSuccess.emplace(key, *end);
      }
      if (r.kind == "job") {
        JobTotals& totals = jobs[r.name];
        const std::int64_t counts[] = {r.recordsRead, r.created, r.updated,
                                       r.skipped,     r.failed,  r.deleted};
        for (std::size_t i = 0; i < totals.records.size(); ++i) totals.records[i] += counts[i];
        totals.apiCalls += r.apiCalls;
      }
    }
    if (rows->size() < static_cast<std::size_t>(kPageRows)) break;
    query.beforeStartTime = rows->back().startTime;
    query.beforeExecutionId = rows->back().executionId;
  }

  std::string out;
  header(out, "sfsync_executions", "Executions in the activity log by kind and status.");
  for (const auto& [key, count] : executions) {
    out += "sfsync_executions{kind=\"" + label(key.first) + "\",status=\"" + label(key.second) +
           "\"} " + std::to_string(count) + "\n";
  }
  header(out, "sfsync_records", "Records of the job runs in the activity log by outcome.");
  static const char* const kOutcomes[] = {"read",    "created", "updated",
                                          "skipped", "failed",  "deleted"};
  for (const auto& [job, totals] : jobs) {
    for (std::size_t i = 0; i < totals.records.size(); ++i) {
      out += "sfsync_records{job=\"" + label(job) + "\",outcome=\"" + kOutcomes[i] + "\"} " +
             std::to_string(totals.records[i]) + "\n";
    }
  }
  header(out, "sfsync_api_calls", "Salesforce API calls of the job runs in the activity log.");
  for (const auto& [job, totals] : jobs) {
    out += "sfsync_api_calls{job=\"" + label(job) + "\"} " + std::to_string(totals.apiCalls) + "\n";
  }
  header(out, "sfsync_last_success_timestamp_seconds",
         "End time of the newest successful execution (Unix seconds).");
  for (const auto& [key, millis] : lastSuccess) {
    out += "sfsync_last_success_timestamp_seconds{kind=\"" + label(key.first) + "\",name=\"" +
           label(key.second) + "\"} " + seconds(millis) + "\n";
  }
  header(out, "sfsync_last_execution_timestamp_seconds",
         "Start time of the newest execution (Unix seconds).");
  for (const auto& [key, millis] : lastExecution) {
    out += "sfsync_last_execution_timestamp_seconds{kind=\"" + label(key.first) + "\",name=\"" +
           label(key.second) + "\"} " + seconds(millis) + "\n";
  }

  addApiHeaders(response);
  response.setStatusAndReason(HTTPResponse::HTTP_OK);
  response.setContentType("text/plain; version=0.0.4; charset=utf-8");
  response.setContentLength(static_cast<std::streamsize>(out.size()));
  response.send() << out;
}

}  // namespace sfsync::admin
