#include "app/RealtimeRunner.h"

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>

#include <Poco/Logger.h>

#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/admin/RealtimeJson.h"
#include "sfsync/cdc/PubSubStream.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync::app {

namespace {

Poco::Logger& log() { return Poco::Logger::get("sfsync.realtime"); }

bool loopbackEndpoint(const std::string& endpoint) {
  const std::string host = endpoint.substr(0, endpoint.rfind(':'));
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

// A job file's text (at most 16 MiB; a job file is far smaller), "" when unreadable.
std::string fileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  char buffer[65536];
  while (in && text.size() < (16u << 20)) {
    in.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  return text;
}

// What a real-time job depends on: its file and its connection's settings. Compared in memory
// only (it holds secrets): never logged.
std::string fingerprintOf(const config::JobConfig& job, const salesforce::ConnectionSettings& c) {
  std::string f = fileText(job.file);
  for (const std::string* part :
       {&c.name, &c.customDomainUrl, &c.clientId, &c.clientSecret, &c.username, &c.password,
        &c.securityToken, &c.refreshToken, &c.jwtPrivateKeyFile, &c.apiVersion, &c.caFile,
        &c.pubsubEndpoint}) {
    f += '\n' + std::to_string(part->size()) + ':' + *part;
  }
  f += c.verifyCertificates ? "\n1" : "\n0";
  f += '\n' + std::to_string(static_cast<int>(c.orgType)) + ' ' +
       std::to_string(static_cast<int>(c.authFlow)) + '\n' + c.loginUrl();
  return f;
}

}  // namespace

RealtimeRunner::RealtimeRunner(std::shared_ptr<const config::LoadedConfig> conf,
                               store::Store& store, std::shared_ptr<Clock> clock, EventBus* events,
                               CatchUp catchUp, Held held)
    : conf_(std::move(conf)),
      store_(store),
      clock_(std::move(clock)),
      events_(events),
      catchUp_(std::move(catchUp)),
      held_(std::move(held)) {}

RealtimeRunner::~RealtimeRunner() { stop(); }

Status RealtimeRunner::renewSession(Worker& w) {
  Result<salesforce::StreamingSession> s = salesforce::openStreamingSession(*w.settings, clock_);
  if (!s.ok()) return s.status();
  std::lock_guard<std::mutex> lock(w.sessionMutex);
  w.session = std::move(s).value();
  return Status::OK();
}

Status RealtimeRunner::catchUpOf(Worker& w) {
  if (catchUp_) {
    jobs::RealtimeJob* realtime = w.realtime.get();
    return catchUp_(*w.job, [realtime] { return realtime->stopRequested(); });
  }
  jobs::RunContext context(*w.client, store_, *clock_, w.conf->app.errorDir, "realtime");
  context.useConnection(*w.settings);
  const store::ExecutionRecord r = jobs::JobRunner::run(*w.job, context);
  return r.status == activity::kStatusSuccess || r.status == activity::kStatusPartial
             ? Status::OK()
             : Status::Unavailable("catch-up run " + r.status + ": " + r.message);
}

void RealtimeRunner::startWorker(Worker& w) {
  cdc::PubSubOptions options;
  options.endpoint = w.settings->pubsubEndpoint;
  options.insecure = loopbackEndpoint(options.endpoint);
  Worker* worker = &w;
  options.auth = [this, worker]() -> Result<cdc::PubSubAuth> {
    bool have;
    {
      std::lock_guard<std::mutex> lock(worker->sessionMutex);
      have = worker->session.has_value();
    }
    if (!have) {
      Status s = renewSession(*worker);
      if (!s.ok()) return s;
    }
    std::lock_guard<std::mutex> lock(worker->sessionMutex);
    return cdc::PubSubAuth{worker->session->accessToken, worker->session->instanceUrl,
                           worker->session->orgId};
  };
  w.realtime = std::make_unique<jobs::RealtimeJob>(
      *w.job, *w.client, store_, *clock_, w.conf->app.errorDir,
      [options] { return cdc::openPubSubStream(options); },
      [this, worker] { return catchUpOf(*worker); },
      [this, worker] { return renewSession(*worker); });
  w.thread = std::thread([worker] {
    Status s = worker->realtime->run();
    if (!s.ok()) {
      log().error("job %s: real-time sync stopped: %s", worker->job->name, s.toString());
    }
    worker->ended = true;
  });
  log().information("job %s: real-time sync on %s", w.job->name,
                    jobs::RealtimeJob::topicFor(w.job->sourceObject));
}

std::vector<std::unique_ptr<RealtimeRunner::Worker>> RealtimeRunner::wanted(
    const std::shared_ptr<const config::LoadedConfig>& conf) const {
  std::vector<std::unique_ptr<Worker>> out;
  for (const config::JobConfig& job : conf->jobs) {
    if (!job.realtime || !job.enabled) continue;
    if (held_ && held_(job)) continue;  // paused or disconnected: resumes with the flag
    const config::ConnectionConfig* c = conf->app.findConnection(job.connection);
    if (c == nullptr) continue;  // refused by the configuration check already
    auto w = std::make_unique<Worker>();
    w->conf = conf;
    w->job = &job;
    w->settings = &c->settings;
    w->fingerprint = fingerprintOf(job, c->settings);
    out.push_back(std::move(w));
  }
  return out;
}

void RealtimeRunner::stopAndJoin(std::vector<std::unique_ptr<Worker>>& workers) {
  for (auto& w : workers) {
    if (w->realtime) w->realtime->stop();
    if (w->client) w->client->cancel();
  }
  for (auto& w : workers) {
    if (w->thread.joinable()) w->thread.join();
  }
  workers.clear();
}

void RealtimeRunner::start() {
  std::lock_guard<std::mutex> serial(reconcileMu_);
  std::shared_ptr<const config::LoadedConfig> conf;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (started_) return;
    conf = conf_;
  }
  std::vector<std::unique_ptr<Worker>> workers = wanted(conf);  // reads job files: no lock
  std::lock_guard<std::mutex> lock(mutex_);
  started_ = true;
  stopping_ = false;
  workers_ = std::move(workers);
  for (auto& w : workers_) {
    w->client = salesforce::makeHttpClient(*w->settings, clock_);
    startWorker(*w);
  }
  if (events_ != nullptr) publisher_ = std::thread([this] { publishLoop(); });
}

