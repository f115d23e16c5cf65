#include "admin/DryRunHandler.h"

#include <vector>

#include "admin/HttpResponses.h"
#include "sfsync/admin/AdminControl.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

// The maxRecords parameter: absent -> 0 (the job's bound); else 1..kMaxDryRunRecordsParameter.
bool readMaxRecords(const RequestTarget& target, std::int64_t& out) {
  out = 0;
  const std::string* text = target.parameter("maxRecords");
  if (text == nullptr) return true;
  if (text->empty() || text->size() > 7) return false;
  for (char c : *text) {
    if (c < '0' || c > '9') return false;
  }
  out = std::stoll(*text);
  return out >= 1 && out <= kMaxDryRunRecordsParameter;
}

}  // namespace

void DryRunHandler::serve(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
  const std::string& name = target_.segments()[2];  // api, jobs, name, dry-run
  if (!acceptMethods(request, response, {"POST"})) return;
  if (auto e = target_.checkParameters({"maxRecords", "download"})) {
    return sendParameterError(response, *e);
  }
  std::int64_t maxRecords = 0;
  if (!readMaxRecords(target_, maxRecords)) {
    return sendParameterError(response,
                              {"maxRecords", "maxRecords must be an integer from 1 to " +
                                                 std::to_string(kMaxDryRunRecordsParameter)});
  }
  Result<std::string> report = context().control->dryRun(name, maxRecords, actor_);
  if (!report.ok()) {
    return sendError(response,
                     actionStatusFor(report.status().code(), HTTPResponse::HTTP_BAD_GATEWAY),
                     report.status().message());
  }
  const std::string* download = target_.parameter("download");
  if (download != nullptr && *download == "1") {
    response.set("Content-Disposition", "attachment; filename=\"dry-run.json\"");
  }
  sendJson(response, HTTPResponse::HTTP_OK, *report);
}

}  // namespace sfsync::admin
