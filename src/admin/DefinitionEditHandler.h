// DefinitionEditHandler: PUT and DELETE /api/jobs/{name}, /api/chains/{name} (issue 17) through the
// ConfigEditor. PUT's body is the job / chain file's new text (JSON, at most
// AdminHandler::kMaxRequestBody; its "name" must be the URL's); it needs `If-Match: <ETag>` (from
// GET /api/{jobs|chains}/{name}) to replace a file, or `If-None-Match: *` to create one.
// Answers (JSON; the new or current ETag in the ETag header):
//   200 / 201 {"saved":true,"created","file","etag","changes":[...]}  written and reloaded;
//   428 no If-Match / If-None-Match; 412 {"error","etag"} stale ETag (changed by someone else) or,
//   with If-None-Match: *, the definition exists; 404 unknown name (update / delete);
//   422 {"error","problems":[...]} problems, nothing written; 409 {"error","chains":[...]} DELETE
//   of a job a chain still names; 413 body too large; 405 other methods; 503 without an editor.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <string>
#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class DefinitionEditHandler final : public AdminHandler {
 public:
  DefinitionEditHandler(const AdminContext& context, RequestTarget target, std::string actor)
      : AdminHandler(context), target_(std::move(target)), actor_(std::move(actor)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  RequestTarget target_;
  std::string actor_;
};

}  // namespace sfsync::admin
