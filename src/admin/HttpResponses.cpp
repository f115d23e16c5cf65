#include "admin/HttpResponses.h"

#include "admin/GuardedConnection.h"
#include "admin/JsonWriter.h"

namespace sfsync::admin {

void addApiHeaders(Poco::Net::HTTPServerResponse& response) {
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
}

HttpStatus actionStatusFor(StatusCode code, HttpStatus otherwise) {
  switch (code) {
    case StatusCode::kNotFound:
      return Poco::Net::HTTPResponse::HTTP_NOT_FOUND;
    case StatusCode::kInvalidArgument:
      return Poco::Net::HTTPResponse::HTTP_CONFLICT;
    case StatusCode::kUnavailable:
      return Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE;
    default:
      return otherwise;
  }
}

void sendJson(Poco::Net::HTTPServerResponse& response, HttpStatus status, const std::string& body) {
  addApiHeaders(response);
  response.setStatusAndReason(status);
  response.setContentType("application/json; charset=utf-8");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  GuardedConnection::send(response, body);
}

void sendError(Poco::Net::HTTPServerResponse& response, HttpStatus status,
               const std::string& message, const std::string& parameter) {
  JsonWriter json;
  json.beginObject().stringField("error", message);
  if (!parameter.empty()) json.stringField("parameter", parameter);
  json.endObject();
  sendJson(response, status, json.str());
}

void sendParameterError(Poco::Net::HTTPServerResponse& response, const ParameterError& error) {
  sendError(response, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, error.message, error.parameter);
}

bool acceptMethods(const Poco::Net::HTTPServerRequest& request,
                   Poco::Net::HTTPServerResponse& response,
                   std::initializer_list<const char*> allowed) {
  std::string method = request.getMethod();
  if (method == Poco::Net::HTTPRequest::HTTP_HEAD) method = Poco::Net::HTTPRequest::HTTP_GET;
  std::string allow;
  for (const char* a : allowed) {
    if (method == a) return true;
    allow += (allow.empty() ? "" : ", ") + std::string(a);
  }
  response.set("Allow", allow);
  sendError(response, Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
            "method " + request.getMethod() + " is not allowed here; use " + allow);
  return false;
}

}  // namespace sfsync::admin
