// ErrorHandler: answers a request the router already judged - 400 (malformed target), 401 (no or a
// wrong bearer token; with WWW-Authenticate), 404, 503 - with a JSON error.
//
// Thread-safety: one object per request.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPResponse.h>

#include <string>
#include <utility>

namespace sfsync::admin {

class ErrorHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  ErrorHandler(Poco::Net::HTTPResponse::HTTPStatus status, std::string message,
               std::string wwwAuthenticate = "")
      : status_(status),
        message_(std::move(message)),
        wwwAuthenticate_(std::move(wwwAuthenticate)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  Poco::Net::HTTPResponse::HTTPStatus status_;
  std::string message_;
  std::string wwwAuthenticate_;
};

}  // namespace sfsync::admin
