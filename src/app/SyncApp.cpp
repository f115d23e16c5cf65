#include "app/SyncApp.h"

#include <Poco/AutoPtr.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/DaemonChecks.h"
#include "app/DaemonControlClient.h"
#include "app/DaemonRuntime.h"
#include "app/DefinitionEditor.h"
#include "app/InstanceLock.h"
#include "app/LoggingSetup.h"
#include "app/MetadataRefresher.h"
#include "app/ReplicationRequests.h"
#include "app/SecretCommand.h"
#include "app/SnowflakeWarnings.h"
#include "app/StoreFactory.h"
#include "app/Version.h"
#include "sfsync/activity/ActivityReport.h"
#include "sfsync/activity/ConfigAuditor.h"
#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/admin/AdminServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/core/Platform.h"
#include "sfsync/jobs/ChainRunner.h"
#include "sfsync/jobs/ConnectionAuthorizer.h"
#include "sfsync/jobs/DryRun.h"
#include "sfsync/jobs/FailedRerun.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/jobs/JobValidator.h"
#include "sfsync/jobs/SnowflakeJobSource.h"
#include "sfsync/notify/NotifierFactory.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/snowflake/SnowflakeLogin.h"

namespace sfsync::app {

using Poco::Util::Option;
using Poco::Util::OptionCallback;

SyncApp::SyncApp() : baseDir_(Poco::Path::current()), clock_(systemClock()) {
  setUnixOptions(true);
}

void SyncApp::defineOptions(Poco::Util::OptionSet& options) {
  ServerApplication::defineOptions(options);  // keeps --daemon, --pidfile, --umask
  options.addOption(Option("help", "h", "print this help and exit")
                        .required(false)
                        .repeatable(false)
                        .callback(OptionCallback<SyncApp>(this, &SyncApp::handleHelp)));
  options.addOption(Option("version", "", "print the version and exit")
                        .required(false)
                        .repeatable(false)
                        .callback(OptionCallback<SyncApp>(this, &SyncApp::handleVersion)));
  options.addOption(Option("config", "c", "configuration file (default conf/sfsync.properties)")
                        .required(false)
                        .repeatable(false)
                        .argument("FILE")
                        .binding("sfsync.cli.config"));
  options.addOption(Option("validate", "",
                           "load the configuration, every job and chain; print "
                           "every problem; exit 0 if none, 1 otherwise")
                        .required(false)
                        .repeatable(false)
                        .binding("sfsync.cli.validate"));
  options.addOption(Option("online", "",
                           "with --validate: also check every job against its org "
                           "(fields and relationship paths via describe, the filter "
                           "via a LIMIT 1 query)")
                        .required(false)
                        .repeatable(false)
                        .binding("sfsync.cli.online"));
  options.addOption(Option("run-job", "",
                           "run one job once in the foreground and exit "
                           "(0 Success, 2 Partial Success, 3 Deferred, 1 Failed)")
                        .required(false)
                        .repeatable(false)
                        .argument("NAME")
                        .binding("sfsync.cli.runJob"));
  options.addOption(Option("rerun-failed", "",
                           "re-run only the records an execution failed (its error file) as a new "
                           "execution of its job, in the foreground; exit codes as --run-job")
                        .required(false)
                        .repeatable(false)
                        .argument("EXECUTION")
                        .binding("sfsync.cli.rerunFailed"));
  options.addOption(Option("run-chain", "",
                           "run one chain once in the foreground and exit "
                           "(0 Success, 2 Partial Success, 3 Deferred, 1 Failed)")
                        .required(false)
                        .repeatable(false)
                        .argument("NAME")
                        .binding("sfsync.cli.runChain"));
  options.addOption(Option("authorize", "",
                           "log in to a connection, detect multi-currency and, on "
                           "its first authorisation, create its out-of-the-box "
                           "jobs from conf/oob/; re-authorising keeps every job")
                        .required(false)
                        .repeatable(false)
                        .argument("CONNECTION")
                        .binding("sfsync.cli.authorize"));
  for (const char* action : {"run-now", "pause", "resume", "disconnect", "reconnect"}) {
    options.addOption(Option(action, "",
                             std::string("ask the running daemon (admin API, token in "
                                         "SFSYNC_ADMIN_TOKEN) to ") +
                                 action + " a job, chain or connection")
                          .required(false)
                          .repeatable(false)
                          .argument("NAME")
                          .binding(std::string("sfsync.cli.control.") + action));
  }
  options.addOption(Option("full-resync", "",
                           "make the next run of a job read every record (nothing is dropped; "
                           "the incremental cursor restarts); writes the store, daemon or not")
                        .required(false)
                        .repeatable(false)
                        .argument("NAME")
                        .binding("sfsync.cli.request.full-resync"));
  options.addOption(Option("allow-mass-delete", "",
                           "let the next run of a job delete more than its massDeletePercent "
                           "of a target; writes the store, daemon or not")
                        .required(false)
                        .repeatable(false)
                        .argument("NAME")
                        .binding("sfsync.cli.request.allow-mass-delete"));
  options.addOption(Option("refresh-metadata", "",
                           "describe again every object the connection's jobs use, update the "
                           "metadata cache and mark jobs whose mapped fields changed; writes the "
                           "store, daemon or not")
                        .required(false)
                        .repeatable(false)
                        .argument("CONNECTION")
                        .binding("sfsync.cli.refreshMetadata"));
  options.addOption(Option("activity", "", "print the newest N execution activity rows and exit")
                        .required(false)
                        .repeatable(false)
                        .argument("N")
                        .validator(new Poco::Util::IntValidator(1, 100000))
                        .binding("sfsync.cli.activity"));
  options.addOption(Option("set-secret", "",
                           "read a value from stdin (no echo on a terminal) and store it in the "
                           "encrypted credentials store (secrets.file, secrets.keyFile) as "
                           "CONNECTION.KEY, e.g. prod.password; creates the key file if missing")
                        .required(false)
                        .repeatable(false)
                        .argument("CONNECTION.KEY")
                        .binding("sfsync.cli.setSecret"));
  defineDryRunOptions(options);
  options.addOption(Option("define", "D", "override a configuration property: key=value")
                        .required(false)
                        .repeatable(true)
                        .argument("KEY=VALUE")
                        .callback(OptionCallback<SyncApp>(this, &SyncApp::handleDefine)));
}

void SyncApp::defineDryRunOptions(Poco::Util::OptionSet& options) {
  options.addOption(Option("dry-run", "",
                           "run a job without writing anything (targets, cursor, queue, activity): "
                           "print would-create / would-update / unchanged / rejected counts and "
                           "changes; exit 0, or 1 when it could not run")
                        .required(false)
                        .repeatable(false)
                        .argument("NAME")
                        .binding("sfsync.cli.dryRun"));
  options.addOption(Option("dry-run-max", "",
                           "with --dry-run: read at most N records (default: the job's or "
                           "connection's dryRunMaxRecords, 10000)")
                        .required(false)
                        .repeatable(false)
                        .argument("N")
                        .validator(new Poco::Util::IntValidator(1, 1000000))
                        .binding("sfsync.cli.dryRunMax"));
  options.addOption(Option("dry-run-report", "",
                           "with --dry-run: write the JSON report to FILE (default "
                           "<errorDir>/<job>/dry-run-<time>.json)")
                        .required(false)
                        .repeatable(false)
                        .argument("FILE")
                        .binding("sfsync.cli.dryRunReport"));
}

int SyncApp::dryRun(const config::LoadedConfig& config, const std::string& name) {
  const config::JobConfig* job = config.findJob(name);
  if (job == nullptr) {
    std::cerr << "sfsyncd: no job named '" << name << "'" << std::endl;
    return kExitUsage;
  }
  const config::ConnectionConfig* connection = config.app.findConnection(job->connection);
  salesforce::SalesforceClientPtr client = salesforce::makeHttpClient(connection->settings, clock_);
  jobs::DryRunOptions options;
  options.maxRecords = jobs::DryRun::maxRecordsFor(*job, connection->settings, dryRunMax_);
  if (connection->isSnowflake) options.snowflake = &connection->snowflake;  // issue 14
  Result<jobs::DryRunReport> report = jobs::DryRun::run(*job, *client, *store_, *clock_, options);
  if (!report.ok()) {
    std::cerr << "sfsyncd: dry run of '" << job->name << "' failed: " << report.status().toString()
              << std::endl;
    return kExitFailed;
  }
  std::string file = dryRunReport_;
  if (file.empty()) {
    std::string stamp = report->startedAt;
    for (char& c : stamp) {
      if (c == ':' || c == '.') c = '-';
    }
    Poco::Path path(config.app.errorDir);
    path.makeDirectory().pushDirectory(jobs::JobRunner::slug(job->name));
    file = path.setFileName("dry-run-" + stamp + ".json").toString();
  }
  std::cout << jobs::dryRunTable(*report);
  try {
    Poco::Path path(file);
    if (path.depth() > 0) Poco::File(path.parent()).createDirectories();
    std::ofstream out(file, std::ios::trunc);
    out << jobs::dryRunJson(*report) << '\n';
    if (!out.flush()) throw std::runtime_error("write failed");
  } catch (const std::exception& e) {
    std::cerr << "sfsyncd: cannot write the dry-run report " << file << ": " << e.what()
              << std::endl;
    return kExitFailed;
  }
  std::cout << "report: " << file << std::endl;
  return kExitSuccess;
}

void SyncApp::handleHelp(const std::string&, const std::string&) {
  helpRequested_ = true;
  Poco::Util::HelpFormatter help(options());
  help.setCommand(commandName());
  help.setUsage("[OPTIONS]");
  help.setHeader("sfsync daemon: syncs Salesforce objects into a local store on schedule.");
  help.format(std::cout);
  stopOptionsProcessing();
}

void SyncApp::handleVersion(const std::string&, const std::string&) {
  helpRequested_ = true;  // like --help: print, then main() exits 0 without loading anything
  std::cout << "sfsyncd " << versionString() << std::endl;
  stopOptionsProcessing();
}

void SyncApp::handleDefine(const std::string&, const std::string& value) {
  const auto eq = value.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw Poco::Util::InvalidArgumentException("--define needs KEY=VALUE, got '" + value + "'");
  }
  overrides_[value.substr(0, eq)] = value.substr(eq + 1);
}

