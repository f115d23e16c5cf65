#include "admin/ControlHandler.h"

#include <vector>

#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

}  // namespace

void ControlHandler::serve(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
  const std::vector<std::string>& segments = target_.segments();  // api, family, name, action
  const std::string& family = segments[1];
  const std::string& name = segments[2];
  const std::string& action = segments[3];
  const std::string kind = family.substr(0, family.size() - 1);  // job, chain, connection
  const bool isConnection = kind == "connection";
  const bool replication =
      kind == "job" && (action == "full-resync" || action == "allow-mass-delete");
  const bool known = action == "pause" || action == "resume" ||
                     (!isConnection && action == "run") || replication ||
                     (isConnection && (action == "disconnect" || action == "reconnect" ||
                                       action == "refresh-metadata"));
  if (!known) {
    return sendError(response, HTTPResponse::HTTP_NOT_FOUND,
                     "unknown action '" + action + "'; use " +
                         (isConnection ? "pause, resume, disconnect, reconnect or refresh-metadata"
                          : kind == "job" ? "run, pause, resume, full-resync or allow-mass-delete"
                                          : "run, pause or resume"));
  }
  if (!acceptMethods(request, response, {"POST"})) return;
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);

  AdminControl& control = *context().control;
  Result<std::string> result = action == "run"           ? control.runNow(kind, name, actor_)
                               : action == "pause"       ? control.pause(kind, name, actor_)
                               : action == "resume"      ? control.resume(kind, name, actor_)
                               : action == "disconnect"  ? control.disconnect(name, actor_)
                               : action == "reconnect"   ? control.reconnect(name, actor_)
                               : action == "full-resync" ? control.fullResync(name, actor_)
                               : action == "refresh-metadata"
                                   ? control.refreshMetadata(name, actor_)
                                   : control.allowMassDelete(name, actor_);
  if (!result.ok()) {
    JsonWriter json;
    json.beginObject()
        .stringField("error", result.status().message())
        .stringField("kind", kind)
        .stringField("name", name)
        .stringField("action", action)
        .endObject();
    return sendJson(response, actionStatusFor(result.status().code()), json.str());
  }
  JsonWriter json;
  json.beginObject()
      .stringField("kind", kind)
      .stringField("name", name)
      .stringField("action", action)
      .stringField("message", *result)
      .endObject();
  sendJson(response, action == "run" ? HTTPResponse::HTTP_ACCEPTED : HTTPResponse::HTTP_OK,
           json.str());
}

}  // namespace sfsync::admin
