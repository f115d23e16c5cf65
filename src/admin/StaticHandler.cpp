#include "admin/StaticHandler.h"

#include <fstream>
#include <iterator>
#include <string_view>

#include "admin/GuardedConnection.h"
#include "admin/HttpResponses.h"
#include "admin/WebAssets.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

std::string contentTypeOf(std::string_view name) {
  const auto endsWith = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (endsWith(".html")) return "text/html; charset=utf-8";
  if (endsWith(".js")) return "text/javascript; charset=utf-8";
  if (endsWith(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

bool StaticHandler::isAsset(const std::string& fileName) {
  return findWebAsset(fileName) != nullptr;
}

void StaticHandler::serve(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  const WebAsset* asset = findWebAsset(fileName_);
  if (asset == nullptr) return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not found");
  std::string body;
  if (!context().webRoot.empty()) {
    std::ifstream in(context().webRoot + "/" + std::string(asset->name), std::ios::binary);
    if (!in) {
      return sendError(response, HTTPResponse::HTTP_NOT_FOUND,
                       std::string(asset->name) + " is missing from the web root");
    }
    body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } else {
    body.assign(reinterpret_cast<const char*>(asset->data), asset->size);
  }
  response.setStatusAndReason(HTTPResponse::HTTP_OK);
  response.setContentType(contentTypeOf(asset->name));
  response.set("Cache-Control", "no-cache");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Content-Security-Policy",
               "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
               "img-src 'self' data:; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  GuardedConnection::send(response, body);
}

}  // namespace sfsync::admin
