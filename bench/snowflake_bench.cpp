// snowflake_bench (issue 14): a Snowflake source reading 1M rows from 10 partitions of the
// in-process SnowflakeSim (key-pair JWT, gzip), in a child process so its peak RSS is its own:
//   floor   - the statement and every partition fetched over HTTP (gzip inflated), bodies dropped:
//             what the simulator and the wire cost without any work of ours;
//   source  - the same through SnowflakeSource: SqlApiClient streaming each answer through yajl
//             as it arrives, type decoding, multi-select cap, pages of 2,000 rows (dropped after
//             counting);
//   job     - a whole Snowflake job (JobRunner): the source, mapping and upserts of 1M people into
//             a fresh SQLite store (target Person, upsert key Email).
// Usage: snowflake_bench [rows=1000000] [partitions=10]. Prints records/s and peak RSS per phase.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "BenchSupport.h"
#include "salesforce/HttpTransport.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/core/Clock.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/snowflake/SnowflakeSource.h"
#include "sfsync/store/Store.h"
#include "snowflake/KeyPairJwt.h"
#include "snowflake/ResultStream.h"
#include "snowflake/SnowTestSupport.h"
#include "snowflake/SqlApiClient.h"
#include "snowflake_sim/SnowflakeSim.h"

namespace {

using namespace sfsync;

snowflake::SnowflakeSettings settingsFor(const std::string& url, const std::string& keyFile) {
  snowflake::SnowflakeSettings s;
  s.name = "bench";
  s.accountUrl = url;
  s.account = "SIMACCOUNT";
  s.user = "SFSYNC";
  s.privateKeyFile = keyFile;
  s.maxPartitionBytes = 512ll << 20;
  return s;
}

const char* kSql = "SELECT EMAIL, LOGINS, ACTIVE, SCORE, LAST_LOGIN, FEATURES FROM DB.PUBLIC.USAGE";

// The floor: raw HTTP, no JSON work beyond finding the handle and the partition count.
long long floorRun(const snowflake::SnowflakeSettings& s) {
  Result<std::string> jwt = snowflake::KeyPairJwt::build(s, systemClock()->now());
  if (!jwt.ok()) std::exit((std::fprintf(stderr, "%s\n", jwt.status().toString().c_str()), 1));
  salesforce::TransportOptions options;
  options.maxResponseBytes = s.maxPartitionBytes;
  salesforce::HttpTransport http(options);
  salesforce::HttpRequest request;
  request.method = "POST";
  request.url = s.accountUrl + "/api/v2/statements";
  request.headers = {{"Authorization", "Bearer " + *jwt},
                     {"X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT"}};
  request.contentType = "application/json";
  request.body = std::string("{\"statement\":\"") + kSql + "\"}";
  salesforce::HttpResponse response;
  if (!http.send(request, response).ok() || response.status != 200) std::exit(1);
  // The statement handle and the partition count (partition 0's rows are parsed, not decoded).
  snowflake::ResultMeta meta;
  snowflake::ResultStream answer(&meta, 0, [](std::vector<Value>&) { return Status::OK(); });
  if (!answer.feed(response.body.data(), response.body.size()).ok() || !answer.finish().ok()) {
    std::exit(1);
  }
  const std::string handle = meta.statementHandle;
  const auto partitions = static_cast<int>(meta.partitionRows.size());
  const long long rows = meta.numRows;
  request.method = "GET";
  request.body.clear();
  for (int p = 1; p < partitions; ++p) {
    request.url = s.accountUrl + "/api/v2/statements/" + handle + "?partition=" + std::to_string(p);
    if (!http.send(request, response).ok() || response.status != 200) std::exit(1);
  }
  return rows;
}

long long sourceRun(const snowflake::SnowflakeSettings& s) {
  std::shared_ptr<Clock> clock = systemClock();
  snowflake::SnowflakeSourceSpec spec;
  spec.query.table = "DB.PUBLIC.USAGE";
  spec.query.fields = {"EMAIL", "LOGINS", "ACTIVE", "SCORE", "LAST_LOGIN", "FEATURES"};
  source::SourcePtr src = snowflake::makeSnowflakeSource(s, *clock, spec);
  source::ExtractRequest request;
  request.columns = {"Id", "LOGINS", "ACTIVE", "SCORE", "LAST_LOGIN", "FEATURES"};
  long long rows = 0;
  Status st = src->extract(request, [&](salesforce::RecordPage& page) {
    rows += static_cast<long long>(page.rows.size());
    return Status::OK();
  });
  if (!st.ok()) std::exit((std::fprintf(stderr, "%s\n", st.toString().c_str()), 1));
  return rows;
}

const char* kJob = R"({"name": "Usage from Snowflake", "connection": "bench",
  "source": {"table": "DB.PUBLIC.USAGE"}, "target": {"object": "Person"},
  "mappings": [{"source": "EMAIL", "target": "Email", "upsertKey": true},
               {"source": "LOGINS", "target": "Logins"}, {"source": "ACTIVE", "target": "Active"},
               {"source": "SCORE", "target": "Score"}, {"source": "LAST_LOGIN", "target": "LastLogin"},
               {"source": "FEATURES", "target": "Features"}]})";

