#include "app/RealtimeRunner.h"

#include <Poco/Logger.h>

#include "sfsync/cdc/PubSubStream.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync::app {

namespace {

Poco::Logger& log() { return Poco::Logger::get("sfsync.realtime"); }

bool loopbackEndpoint(const std::string& endpoint) {
  const std::string host = endpoint.substr(0, endpoint.rfind(':'));
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace

RealtimeRunner::RealtimeRunner(std::shared_ptr<const config::LoadedConfig> conf,
                               store::Store& store, std::shared_ptr<Clock> clock)
    : conf_(std::move(conf)), store_(store), clock_(std::move(clock)) {}

RealtimeRunner::~RealtimeRunner() { stop(); }

Status RealtimeRunner::renewSession(Worker& w) {
  Result<salesforce::StreamingSession> s = salesforce::openStreamingSession(*w.settings, clock_);
  if (!s.ok()) return s.status();
  std::lock_guard<std::mutex> lock(w.sessionMutex);
  w.session = std::move(s).value();
  return Status::OK();
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
  const std::string errorDir = conf_->app.errorDir;
  w.realtime = std::make_unique<jobs::RealtimeJob>(
      *w.job, *w.client, store_, *clock_, errorDir,
      [options] { return cdc::openPubSubStream(options); },
      [this, worker, errorDir] {
        jobs::RunContext context(*worker->client, store_, *clock_, errorDir, "realtime");
        context.useConnection(*worker->settings);
        const store::ExecutionRecord r = jobs::JobRunner::run(*worker->job, context);
        return r.status == "Success" || r.status == "Partial"
                   ? Status::OK()
                   : Status::Unavailable("catch-up run " + r.status + ": " + r.message);
      },
      [this, worker] { return renewSession(*worker); });
  w.thread = std::thread([worker] {
    Status s = worker->realtime->run();
    if (!s.ok()) {
      log().error("job %s: real-time sync stopped: %s", worker->job->name, s.toString());
    }
  });
}

void RealtimeRunner::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (started_) return;
  started_ = true;
  for (const config::JobConfig& job : conf_->jobs) {
    if (!job.realtime || !job.enabled) continue;
    const config::ConnectionConfig* c = conf_->app.findConnection(job.connection);
    if (c == nullptr) continue;  // refused by the configuration check already
    auto w = std::make_unique<Worker>();
    w->job = &job;
    w->settings = &c->settings;
    w->client = salesforce::makeHttpClient(c->settings, clock_);
    startWorker(*w);
    log().information("job %s: real-time sync on %s", job.name,
                      jobs::RealtimeJob::topicFor(job.sourceObject));
    workers_.push_back(std::move(w));
  }
}

void RealtimeRunner::stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& w : workers_) {
    w->realtime->stop();
    w->client->cancel();
  }
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
  workers_.clear();
}

std::vector<jobs::RealtimeStats> RealtimeRunner::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<jobs::RealtimeStats> out;
  for (const auto& w : workers_) out.push_back(w->realtime->stats());
  return out;
}

}  // namespace sfsync::app
