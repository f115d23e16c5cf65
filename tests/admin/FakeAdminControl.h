// FakeAdminControl: an AdminControl for the admin tests and the browser-test server. Serves fixed
// connections / jobs / chains, records every action with its actor, and answers like the daemon:
// kNotFound for an unknown name, kInvalidArgument ("refused") for names listed in refuse(), else a
// short message. Pause / resume flip the entry's paused flag so the UI can show the change.
//
// Thread-safety: safe from any thread (one mutex), as AdminControl requires.
#pragma once

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "sfsync/admin/AdminControl.h"
#include "sfsync/jobs/DryRunReport.h"

namespace sfsync::admin::testing {

class FakeAdminControl final : public AdminControl {
 public:
  struct Call {
    std::string action;  // run, pause, resume, disconnect, reconnect, full-resync, ...
    std::string kind;
    std::string name;
    std::string actor;
  };

  FakeAdminControl() {
    EntrySummary production = entry("connection", "Production");
    production.members = {"Company Sync", "Person Sync"};
    EntrySummary sandbox = entry("connection", "Sandbox");
    sandbox.members = {"Renewal Sync"};
    sandbox.disconnected = true;
    connections_ = {production, sandbox};

    EntrySummary company =
        entry("job", "Company Sync", "Production", "/etc/sfsync/jobs/company.json");
    company.chain = "Nightly";
    company.lastStatus = "Partial Success";
    company.lastRun = "2026-03-08T02:00:01.000Z";
    company.definitionJson =
        R"({"name":"Company Sync","connection":"Production","source":{"object":"Account"}})";
    EntrySummary person = entry("job", "Person Sync", "Production", "/etc/sfsync/jobs/person.json");
    person.chain = "Nightly";
    person.lastStatus = "Success";
    person.lastRun = "2026-03-08T02:05:00.000Z";
    person.definitionJson = R"({"name":"Person Sync","connection":"Production"})";
    EntrySummary renewal = entry("job", "Renewal Sync", "Sandbox", "/etc/sfsync/jobs/renewal.json");
    renewal.schedule = "every hour";
    renewal.nextRun = "2026-03-08T11:00:00.000Z";
    renewal.lastStatus = "Running";
    renewal.lastRun = "2026-03-08T10:00:00.000Z";
    renewal.running = true;
    renewal.definitionJson = "{not json";
    jobs_ = {company, person, renewal};

    EntrySummary nightly = entry("chain", "Nightly", "", "/etc/sfsync/chains/nightly.json");
    nightly.schedule = "daily at 02:00 Europe/Berlin";
    nightly.members = {"Company Sync", "Person Sync"};
    nightly.nextRun = "2026-03-09T01:00:00.000Z";
    nightly.lastStatus = "Partial Success";
    nightly.lastRun = "2026-03-08T02:00:00.000Z";
    nightly.definitionJson = R"({"name":"Nightly","jobs":["Company Sync","Person Sync"]})";
    chains_ = {nightly};
  }

  // Actions on `name` are refused (kInvalidArgument -> 409) from now on.
  void refuse(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    refused_.insert(name);
  }
  std::vector<Call> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

  std::vector<EntrySummary> connections() override {
    std::lock_guard<std::mutex> lock(mu_);
    return connections_;
  }
  std::vector<EntrySummary> jobs() override {
    std::lock_guard<std::mutex> lock(mu_);
    return jobs_;
  }
  std::vector<EntrySummary> chains() override {
    std::lock_guard<std::mutex> lock(mu_);
    return chains_;
  }

  Result<std::string> runNow(const std::string& kind, const std::string& name,
                             const std::string& actor) override {
    return act("run", kind, name, actor, "started");
  }
  Result<std::string> pause(const std::string& kind, const std::string& name,
                            const std::string& actor) override {
    return act("pause", kind, name, actor, "paused");
  }
  Result<std::string> resume(const std::string& kind, const std::string& name,
                             const std::string& actor) override {
    return act("resume", kind, name, actor, "resumed");
  }
  Result<std::string> disconnect(const std::string& name, const std::string& actor) override {
    return act("disconnect", "connection", name, actor, "disconnected");
  }
  Result<std::string> reconnect(const std::string& name, const std::string& actor) override {
    return act("reconnect", "connection", name, actor, "reconnected");
  }
  Result<std::string> fullResync(const std::string& name, const std::string& actor) override {
    return act("full-resync", "job", name, actor, "full-resync requested");
  }
  Result<std::string> allowMassDelete(const std::string& name, const std::string& actor) override {
    return act("allow-mass-delete", "job", name, actor, "allow-mass-delete requested");
  }
  Result<std::string> refreshMetadata(const std::string& name, const std::string& actor) override {
    return act("refresh-metadata", "connection", name, actor, "metadata refreshed");
  }
  // A canned report (issue 16): one update with an Amount diff, one create, one rejection.
  Result<std::string> dryRun(const std::string& name, std::int64_t maxRecords,
                             const std::string& actor) override {
    Result<std::string> done = act("dry-run", "job", name, actor, "dry run");
    if (!done.ok()) return done.status();
    for (const EntrySummary& e : jobs()) {
      if (e.name == name && e.running)
        return Status::InvalidArgument("'" + name + "' is already running");
    }
    return jobs::dryRunJson(cannedDryRun(name, maxRecords > 0 ? maxRecords : 10000));
  }

