#include "admin/SessionHandler.h"

#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"

namespace sfsync::admin {

void SessionHandler::serve(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  JsonWriter json;
  json.beginObject()
      .stringField("token", tokenName_)
      .stringField("role", RolePolicy::name(role_))
      .endObject();
  sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, json.str());
}

}  // namespace sfsync::admin
