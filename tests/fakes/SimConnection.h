// Connection settings that reach a running SimServer with its sample credentials (password flow).
// Backoff is shortened; tests pass a FakeClock anyway, so no real time is spent.
//
// Thread-safety: pure function.
#pragma once

#include "salesforce_sim/SimServer.h"
#include "sfsync/salesforce/ConnectionSettings.h"

namespace sfsync::testing {

inline salesforce::ConnectionSettings simConnection(const sim::SimServer& sim) {
  salesforce::ConnectionSettings s;
  sim::SimOptions defaults;
  s.name = "sample";
  s.orgType = salesforce::OrgType::kCustomDomain;
  s.customDomainUrl = sim.baseUrl();
  s.authFlow = salesforce::AuthFlow::kPassword;
  s.clientId = defaults.clientId;
  s.clientSecret = defaults.clientSecret;
  s.username = defaults.username;
  s.password = defaults.password;
  s.securityToken = defaults.securityToken;
  s.initialBackoff = std::chrono::milliseconds(10);
  s.timeout = std::chrono::milliseconds(30000);
  return s;
}

}  // namespace sfsync::testing
