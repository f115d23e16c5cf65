#include "admin/ErrorHandler.h"

#include "admin/HttpResponses.h"

namespace sfsync::admin {

void ErrorHandler::handleRequest(Poco::Net::HTTPServerRequest&,
                                 Poco::Net::HTTPServerResponse& response) {
  if (!wwwAuthenticate_.empty()) response.set("WWW-Authenticate", wwwAuthenticate_);
  sendError(response, status_, message_);
}

}  // namespace sfsync::admin