long long jobRun(const snowflake::SnowflakeSettings& s) {
  std::vector<config::ConfigProblem> problems;
  std::optional<config::JobConfig> job = config::parseJob("usage.json", kJob, problems);
  if (!job) std::exit((std::fprintf(stderr, "%s\n", problems.front().toString().c_str()), 1));
  const std::string dir = bench::freshDir();
  Result<store::StorePtr> store = store::openSqliteStore(dir + "/sfsync.db");
  if (!store.ok()) std::exit(1);
  std::shared_ptr<Clock> clock = systemClock();
  salesforce::ConnectionSettings unused;  // a Snowflake run never calls the Salesforce client
  unused.name = "bench";
  salesforce::SalesforceClientPtr client = salesforce::makeHttpClient(unused, clock);
  jobs::RunContext context{*client, **store, *clock, dir + "/errors", "cli", ""};
  context.snowflake = &s;
  store::ExecutionRecord r = jobs::JobRunner::run(*job, context);
  if (r.status != "Success") std::exit((std::fprintf(stderr, "%s\n", r.message.c_str()), 1));
  return r.created + r.updated;
}

int child(const std::string& phase, const std::string& url, const std::string& keyFile) {
  const snowflake::SnowflakeSettings s = settingsFor(url, keyFile);
  const auto start = std::chrono::steady_clock::now();
  const long long rows = phase == "floor"    ? floorRun(s)
                         : phase == "source" ? sourceRun(s)
                                             : jobRun(s);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s %lld %.3f %ld\n", phase.c_str(), rows, secs, bench::peakRssKb());
  return 0;
}

snowsim::SimTable usage(long long rows) {
  snowsim::SimTable t;
  t.columns = {{"EMAIL", "text", 0},
               {"LOGINS", "fixed", 0},
               {"ACTIVE", "boolean", 0},
               {"SCORE", "real", 0},
               {"LAST_LOGIN", "timestamp_ntz", 9},
               {"FEATURES", "array", 0}};
  t.generatedRows = rows;
  t.generate = [](std::int64_t i, snowsim::Row& r) {
    r[0] = "person" + std::to_string(i) + "@example.com";
    r[1] = std::to_string(i % 1000);
    r[2] = i % 3 == 0 ? "false" : "true";
    r[3] = std::to_string(static_cast<double>(i % 977) / 7.0);
    r[4] = std::to_string(1700000000 + i) + ".000000000";
    r[5] = "[\"feature" + std::to_string(i % 40) + "\",\"export\"]";
  };
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "--child") return child(argv[2], argv[3], argv[4]);
  const long long rows = argc > 1 ? std::atoll(argv[1]) : 1000000;
  const long long partitions = argc > 2 ? std::atoll(argv[2]) : 10;
  const std::string dir = bench::freshDir();
  const std::string keyFile = dir + "/key.pem";
  std::ofstream(keyFile) << testing::kSnowPrivateKeyPem;
  snowsim::SnowSimOptions options;
  options.account = "SIMACCOUNT";
  options.user = "SFSYNC";
  options.publicKeyPem = testing::kSnowPublicKeyPem;
  options.rowsPerPartition = (rows + partitions - 1) / partitions;
  snowsim::SnowflakeSim sim(options);
  sim.setTable("DB.PUBLIC.USAGE", usage(rows));
  sim.start();
  std::printf("snowflake_bench: %lld rows in %lld partitions (gzip, key-pair JWT)\n", rows,
              partitions);
  for (const char* phase : {"floor", "source", "job"}) {
    int code = 0;
    const std::vector<std::string> lines =
        bench::runSelf({"--child", phase, sim.baseUrl(), keyFile}, code);
    if (code != 0 || lines.empty()) {
      std::fprintf(stderr, "phase %s failed (exit %d)\n", phase, code);
      return 1;
    }
    char name[16];
    long long n = 0;
    double secs = 0;
    long rss = 0;
    std::sscanf(lines.back().c_str(), "%15s %lld %lf %ld", name, &n, &secs, &rss);
    std::printf("  %-7s %lld rows in %.2f s = %.0f records/s, peak RSS %.1f MiB\n", name, n, secs,
                static_cast<double>(n) / secs, static_cast<double>(rss) / 1024.0);
  }
  return 0;
}
