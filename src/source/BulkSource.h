// BulkSource: a Source over a Bulk API 2.0 query job. extract() creates the job (or, when the
// request names one, resumes it at its result locator), waits for JobComplete (at most the poll
// timeout; then the client aborts it and the run fails), and streams the CSV result sets by
// locator into pages as they arrive from the socket: memory is bounded by a window, not a set. A
// resumed job that is gone (unknown id, Failed/Aborted, results expired) is replaced by a new job
// for the same SOQL before any page was delivered; the replacement is noted (note()). Deletes:
// SalesforceDeletes (listIds picks REST or Bulk with `options`).
//
// Thread-safety: not thread-safe; one per run.
#pragma once

#include <chrono>

#include "sfsync/source/SourceFactory.h"
#include "source/SalesforceDeletes.h"

namespace sfsync::source {

class BulkSource : public Source {
 public:
  BulkSource(salesforce::SalesforceClient& client, SourceOptions options)
      : client_(client), pollTimeout_(options.bulkPollTimeout), options_(std::move(options)) {}

  const char* api() const override { return "bulk"; }
  Result<salesforce::ObjectDescribe> describe(const std::string& object) override {
    return client_.describe(object);
  }
  Status extract(const ExtractRequest& request, const salesforce::PageHandler& onPage) override;
  const std::string& bulkJobId() const override { return jobId_; }
  const std::string& note() const override { return note_; }
  Status deletedIds(const std::string& object, const DeleteWindowQuery& window, const IdSink& sink,
                    DeletedIdsAnswer* answer) override {
    return salesforceDeletedIds(client_, object, window, sink, answer);
  }
  Status listIds(const std::string& object, const std::string& filter,
                 const IdSink& sink) override {
    return salesforceListIds(client_, options_, object, filter, sink);
  }

 private:
  // Resumes request.resumeBulkJobId; `delivered` tells whether any page reached onPage.
  Status resume(const ExtractRequest& request, const salesforce::PageHandler& onPage,
                bool& delivered);
  Status runNew(const ExtractRequest& request, const salesforce::PageHandler& onPage);
  // True for failures that mean "this job cannot be resumed" (not budget, cancellation, network).
  static bool jobGone(const Status& s);

  salesforce::SalesforceClient& client_;
  std::chrono::seconds pollTimeout_;
  SourceOptions options_;
  std::string jobId_;
  std::string note_;
};

}  // namespace sfsync::source