void SyncApp::setupLogging(const config::AppConfig& app) {
  // The plain defaults (log.file, or standard error): the fallback when the configured logging is
  // invalid. Its problems were reported already, so the returned ones are not repeated.
  LogSettings basic;
  basic.file = app.logFile;
  LoggingSetup::apply(basic, app.file);
}

bool SyncApp::configureLogging(config::LoadedConfig& loaded) {
  setLogger(Poco::Logger::get("sfsync.app"));  // the daemon's own lines, named like the modules'
  const std::string base = loaded.app.baseDir + "/";
  const std::string& file = loaded.app.file;
  const std::string display = file.rfind(base, 0) == 0 ? file.substr(base.size()) : file;
  LogSettingsParse parsed = parseLogSettings(loaded.app, display);
  bool applied = false;
  if (parsed.problems.empty()) {
    parsed.problems = LoggingSetup::apply(parsed.settings, display, !validateOnly_);
    applied = parsed.problems.empty();
    if (applied) logSettings_ = parsed.settings;
  }
  for (auto& problem : parsed.problems) loaded.problems.push_back(std::move(problem));
  return applied;
}

bool SyncApp::openStore(const config::AppConfig& app) {
  Result<store::StorePtr> store = openConfiguredStore(app);
  if (!store.ok()) {
    const std::string where = describeStore(app);
    std::cerr << "sfsyncd: cannot open store " << where << ": " << store.status().toString()
              << std::endl;
    logger().error("cannot open store %s: %s", where, store.status().toString());
    return false;
  }
  store_ = std::move(store).value();
  return true;
}

