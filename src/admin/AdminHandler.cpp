#include "admin/AdminHandler.h"

#include <Poco/Exception.h>

#include <exception>
#include <istream>
#include <string>

#include "admin/GuardedConnection.h"
#include "admin/HttpResponses.h"

namespace sfsync::admin {

void AdminHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                 Poco::Net::HTTPServerResponse& response) {
  std::string failure;
  try {
    // Read the body (at most kMaxRequestBody + 1 bytes) so the connection can be kept alive and
    // the editor endpoints can use it. (A request without Content-Length or chunking has no body:
    // reading would wait for EOF.)
    if (request.hasContentLength() || request.getChunkedTransferEncoding()) {
      std::istream& in = request.stream();
      char chunk[16384];
      while (body_.size() <= kMaxRequestBody && in.read(chunk, sizeof chunk).gcount() > 0) {
        body_.append(chunk, static_cast<std::size_t>(in.gcount()));
      }
      if (body_.size() > kMaxRequestBody) {
        bodyTooLarge_ = true;
        body_.clear();
        response.setKeepAlive(false);
      }
    }
    GuardedConnection::bodyReceived();
    // Other connections wait for a worker: answer this one and let the next one in.
    if (GuardedConnection::othersWaiting()) response.setKeepAlive(false);
    serve(request, response);
    GuardedConnection::responseSent();
    return;
  } catch (const Poco::Exception& e) {
    failure = e.displayText();
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (!response.sent()) {
    sendError(response, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
              "internal error: " + failure);
  }
  GuardedConnection::responseSent();
}

}  // namespace sfsync::admin
