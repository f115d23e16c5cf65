#include "admin/DefinitionEditHandler.h"

#include <string>
#include <vector>

#include "admin/EditorJson.h"
#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;
using Code = EditOutcome::Code;

HttpStatus statusOf(Code code) {
  switch (code) {
    case Code::kSaved:
      return HTTPResponse::HTTP_OK;
    case Code::kCreated:
      return HTTPResponse::HTTP_CREATED;
    case Code::kPreconditionRequired:
      return HTTPResponse::HTTP_PRECONDITION_REQUIRED;
    case Code::kStale:
    case Code::kExists:
      return HTTPResponse::HTTP_PRECONDITION_FAILED;
    case Code::kNotFound:
      return HTTPResponse::HTTP_NOT_FOUND;
    case Code::kInvalid:
      return HTTPResponse::HTTP_UNPROCESSABLE_ENTITY;
    case Code::kReferenced:
      return HTTPResponse::HTTP_CONFLICT;
  }
  return HTTPResponse::HTTP_INTERNAL_SERVER_ERROR;
}

std::string answer(const EditOutcome& outcome, bool removing) {
  JsonWriter json;
  json.beginObject();
  const bool done = outcome.code == Code::kSaved || outcome.code == Code::kCreated;
  if (done) {
    json.booleanField(removing ? "deleted" : "saved", true)
        .booleanField("created", outcome.code == Code::kCreated)
        .stringField("file", outcome.file)
        .stringOrNullField("etag", outcome.etag)
        .stringArrayField("changes", outcome.changes);
  } else {
    json.stringField("error", outcome.message);
    if (!outcome.etag.empty()) json.stringField("etag", outcome.etag);
    if (outcome.code == Code::kInvalid) writeProblems(json, outcome.problems);
    if (outcome.code == Code::kReferenced) json.stringArrayField("chains", outcome.referencedBy);
  }
  json.endObject();
  return json.take();
}

}  // namespace

void DefinitionEditHandler::serve(Poco::Net::HTTPServerRequest& request,
                                  Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"PUT", "DELETE"})) return;
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
  if (bodyTooLarge()) {
    return sendError(response, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE,
                     "the body is larger than " + std::to_string(kMaxRequestBody) + " bytes");
  }
  if (context().editor == nullptr) {
    return sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                     "this server cannot edit definitions");
  }
  const std::vector<std::string>& segments = target_.segments();  // "api", family, name
  EditRequest edit;
  edit.kind = segments[1] == "jobs" ? "job" : "chain";
  edit.name = segments[2];
  edit.text = body();
  edit.actor = actor_;
  if (request.has("If-Match")) edit.ifMatch = request.get("If-Match");
  edit.createOnly = request.get("If-None-Match", "") == "*";
  const bool removing = request.getMethod() == "DELETE";
  Result<EditOutcome> outcome =
      removing ? context().editor->remove(edit) : context().editor->save(edit);
  if (!outcome.ok()) {
    return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                     outcome.status().message());
  }
  if (!outcome->etag.empty()) response.set("ETag", outcome->etag);
  sendJson(response, statusOf(outcome->code), answer(*outcome, removing));
}

}  // namespace sfsync::admin
