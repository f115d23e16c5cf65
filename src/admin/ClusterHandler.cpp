#include "admin/ClusterHandler.h"

#include <cmath>

#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"

namespace sfsync::admin {

std::string ClusterHandler::json(const scheduling::ClusterView& view) {
  JsonWriter json;
  json.beginObject()
      .booleanField("clustered", view.clustered)
      .integerField("leaseSeconds", view.leaseSeconds);
  std::string self;
  for (const auto& d : view.daemons) {
    if (d.self) self = d.id;
  }
  json.stringField("self", self).key("daemons").beginArray();
  for (const auto& d : view.daemons) {
    json.beginObject()
        .stringField("id", d.id)
        .stringField("host", d.host)
        .integerField("pid", d.pid)
        .stringField("startedAt", d.startedAt)
        .stringField("heartbeatAt", d.heartbeatAt)
        .integerField("heartbeatAgeSeconds",
                      static_cast<std::int64_t>(std::llround(d.heartbeatAgeSeconds)))
        .booleanField("self", d.self)
        .endObject();
  }
  json.endArray().key("running").beginArray();
  for (const auto& r : view.running) {
    json.beginObject()
        .stringField("key", r.key)
        .stringField("name", r.name)
        .stringField("kind", r.kind)
        .stringField("trigger", r.trigger)
        .stringOrNullField("slot", r.slot)
        .stringField("daemon", r.daemon)
        .stringField("claimedAt", r.claimedAt)
        .stringField("leaseUntil", r.leaseUntil)
        .booleanField("expired", r.expired)
        .integerField("adoptions", r.adoptions)
        .endObject();
  }
  json.endArray().endObject();
  return json.take();
}

void ClusterHandler::serve(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
  Result<scheduling::ClusterView> view = context().control->cluster();
  if (!view.ok()) {
    return sendError(response, Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                     view.status().message());
  }
  sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, json(*view));
}

}  // namespace sfsync::admin
