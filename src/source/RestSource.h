// RestSource: a Source over REST query + nextRecordsUrl paging (SalesforceClient::query): one page
// in memory at a time.
//
// Thread-safety: not thread-safe; one per run.
#pragma once

#include "sfsync/source/Source.h"

namespace sfsync::source {

class RestSource : public Source {
 public:
  explicit RestSource(salesforce::SalesforceClient& client) : client_(client) {}

  const char* api() const override { return "rest"; }
  Result<salesforce::ObjectDescribe> describe(const std::string& object) override {
    return client_.describe(object);
  }
  Status extract(const ExtractRequest& request, const salesforce::PageHandler& onPage) override {
    return client_.query(request.soql, request.columns, onPage);
  }
  const std::string& bulkJobId() const override { return empty_; }
  const std::string& note() const override { return empty_; }

 private:
  salesforce::SalesforceClient& client_;
  const std::string empty_;
};

}  // namespace sfsync::source
