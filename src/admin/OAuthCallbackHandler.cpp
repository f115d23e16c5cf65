#include "admin/OAuthCallbackHandler.h"

#include <Poco/URI.h>

#include "admin/GuardedConnection.h"
#include "admin/HttpResponses.h"
#include "admin/OAuthStates.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

std::string escapeHtml(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '"')
      out += "&quot;";
    else if (c == '\'')
      out += "&#39;";
    else
      out.push_back(c);
  }
  return out;
}

std::string parameterOr(const RequestTarget& target, const char* name) {
  const std::string* value = target.parameter(name);
  return value == nullptr ? std::string() : *value;
}

}  // namespace

void OAuthCallbackHandler::sendPage(Poco::Net::HTTPServerResponse& response,
                                    HTTPResponse::HTTPStatus status, const std::string& title,
                                    const std::string& message) {
  const std::string body =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escapeHtml(title) +
      " | sfsync admin</title></head><body><main><h1>" + escapeHtml(title) + "</h1><p>" +
      escapeHtml(message) +
      "</p><p><a href=\"/#/connections\">Back to the connections</a></p></main></body></html>";
  addApiHeaders(response);
  response.setStatusAndReason(status);
  response.setContentType("text/html; charset=utf-8");
  response.set("Content-Security-Policy", "default-src 'none'");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  GuardedConnection::send(response, body);
}

void OAuthCallbackHandler::serve(Poco::Net::HTTPServerRequest& request,
                                 Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  // The state is used up now, whatever follows: a replayed callback URL is worthless.
  const std::optional<OAuthStates::Pending> pending =
      context().oauthStates->redeem(parameterOr(target_, "state"));
  if (!pending) {
    return sendPage(response, HTTPResponse::HTTP_BAD_REQUEST, "Authorisation failed",
                    "The authorisation request is unknown, expired or already used. Start it "
                    "again with Authorize on the connections page.");
  }
  const std::string error = parameterOr(target_, "error");
  const std::string code = parameterOr(target_, "code");
  if (!error.empty() || code.empty()) {
    const std::string description = parameterOr(target_, "error_description");
    return sendPage(response, HTTPResponse::HTTP_BAD_REQUEST, "Authorisation failed",
                    "Salesforce did not authorise connection '" + pending->connection +
                        "': " + (error.empty() ? "no code" : error) +
                        (description.empty() ? "" : " (" + description + ")"));
  }
  Result<std::string> done = context().control->completeAuthorization(
      pending->connection, code, pending->codeVerifier, pending->redirectUri, pending->actor);
  if (!done.ok()) {
    return sendPage(response, HTTPResponse::HTTP_BAD_GATEWAY, "Authorisation failed",
                    "Connection '" + pending->connection +
                        "' could not be authorised: " + done.status().message());
  }
  std::string name;
  Poco::URI::encode(pending->connection, "!#$&'()*+,/:;=?@[]", name);
  addApiHeaders(response);
  response.set("Location", "/#/connections?authorized=" + name);
  response.setStatusAndReason(HTTPResponse::HTTP_SEE_OTHER);
  response.setContentLength(0);
  GuardedConnection::send(response, "");
}

}  // namespace sfsync::admin
