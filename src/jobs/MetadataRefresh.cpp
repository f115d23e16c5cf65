#include "sfsync/jobs/MetadataRefresh.h"

#include <Poco/Logger.h>
#include <Poco/String.h>

#include <map>

#include "jobs/JobMetadataCheck.h"

namespace sfsync::jobs {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("sfsync.metadata"); }

// Describes fetched once per refresh (current) and what the cache held before (previous). A
// failure that is not a Salesforce error body is kept in `fatal`.
class RefreshDescribes {
 public:
  RefreshDescribes(MetadataCache& cache, salesforce::SalesforceClient& client)
      : cache_(cache), client_(client) {}

  const Result<salesforce::ObjectDescribe>& current(const std::string& object) {
    fetchOnce(object);
    return current_.at(Poco::toLower(object));
  }
  const Result<salesforce::ObjectDescribe>& previous(const std::string& object) {
    fetchOnce(object);
    return previous_.at(Poco::toLower(object));
  }
  const Status& fatal() const { return fatal_; }
  const std::vector<std::string>& objects() const { return objects_; }

 private:
  void fetchOnce(const std::string& object) {
    const std::string key = Poco::toLower(object);
    if (current_.count(key) > 0) return;
    objects_.push_back(object);
    Result<FetchedDescribe> fetched = cache_.fetch(client_, object);
    const Status notAvailable = Status::NotFound(kNotAvailable);
    if (!fetched.ok()) {
      if (fetched.status().code() != StatusCode::kRemoteError && fatal_.ok()) {
        fatal_ = fetched.status();
      }
      current_.emplace(key, fetched.status());
      previous_.emplace(key, notAvailable);
      return;
    }
    current_.emplace(key, fetched->current);
    if (fetched->previous) {
      previous_.emplace(key, *fetched->previous);
    } else {
      previous_.emplace(key, notAvailable);
    }
  }

  MetadataCache& cache_;
  salesforce::SalesforceClient& client_;
  std::map<std::string, Result<salesforce::ObjectDescribe>> current_;
  std::map<std::string, Result<salesforce::ObjectDescribe>> previous_;
  std::vector<std::string> objects_;
  Status fatal_;
};

std::vector<const config::JobConfig*> jobsOf(const std::vector<config::JobConfig>& jobs,
                                             const std::string& connection) {
  std::vector<const config::JobConfig*> out;
  for (const config::JobConfig& job : jobs) {
    // A Snowflake job (issue 14) has no Salesforce describe: its columns are checked per run.
    if (job.enabled && job.connection == connection && !job.snowflakeSource()) {
      out.push_back(&job);
    }
  }
  return out;
}

}  // namespace

Result<RefreshReport> MetadataRefresh::refresh(const std::vector<config::JobConfig>& jobs,
                                               MetadataCache& cache,
                                               salesforce::SalesforceClient& client,
                                               store::Store& store, Clock& clock,
                                               const std::string& actor) {
  RefreshDescribes describes(cache, client);
  const DescribeLookup current = [&](const std::string& o) -> const auto& {
    return describes.current(o);
  };
  const DescribeLookup previous = [&](const std::string& o) -> const auto& {
    return describes.previous(o);
  };
  const std::vector<const config::JobConfig*> checked = jobsOf(jobs, cache.connection());
  // Pass 1 describes everything (paths reach further objects); nothing is marked on a failure.
  for (const config::JobConfig* job : checked) {
    for (const MappedField& f : mappedFields(*job)) {
      (void)resolvePath(current, job->sourceObject, f.path);  // fills the memo; result unused
    }
    (void)describes.current(job->sourceObject);
  }
  if (!describes.fatal().ok()) return describes.fatal();
  RefreshReport report;
  report.objects = describes.objects();
  for (const config::JobConfig* job : checked) {
    std::optional<JobInvalidity> found = JobMetadataCheck::check(
        *job, current, previous, JobMetadataCheck::storedMark(store, job->name), clock.now());
    Result<std::optional<JobValidityChange>> change = JobMetadataCheck::apply(
        store, clock, *job, found, actor, "a metadata refresh found the field");
    if (!change.ok()) return change.status();
    if (*change) report.changes.push_back(std::move(**change));
    if (found) report.invalidJobs.push_back(job->name);
  }
  logger().information("metadata refresh of %s: %z object(s) described, %z job(s) invalid",
                       cache.connection(), report.objects.size(), report.invalidJobs.size());
  return report;
}

std::optional<JobInvalidity> MetadataRefresh::invalidity(store::Store& store,
                                                         const config::JobConfig& job) {
  std::optional<JobInvalidity> mark = JobMetadataCheck::storedMark(store, job.name);
  if (!mark) return std::nullopt;
  for (const MappedField& f : mappedFields(job)) {
    if (Poco::icompare(f.path, mark->field) == 0) return mark;
  }
  if (Poco::icompare(job.dedupeBy, mark->field) == 0) return mark;
  return std::nullopt;  // the job was edited: it no longer maps the field
}

}  // namespace sfsync::jobs
