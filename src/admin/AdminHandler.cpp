#include "admin/AdminHandler.h"

#include <Poco/Exception.h>

#include <exception>
#include <istream>
#include <string>

#include "admin/GuardedConnection.h"
#include "admin/HttpResponses.h"

namespace sfsync::admin {

namespace {
constexpr std::streamsize kMaxIgnoredBody = 64 * 1024;
}  // namespace

void AdminHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                 Poco::Net::HTTPServerResponse& response) {
  std::string failure;
  try {
    // No endpoint reads a body; consume a small one so the connection can be kept alive. (A
    // request without Content-Length or chunking has no body: reading would wait for EOF.)
    if (request.hasContentLength() || request.getChunkedTransferEncoding()) {
      std::istream& body = request.stream();
      body.ignore(kMaxIgnoredBody);
      if (body.gcount() == kMaxIgnoredBody) response.setKeepAlive(false);
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
