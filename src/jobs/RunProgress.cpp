#include "jobs/RunProgress.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace sfsync::jobs {

void RunProgress::update(const store::ExecutionRecord& record, const std::string& phase,
                         std::int64_t done, std::int64_t total) {
  if (events_ == nullptr) return;
  const SteadyClock::time_point now = SteadyClock::now();
  const bool newPhase = phase != phase_;
  if (newPhase) {
    if (!phase_.empty()) phaseStart_ = now;
    phase_ = phase;
  }
  const bool last = total > 0 && done >= total;
  if (!newPhase && !last && now - lastPublished_ < kMinInterval) return;
  lastPublished_ = now;
  const double elapsed = std::chrono::duration<double>(now - phaseStart_).count();
  const std::string payload = json(record, phase, done, total, elapsed);
  events_->remember(record.executionId, payload);  // GET /api/activity/{id} shows it
  events_->publish("run.progress", payload);
}

std::string RunProgress::json(const store::ExecutionRecord& record, const std::string& phase,
                              std::int64_t done, std::int64_t total, double elapsedSeconds) {
  Poco::JSON::Object out;
  out.set("kind", "job");
  out.set("name", record.name);
  out.set("executionId", record.executionId);
  out.set("parentId", record.parentId);
  out.set("chain", record.chainName);
  out.set("phase", phase);
  // The total is Salesforce's estimate; records arriving beyond it raise it (never over 100 %).
  const std::int64_t expected = total > 0 ? std::max(total, done) : 0;
  out.set("records", done);
  out.set("total", expected);
  out.set("percent", expected > 0 ? static_cast<int>(done * 100 / expected) : -1);
  const double rate = elapsedSeconds > 0.001 ? static_cast<double>(done) / elapsedSeconds : 0.0;
  out.set("ratePerSecond", std::round(rate * 10) / 10);
  const std::int64_t eta = expected > 0 && rate > 0
                               ? static_cast<std::int64_t>(std::ceil((expected - done) / rate))
                               : -1;
  out.set("etaSeconds", eta);
  std::ostringstream text;
  out.stringify(text);
  return text.str();
}

}  // namespace sfsync::jobs
