#include "admin/RealtimeHandler.h"

#include "admin/HttpResponses.h"
#include "sfsync/admin/RealtimeJson.h"

namespace sfsync::admin {

void RealtimeHandler::serve(Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
  sendJson(response, Poco::Net::HTTPResponse::HTTP_OK,
           realtimeListJson(context().control->realtime()));
}

}  // namespace sfsync::admin
