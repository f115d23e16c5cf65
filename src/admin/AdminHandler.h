// AdminHandler: base of the admin server's request handlers. Turns anything a handler throws into a
// 500 JSON error (when the response has not started yet) so a bug or a Poco exception never reaches
// Poco's worker loop, and gives handlers a shared context.
//
// Thread-safety: one handler object per request (Poco creates it per request), used on one thread.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstddef>
#include <string>

#include "admin/AdminContext.h"

namespace sfsync::admin {

class AdminHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit AdminHandler(const AdminContext& context) : context_(context) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) final;

 protected:
  virtual void serve(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) = 0;

  const AdminContext& context() const { return context_; }
  // The request body (issue 17: the editor's PUT and POST /api/validate read it), at most
  // kMaxRequestBody bytes; bodyTooLarge() when the client sent more (answer 413; the connection
  // is not kept alive). Read before serve() within admin.requestTimeoutSeconds (GuardedConnection).
  static constexpr std::size_t kMaxRequestBody = 1024 * 1024;
  const std::string& body() const { return body_; }
  bool bodyTooLarge() const { return bodyTooLarge_; }

 private:
  const AdminContext& context_;
  std::string body_;
  bool bodyTooLarge_ = false;
};

}  // namespace sfsync::admin