int SyncApp::exitCodeFor(const std::string& status) {
  if (status == activity::kStatusSuccess) return kExitSuccess;
  if (status == activity::kStatusPartial) return kExitPartial;
  if (status == store::kStatusDeferred) return kExitDeferred;
  return kExitFailed;
}

int SyncApp::runJob(const config::LoadedConfig& config, const std::string& name) {
  const config::JobConfig* job = config.findJob(name);
  if (job == nullptr) {
    std::cerr << "sfsyncd: no job named '" << name << "'" << std::endl;
    return kExitUsage;
  }
  const config::ConnectionConfig* connection = config.app.findConnection(job->connection);
  salesforce::SalesforceClientPtr client = salesforce::makeHttpClient(connection->settings, clock_);
  jobs::RunContext context{*client, *store_, *clock_, config.app.errorDir, "cli", ""};
  context.useConnection(*connection);
  store::ExecutionRecord record = jobs::JobRunner::run(*job, context);
  std::cout << activity::formatActivity({record});
  return exitCodeFor(record.status);
}

// --rerun-failed=EXECUTION (issue 16): the job of the execution, for its failed Ids only.
int SyncApp::rerunFailed(const config::LoadedConfig& config, const std::string& executionId) {
  Result<jobs::FailedRecords> failed = jobs::FailedRerun::plan(*store_, executionId);
  if (!failed.ok()) {
    std::cerr << "sfsyncd: " << failed.status().message() << std::endl;
    return kExitFailed;
  }
  const config::JobConfig* job = config.findJob(failed->job);
  if (job == nullptr) {
    std::cerr << "sfsyncd: the job '" << failed->job << "' of execution '" << executionId
              << "' is no longer configured" << std::endl;
    return kExitFailed;
  }
  const config::ConnectionConfig* connection = config.app.findConnection(job->connection);
  salesforce::SalesforceClientPtr client = salesforce::makeHttpClient(connection->settings, clock_);
  jobs::RunContext context{*client, *store_, *clock_, config.app.errorDir, "cli", ""};
  context.useConnection(*connection);
  store::ExecutionRecord record = jobs::FailedRerun::run(*job, context, *failed);
  std::cout << activity::formatActivity({record});
  return exitCodeFor(record.status);
}

