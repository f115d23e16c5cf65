// TriageHandler: error triage of one execution (issue 16) -
//   GET  /api/activity/{execution}/errors/summary     counts by reason code and by mapping, with
//   GET  /api/activity/{execution}/warnings/summary   a few sample rows each
//   GET  /api/activity/{execution}/errors?reason=CODE&offset=N&limit=N   a page of rows (limit
//   GET  /api/activity/{execution}/warnings?...                           1..500, default 50)
//   POST /api/activity/{execution}/rerun-failed        AdminControl::rerunFailed (202)
// The files are read from the paths in the execution row only (activity::ErrorFileReader: streamed,
// capped). A chain execution has no file of its own: its summary lists its job runs' files
// ("jobs"). Errors: unknown execution 404, file gone 404, no file 200 with zero rows (and
// "file": null), unreadable file 500.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "admin/AdminHandler.h"
#include "admin/JsonWriter.h"
#include "admin/RequestTarget.h"
#include "sfsync/store/ExecutionRecord.h"

namespace sfsync::admin {

class TriageHandler final : public AdminHandler {
 public:
  TriageHandler(const AdminContext& context, RequestTarget target, std::string actor)
      : AdminHandler(context), target_(std::move(target)), actor_(std::move(actor)) {}

  // Whether `segments` (api, activity, id, ...) name a triage resource.
  static bool handles(const std::vector<std::string>& segments);

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;
  void summary(Poco::Net::HTTPServerResponse& response, const store::ExecutionRecord& record,
               bool warnings);
  void rows(Poco::Net::HTTPServerResponse& response, const store::ExecutionRecord& record,
            bool warnings);
  void chainFiles(Poco::Net::HTTPServerResponse& response, const store::ExecutionRecord& record);
  void rerun(Poco::Net::HTTPServerResponse& response, const std::string& executionId);
  std::optional<store::ExecutionRecord> find(Poco::Net::HTTPServerResponse& response,
                                             const std::string& executionId);

  RequestTarget target_;
  std::string actor_;
};

}  // namespace sfsync::admin
