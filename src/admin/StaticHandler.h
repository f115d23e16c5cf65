// StaticHandler: the single-page admin UI - GET / (index.html), /index.html, /app.js, /style.css -
// open to everyone (the page asks for a token and sends it with its API calls). Served from the
// copy embedded at build time, or from AdminOptions::webRoot during development; only those fixed
// file names are ever served. Adds a strict Content-Security-Policy (same-origin scripts and styles
// only).
//
// Thread-safety: one object per request.
#pragma once

#include <string>
#include <utility>

#include "admin/AdminHandler.h"

namespace sfsync::admin {

class StaticHandler final : public AdminHandler {
 public:
  StaticHandler(const AdminContext& context, std::string fileName)
      : AdminHandler(context), fileName_(std::move(fileName)) {}

  // Whether `fileName` is one of the page's files.
  static bool isAsset(const std::string& fileName);

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  std::string fileName_;
};

}  // namespace sfsync::admin