int SyncApp::runChain(const config::LoadedConfig& config, const std::string& name) {
  const config::ChainConfig* chain = config.findChain(name);
  if (chain == nullptr) {
    std::cerr << "sfsyncd: no chain named '" << name << "'" << std::endl;
    return kExitUsage;
  }
  jobs::ChainContext context{*store_, *clock_, config.app.errorDir,
                             [&](const std::string& connectionName) {
                               const auto* connection = config.app.findConnection(connectionName);
                               return salesforce::makeHttpClient(connection->settings, clock_);
                             },
                             "cli"};
  jobs::ChainRun run = jobs::ChainRunner::run(*chain, config, context);
  std::vector<store::ExecutionRecord> rows{run.chain};
  rows.insert(rows.end(), run.jobs.begin(), run.jobs.end());
  std::cout << activity::formatActivity(rows);
  return exitCodeFor(run.chain.status);
}

int SyncApp::authorize(const config::LoadedConfig& config, const std::string& name) {
  const config::ConnectionConfig* connection = config.app.findConnection(name);
  if (connection == nullptr) {
    std::cerr << "sfsyncd: no connection named '" << name << "'" << std::endl;
    return kExitUsage;
  }
  if (connection->isSnowflake) {  // issue 14: a login check; no out-of-the-box jobs
    Status login = snowflake::login(connection->snowflake, *clock_);
    if (!login.ok()) {
      std::cerr << "sfsyncd: connection '" << name
                << "' could not be authorised: " << login.toString() << std::endl;
      return kExitFailed;
    }
    std::cout << "connection '" << name << "' authorised (Snowflake; no out-of-the-box jobs)\n";
    return kExitSuccess;
  }
  jobs::OobRequest oob;
  oob.templatesDir = Poco::Path(config.app.file).parent().pushDirectory("oob").toString();
  oob.jobsDir = config.app.jobsDir;
  oob.chainsDir = config.app.chainsDir;
  oob.connection = name;
  salesforce::SalesforceClientPtr client = salesforce::makeHttpClient(connection->settings, clock_);
  Result<jobs::AuthorizationResult> result =
      jobs::ConnectionAuthorizer::authorize(*client, *store_, *clock_, oob);
  if (!result.ok()) {
    std::cerr << "sfsyncd: connection '" << name
              << "' could not be authorised: " << result.status().toString() << std::endl;
    return kExitFailed;
  }
  std::cout << "connection '" << name << "' authorised"
            << (result->firstAuthorization ? " for the first time" : " again (jobs kept)")
            << "; multi-currency " << (result->multiCurrency ? "on" : "off") << "; "
            << (result->primary ? "primary" : "secondary") << " connection\n";
  for (const auto& file : result->writtenFiles) std::cout << "created " << file << '\n';
  return kExitSuccess;
}

int SyncApp::writeReplicationRequest(const config::LoadedConfig& config, const std::string& action,
                                     const std::string& name) {
  const config::JobConfig* job = config.findJob(name);
  if (job == nullptr) {
    std::cerr << "sfsyncd: --" << action << ": no job named '" << name << "'" << std::endl;
    return kExitUsage;
  }
  Result<std::string> written = writeRequest(*store_, *parseRequest(action), job->name, "cli",
                                             "the command line", clock_->now());
  if (!written.ok()) {
    std::cerr << "sfsyncd: " << written.status().toString() << std::endl;
    return kExitFailed;
  }
  std::cout << *written << std::endl;
  return kExitSuccess;
}

