#include "admin/AdminRouter.h"

#include <Poco/Net/HTTPServerRequest.h>

#include <optional>
#include <string>
#include <vector>

#include "admin/ActivityHandler.h"
#include "admin/ClusterHandler.h"
#include "admin/ConnectionAuthHandler.h"
#include "admin/ControlHandler.h"
#include "admin/DefinitionEditHandler.h"
#include "admin/DefinitionsHandler.h"
#include "admin/DescribeHandler.h"
#include "admin/DryRunHandler.h"
#include "admin/ErrorHandler.h"
#include "admin/EventsHandler.h"
#include "admin/GuardedConnection.h"
#include "admin/HealthHandler.h"
#include "admin/HistoryHandler.h"
#include "admin/MetricsHandler.h"
#include "admin/OAuthCallbackHandler.h"
#include "admin/RealtimeHandler.h"
#include "admin/ReloadHandler.h"
#include "admin/RequestTarget.h"
#include "admin/RolePolicy.h"
#include "admin/SessionHandler.h"
#include "admin/StaticHandler.h"
#include "admin/TriageHandler.h"
#include "admin/UpdatesHandler.h"
#include "admin/ValidateHandler.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

constexpr const char* kRealm = "Bearer realm=\"sfsync admin\"";

}  // namespace

Poco::Net::HTTPRequestHandler* AdminRouter::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
  GuardedConnection::headReceived();
  Result<RequestTarget> target = RequestTarget::parse(request.getURI());
  if (!target.ok()) {
    return new ErrorHandler(HTTPResponse::HTTP_BAD_REQUEST, target.status().message());
  }
  const std::vector<std::string>& segments = target->segments();
  if (segments.empty()) return new StaticHandler(context_, "index.html");
  if (segments.size() == 1 && segments[0] == "health") return new HealthHandler(context_);
  if (segments.size() == 1 && StaticHandler::isAsset(segments[0])) {
    return new StaticHandler(context_, segments[0]);
  }
  // Issue 17: the OAuth web-server flow's callback; its one-time state is the credential.
  if (segments.size() == 2 && segments[0] == "oauth" && segments[1] == "callback") {
    return new OAuthCallbackHandler(context_, std::move(*target));
  }
  const bool metrics = segments.size() == 1 && segments[0] == "metrics";
  if (!metrics && segments[0] != "api") {
    return new ErrorHandler(HTTPResponse::HTTP_NOT_FOUND, "not found");
  }

  // GET /api/events?ticket=...: EventSource cannot send the bearer header; a one-time ticket
  // (POST /api/events/ticket) stands in for it.
  if (segments.size() == 2 && segments[0] == "api" && segments[1] == "events") {
    if (const std::string* ticket = target->parameter("ticket")) {
      std::optional<std::string> actor = context_.tickets->redeem(*ticket);
      if (!actor) {
        return new ErrorHandler(HTTPResponse::HTTP_UNAUTHORIZED,
                                "the event ticket is unknown, used or expired; POST "
                                "/api/events/ticket for a new one",
                                kRealm);
      }
      return new EventsHandler(context_, std::move(*target), *actor);
    }
  }

  const TokenAuthenticator::Verdict verdict =
      context_.auth.authenticate(request.get("Authorization", ""));
  if (verdict.outcome == TokenAuthenticator::Outcome::kMissing) {
    return new ErrorHandler(HTTPResponse::HTTP_UNAUTHORIZED,
                            "this endpoint needs 'Authorization: Bearer <token>'", kRealm);
  }
  if (verdict.outcome == TokenAuthenticator::Outcome::kRejected) {
    return new ErrorHandler(HTTPResponse::HTTP_UNAUTHORIZED, "the bearer token is not valid",
                            std::string(kRealm) + ", error=\"invalid_token\"");
  }
  // Roles (issue 17): one rule table, by method and path (RolePolicy).
  const Role needed = RolePolicy::required(request.getMethod(), segments);
  if (!RolePolicy::allows(verdict.role, needed)) {
    return new ErrorHandler(HTTPResponse::HTTP_FORBIDDEN,
                            std::string("this request needs the '") + RolePolicy::name(needed) +
                                "' role; token '" + verdict.tokenName + "' has the '" +
                                RolePolicy::name(verdict.role) + "' role");
  }
  if (metrics) return new MetricsHandler(context_, std::move(*target));

  const std::string family = segments.size() > 1 ? segments[1] : "";
  if (family == "activity" && TriageHandler::handles(segments)) {
    return new TriageHandler(context_, std::move(*target), verdict.tokenName);
  }
  if (family == "session" && segments.size() == 2) {
    return new SessionHandler(context_, verdict.tokenName, verdict.role);
  }
  if (family == "cluster" && segments.size() == 2) {  // issue 12
    return new ClusterHandler(context_, std::move(*target));
  }
  if (family == "activity") return new ActivityHandler(context_, std::move(*target));
  if (family == "updates") return new UpdatesHandler(context_, std::move(*target));
  if (family == "realtime" && segments.size() == 2) {  // issue 18
    return new RealtimeHandler(context_, std::move(*target));
  }
  if (family == "events") return new EventsHandler(context_, std::move(*target), verdict.tokenName);
  if (family == "reload" && segments.size() == 2) {
    return new ReloadHandler(context_, std::move(*target), verdict.tokenName);
  }
  // Issue 17: the job / chain editor and the field picker.
  if (family == "validate" && segments.size() == 2) {
    return new ValidateHandler(context_, std::move(*target));
  }
  if ((family == "jobs" || family == "chains") && segments.size() == 3 &&
      (request.getMethod() == "PUT" || request.getMethod() == "DELETE")) {
    return new DefinitionEditHandler(context_, std::move(*target), verdict.tokenName);
  }
  if (DescribeHandler::handles(segments)) return new DescribeHandler(context_, std::move(*target));
  if (family == "jobs" || family == "chains" || family == "connections") {
    // GET /api/{jobs|chains}/{name}/history (issue 16).
    if (segments.size() == 4 && segments[3] == "history" && family != "connections") {
      return new HistoryHandler(context_, std::move(*target));
    }
    if (family == "jobs" && segments.size() == 4 && segments[3] == "dry-run") {
      return new DryRunHandler(context_, std::move(*target), verdict.tokenName);
    }
    if (ConnectionAuthHandler::handles(segments)) {
      return new ConnectionAuthHandler(context_, std::move(*target), verdict.tokenName);
    }
    if (segments.size() == 4) {
      return new ControlHandler(context_, std::move(*target), verdict.tokenName);
    }
    return new DefinitionsHandler(context_, std::move(*target));
  }
  return new ErrorHandler(
      HTTPResponse::HTTP_NOT_FOUND,
      "no such API resource; see /api/connections, /api/jobs, /api/chains, "
      "/api/activity, /api/updates, /api/reload, /api/events, /api/realtime, /api/cluster");
}

}  // namespace sfsync::admin
