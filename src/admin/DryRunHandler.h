// DryRunHandler: POST /api/jobs/{name}/dry-run[?maxRecords=N] - a dry run of the job
// (AdminControl::dryRun): it reads, maps and compares, and writes nothing. Answers 200 with the
// report as JSON (jobs::dryRunJson); ?download=1 adds Content-Disposition so a browser saves it as
// a file. 404 for an unknown job, 409 while the job runs, 400 for a bad parameter, 503 when the
// daemon cannot dry-run, 502 when Salesforce or the store failed the dry run. The request body is
// ignored; the HTTP worker is busy for the dry run's duration (bounded by maxRecords).
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <string>
#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class DryRunHandler final : public AdminHandler {
 public:
  DryRunHandler(const AdminContext& context, RequestTarget target, std::string actor)
      : AdminHandler(context), target_(std::move(target)), actor_(std::move(actor)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  RequestTarget target_;
  std::string actor_;
};

}  // namespace sfsync::admin
