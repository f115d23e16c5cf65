// BenchSupport: helpers shared by the sync benchmarks (sync_bench, replication_bench, json_bench,
// chain_bench): peak RSS and CPU time, job files, the 10-field Company job, a simulator subprocess,
// connection settings for the simulator, scratch directories, a child process running one sync (so
// its peak RSS is its own), and the network floor: the same query pages drained without parsing
// or storing, over a plain socket or through Poco's HTTP client (FloorHttp). Benchmark code:
// failures print a message and exit.
//
// Thread-safety: functions may be called from any thread; a SimProcess is owned by one thread.
#pragma once

#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

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

// Company-Sync-like job over Account with 10 mapped fields (the issue 10/11 benchmark job), target
// "Company", upsert key SfdcAccountId.
config::JobConfig companyJob10();

// The SOQL the engine issues for a full read of `job`: its fields, in (SystemModstamp, Id) order
// for REST paging; a Bulk job's query (`ordered` false) has no ORDER BY.
std::string firstRunSoql(const config::JobConfig& job, bool ordered = true);

// User + system CPU seconds of this process.
double cpuSeconds();

// This executable (/proc/self/exe), to re-execute as a child.
std::string selfPath();

// Runs this executable with `args`, waits for it and returns the lines it printed on stdout
// (stderr is inherited). `exitCode` receives its exit status.
std::vector<std::string> runSelf(const std::vector<std::string>& args, int& exitCode);

// Settings that log in to the simulator at `url` with its default credentials.
salesforce::ConnectionSettings simConnection(const std::string& url);

// An access token from the simulator at `url` (its default credentials).
std::string simLoginToken(const std::string& url);

// The floor of a sync: the same pages fetched over one keep-alive HTTP connection, bodies read
// and dropped (no parsing beyond finding the next locator, no store).
struct Floor {
  bool ok = false;
  double secs = 0;
  long calls = 0;
  long long bytes = 0;
  std::string note;  // why it failed
};

// How a floor reads: through Poco's HTTP client, the client's own stack (it reads a body 4 KiB per
// receive), or over a plain socket with the request and response head handled by hand and the
// body received 64 KiB at a time (the lower bound: nothing any client could skip).
enum class FloorHttp { kPoco, kSocket };

// REST: the query and every nextRecordsUrl page. `onBody` (optional) sees each body; the time it
// takes is counted in the floor, so keep it trivial when measuring.
Floor restFloor(const std::string& url, const std::string& soql,
                const std::function<void(const std::string&)>& onBody = {},
                FloorHttp http = FloorHttp::kPoco);
// Bulk API 2.0: create the query job, poll until JobComplete, download every result set.
Floor bulkFloor(const std::string& url, const std::string& soql, std::int64_t maxRecords);

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
