// HttpResponses: the few ways the admin server answers - a JSON body, a JSON error
// {"error": "...", "parameter": "..."}, 405 with Allow - each with the headers every API response
// carries (no caching, no MIME sniffing).
//
// Thread-safety: free functions over the caller's response object.
#pragma once

#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <initializer_list>
#include <string>

#include "admin/RequestTarget.h"
#include "sfsync/core/Status.h"

namespace sfsync::admin {

using HttpStatus = Poco::Net::HTTPResponse::HTTPStatus;

// Cache-Control: no-store and X-Content-Type-Options: nosniff.
void addApiHeaders(Poco::Net::HTTPServerResponse& response);

// The status of a refused action (run controls, dry run, triage, connection actions): 404 unknown,
// 409 not possible now (kInvalidArgument), 503 busy or unreachable, else `otherwise`.
HttpStatus actionStatusFor(
    StatusCode code, HttpStatus otherwise = Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);

void sendJson(Poco::Net::HTTPServerResponse& response, HttpStatus status, const std::string& body);
// {"error": message} (+ "parameter" when non-empty).
void sendError(Poco::Net::HTTPServerResponse& response, HttpStatus status,
               const std::string& message, const std::string& parameter = "");
// 400 naming the parameter.
void sendParameterError(Poco::Net::HTTPServerResponse& response, const ParameterError& error);

// True when the request's method is one of `allowed` (HEAD counts as GET); otherwise answers 405
// with an Allow header and returns false.
bool acceptMethods(const Poco::Net::HTTPServerRequest& request,
                   Poco::Net::HTTPServerResponse& response,
                   std::initializer_list<const char*> allowed);

}  // namespace sfsync::admin
