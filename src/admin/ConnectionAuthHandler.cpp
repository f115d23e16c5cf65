#include "admin/ConnectionAuthHandler.h"

#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"
#include "admin/OAuthStates.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

// This server's callback as the request reached it.
std::string ownCallback(const Poco::Net::HTTPServerRequest& request) {
  const std::string host = request.get("Host", "");
  return std::string(request.secure() ? "https://" : "http://") + host + "/oauth/callback";
}

}  // namespace

bool ConnectionAuthHandler::handles(const std::vector<std::string>& segments) {
  return segments.size() == 4 && segments[1] == "connections" &&
         (segments[3] == "authorize" || segments[3] == "test");
}

void ConnectionAuthHandler::serve(Poco::Net::HTTPServerRequest& request,
                                  Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"POST"})) return;
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
  if (target_.segments()[3] == "authorize") return authorize(request, response);
  test(response);
}

void ConnectionAuthHandler::authorize(Poco::Net::HTTPServerRequest& request,
                                      Poco::Net::HTTPServerResponse& response) {
  const std::string& name = target_.segments()[2];
  if (request.get("Host", "").empty()) {
    return sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "the request has no Host header");
  }
  AdminControl& control = *context().control;
  Result<std::string> redirectUri = control.oauthRedirectUri(name, ownCallback(request));
  if (!redirectUri.ok()) {
    return sendError(response, actionStatusFor(redirectUri.status().code()),
                     redirectUri.status().message());
  }
  OAuthStates::Pending pending{name, OAuthStates::newCodeVerifier(), *redirectUri, actor_};
  const std::string challenge = OAuthStates::codeChallenge(pending.codeVerifier);
  const std::string state = context().oauthStates->issue(std::move(pending));
  Result<std::string> url = control.authorizeUrl(name, *redirectUri, state, challenge);
  if (!url.ok()) {  // the state stays unused and expires
    return sendError(response, actionStatusFor(url.status().code()), url.status().message());
  }
  JsonWriter json;
  json.beginObject()
      .stringField("connection", name)
      .stringField("authorizeUrl", *url)
      .stringField("redirectUri", *redirectUri)
      .integerField("expiresIn", context().oauthStates->ttl().count())
      .endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

void ConnectionAuthHandler::test(Poco::Net::HTTPServerResponse& response) {
  const std::string& name = target_.segments()[2];
  Result<std::string> result = context().control->testConnection(name, actor_);
  if (!result.ok()) {
    return sendError(response, actionStatusFor(result.status().code()), result.status().message());
  }
  sendJson(response, HTTPResponse::HTTP_OK, *result);
}

}  // namespace sfsync::admin
