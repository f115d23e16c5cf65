// ActivityHandler: execution activity - GET /api/activity (filtered, keyset-paginated list),
// /api/activity/{execution} (one execution and, for a chain, the job runs inside it) and
// /api/activity/{execution}/errors.csv | success.csv | warnings.csv (the run's file as a download).
// Files are served only from the paths recorded in the execution row, never from a path in the URL.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"
#include "sfsync/store/ExecutionRecord.h"

namespace sfsync::admin {

class ActivityHandler final : public AdminHandler {
 public:
  ActivityHandler(const AdminContext& context, RequestTarget target)
      : AdminHandler(context), target_(std::move(target)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;
  void list(Poco::Net::HTTPServerResponse& response);
  void detail(Poco::Net::HTTPServerResponse& response, const std::string& executionId);
  // `file`: errors.csv, success.csv or warnings.csv.
  void download(Poco::Net::HTTPServerResponse& response, const std::string& executionId,
                const std::string& file);
  // The execution or nullopt (having answered 404 / 500).
  std::optional<store::ExecutionRecord> find(Poco::Net::HTTPServerResponse& response,
                                             const std::string& executionId);

  RequestTarget target_;
};

}  // namespace sfsync::admin
