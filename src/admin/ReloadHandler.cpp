#include "admin/ReloadHandler.h"

#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

}  // namespace

void ReloadHandler::serve(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"POST"})) return;
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
  Result<ReloadOutcome> outcome = context().control->reload(actor_);
  if (!outcome.ok()) {
    const StatusCode code = outcome.status().code();
    return sendError(response,
                     code == StatusCode::kUnavailable ? HTTPResponse::HTTP_SERVICE_UNAVAILABLE
                                                      : HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                     outcome.status().message());
  }
  JsonWriter json;
  json.beginObject().booleanField("applied", outcome->applied);
  if (!outcome->applied) {
    json.stringField("error", std::to_string(outcome->problems.size()) +
                                  " configuration problem(s); the running configuration is kept")
        .stringArrayField("problems", outcome->problems);
  } else {
    json.stringArrayField("changes", outcome->changes)
        .stringArrayField("needsRestart", outcome->needsRestart);
  }
  json.endObject();
  sendJson(response,
           outcome->applied ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_UNPROCESSABLE_ENTITY,
           json.str());
}

}  // namespace sfsync::admin
