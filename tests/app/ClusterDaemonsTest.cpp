// Several sfsyncd on one PostgreSQL store (issue 12, "Several daemons"): three real daemons share a
// schema of the test cluster (fixture `postgres`) and the same three scheduled jobs. The store's
// scheduler heartbeat is seeded three hours back, so at start every job has one missed slot due
// (misfire run-once) on all three daemons at once. One daemon is killed with -9 while it loads
// the slow job. Checked: every slot is claimed once cluster-wide and has exactly one successful
// run; the killed run's claim is adopted by another daemon once its lease expired and that run
// resumes from the checkpoint; the final tables equal those of one daemon running the jobs alone;
// GET /api/cluster lists the daemons; run-now sent to another daemon while the job runs is
// refused (409); a pause sent to one daemon is followed by the others; a
// daemon that stops cleanly leaves the view.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <Poco/File.h>
#include <Poco/Process.h>
#include <signal.h>
#include <sys/wait.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/DaemonTestSupport.h"
#include "fakes/PgTestCluster.h"
#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/core/Value.h"
#include "sfsync/store/Store.h"

namespace sfsync::testing {
namespace {

constexpr const char* kToken = "sample-admin-token";
constexpr int kDaemons = 3;

// Rows of a query in the test schema, each row's cells joined by '|' (NULL as "\N").
class PgProbe {
 public:
  PgProbe(const std::string& url, const std::string& schema) : conn_(PQconnectdb(url.c_str())) {
    rows("SET search_path TO " + schema);
  }
  ~PgProbe() { PQfinish(conn_); }
  std::vector<std::string> rows(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    std::vector<std::string> out;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      for (int i = 0; i < PQntuples(r); ++i) {
        std::string line;
        for (int c = 0; c < PQnfields(r); ++c) {
          line += (c ? "|" : "") + std::string(PQgetisnull(r, i, c) ? "\\N" : PQgetvalue(r, i, c));
        }
        out.push_back(line);
      }
    }
    PQclear(r);
    return out;
  }
  std::string one(const std::string& sql) {
    std::vector<std::string> r = rows(sql);
    return r.empty() ? "" : r.front();
  }

