#include "admin/ErrorHandler.h"

#include <Poco/Net/HTTPServerRequest.h>

#include "admin/GuardedConnection.h"
#include "admin/HttpResponses.h"

namespace sfsync::admin {

void ErrorHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                 Poco::Net::HTTPServerResponse& response) {
  // The body of a refused request is not read: the connection cannot carry another request.
  const bool body = (request.hasContentLength() && request.getContentLength() > 0) ||
                    request.getChunkedTransferEncoding();
  if (body || GuardedConnection::othersWaiting()) response.setKeepAlive(false);
  if (!wwwAuthenticate_.empty()) response.set("WWW-Authenticate", wwwAuthenticate_);
  sendError(response, status_, message_);
  GuardedConnection::responseSent();
}

}  // namespace sfsync::admin
