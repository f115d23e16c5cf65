// HistoryHandler: GET /api/jobs/{name}/history?limit=N and /api/chains/{name}/history?limit=N -
// the newest N (1..100, default 30) executions of one job or chain, newest first, each with its
// status, times, duration, records read / succeeded / failed and warnings, plus the success rate
// of those runs (Success / finished runs; Skipped and unfinished runs not counted). The admin
// page draws its history chart from this (history.js). Unknown name: 404.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class HistoryHandler final : public AdminHandler {
 public:
  static constexpr int kDefaultLimit = 30;
  static constexpr int kMaxLimit = 100;

  HistoryHandler(const AdminContext& context, RequestTarget target)
      : AdminHandler(context), target_(std::move(target)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  RequestTarget target_;
};

}  // namespace sfsync::admin
