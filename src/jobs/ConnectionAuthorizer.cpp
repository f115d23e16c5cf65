#include "sfsync/jobs/ConnectionAuthorizer.h"

namespace sfsync::jobs {

Result<AuthorizationResult> ConnectionAuthorizer::authorize(salesforce::SalesforceClient& client,
                                                            store::Store& store, Clock& clock,
                                                            OobRequest oob) {
  Status s = client.authenticate();
  if (!s.ok()) return s;
  AuthorizationResult result;
  Result<salesforce::ObjectDescribe> currency = client.describe("CurrencyType");
  if (currency.ok()) {
    result.multiCurrency = true;
  } else if (currency.status().code() != StatusCode::kRemoteError) {
    return currency.status();  // network, session: not an answer about multi-currency
  }

  const std::string prefix = "connection." + oob.connection + ".";
  Result<std::optional<std::string>> authorizedAt = store.getState(prefix + "authorizedAt");
  if (!authorizedAt.ok()) return authorizedAt.status();
  Result<std::optional<std::string>> primary = store.getState("oob.primaryConnection");
  if (!primary.ok()) return primary.status();
  result.firstAuthorization = !authorizedAt->has_value();
  result.primary = !primary->has_value() || **primary == oob.connection;

  if (result.firstAuthorization) {
    oob.primary = result.primary;
    oob.multiCurrency = result.multiCurrency;
    Result<std::vector<std::string>> written = OobJobWriter::write(oob);
    if (!written.ok()) return written.status();
    result.writtenFiles = std::move(written).value();
    if (result.primary) {
      s = store.putState("oob.primaryConnection", oob.connection);
      if (!s.ok()) return s;
    }
  }
  s = store.putState(prefix + "multiCurrency", result.multiCurrency ? "true" : "false");
  if (s.ok()) s = store.putState(prefix + "authorizedAt", formatIso8601(clock.now()));
  if (!s.ok()) return s;
  return result;
}

}  // namespace sfsync::jobs
