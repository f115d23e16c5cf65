// RestSource: a Source over REST query + nextRecordsUrl paging (SalesforceClient::query): one page
// in memory at a time. Deletes: SalesforceDeletes (listIds picks REST or Bulk with `options`).
//
// Thread-safety: not thread-safe; one per run.
#pragma once

#include "sfsync/source/SourceFactory.h"
#include "source/SalesforceDeletes.h"

namespace sfsync::source {

class RestSource : public Source {
 public:
  explicit RestSource(salesforce::SalesforceClient& client, SourceOptions options = {})
      : client_(client), options_(std::move(options)) {}

  const char* api() const override { return "rest"; }
  Result<salesforce::ObjectDescribe> describe(const std::string& object) override {
    return client_.describe(object);
  }
  Status extract(const ExtractRequest& request, const salesforce::PageHandler& onPage) override {
    return client_.query(request.soql, request.columns, onPage);
  }
  const std::string& bulkJobId() const override { return empty_; }
  const std::string& note() const override { return empty_; }
  Status deletedIds(const std::string& object, const DeleteWindowQuery& window, const IdSink& sink,
                    DeletedIdsAnswer* answer) override {
    return salesforceDeletedIds(client_, object, window, sink, answer);
  }
  Status listIds(const std::string& object, const std::string& filter,
                 const IdSink& sink) override {
    return salesforceListIds(client_, options_, object, filter, sink);
  }

 private:
  salesforce::SalesforceClient& client_;
  SourceOptions options_;
  const std::string empty_;
};

}  // namespace sfsync::source
