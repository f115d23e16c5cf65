// DescribeHandler: GET /api/connections/{name}/describe and /describe/{object} (issue 17, the
// editor's field picker) from the store's metadata cache (issue 15), never from Salesforce:
//   .../describe          {"connection","objects":[{"name","label","fetchedAt","fields":N}]}
//   .../describe/{object} {"connection","object","label","fetchedAt","fields":[{"name","label",
//                          "type","updateable","createable","calculated","referenceTo":[...]}]}
// 404 for an unknown connection, and for an object that is not cached (with the hint to refresh
// the connection's metadata); 405 for other methods; 500 when the store fails.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class DescribeHandler final : public AdminHandler {
 public:
  DescribeHandler(const AdminContext& context, RequestTarget target)
      : AdminHandler(context), target_(std::move(target)) {}

  // True for ["api", "connections", name, "describe"[, object]].
  static bool handles(const std::vector<std::string>& segments);

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;
  void listObjects(Poco::Net::HTTPServerResponse& response, const std::string& connection);
  void describeObject(Poco::Net::HTTPServerResponse& response, const std::string& connection,
                      const std::string& object);

  RequestTarget target_;
};

}  // namespace sfsync::admin
