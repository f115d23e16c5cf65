#include "salesforce_sim/BulkJobStore.h"

#include "salesforce_sim/SalesforceId.h"

namespace sfsync::sim {

std::string BulkJobStore::create(BulkJob job, bool held) {
  std::lock_guard<std::mutex> lock(mutex_);
  job.id = SalesforceId::make("750", "Sm", ++serial_);
  if (job.pollsToComplete <= 0 && !held && !job.failOnPoll) job.state = "JobComplete";
  const std::string id = job.id;
  jobs_[id] = std::move(job);
  return id;
}

std::optional<BulkJob> BulkJobStore::poll(const std::string& id, bool held, std::int64_t nowMs) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  BulkJob& job = it->second;
  if (job.finished()) return job;
  job.modstampMs = nowMs;
  if (job.failOnPoll) {
    job.state = "Failed";
    return job;
  }
  if (held) {
    job.state = "InProgress";
    return job;
  }
  ++job.polls;
  job.state = job.polls >= job.pollsToComplete ? "JobComplete" : "InProgress";
  return job;
}

std::optional<BulkJob> BulkJobStore::find(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second;
}

std::optional<BulkJob> BulkJobStore::abort(const std::string& id, std::int64_t nowMs) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  if (!it->second.finished()) {
    it->second.state = "Aborted";
    it->second.modstampMs = nowMs;
  }
  return it->second;
}

bool BulkJobStore::erase(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_.erase(id) > 0;
}

std::vector<BulkJob> BulkJobStore::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<BulkJob> out;
  out.reserve(jobs_.size());
  for (const auto& [id, job] : jobs_) out.push_back(job);
  return out;
}

}  // namespace sfsync::sim
