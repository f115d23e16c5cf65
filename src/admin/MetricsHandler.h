// MetricsHandler: GET /metrics in the Prometheus text exposition format (version 0.0.4). Counters
// come from the store's persisted RunTotals (added to when an execution finishes, never pruned, so
// they only go up); gauges from the configured entries (AdminControl). No activity-log scan.
//   sfsync_runs_total{kind,name,status}                 counter: finished executions by status
//   sfsync_records_total{job,outcome}                   counter: read|created|updated|skipped|
//                                                       failed|deleted records of finished runs
//   sfsync_last_success_timestamp_seconds{kind,name}    end of the newest Success
//   sfsync_last_partial_success_timestamp_seconds{...}  end of the newest Partial Success
//   sfsync_run_duration_seconds{kind,name}              histogram (_bucket{le}, _sum, _count)
//   sfsync_api_calls_total{connection}                  counter: API calls of finished job runs
//   sfsync_api_remaining{connection}                    gauge: org's remaining daily requests
//   sfsync_running{kind,name} / sfsync_paused{kind,name} gauges 0/1
//   sfsync_last_execution_timestamp_seconds{kind,name}  start of the newest execution
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
