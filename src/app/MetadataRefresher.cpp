#include "app/MetadataRefresher.h"

#include <Poco/Logger.h>

#include "sfsync/notify/NotificationConfig.h"
#include "sfsync/notify/RunNotice.h"

namespace sfsync::app {

namespace {

Poco::Logger& log() { return Poco::Logger::get("sfsync.metadata"); }

}  // namespace

MetadataRefresher::MetadataRefresher(const config::LoadedConfig& config, store::Store& store,
                                     Clock& clock, notify::Notifier* notifier,
                                     ClientFactory clients)
    : config_(config),
      store_(store),
      clock_(clock),
      notifier_(notifier),
      clients_(std::move(clients)) {}

Result<std::string> MetadataRefresher::refresh(const std::string& connection,
                                               const std::string& actor) {
  const config::ConnectionConfig* c = config_.app.findConnection(connection);
  salesforce::SalesforceClientPtr client = c != nullptr ? clients_(connection) : nullptr;
  if (client == nullptr) return Status::NotFound("no connection named '" + connection + "'");
  jobs::MetadataCache cache(store_, clock_, connection, c->settings.metadataRefreshDays);
  Result<jobs::RefreshReport> report =
      jobs::MetadataRefresh::refresh(config_.jobs, cache, *client, store_, clock_, actor);
  if (!report.ok()) {
    log().warning("metadata refresh of %s failed: %s", connection, report.status().toString());
    return report.status();
  }
  for (const jobs::JobValidityChange& change : report->changes) {
    if (change.invalid) {
      log().warning("job %s is invalid: %s: %s", change.job, change.invalidity.reason,
                    change.invalidity.message);
      notifyInvalid(connection, change);
    } else {
      log().information("job %s is valid again", change.job);
    }
  }
  std::string summary = std::to_string(report->objects.size()) + " object(s) described, " +
                        std::to_string(report->invalidJobs.size()) + " job(s) invalid";
  for (std::size_t i = 0; i < report->invalidJobs.size(); ++i) {
    summary += (i == 0 ? ": " : ", ") + report->invalidJobs[i];
  }
  return summary;
}

void MetadataRefresher::refreshDue(const std::string& actor) {
  for (const config::ConnectionConfig& c : config_.app.connections) {
    jobs::MetadataCache cache(store_, clock_, c.settings.name, c.settings.metadataRefreshDays);
    if (!cache.anyDue()) continue;
    Result<std::string> done = refresh(c.settings.name, actor);
    if (done.ok()) log().information("metadata of %s refreshed: %s", c.settings.name, *done);
  }
}

void MetadataRefresher::notifyInvalid(const std::string& connection,
                                      const jobs::JobValidityChange& change) {
  const config::JobConfig* job = config_.findJob(change.job);
  if (notifier_ == nullptr || job == nullptr || job->notificationsJson.empty()) return;
  notify::TargetsParse targets = notify::parseNotificationTargetsJson(job->notificationsJson);
  if (targets.targets.onFailure.empty()) return;
  store::ExecutionRecord row;
  row.kind = "job";
  row.name = job->name;
  row.connection = connection;
  row.trigger = "metadata-refresh";
  row.status = "Invalid";
  row.startTime = row.endTime = formatIso8601(clock_.now());
  row.message = change.invalidity.reason + ": " + change.invalidity.message;
  notify::RunNotice notice(notify::NoticeKind::kFailure, row, {});
  Status sent = notifier_->notify(notice, targets.targets);
  if (!sent.ok()) log().warning("notification for '%s' failed: %s", job->name, sent.toString());
}

}  // namespace sfsync::app
