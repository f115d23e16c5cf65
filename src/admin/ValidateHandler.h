// ValidateHandler: POST /api/validate (issue 17) - runs the daemon's loader and checks
// (ConfigEditor::validate) on a job or chain definition without saving it. Body (at most
// AdminHandler::kMaxRequestBody):
//   {"kind": "job"|"chain", "name": "<the definition being edited; absent for a new one>",
//    "definition": {...}}   or   {"kind", "name", "text": "<the whole file text>"}
// Answers 200 {"valid": bool, "problems": [{"file","path","message","severity","inDefinition"}],
// "errors": N, "warnings": N}; 400 for a body that is not such an object, 413 for a body over the
// limit, 405 for other methods, 503 when the server has no editor.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class ValidateHandler final : public AdminHandler {
 public:
  ValidateHandler(const AdminContext& context, RequestTarget target)
      : AdminHandler(context), target_(std::move(target)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  RequestTarget target_;
};

}  // namespace sfsync::admin
