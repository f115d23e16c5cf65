// SyncApp: the sfsyncd daemon (Poco::Util::ServerApplication) and the only place that wires
// concrete classes together. Modes: --validate (list every configuration problem), --run-job /
// --run-chain (run once in the foreground), --activity (print recent activity), --full-resync /
// --allow-mass-delete (one-shot replication requests written to the store), --set-secret (a value
// from stdin into the encrypted credentials store, see SecretCommand.h), or serve: load
// everything, take the instance lock (app/InstanceLock.h: one serving daemon per store), start the
// admin HTTP server and wait for SIGTERM/SIGINT/SIGQUIT (runs stop after
// their current page, in-flight calls are cancelled after kShutdownGrace; a second signal exits at
// once with kExitForcedStop); SIGHUP reloads the configuration (DaemonRuntime::reload, the same
// loader and checks as startup; see sfsync/core/Platform.h), optionally as a Unix daemon. The admin
// server logs "admin listening on host:port" and reports "adminPort" in /health (admin.port = 0
// works).
//
// Thread-safety: Poco drives the application from the main thread; the health callback is the only
// code run on other threads and reads immutable state.
#pragma once

#include <Poco/Util/ServerApplication.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "app/DaemonRuntime.h"
#include "app/LogSettings.h"
#include "sfsync/admin/AdminOptions.h"
#include "sfsync/admin/AdminServer.h"
#include "sfsync/config/Config.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/Platform.h"
#include "sfsync/notify/NotificationSettings.h"
#include "sfsync/store/Store.h"

namespace sfsync::app {

class SyncApp : public Poco::Util::ServerApplication {
 public:
  SyncApp();

  // kExitDeferred: the run stopped because the API budget ran out (status Deferred); the next run
  // resumes from its checkpoint.
  enum ExitCode {
    kExitSuccess = 0,
    kExitFailed = 1,
    kExitPartial = 2,
    kExitDeferred = 3,
    kExitUsage = 64,
    // A second termination signal during the shutdown: exited at once; interrupted runs resume
    // from their checkpoint at the next start (EX_TEMPFAIL).
    kExitForcedStop = 75
  };
  // serve: how long runs get to reach a page boundary after a termination signal before their
  // Salesforce calls are cancelled (the daemon exits within about this plus a page's load).
  static constexpr std::chrono::milliseconds kShutdownGrace{5000};

 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  int main(const std::vector<std::string>& args) override;

 private:
  void handleHelp(const std::string& name, const std::string& value);
  // --version: prints "sfsyncd <version>" (app/Version.h) and exits 0.
  void handleVersion(const std::string& name, const std::string& value);
  // Reads the command-line mode options into the members; false when more than one mode is given.
  bool readModes();
  // --validate --online: adds each job's problems against its org to `loaded`; prints warnings.
  void validateOnline(config::LoadedConfig& loaded);
  void handleDefine(const std::string& name, const std::string& value);
  // The plain logging (log.file or standard error): the fallback when the configured one is
  // invalid.
  void setupLogging(const config::AppConfig& app);
  // Reads log.* / logging.* and applies them (every mode: --validate proves Poco accepts them, but
  // creates no log file);
  // adds the problems to `loaded`. True when the configured logging is in place.
  bool configureLogging(config::LoadedConfig& loaded);
  // Opens the store; prints and returns false on failure.
  bool openStore(const config::AppConfig& app);
  int runJob(const config::LoadedConfig& config, const std::string& name);
  // --rerun-failed=EXECUTION (issue 16): jobs::FailedRerun in the foreground.
  int rerunFailed(const config::LoadedConfig& config, const std::string& executionId);
  int runChain(const config::LoadedConfig& config, const std::string& name);
  int printActivity(int limit);
  // --full-resync / --allow-mass-delete (`action`): writes the request for job `name` to the store.
  int writeReplicationRequest(const config::LoadedConfig& config, const std::string& action,
                              const std::string& name);
  int authorize(const config::LoadedConfig& config, const std::string& connection);
  // --refresh-metadata=CONNECTION (issue 15): MetadataRefresher against the store, daemon or not.
  int refreshMetadata(const config::LoadedConfig& config, const std::string& connection);
  int serve(const config::LoadedConfig& config);
  // The configuration's lock for --run-job / --run-chain / --rerun-failed (app/InstanceLock.h);
  // an error (printed, with how to ask a serving daemon instead) when another process holds it.
  Result<platform::FileLock> lockForOneShotRun(const config::LoadedConfig& config);
  // --dry-run=NAME (issue 16): jobs::DryRun; prints the table, writes the JSON report file.
  static void defineDryRunOptions(Poco::Util::OptionSet& options);
  int dryRun(const config::LoadedConfig& config, const std::string& name);
  // The configuration files read again with startup's checks (for SIGHUP and POST /api/reload).
  // `overlay` (issue 17, the admin editor's validation): job / chain files replaced in memory.
  DaemonRuntime::LoadedSource loadForReload(const config::FileOverlay& overlay = {});
  // The body of GET /health: the running configuration's counts (after any reload), the start
  // time and the port `server` bound ("adminPort"). Called on HTTP threads.
  std::function<std::string()> healthSource(const DaemonRuntime& runtime,
                                            const std::unique_ptr<admin::AdminServer>& server);
  static admin::AdminOptions adminOptionsFor(const config::AppConfig& app);
  // Marks Failed the executions whose process died mid-run (never a live one); logs the outcome.
  void failInterruptedRuns();
  static int exitCodeFor(const std::string& status);

  std::string baseDir_;  // captured before --daemon chdirs to "/"
  std::string configFile_ = "conf/sfsync.properties";
  std::map<std::string, std::string> overrides_;
  bool helpRequested_ = false;
  bool validateOnly_ = false;
  std::string runJob_;
  std::string runChain_;
  std::string rerunFailed_;  // --rerun-failed
  int activityLimit_ = 0;
  std::string authorize_;
  std::string setSecret_;      // --set-secret=CONNECTION.KEY
  std::string controlAction_;  // run, pause, resume, disconnect, reconnect (sent to the daemon)
  std::string controlTarget_;
  std::string requestAction_;  // full-resync or allow-mass-delete (written to the store)
  std::string requestJob_;
  std::string refreshMetadata_;  // --refresh-metadata=CONNECTION
  std::string dryRun_;           // --dry-run=NAME
  std::int64_t dryRunMax_ = 0;   // --dry-run-max=N (0: the job's bound)
  std::string dryRunReport_;     // --dry-run-report=FILE
  std::shared_ptr<Clock> clock_;
  std::optional<LogSettings> logSettings_;  // set when the configured logging is in place
  store::StorePtr store_;
  notify::NotificationSettings notifications_;
};

}  // namespace sfsync::app
