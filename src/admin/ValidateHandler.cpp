#include "admin/ValidateHandler.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <string>
#include <vector>

#include "admin/EditorJson.h"
#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

struct ValidateRequest {
  std::string kind;
  std::string name;
  std::string text;
};

// The request body as a ValidateRequest; an error message when it is not one.
Result<ValidateRequest> parseRequest(const std::string& body) {
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // keep the key order
    object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("the body is not a JSON object: " + e.displayText());
  }
  if (object.isNull()) return Status::InvalidArgument("the body is not a JSON object");
  ValidateRequest out;
  out.kind = object->optValue<std::string>("kind", "");
  if (out.kind != "job" && out.kind != "chain") {
    return Status::InvalidArgument("\"kind\" must be \"job\" or \"chain\"");
  }
  out.name = object->optValue<std::string>("name", "");
  if (object->isObject("definition")) {
    std::ostringstream text;
    object->getObject("definition")->stringify(text, 2);
    out.text = text.str();
  } else if (object->has("text") && object->get("text").isString()) {
    out.text = object->getValue<std::string>("text");
  } else {
    return Status::InvalidArgument(
        "give the definition as \"definition\" (a JSON object) or \"text\" (the file text)");
  }
  return out;
}

}  // namespace

void ValidateHandler::serve(Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"POST"})) return;
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
  if (bodyTooLarge()) {
    return sendError(response, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE,
                     "the body is larger than " + std::to_string(kMaxRequestBody) + " bytes");
  }
  if (context().editor == nullptr) {
    return sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                     "this server cannot validate definitions");
  }
  Result<ValidateRequest> parsed = parseRequest(body());
  if (!parsed.ok()) {
    return sendError(response, HTTPResponse::HTTP_BAD_REQUEST, parsed.status().message());
  }
  Result<std::vector<DefinitionProblem>> problems =
      context().editor->validate(parsed->kind, parsed->name, parsed->text);
  if (!problems.ok()) {
    return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                     problems.status().message());
  }
  bool valid = true;
  for (const DefinitionProblem& p : *problems) valid = valid && p.severity != "error";
  JsonWriter json;
  json.beginObject().booleanField("valid", valid);
  writeProblems(json, *problems);
  json.endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

}  // namespace sfsync::admin