int SyncApp::printActivity(int limit) {
  store::ExecutionQuery query;
  query.limit = limit;
  Result<std::vector<store::ExecutionRecord>> rows = store_->listExecutions(query);
  if (!rows.ok()) {
    std::cerr << "sfsyncd: " << rows.status().toString() << std::endl;
    return kExitFailed;
  }
  std::cout << activity::formatActivity(*rows);
  return kExitSuccess;
}

std::function<std::string()> SyncApp::healthSource(
    const DaemonRuntime& runtime, const std::unique_ptr<admin::AdminServer>& server) {
  const std::string startedAt = formatIso8601(clock_->now());
  // `runtime` outlives the server; `server` is set before it starts serving, and its port is fixed
  // once bound.
  const std::shared_ptr<Clock> clock = clock_;
  return [startedAt, clock, &runtime, &server] {
    const std::shared_ptr<const config::LoadedConfig> config = runtime.currentConfig();
    Poco::JSON::Object healthJson(Poco::JSON_PRESERVE_KEY_ORDER);
    healthJson.set("status", "ok");
    healthJson.set("service", "sfsyncd");
    healthJson.set("startedAt", startedAt);
    healthJson.set("connections", config->app.connections.size());
    healthJson.set("jobs", config->jobs.size());
    healthJson.set("chains", config->chains.size());
    healthJson.set("store", describeStore(config->app));
    healthJson.set("adminPort", server->port());
    // Issue 14: Snowflake OAuth refresh tokens within 14 days of their expiry, or past it.
    Poco::JSON::Array warnings;
    for (const std::string& w : snowflakeTokenWarnings(config->app, clock->now())) warnings.add(w);
    if (warnings.size() > 0) healthJson.set("warnings", warnings);
    std::ostringstream healthText;
    healthJson.stringify(healthText);
    return healthText.str();
  };
}

admin::AdminOptions SyncApp::adminOptionsFor(const config::AppConfig& app) {
  admin::AdminOptions options;
  options.host = app.adminHost;
  options.port = static_cast<std::uint16_t>(app.adminPort);
  for (const auto& token : app.adminTokens) {
    options.tokens.push_back({token.name, token.sha256Hex, token.role});
  }
  options.tlsCertificateFile = app.tlsCertificateFile;
  options.tlsPrivateKeyFile = app.tlsPrivateKeyFile;
  options.maxThreads = app.adminThreads;
  options.maxConnections = app.adminMaxConnections;
  options.requestTimeoutSeconds = app.adminRequestTimeoutSeconds;
  options.keepAliveSeconds = app.adminKeepAliveSeconds;
  options.maxEventStreams = app.adminEventStreams;
  options.eventKeepAliveSeconds = app.adminEventKeepAliveSeconds;
  options.eventStreamMaxSeconds = app.adminEventStreamMaxSeconds;
  return options;
}

void SyncApp::failInterruptedRuns() {
  // Only runs whose process is gone: a live foreground run or daemon keeps its rows (store locks).
  Result<int> interrupted = store_->failInterruptedExecutions(
      formatIso8601(clock_->now()),
      "interrupted: the process running it stopped while this run was in progress");
  if (!interrupted.ok()) {
    logger().error("cannot mark interrupted executions: %s", interrupted.status().toString());
  } else if (*interrupted > 0) {
    logger().warning("marked %d interrupted execution(s) as Failed", *interrupted);
  }
}

Result<platform::FileLock> SyncApp::lockForOneShotRun(const config::LoadedConfig& config) {
  const std::string mode = !runJob_.empty()     ? "--run-job=" + runJob_
                           : !runChain_.empty() ? "--run-chain=" + runChain_
                                                : "--rerun-failed=" + rerunFailed_;
  Result<platform::FileLock> lock = InstanceLock::acquire(config.app.storePath, "running " + mode);
  if (lock.ok()) return lock;
  std::string message = lock.status().message();
  if (message.find(" is serving this configuration") != std::string::npos) {
    const std::string name = !runJob_.empty() ? runJob_ : runChain_;
    message += name.empty()
                   ? "; ask the serving daemon instead: POST /api/activity/" + rerunFailed_ +
                         "/rerun-failed"
                   : "; ask the serving daemon instead: sfsyncd --run-now=\"" + name + "\"";
  }
  std::cerr << "sfsyncd: " << message << std::endl;
  logger().error(message);
  return lock.status();
}

