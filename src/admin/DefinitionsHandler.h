// DefinitionsHandler: what is configured and its state, read through AdminControl -
// GET /api/connections, /api/jobs, /api/chains (summaries: schedule, paused / running /
// disconnected, next run, last status) and /api/{connections|jobs|chains}/{name} (the summary, the
// definition JSON for jobs and chains, and the 10 newest executions).
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class DefinitionsHandler final : public AdminHandler {
 public:
  DefinitionsHandler(const AdminContext& context, RequestTarget target)
      : AdminHandler(context), target_(std::move(target)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  RequestTarget target_;
};

}  // namespace sfsync::admin