  static jobs::DryRunReport cannedDryRun(const std::string& job, std::int64_t maxRecords) {
    jobs::DryRunReport r;
    r.job = job;
    r.connection = "Production";
    r.sourceObject = "Account";
    r.startedAt = "2026-03-08T10:00:00.000Z";
    r.finishedAt = "2026-03-08T10:00:02.000Z";
    r.maxRecords = maxRecords;
    r.recordsRead = 12;
    r.wouldCreate = 1;
    r.wouldUpdate = 1;
    r.unchanged = 9;
    r.rejected = 1;
    r.rejectedByReason = {{"REQUIRED_MISSING", 1}};
    jobs::DryRunTargetCounts t;
    t.target = "Company";
    t.wouldCreate = 1;
    t.wouldUpdate = 1;
    t.unchanged = 9;
    t.rejected = 1;
    t.changedColumns = {{"Amount", 1}};
    r.targets = {t};
    r.samples = {
        {"0015g0000000tvxAAA",
         "Company",
         "update",
         "9f1c-demo-gsid",
         {{"Amount", "48000", "12345.5", false, false}}},
        {"0015g0000000ZZZAAA", "Company", "create", "", {{"Name", "", "Acme 2027", true, false}}}};
    r.rejections = {
        {"0015g00000011kFAAQ", "Company", "REQUIRED_MISSING", "upsert key column(s) Number null"}};
    r.notes = {"full extract of the job's filter, ordered by Id (not the incremental window)"};
    return r;
  }

  // Issue 18: what realtime() answers (none by default).
  void setRealtime(std::vector<RealtimeStats> stats) {
    std::lock_guard<std::mutex> lock(mu_);
    realtime_ = std::move(stats);
  }
  std::vector<RealtimeStats> realtime() override {
    std::lock_guard<std::mutex> lock(mu_);
    return realtime_;
  }

  // Issue 16: rerunFailed is recorded as {"rerun-failed", "execution", id, actor} and answered by
  // the handler set here (admin/TriageDemo.h writes a linked execution); none: kUnavailable.
  using RerunHandler = std::function<Result<std::string>(const std::string& executionId)>;
  void onRerunFailed(RerunHandler handler) {
    std::lock_guard<std::mutex> lock(mu_);
    rerunHandler_ = std::move(handler);
  }
  Result<std::string> rerunFailed(const std::string& executionId,
                                  const std::string& actor) override {
    RerunHandler handler;
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_.push_back({"rerun-failed", "execution", executionId, actor});
      handler = rerunHandler_;
    }
    if (!handler) return Status::Unavailable("this daemon cannot re-run failed records");
    return handler(executionId);  // without the lock: it writes to the store
  }

  // Issue 12: a three-daemon cluster - two alive, one silent whose run was taken over.
  Result<scheduling::ClusterView> cluster() override {
    scheduling::ClusterView v;
    v.clustered = true;
    v.leaseSeconds = 30;
    v.daemons = {{"a1b2c3d4@sync-1:4101", "sync-1", 4101, "2026-03-08T08:00:00.000Z",
                  "2026-03-08T10:00:05.000Z", 3, true},
                 {"e5f6a7b8@sync-2:4102", "sync-2", 4102, "2026-03-08T08:00:01.000Z",
                  "2026-03-08T10:00:04.000Z", 4, false},
                 {"c9d0e1f2@sync-3:4103", "sync-3", 4103, "2026-03-08T08:00:02.000Z",
                  "2026-03-08T09:58:00.000Z", 128, false}};
    v.running = {{"Renewal Sync@2026-03-08T10:00:00.000Z", "Renewal Sync", "job", "schedule",
                  "2026-03-08T10:00:00.000Z", "e5f6a7b8@sync-2:4102", "2026-03-08T10:00:00.000Z",
                  "2026-03-08T10:00:34.000Z", false, 1}};
    return v;
  }

 private:
  static EntrySummary entry(const std::string& kind, const std::string& name,
                            const std::string& connection = "", const std::string& file = "") {
    EntrySummary e;
    e.kind = kind;
    e.name = name;
    e.connection = connection;
    e.file = file;
    return e;
  }

  Result<std::string> act(const std::string& action, const std::string& kind,
                          const std::string& name, const std::string& actor,
                          const std::string& message) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back({action, kind, name, actor});
    std::vector<EntrySummary>& entries = kind == "job"     ? jobs_
                                         : kind == "chain" ? chains_
                                                           : connections_;
    EntrySummary* entry = nullptr;
    for (EntrySummary& e : entries) {
      if (e.name == name) entry = &e;
    }
    if (entry == nullptr) return Status::NotFound("unknown " + kind + " '" + name + "'");
    if (refused_.count(name) > 0) {
      return Status::InvalidArgument("'" + name + "' is already running");
    }
    if (action == "pause") entry->paused = true;
    if (action == "resume") entry->paused = false;
    if (action == "disconnect") entry->disconnected = true;
    if (action == "reconnect") entry->disconnected = false;
    return message;
  }

  mutable std::mutex mu_;
  std::vector<EntrySummary> connections_;
  std::vector<EntrySummary> jobs_;
  std::vector<EntrySummary> chains_;
  std::set<std::string> refused_;
  std::vector<Call> calls_;
  RerunHandler rerunHandler_;
  std::vector<RealtimeStats> realtime_;
};

}  // namespace sfsync::admin::testing
