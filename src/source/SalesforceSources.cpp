// The Salesforce ConnectionSources (include/sfsync/source/ConnectionSources.h).
#include "sfsync/source/ConnectionSources.h"

namespace sfsync::source {

namespace {

class SalesforceSources final : public ConnectionSources {
 public:
  explicit SalesforceSources(salesforce::SalesforceClient& client) : client_(client) {}

  const char* type() const override { return "salesforce"; }
  Result<salesforce::ObjectDescribe> describe(const std::string& object) override {
    return client_.describe(object);
  }
  Result<SourceChoice> open(const OpenRequest& request) override {
    return chooseSource(client_, request.options, request.soql, request.countSoql);
  }
  ConnectionUsage usage() const override {
    const salesforce::ApiUsage& api = client_.usage();
    ConnectionUsage out;
    out.calls = api.calls;
    out.retries = client_.retryStats().total();
    out.orgApiMax = api.orgApiMax;
    out.orgApiUsed = api.orgApiUsed;
    return out;
  }
  std::int64_t retries() const override { return client_.retryStats().total(); }

 private:
  salesforce::SalesforceClient& client_;
};

}  // namespace

ConnectionSourcesPtr makeSalesforceSources(salesforce::SalesforceClient& client) {
  return std::make_unique<SalesforceSources>(client);
}

}  // namespace sfsync::source
