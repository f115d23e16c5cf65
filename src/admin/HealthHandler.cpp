#include "admin/HealthHandler.h"

#include "admin/HttpResponses.h"

namespace sfsync::admin {

void HealthHandler::serve(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  sendJson(response, Poco::Net::HTTPResponse::HTTP_OK,
           context().health ? context().health() : std::string("{\"status\":\"ok\"}"));
}

}  // namespace sfsync::admin