void RealtimeRunner::stop() {
  std::lock_guard<std::mutex> serial(reconcileMu_);
  std::vector<std::unique_ptr<Worker>> ending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ending.swap(workers_);
    stopping_ = true;
    started_ = false;
  }
  wake_.notify_all();
  if (publisher_.joinable()) publisher_.join();
  stopAndJoin(ending);
}

std::vector<std::string> RealtimeRunner::reconcile(
    std::shared_ptr<const config::LoadedConfig> conf) {
  std::lock_guard<std::mutex> serial(reconcileMu_);
  std::vector<std::unique_ptr<Worker>> next = wanted(conf);
  std::vector<std::unique_ptr<Worker>> ending;
  std::vector<std::string> changes;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    conf_ = conf;
    if (!started_) return changes;
    std::map<std::string, Worker*> byName;
    for (auto& w : next) byName[w->job->name] = w.get();
    std::vector<std::unique_ptr<Worker>> kept;
    for (auto& w : workers_) {
      auto it = byName.find(w->job->name);
      // A worker whose run() ended (e.g. CDC not enabled yet) is restarted by a reload.
      const bool ended = w->ended || w->realtime->stats().state == "stopped";
      if (it != byName.end() && it->second->fingerprint == w->fingerprint && !ended) {
        kept.push_back(std::move(w));  // unchanged: keeps streaming
        continue;
      }
      changes.push_back("real-time job '" + w->job->name + "' " +
                        (it == byName.end() ? "stopped" : "restarted"));
      ending.push_back(std::move(w));
    }
    workers_ = std::move(kept);
  }
  stopAndJoin(ending);  // outside the lock: stats() stays answerable meanwhile
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& w : next) {
    bool running = false;
    for (const auto& k : workers_) running = running || k->job->name == w->job->name;
    if (running) continue;
    bool restarted = false;
    for (const std::string& c : changes) {
      restarted = restarted || c == "real-time job '" + w->job->name + "' restarted";
    }
    if (!restarted) changes.push_back("real-time job '" + w->job->name + "' started");
    w->client = salesforce::makeHttpClient(*w->settings, clock_);
    startWorker(*w);
    workers_.push_back(std::move(w));
  }
  return changes;
}

std::vector<jobs::RealtimeStats> RealtimeRunner::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<jobs::RealtimeStats> out;
  for (const auto& w : workers_) out.push_back(w->realtime->stats());
  return out;
}

void RealtimeRunner::publishLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    if (stopping_ || workers_.empty()) continue;
    std::vector<jobs::RealtimeStats> all;
    for (const auto& w : workers_) all.push_back(w->realtime->stats());
    lock.unlock();
    events_->publish("realtime", admin::realtimeListJson(all));
    lock.lock();
  }
}

}  // namespace sfsync::app
