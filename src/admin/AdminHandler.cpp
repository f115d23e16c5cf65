#include "admin/AdminHandler.h"

#include <Poco/Exception.h>

#include <exception>
#include <string>

#include "admin/HttpResponses.h"

namespace sfsync::admin {

void AdminHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                 Poco::Net::HTTPServerResponse& response) {
  std::string failure;
  try {
    serve(request, response);
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
}

}  // namespace sfsync::admin