int SyncApp::serve(const config::LoadedConfig& config) {
  // One serving daemon per configuration (its store): held until serve() returns.
  Result<platform::FileLock> instance = InstanceLock::acquire(config.app.storePath);
  if (!instance.ok()) {
    std::cerr << "sfsyncd: " << instance.status().message() << std::endl;
    logger().fatal(instance.status().message());
    return kExitFailed;
  }
  Result<std::vector<store::UpdateRecord>> audited =
      activity::ConfigAuditor::audit(config, *store_, *clock_);
  if (!audited.ok()) {
    logger().warning("cannot record configuration changes: %s", audited.status().toString());
  } else if (!audited->empty()) {
    logger().information("recorded %z configuration change(s) as update activity", audited->size());
  }
  // Before any thread exists: every thread inherits the mask, signals reach only wait() below.
  platform::blockTerminationSignals();
  scheduling::Scheduler::Options options;
  options.workerThreads = config.app.schedulerMaxParallel;
  options.tickInterval = std::chrono::seconds(config.app.schedulerTickSeconds);
  // Issue 12: several daemons may share a PostgreSQL store; each run is claimed once.
  Result<scheduling::RunClaimsPtr> claims = openConfiguredClaims(config.app);
  if (!claims.ok()) {
    const std::string message = "cannot open the cluster claims on " + describeStore(config.app) +
                                ": " + claims.status().message();
    std::cerr << "sfsyncd: " << message << std::endl;
    logger().fatal(message);
    return kExitFailed;
  }
  DaemonRuntime runtime(config, *store_, clock_, notifications_, options,
                        std::move(claims).value());
  runtime.setConfigSource([this] { return loadForReload(); });
  Status ready = runtime.init();
  if (!ready.ok()) {
    std::cerr << "sfsyncd: " << ready.toString() << std::endl;
    logger().fatal(ready.toString());
    return kExitFailed;
  }

  std::unique_ptr<admin::AdminServer> server;
  server = std::make_unique<admin::AdminServer>(adminOptionsFor(config.app), *store_, runtime,
                                                healthSource(runtime, server));
  server->setEventBus(runtime.events());  // GET /api/events (issue 16)
  // Issue 17: the job / chain editor (PUT / DELETE definitions, POST /api/validate).
  DefinitionEditor editor(
      [this](const config::FileOverlay& overlay) { return loadForReload(overlay).config; },
      [&runtime](const std::string& actor) { return runtime.reloadEdited(actor); },
      [&runtime] { return runtime.currentConfig(); }, *store_, clock_);
  server->setConfigEditor(editor);
  Status started = server->start();
  if (!started.ok()) {
    std::cerr << "sfsyncd: " << started.message() << std::endl;
    logger().fatal(started.message());
    return kExitFailed;
  }
  const std::string& host = config.app.adminHost;
  logger().information("admin listening on %s:%hu",
                       host.find(':') != std::string::npos ? "[" + host + "]" : host,
                       server->port());
  runtime.start();  // threads start only now: after --daemon forked and the port is ours
  logger().information("sfsyncd serving %s (%z jobs, %z chains)", server->url(), config.jobs.size(),
                       config.chains.size());
  const std::string signal = platform::waitForTerminationSignal([this, &runtime] {
    logger().information("SIGHUP received: reloading the configuration");
    Result<admin::ReloadOutcome> reloaded = runtime.reload("SIGHUP");
    if (!reloaded.ok()) logger().error("reload failed: %s", reloaded.status().toString());
  });
  logger().information(
      "termination requested (%s); runs stop after their current page (send it "
      "again to exit at once)",
      signal);
  // The watcher thread may outlive this object (a signal during static destruction): it keeps
  // only the logger, which lives until exit.
  Poco::Logger& log = logger();
  platform::exitOnTerminationSignal(kExitForcedStop, [&log](const std::string& again) {
    log.warning("%s again: exiting at once; interrupted runs resume from their checkpoint", again);
  });
  runtime.shutdown(kShutdownGrace);  // stops runs at a page boundary, then waits for them
  server->stop();
  logger().information("sfsyncd stopped");
  instance->releaseAndRemove();
  return kExitSuccess;
}

