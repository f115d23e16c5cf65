#include "source/BulkSource.h"

namespace sfsync::source {

bool BulkSource::jobGone(const Status& s) {
  if (s.remoteCode() == salesforce::kApiBudgetExhausted ||
      s.remoteCode() == salesforce::kRequestLimitExceeded ||
      s.remoteCode() == salesforce::kBulkJobTimedOut) {
    return false;
  }
  return s.code() == StatusCode::kNotFound || s.code() == StatusCode::kRemoteError ||
         s.code() == StatusCode::kInvalidArgument;  // e.g. a malformed job id in the checkpoint
}

Status BulkSource::resume(const ExtractRequest& request, const salesforce::PageHandler& onPage,
                          bool& delivered) {
  jobId_ = request.resumeBulkJobId;
  Result<salesforce::BulkQueryJob> job = client_.awaitBulkQuery(jobId_, pollTimeout_);
  if (!job.ok()) return job.status();
  return client_.bulkQueryResults(jobId_, request.object, request.columns, request.resumeFrom,
                                  [&](salesforce::RecordPage& page) {
                                    delivered = true;
                                    return onPage(page);
                                  });
}

Status BulkSource::runNew(const ExtractRequest& request, const salesforce::PageHandler& onPage) {
  Result<salesforce::BulkQueryJob> created = client_.createBulkQuery(request.soql, false);
  if (!created.ok()) return created.status();
  jobId_ = created->id;
  Result<salesforce::BulkQueryJob> done = client_.awaitBulkQuery(jobId_, pollTimeout_);
  if (!done.ok()) return done.status();
  return client_.bulkQueryResults(jobId_, request.object, request.columns, {}, onPage);
}

Status BulkSource::extract(const ExtractRequest& request, const salesforce::PageHandler& onPage) {
  note_.clear();
  if (!request.resumeBulkJobId.empty()) {
    bool delivered = false;
    Status resumed = resume(request, onPage, delivered);
    if (resumed.ok() || delivered || !jobGone(resumed)) return resumed;
    note_ = "Bulk job " + request.resumeBulkJobId + " could not be resumed (" + resumed.message() +
            "); a new job was created";
  }
  return runNew(request, onPage);
}

}  // namespace sfsync::source