 private:
  PGconn* conn_;
};

class ClusterDaemonsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = pgTestUrl();
    ASSERT_FALSE(url_.empty()) << "no test PostgreSQL cluster (ctest fixture pg_cluster_start)";
    sim_.start();
    sim_.generateAccounts(4000);
    sim_.setBatchSize(200);  // about 20 pages: the kill lands mid-run
  }
  void TearDown() override {
    for (auto& d : daemons_) {
      if (d) {
        Poco::Process::kill(*d);
        d->wait();
      }
    }
    sim_.stop();
  }

  // A daemon's folder: the three jobs, hourly, on the shared schema; admin on a free port.
  void writeDaemon(const std::string& sub, const std::string& schema) {
    dir_.write(sub + "/conf/sfsync.properties",
               "store.type = postgresql\nstore.url = " + url_ + "\nstore.schema = " + schema +
                   "\nstore.connectTimeoutSeconds = 5\ncluster.leaseSeconds = 20\n" +
                   "admin.port = 0\nadmin.tokens = sample\nadmin.token.sample.sha256 = "
                   "6fe1ecc3098418820c222b5ef19e6bd3cc271628cb0653e42304b7ffb6164cc6\n" +
                   "paths.jobs = jobs\npaths.chains = chains\npaths.errors = var/errors\n"
                   "log.file = var/log/sfsyncd.log\nconnections = sample\n"
                   "connection.sample.orgType = custom\nconnection.sample.customDomainUrl = " +
                   sim_.baseUrl() +
                   "\nconnection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write(sub + "/conf/sample.credentials",
               readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
    const std::string schedule = R"("schedule": {"every": "1h"},)";
    dir_.write(sub + "/jobs/accounts.json", R"({"name": "Accounts", "connection": "sample", )" +
                                                schedule +
                                                R"( "source": {"object": "Account", "api": "rest"},
      "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "type": "text", "upsertKey": true},
        {"source": "Name", "target": "Name", "type": "text"},
        {"source": "NumberOfEmployees", "target": "Employees", "type": "integer"}]})");
    dir_.write(sub + "/jobs/contacts.json", R"({"name": "Contacts", "connection": "sample", )" +
                                                schedule +
                                                R"( "source": {"object": "Contact", "api": "rest"},
      "target": {"object": "Person"},
      "mappings": [{"source": "Id", "target": "SfdcContactId", "type": "text", "upsertKey": true},
        {"source": "LastName", "target": "LastName", "type": "text"}]})");
    dir_.write(sub + "/jobs/users.json", R"({"name": "Users", "connection": "sample", )" +
                                             schedule +
                                             R"( "source": {"object": "User", "api": "rest"},
      "target": {"object": "Staff"},
      "mappings": [{"source": "Id", "target": "SfdcUserId", "type": "text", "upsertKey": true},
        {"source": "Username", "target": "Username", "type": "text"}]})");
    Poco::File(dir_.file(sub + "/chains")).createDirectories();
    Poco::File(dir_.file(sub + "/var/log")).createDirectories();
  }

  void launch(int i) {
    daemons_[i] =
        Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{},
                              dir_.file("d" + std::to_string(i)), nullptr, nullptr, nullptr);
  }
  std::string log(int i) {
    return readFile(dir_.file("d" + std::to_string(i) + "/var/log/sfsyncd.log"));
  }
  std::string logs() {
    std::string all;
    for (int i = 0; i < kDaemons; ++i) all += "--- daemon " + std::to_string(i) + "\n" + log(i);
    return all;
  }

  // The content of a target table (its mapped columns, sorted), one string per row.
  static std::vector<std::string> tableRows(store::Store& store, const std::string& table,
                                            const std::vector<std::string>& columns) {
    auto rows = store.select(table, columns);
    std::vector<std::string> out;
    if (!rows.ok()) return {"select failed: " + rows.status().toString()};
    for (const auto& row : *rows) {
      std::string line;
      for (const Value& v : row) line += valueToText(v) + "|";
      out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  sim::SimServer sim_;
  TempDir dir_;
  std::string url_;
  std::optional<Poco::ProcessHandle> daemons_[kDaemons];
};

TEST_F(ClusterDaemonsTest, ThreeDaemonsRunEverySlotOnceAndResumeTheKilledRun) {
  const std::string schema = pgTestSchema(dir_.path() + "/cluster");
  {
    // The schema exists with a scheduler heartbeat three hours old: one missed hourly slot each.
    auto store = openPgTestStore(dir_.path() + "/cluster");
    ASSERT_TRUE(store.ok()) << store.status().toString();
    const auto now = std::chrono::system_clock::now() - std::chrono::hours(3);
    ASSERT_TRUE((*store)
                    ->putState("scheduler.heartbeat",
                               std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  now.time_since_epoch())
                                                  .count()))
                    .ok());
  }
  for (int i = 0; i < kDaemons; ++i) writeDaemon("d" + std::to_string(i), schema);
  sim_.setLatencyMs(40);  // paces the pages so the kill lands while Accounts loads
  for (int i = 0; i < kDaemons; ++i) launch(i);
  PgProbe pg(url_, schema);

  // The daemon that claimed Accounts is killed once a few pages are committed.
  std::string holder;
  ASSERT_TRUE(waitUntil(
      [&] {
        holder = pg.one(
            "SELECT daemon_id FROM sfsync_claims WHERE name = 'Accounts' AND "
            "finished_at IS NULL");
        const std::string n = pg.one("SELECT count(*) FROM \"Company\"");
        return !holder.empty() && !n.empty() && std::stoll(n) >= 600;
      },
      std::chrono::seconds(60)))
      << logs();
  const long pid = std::stol(holder.substr(holder.rfind(':') + 1));
  int killed = -1;
  for (int i = 0; i < kDaemons; ++i) {
    if (daemons_[i] && daemons_[i]->id() == pid) killed = i;
  }
  ASSERT_GE(killed, 0) << "claim holder " << holder << " is none of the three daemons";
  // run-now sent to another daemon while Accounts runs on the holder: refused for the cluster.
  const int other = killed == 0 ? 1 : 0;
  const int otherPort =
      waitForAdminPort(dir_.file("d" + std::to_string(other) + "/var/log/sfsyncd.log"));
  auto refused = httpRequest(otherPort, "POST", "/api/jobs/Accounts/run", kToken);
  EXPECT_EQ(refused.first, 409) << refused.second;
  EXPECT_NE(refused.second.find("running on daemon " + holder), std::string::npos)
      << refused.second;
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ::waitpid(pid, nullptr, 0);
  daemons_[killed].reset();
  // A 20 s lease keeps live daemons' leases safe on a loaded machine; the killed daemon's lease is
  // made to run out now rather than waiting for it (adoption still needs the others' beat).
  ASSERT_GE(pg.rows("UPDATE sfsync_claims SET lease_until = now() - interval '1 second' WHERE "
                    "daemon_id = '" +
                    holder + "' AND finished_at IS NULL RETURNING 1")
                .size(),
            1u);
  const std::int64_t atKill = std::stoll(pg.one("SELECT count(*) FROM \"Company\""));
  sim_.setLatencyMs(0);

  // Every claim finishes: the killed run's on another daemon.
  ASSERT_TRUE(waitUntil(
      [&] {
        return pg.one("SELECT count(*) FROM sfsync_claims WHERE finished_at IS NULL") == "0" &&
               pg.one("SELECT count(DISTINCT name) FROM sfsync_claims") == "3";
      },
      std::chrono::seconds(90)))
      << pg.rows("SELECT slot_key, daemon_id, lease_until, status FROM sfsync_claims").size()
      << logs();
  EXPECT_LT(atKill, static_cast<std::int64_t>(sim_.recordCount("Account")))
      << "the kill should land mid-run";

  // Each slot decided once; each run slot has exactly one successful execution.
  for (const char* job : {"Accounts", "Contacts", "Users"}) {
    const std::string name(job);
    const std::string ran = pg.one("SELECT count(*) FROM sfsync_claims WHERE name = '" + name +
                                   "' AND status <> 'Skipped'");
    const std::string succeeded = pg.one("SELECT count(*) FROM sfsync_executions WHERE name = '" +
                                         name + "' AND status IN ('Success', 'Partial Success')");
    EXPECT_EQ(ran, "1") << name;
    EXPECT_EQ(succeeded, ran) << name << "\n" << logs();
  }
  const std::string where = " FROM sfsync_claims WHERE name = 'Accounts' AND status <> 'Skipped'";
  EXPECT_EQ(pg.one("SELECT adoptions" + where), "1");
  EXPECT_EQ(pg.one("SELECT previous_daemon" + where), holder);
  const std::string adopter = pg.one("SELECT daemon_id" + where);
  EXPECT_NE(adopter, holder);
  EXPECT_NE(logs().find("resuming it here"), std::string::npos) << logs();
  // The killed row is closed as interrupted; the adopter's run resumed from the checkpoint.
  EXPECT_EQ(pg.one("SELECT count(*) FROM sfsync_executions WHERE name = 'Accounts' AND "
                   "status = 'Failed' AND message LIKE 'interrupted%'"),
            "1");
  EXPECT_EQ(pg.one("SELECT count(*) FROM sfsync_executions WHERE name = 'Accounts' AND "
                   "status IN ('Success', 'Partial Success') AND message LIKE '%resumed the "
                   "interrupted run%'"),
            "1")
      << pg.rows("SELECT status, message FROM sfsync_executions WHERE name = 'Accounts'").size();

  // GET /api/cluster on a surviving daemon lists the daemons (the killed one too, silent).
  const int survivor = killed == 0 ? 1 : 0;
  const int port =
      waitForAdminPort(dir_.file("d" + std::to_string(survivor) + "/var/log/sfsyncd.log"));
  auto cluster = httpRequest(port, "GET", "/api/cluster", kToken);
  EXPECT_EQ(cluster.first, 200) << cluster.second;
  EXPECT_NE(cluster.second.find("\"clustered\":true"), std::string::npos) << cluster.second;
  EXPECT_NE(cluster.second.find("\"leaseSeconds\":20"), std::string::npos) << cluster.second;
  EXPECT_NE(cluster.second.find(holder), std::string::npos) << cluster.second;

  // One daemon alone, into a fresh schema: the same tables.
  TempDir single;
  const std::string singleSchema = pgTestSchema(single.path());
  writeDaemon("single", singleSchema);
  for (const char* job : {"Accounts", "Contacts", "Users"}) {
    auto r = runProcess(SFSYNCD_PATH, {std::string("--run-job=") + job}, dir_.file("single"));
    ASSERT_TRUE(r.exitCode == 0 || r.exitCode == 2) << job << r.out << r.err;  // 2: Partial
  }
  auto clusterStore = openPgTestStore(dir_.path() + "/cluster");
  auto singleStore = openPgTestStore(single.path());
  ASSERT_TRUE(clusterStore.ok() && singleStore.ok());
  const std::map<std::string, std::vector<std::string>> tables = {
      {"Company", {"SfdcAccountId", "Name", "Employees"}},
      {"Person", {"SfdcContactId", "LastName"}},
      {"Staff", {"SfdcUserId", "Username"}}};
  for (const auto& [table, columns] : tables) {
    const auto a = tableRows(**clusterStore, table, columns);
    const auto b = tableRows(**singleStore, table, columns);
    EXPECT_EQ(a.size(), b.size()) << table;
    EXPECT_TRUE(a == b) << table << " differs from a single daemon's";
  }
  EXPECT_EQ(*(*clusterStore)->count("Company"),
            static_cast<std::int64_t>(sim_.recordCount("Account")));

  for (int i = 0; i < kDaemons; ++i) {
    if (!daemons_[i]) continue;
    Poco::Process::requestTermination(daemons_[i]->id());
    EXPECT_EQ(daemons_[i]->wait(), 0) << log(i);
    daemons_[i].reset();
  }
}