DaemonRuntime::LoadedSource SyncApp::loadForReload(const config::FileOverlay& overlay) {
  DaemonRuntime::LoadedSource loaded;
  loaded.config = std::make_shared<config::LoadedConfig>(
      config::loadConfig(configFile_, baseDir_, overrides_, overlay));
  for (auto& problem : checkDaemonConfig(*loaded.config, overrides_, &loaded.notifications)) {
    loaded.config->problems.push_back(std::move(problem));
  }
  // Logging is not re-applied by a reload (a changed log.* / logging.* needs a restart), but a
  // value the next start would refuse must refuse the reload too.
  for (auto& problem : parseLogSettings(loaded.config->app, loaded.config->app.file).problems) {
    loaded.config->problems.push_back(std::move(problem));
  }
  return loaded;
}

bool SyncApp::readModes() {
  configFile_ = config().getString("sfsync.cli.config", configFile_);
  validateOnly_ = config().hasProperty("sfsync.cli.validate");
  runJob_ = config().getString("sfsync.cli.runJob", "");
  runChain_ = config().getString("sfsync.cli.runChain", "");
  rerunFailed_ = config().getString("sfsync.cli.rerunFailed", "");
  activityLimit_ = config().getInt("sfsync.cli.activity", 0);
  authorize_ = config().getString("sfsync.cli.authorize", "");
  setSecret_ = config().getString("sfsync.cli.setSecret", "");
  for (const char* action : {"run-now", "pause", "resume", "disconnect", "reconnect"}) {
    const std::string key = std::string("sfsync.cli.control.") + action;
    if (config().hasProperty(key)) {
      controlAction_ = action == std::string("run-now") ? "run" : action;
      controlTarget_ = config().getString(key);
    }
  }
  int requests = 0;
  for (const char* action : {"full-resync", "allow-mass-delete"}) {
    const std::string key = std::string("sfsync.cli.request.") + action;
    if (config().hasProperty(key)) {
      ++requests;
      requestAction_ = action;
      requestJob_ = config().getString(key);
    }
  }
  refreshMetadata_ = config().getString("sfsync.cli.refreshMetadata", "");
  requests += !refreshMetadata_.empty();
  dryRun_ = config().getString("sfsync.cli.dryRun", "");
  dryRunMax_ = config().getInt64("sfsync.cli.dryRunMax", 0);
  dryRunReport_ = config().getString("sfsync.cli.dryRunReport", "");
  requests += !dryRun_.empty();
  return !runJob_.empty() + !runChain_.empty() + !rerunFailed_.empty() + validateOnly_ +
             (activityLimit_ > 0) + !authorize_.empty() + !controlTarget_.empty() +
             !setSecret_.empty() + requests <=
         1;
}

void SyncApp::validateOnline(config::LoadedConfig& loaded) {
  const std::string base = loaded.app.baseDir + "/";
  auto relative = [&base](config::ConfigProblem p) {
    if (p.file.rfind(base, 0) == 0) p.file = p.file.substr(base.size());
    return p;
  };
  for (const config::JobConfig& job : loaded.jobs) {
    const config::ConnectionConfig* connection = loaded.app.findConnection(job.connection);
    if (job.snowflakeSource()) {  // issue 14: its statement and columns, against Snowflake
      if (connection == nullptr || !connection->isSnowflake) continue;  // reported by the loader
      for (auto& problem : jobs::checkSnowflakeJobOnline(job, connection->snowflake, *clock_)) {
        loaded.problems.push_back(relative(std::move(problem)));
      }
      continue;
    }
    auto client = salesforce::makeHttpClient(connection->settings, clock_);
    std::vector<config::ConfigProblem> warnings;
    for (auto& problem : jobs::JobValidator::validate(job, *client, &warnings)) {
      loaded.problems.push_back(relative(std::move(problem)));
    }
    // Warnings are printed but do not fail the validation.
    for (auto& warning : warnings) {
      std::cerr << "warning: " << relative(std::move(warning)).toString() << '\n';
    }
  }
}

