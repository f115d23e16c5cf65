// LocalRunClaims: RunClaims for one daemon alone on its store (SQLite): every claim is granted,
// nothing expires, nothing is adopted; the view lists this daemon and what it runs.
//
// Thread-safety: a mutex guards the claims map; no I/O.
#include <Poco/Environment.h>
#include <Poco/Process.h>

#include <map>
#include <mutex>

#include "sfsync/scheduling/RunClaims.h"

namespace sfsync::scheduling {

namespace {

class LocalRunClaims final : public RunClaims {
 public:
  LocalRunClaims()
      : host_(Poco::Environment::nodeName()),
        pid_(static_cast<std::int64_t>(Poco::Process::id())),
        started_(formatIso8601(systemClock()->now())) {}

  bool clustered() const override { return false; }
  std::string daemonId() const override { return host_ + ":" + std::to_string(pid_); }

  Result<ClaimDecision> claim(const ClaimRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    ClaimDecision d;
    d.granted = true;
    d.key = request.name + "@" +
            (request.slot ? formatIso8601(*request.slot) : "run-now#" + std::to_string(++next_));
    ClusterRun run;
    run.key = d.key;
    run.name = request.name;
    run.kind = runKindName(request.kind);
    run.trigger = request.trigger;
    run.slot = request.slot ? formatIso8601(*request.slot) : "";
    run.daemon = daemonId();
    run.claimedAt = formatIso8601(systemClock()->now());
    runs_[d.key] = run;
    return d;
  }
  Status finish(const std::string& key, const std::string&, const std::string&) override {
    std::lock_guard<std::mutex> lock(mu_);
    runs_.erase(key);
    return Status::OK();
  }
  Status release(const std::string& key) override { return finish(key, "", ""); }
  Status heartbeat() override { return Status::OK(); }
  Result<std::vector<AdoptedRun>> adoptExpired(int) override { return std::vector<AdoptedRun>{}; }
  Result<ClusterView> view() override {
    ClusterView v;
    ClusterDaemon self;
    self.id = daemonId();
    self.host = host_;
    self.pid = pid_;
    self.startedAt = started_;
    self.heartbeatAt = formatIso8601(systemClock()->now());
    self.self = true;
    v.daemons.push_back(self);
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, run] : runs_) v.running.push_back(run);
    return v;
  }
  std::chrono::milliseconds beatInterval() const override { return std::chrono::seconds(10); }

 private:
  const std::string host_;
  const std::int64_t pid_;
  const std::string started_;
  std::mutex mu_;
  std::map<std::string, ClusterRun> runs_;
  std::uint64_t next_ = 0;
};

}  // namespace

RunClaimsPtr makeLocalRunClaims() { return std::make_unique<LocalRunClaims>(); }

}  // namespace sfsync::scheduling
