// A scripted ChainJobRunner for the chain tests: per-job status scripts (one per attempt), a log
// of every call, the skip reasons, the number of jobs running at once, and optional gates that
// hold a job inside runJob() until the test releases it. Waits use condition variables with
// generous real-time timeouts (they only matter when a test is about to fail).
//
// Thread-safety: all methods are safe from any thread (one internal mutex).
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "sfsync/scheduling/ChainExecutor.h"
#include "sfsync/scheduling/RunStatus.h"

namespace sfsync::scheduling::testing {

inline constexpr std::chrono::seconds kGenerousTimeout{30};

class ScriptedChainRunner : public ChainJobRunner {
 public:
  // Statuses for successive attempts of `job`; the last one repeats. Default: Success.
  void script(const std::string& job, std::vector<std::string> statuses) {
    std::lock_guard<std::mutex> lock(mu_);
    scripts_[job] = std::move(statuses);
  }
  // runJob(job) blocks until release(job) (once per release).
  void gate(const std::string& job) {
    std::lock_guard<std::mutex> lock(mu_);
    gated_.insert(job);
  }
  void release(const std::string& job) {
    std::lock_guard<std::mutex> lock(mu_);
    ++released_[job];
    cv_.notify_all();
  }
  // Waits until `count` jobs are inside runJob() at once; false on timeout.
  bool waitRunning(int count) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kGenerousTimeout, [&] { return running_ >= count; });
  }
  // Waits until runJob(job) was entered; false on timeout.
  bool waitStarted(const std::string& job) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kGenerousTimeout, [&] { return started_.count(job) != 0; });
  }

  JobOutcome runJob(const std::string& job, int attempt) override {
    std::unique_lock<std::mutex> lock(mu_);
    calls_.push_back(job + "#" + std::to_string(attempt));
    started_.insert(job);
    ++running_;
    maxRunning_ = std::max(maxRunning_, running_);
    cv_.notify_all();
    if (gated_.count(job) != 0) {
      const bool released =
          cv_.wait_for(lock, kGenerousTimeout, [&] { return released_[job] > 0; });
      if (released) --released_[job];
    }
    --running_;
    cv_.notify_all();
    const std::vector<std::string>& s = scripts_[job];
    const std::size_t i = static_cast<std::size_t>(attempt - 1);
    const std::string status = s.empty() ? kRunSuccess : s[std::min(i, s.size() - 1)];
    return {status, job + " attempt " + std::to_string(attempt) + " " + status};
  }

  void skipJob(const std::string& job, const std::string& reason) override {
    std::lock_guard<std::mutex> lock(mu_);
    skips_[job] = reason;
  }

  std::vector<std::string> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  std::map<std::string, std::string> skips() const {
    std::lock_guard<std::mutex> lock(mu_);
    return skips_;
  }
  int maxRunning() const {
    std::lock_guard<std::mutex> lock(mu_);
    return maxRunning_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<std::string>> scripts_;
  std::set<std::string> gated_;
  std::map<std::string, int> released_;
  std::set<std::string> started_;
  std::vector<std::string> calls_;
  std::map<std::string, std::string> skips_;
  int running_ = 0;
  int maxRunning_ = 0;
};

}  // namespace sfsync::scheduling::testing