TEST_F(ClusterDaemonsTest, PauseAndResumeSentToOneDaemonReachTheOthers) {
  const std::string schema = pgTestSchema(dir_.path() + "/pause");
  for (int i = 0; i < 2; ++i) writeDaemon("d" + std::to_string(i), schema);
  launch(0);
  launch(1);
  const int port0 = waitForAdminPort(dir_.file("d0/var/log/sfsyncd.log"));
  const int port1 = waitForAdminPort(dir_.file("d1/var/log/sfsyncd.log"));
  ASSERT_NE(port0, 0) << logs();
  ASSERT_NE(port1, 0) << logs();
  auto pausedOn = [&](int port) {
    const std::string jobs = httpRequest(port, "GET", "/api/jobs", kToken).second;
    const std::size_t at = jobs.find("\"name\":\"Contacts\"");
    const std::size_t end = jobs.find('}', at);
    return at != std::string::npos &&
           jobs.substr(at, end - at).find("\"paused\":true") != std::string::npos;
  };
  auto paused = httpRequest(port0, "POST", "/api/jobs/Contacts/pause", kToken);
  ASSERT_EQ(paused.first, 200) << paused.second;
  EXPECT_TRUE(pausedOn(port0));
  EXPECT_TRUE(waitUntil([&] { return pausedOn(port1); })) << logs();
  auto resumed = httpRequest(port1, "POST", "/api/jobs/Contacts/resume", kToken);
  ASSERT_EQ(resumed.first, 200) << resumed.second;
  EXPECT_TRUE(waitUntil([&] { return !pausedOn(port0); })) << logs();
  EXPECT_NE(log(0).find("'Contacts' resumed by another daemon"), std::string::npos) << logs();

  // GET /api/cluster on either daemon lists both, each with a fresh heartbeat.
  std::string cluster;
  EXPECT_TRUE(waitUntil([&] {
    cluster = httpRequest(port1, "GET", "/api/cluster", kToken).second;
    return cluster.find("\"pid\":" + std::to_string(daemons_[0]->id())) != std::string::npos &&
           cluster.find("\"pid\":" + std::to_string(daemons_[1]->id())) != std::string::npos;
  })) << cluster;
  EXPECT_NE(cluster.find("\"self\":true"), std::string::npos) << cluster;

  // A daemon that stops cleanly leaves the view.
  const std::string pid0 = "\"pid\":" + std::to_string(daemons_[0]->id());
  Poco::Process::requestTermination(daemons_[0]->id());
  EXPECT_EQ(daemons_[0]->wait(), 0) << log(0);
  daemons_[0].reset();
  EXPECT_TRUE(waitUntil([&] {
    cluster = httpRequest(port1, "GET", "/api/cluster", kToken).second;
    return !cluster.empty() && cluster.find(pid0) == std::string::npos;
  })) << cluster;
}

}  // namespace
}  // namespace sfsync::testing
