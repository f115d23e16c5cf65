// DemoOAuthControl: the admin_demo_server's control with `--oauth-demo 1` (issue 17, the
// connections browser test): wraps another AdminControl and adds connection "Web" (authFlow
// web_server, not yet authorised) whose Authorize runs the REAL OAuth web-server flow with PKCE
// (salesforce::WebServerFlow) against an in-process Salesforce simulator - its login form and
// consent in the browser, the code exchange here. The first authorisation adds the OOB jobs a
// second connection gets (OobJobWriter::plan over conf/oob: User Sync (Web), Currency Sync (Web))
// to the job list, as --authorize would write them. Test connection answers from the simulator's
// /limits once authorised. Everything else goes to the wrapped control.
//
// Thread-safety: safe from any thread (one mutex; no I/O under it).
#pragma once

#include <Poco/JSON/Parser.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "salesforce_sim/SimServer.h"
#include "sfsync/admin/AdminControl.h"
#include "sfsync/core/Clock.h"
#include "sfsync/jobs/OobJobWriter.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/salesforce/WebServerFlow.h"

namespace sfsync::admin::testing {

class DemoOAuthControl final : public AdminControl {
 public:
  static constexpr const char* kName = "Web";

  DemoOAuthControl(AdminControl& inner, const sim::SimServer& sim, std::string templatesDir)
      : inner_(inner), templatesDir_(std::move(templatesDir)) {
    settings_.name = kName;
    settings_.orgType = salesforce::OrgType::kCustomDomain;
    settings_.customDomainUrl = sim.baseUrl();
    settings_.authFlow = salesforce::AuthFlow::kWebServer;
    settings_.clientId = "sfsync-sample-client";
  }

  std::vector<EntrySummary> connections() override {
    std::vector<EntrySummary> out = inner_.connections();
    std::lock_guard<std::mutex> lock(mu_);
    EntrySummary web;
    web.kind = "connection";
    web.name = kName;
    web.orgType = "custom";
    web.loginUrl = settings_.loginUrl();
    web.apiVersion = settings_.apiVersion;
    web.authFlow = "web_server";
    web.authorized = !settings_.refreshToken.empty();
    web.authorizedAt = authorizedAt_;
    web.instanceUrl = instanceUrl_;
    web.apiUsed = apiUsed_;
    web.apiMax = apiMax_;
    for (const EntrySummary& job : added_) web.members.push_back(job.name);
    out.push_back(web);
    return out;
  }
  std::vector<EntrySummary> jobs() override {
    std::vector<EntrySummary> out = inner_.jobs();
    std::lock_guard<std::mutex> lock(mu_);
    out.insert(out.end(), added_.begin(), added_.end());
    return out;
  }
  std::vector<EntrySummary> chains() override { return inner_.chains(); }
  std::vector<RealtimeStats> realtime() override { return inner_.realtime(); }  // issue 18