int SyncApp::main(const std::vector<std::string>&) {
  if (helpRequested_) return kExitSuccess;
  if (!readModes()) {
    std::cerr << "sfsyncd: use at most one of --validate, --run-job, --run-chain, --rerun-failed, "
                 "--activity, --authorize, --full-resync, --allow-mass-delete, --set-secret, "
                 "--refresh-metadata, --dry-run and the daemon controls"
              << std::endl;
    return kExitUsage;
  }

  config::LoadedConfig loaded = config::loadConfig(configFile_, baseDir_, overrides_);
  if (!setSecret_.empty()) {
    // Other problems (a credential still missing) are why the secret is being set: not checked.
    return setSecret(loaded, setSecret_, std::cin, platform::stdinIsTerminal(), std::cout,
                     std::cerr);
  }
  for (auto& problem : checkDaemonConfig(loaded, overrides_, &notifications_)) {
    loaded.problems.push_back(std::move(problem));
  }
  const bool loggingConfigured = configureLogging(loaded);
  if (loaded.problems.empty() && validateOnly_ && config().hasProperty("sfsync.cli.online")) {
    validateOnline(loaded);
  }
  if (!loaded.problems.empty()) {
    for (const auto& problem : loaded.problems) std::cerr << problem.toString() << '\n';
    std::cerr << "sfsyncd: " << loaded.problems.size()
              << " configuration problem(s); refusing to start" << std::endl;
    // Under --daemon stderr is /dev/null; leave the evidence in the log when one is configured.
    if (!loaded.app.logFile.empty()) {
      if (!loggingConfigured) {
        setupLogging(loaded.app);
      } else if (validateOnly_) {  // it did not open the file: open it now, for these lines
        LoggingSetup::apply(*logSettings_, loaded.app.file);
      }
      for (const auto& problem : loaded.problems) logger().fatal(problem.toString());
    }
    return kExitFailed;
  }
  if (validateOnly_) {
    std::cout << "configuration OK: " << loaded.app.connections.size() << " connection(s), "
              << loaded.jobs.size() << " job(s), " << loaded.chains.size() << " chain(s)"
              << std::endl;
    return kExitSuccess;
  }

  if (!controlTarget_.empty()) {
    Result<std::string> answer = sendControl(loaded, controlAction_, controlTarget_);
    if (!answer.ok()) {
      std::cerr << "sfsyncd: " << answer.status().toString() << std::endl;
      return kExitFailed;
    }
    std::cout << *answer << std::endl;
    return kExitSuccess;
  }
  if (!openStore(loaded.app)) return kExitFailed;
  if (!requestAction_.empty()) return writeReplicationRequest(loaded, requestAction_, requestJob_);
  if (!refreshMetadata_.empty()) return refreshMetadata(loaded, refreshMetadata_);
  if (!dryRun_.empty()) return dryRun(loaded, dryRun_);  // writes nothing to the store
  // A one-shot run holds the configuration's lock like a serving daemon: no job runs in two
  // processes at once.
  platform::FileLock runLock;
  if (!runJob_.empty() || !runChain_.empty() || !rerunFailed_.empty()) {
    Result<platform::FileLock> lock = lockForOneShotRun(loaded);
    if (!lock.ok()) return kExitFailed;
    runLock = std::move(lock).value();
  }
  if (!runJob_.empty() || !runChain_.empty() || !rerunFailed_.empty() ||
      (activityLimit_ <= 0 && authorize_.empty())) {
    failInterruptedRuns();  // every start that runs jobs: serve, --run-job, --run-chain
  }
  if (!runJob_.empty()) return runJob(loaded, runJob_);
  if (!runChain_.empty()) return runChain(loaded, runChain_);
  if (!rerunFailed_.empty()) return rerunFailed(loaded, rerunFailed_);
  if (activityLimit_ > 0) return printActivity(activityLimit_);
  if (!authorize_.empty()) return authorize(loaded, authorize_);
  return serve(loaded);
}

int SyncApp::refreshMetadata(const config::LoadedConfig& config, const std::string& connection) {
  if (config.app.findConnection(connection) == nullptr) {
    std::cerr << "sfsyncd: no connection named '" << connection << "'" << std::endl;
    return kExitUsage;
  }
  notify::NotifierPtr notifier = notify::makeNotifier(notifications_, clock_);
  MetadataRefresher refresher(config, *store_, *clock_, notifier.get(),
                              [&](const std::string& name) {
                                const config::ConnectionConfig* c = config.app.findConnection(name);
                                return salesforce::makeHttpClient(c->settings, clock_);
                              });
  Result<std::string> done = refresher.refresh(connection, "cli");
  if (!done.ok()) {
    std::cerr << "sfsyncd: metadata refresh of '" << connection
              << "' failed: " << done.status().toString() << std::endl;
    return kExitFailed;
  }
  std::cout << "metadata of '" << connection << "' refreshed: " << *done << std::endl;
  return kExitSuccess;
}

}  // namespace sfsync::app
