// MetricsHandler: GET /metrics in the Prometheus text exposition format (version 0.0.4), computed
// from the activity log on each scrape (one newest-first pass in pages of 1,000 rows):
//   sfsync_executions{kind,status}                    gauge: executions in the log
//   sfsync_records{job,outcome}                       gauge: records of the job runs in the log, by
//                                                     outcome read|created|updated|skipped|failed|
//                                                     deleted (target rows deleted or marked)
//   sfsync_api_calls{job}                             gauge: Salesforce API calls of those runs
//   sfsync_last_success_timestamp_seconds{kind,name}  end of the newest Success execution
//   sfsync_last_execution_timestamp_seconds{kind,name} start of the newest execution
// These are gauges, not counters: retention prunes old executions, so sums may go down.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class MetricsHandler final : public AdminHandler {
 public:
  MetricsHandler(const AdminContext& context, RequestTarget target)
      : AdminHandler(context), target_(std::move(target)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  RequestTarget target_;
};

}  // namespace sfsync::admin