  Result<std::string> oauthRedirectUri(const std::string& c, const std::string& d) override {
    if (c != kName) return inner_.oauthRedirectUri(c, d);
    return d;
  }
  Result<std::string> authorizeUrl(const std::string& c, const std::string& r, const std::string& s,
                                   const std::string& ch) override {
    if (c != kName) return inner_.authorizeUrl(c, r, s, ch);
    return salesforce::WebServerFlow::authorizeUrl(settings_, r, s, ch);
  }
  Result<std::string> completeAuthorization(const std::string& c, const std::string& code,
                                            const std::string& verifier, const std::string& r,
                                            const std::string& a) override {
    if (c != kName) return inner_.completeAuthorization(c, code, verifier, r, a);
    Result<salesforce::WebServerGrant> grant =
        salesforce::WebServerFlow::exchangeCode(settings_, code, verifier, r);
    if (!grant.ok()) return grant.status();
    jobs::OobRequest oob;
    oob.templatesDir = templatesDir_;
    oob.connection = kName;
    oob.primary = false;  // "Production" holds the full set already
    oob.multiCurrency = true;
    Result<std::vector<jobs::OobFile>> files = jobs::OobJobWriter::plan(oob);
    if (!files.ok()) return files.status();
    std::lock_guard<std::mutex> lock(mu_);
    const bool first = settings_.refreshToken.empty();
    settings_.refreshToken = grant->refreshToken;
    instanceUrl_ = grant->instanceUrl;
    authorizedAt_ = formatIso8601(std::chrono::system_clock::now());
    if (!first) return std::string("authorised again (jobs kept)");
    for (const jobs::OobFile& file : *files) {
      Poco::JSON::Parser parser;
      EntrySummary job;
      job.kind = "job";
      job.name =
          parser.parse(file.text).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("name");
      job.connection = kName;
      job.file = file.path;
      job.definitionJson = file.text;
      added_.push_back(job);
    }
    return std::string("authorised for the first time");
  }
  Result<std::string> testConnection(const std::string& c, const std::string& a) override {
    if (c != kName) return inner_.testConnection(c, a);
    salesforce::ConnectionSettings settings;
    {
      std::lock_guard<std::mutex> lock(mu_);
      settings = settings_;
    }
    salesforce::SalesforceClientPtr client = salesforce::makeHttpClient(settings, systemClock());
    Status login = client->authenticate();
    Result<salesforce::OrgLimits> limits =
        login.ok() ? client->limits() : Result<salesforce::OrgLimits>(login);
    if (!limits.ok()) {
      return std::string("{\"ok\":false,\"latencyMs\":0,\"error\":\"not authorised\"}");
    }
    std::lock_guard<std::mutex> lock(mu_);
    apiMax_ = limits->dailyApiRequestsMax;
    apiUsed_ = apiMax_ - limits->dailyApiRequestsRemaining;
    return "{\"ok\":true,\"latencyMs\":1,\"apiUsed\":" + std::to_string(apiUsed_) +
           ",\"apiMax\":" + std::to_string(apiMax_) + "}";
  }

  // ---- forwarded ----
  Result<std::string> runNow(const std::string& k, const std::string& n,
                             const std::string& a) override {
    return inner_.runNow(k, n, a);
  }
  Result<std::string> pause(const std::string& k, const std::string& n,
                            const std::string& a) override {
    return inner_.pause(k, n, a);
  }
  Result<std::string> resume(const std::string& k, const std::string& n,
                             const std::string& a) override {
    return inner_.resume(k, n, a);
  }
  Result<std::string> disconnect(const std::string& n, const std::string& a) override {
    return inner_.disconnect(n, a);
  }
  Result<std::string> reconnect(const std::string& n, const std::string& a) override {
    return inner_.reconnect(n, a);
  }
  Result<std::string> fullResync(const std::string& n, const std::string& a) override {
    return inner_.fullResync(n, a);
  }
  Result<std::string> allowMassDelete(const std::string& n, const std::string& a) override {
    return inner_.allowMassDelete(n, a);
  }
  Result<ReloadOutcome> reload(const std::string& a) override { return inner_.reload(a); }
  Result<std::string> refreshMetadata(const std::string& n, const std::string& a) override {
    return inner_.refreshMetadata(n, a);
  }
  Result<std::string> rerunFailed(const std::string& e, const std::string& a) override {
    return inner_.rerunFailed(e, a);
  }
  Result<std::string> dryRun(const std::string& j, std::int64_t m, const std::string& a) override {
    return inner_.dryRun(j, m, a);
  }

 private:
  AdminControl& inner_;
  const std::string templatesDir_;
  std::mutex mu_;
  salesforce::ConnectionSettings settings_;
  std::string instanceUrl_;
  std::string authorizedAt_;
  std::int64_t apiUsed_ = -1;
  std::int64_t apiMax_ = -1;
  std::vector<EntrySummary> added_;
};

}  // namespace sfsync::admin::testing
