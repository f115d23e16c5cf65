// BenchSupport: helpers shared by the sync benchmarks (sync_bench, replication_bench): peak RSS,
// job files, a simulator subprocess, connection settings for the simulator, scratch directories.
// Benchmark code: failures print a message and exit.
//
// Thread-safety: functions may be called from any thread; a SimProcess is owned by one thread.
#pragma once

#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <string>

#include "sfsync/config/Config.h"
#include "sfsync/salesforce/ConnectionSettings.h"

namespace sfsync::bench {

// Peak resident set size of this process image, in KiB (VmHWM of /proc/self/status; getrusage
// where that is missing).
long peakRssKb();

std::string readFile(const std::string& path);

// Parses a job definition; prints the first problem and exits on failure.
config::JobConfig parseJobOrExit(const std::string& path, const std::string& text);
// A job file shipped in jobs/ (e.g. "company_sync.json").
config::JobConfig shippedJob(const std::string& file);

// Settings that log in to the simulator at `url` with its default credentials.
salesforce::ConnectionSettings simConnection(const std::string& url);

// A fresh directory under /tmp (sfsync-bench-XXXXXX).
std::string freshDir();

// The sfsync-sim binary as a separate process (its memory is not this process's); stopped
// (SIGTERM, waited for) on destruction.
class SimProcess {
 public:
  explicit SimProcess(const Poco::Process::Args& args);
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;
  const std::string& url() const { return url_; }

 private:
  Poco::Pipe out_;
  Poco::ProcessHandle handle_;
  std::string url_;
};

}  // namespace sfsync::bench
