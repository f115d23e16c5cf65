// The shipped out-of-the-box jobs and chain (jobs/, chains/) against the simulator's sample org,
// loaded through the real configuration loader: target rows, reference gsids, rejected records in
// error files.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "fakes/FakeClock.h"
#include "fakes/PgTestCluster.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/ChainRunner.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync {
namespace {

using testing::FakeClock;
using testing::TempDir;

class OobJobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    config_ = config::loadConfig(std::string(SFSYNC_SOURCE_DIR) + "/conf/sfsync.properties",
                                 SFSYNC_SOURCE_DIR,
                                 {{"connection.sample.customDomainUrl", sim_.baseUrl()},
                                  {"store.path", dir_.file("sfsync.db")},
                                  {"paths.errors", dir_.file("errors")},
                                  {"log.file", ""}});
    ASSERT_TRUE(config_.problems.empty()) << config_.problems.front().toString();
    auto store = store::openSqliteStore(config_.app.storePath);
    ASSERT_TRUE(store.ok()) << store.status().toString();
    store_ = std::move(store).value();
  }

  store::ExecutionRecord run(const std::string& jobName) {
    const config::JobConfig* job = config_.findJob(jobName);
    EXPECT_NE(job, nullptr) << jobName;
    auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    jobs::RunContext context{*client, *store_, *clock_, config_.app.errorDir, "cli", ""};
    return jobs::JobRunner::run(*job, context);
  }

  jobs::ChainRun runChain(const std::string& chainName) {
    return runChain(*config_.findChain(chainName), *store_);
  }

  jobs::ChainRun runChain(const config::ChainConfig& chain, store::Store& store) {
    jobs::ChainContext context(store, *clock_, config_.app.errorDir, [this](const std::string&) {
      return salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    });
    return jobs::ChainRunner::run(chain, config_, context);
  }

  // gsid of the single row of `table` where column = value.
  std::string gsidWhere(const std::string& table, const std::string& column,
                        const std::string& value) {
    auto rows = store_->select(table, {"gsid"}, {{column, Value(value)}});
    EXPECT_TRUE(rows.ok()) << rows.status().toString();
    EXPECT_EQ(rows->size(), 1u) << table << "." << column << " = " << value;
    return rows->empty() ? "" : std::get<std::string>(rows->front()[0]);
  }

  Value valueWhere(const std::string& table, const std::string& column, const std::string& key,
                   const std::string& value) {
    auto rows = store_->select(table, {column}, {{key, Value(value)}});
    EXPECT_TRUE(rows.ok() && rows->size() == 1u) << table << "." << key << " = " << value;
    return rows.ok() && !rows->empty() ? rows->front()[0] : Value{};
  }

  sim::SimServer sim_;
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  config::LoadedConfig config_;
  store::StorePtr store_;
};

TEST_F(OobJobsTest, UserSyncLoadsActiveStandardUsersAndResolvesManagers) {
  store::ExecutionRecord r = run("User Sync");

  EXPECT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.recordsRead, 9);  // 13 users minus 2 inactive, 1 AutomatedProcess, 1 CsnOnly
  EXPECT_EQ(*store_->count("User"), 9);
  const std::string kim = gsidWhere("User", "Username", "kim.park@sample.sfsync");
  const std::string carla = gsidWhere("User", "Username", "carla.mendes@sample.sfsync");
  // The admin's manager (Kim) arrives later in the same extract: resolved by the deferred pass.
  EXPECT_EQ(valueWhere("User", "Manager", "Username", "admin@sample.sfsync"), Value(kim));
  EXPECT_EQ(valueWhere("User", "Manager", "Username", "alice.nguyen@sample.sfsync"), Value(carla));
  EXPECT_TRUE(isNull(valueWhere("User", "Manager", "Username", "kim.park@sample.sfsync")));
  EXPECT_EQ(valueWhere("User", "SfdcUserId", "Username", "kim.park@sample.sfsync"),
            Value(std::string("0055g0000001WzPAAU")));
}

TEST_F(OobJobsTest, OobChainRunsInOrderAndLinksReferences) {
  jobs::ChainRun run = runChain("SFDC_Company Person Sync");

  ASSERT_EQ(run.jobs.size(), 3u);
  EXPECT_EQ(run.jobs[0].name, "User Sync");
  EXPECT_EQ(run.jobs[1].name, "Company Sync");
  EXPECT_EQ(run.jobs[2].name, "Company Person Sync");
  EXPECT_EQ(run.jobs[0].status, "Success") << run.jobs[0].message;
  EXPECT_EQ(run.jobs[1].status, "Success") << run.jobs[1].message;
  const store::ExecutionRecord& people = run.jobs[2];
  EXPECT_EQ(people.status, "Partial Success") << people.message;
  EXPECT_EQ(run.chain.status, "Partial Success");
  EXPECT_EQ(people.recordsRead, 20);
  EXPECT_EQ(people.failed, 1);    // the contact without an account
  EXPECT_GE(people.warnings, 1);  // two contacts share info@acme-sample.co.uk at one account
  EXPECT_EQ(people.created + people.updated + people.skipped + people.failed, people.recordsRead);

  // The contact without a company is rejected with its reason code; nothing of it is loaded.
  const std::string csv = testing::readFile(people.errorFile);
  EXPECT_NE(csv.find("0035g000000268iAAA"), std::string::npos) << csv;
  EXPECT_NE(csv.find("LOOKUP_NO_MATCH,map,CompanyId"), std::string::npos) << csv;
  auto riley = store_->select("Person", {"gsid"},
                              {{"Email", Value(std::string("riley.jordan@freelance-sample.net"))}});
  EXPECT_TRUE(riley->empty());

  // Company Person rows point at their Person and Company; Maria's manager (Susan) came later.
  const std::string acme = gsidWhere("Company", "SfdcAccountId", "0015g0000000tvxAAA");
  const std::string maria = gsidWhere("Person", "Email", "maria.lopez@acme-sample.com");
  EXPECT_EQ(valueWhere("Company Person", "PersonId", "ExternalContactId", "0035g0000000tvxAAA"),
            Value(maria));
  EXPECT_EQ(valueWhere("Company Person", "CompanyId", "ExternalContactId", "0035g0000000tvxAAA"),
            Value(acme));
  const std::string susan = gsidWhere("Company Person", "ExternalContactId", "0035g00000011kFAAQ");
  EXPECT_EQ(valueWhere("Company Person", "Manager", "ExternalContactId", "0035g0000000tvxAAA"),
            Value(susan));
  EXPECT_EQ(*store_->count("Person"), 18);          // 19 accepted contacts, one shared email
  EXPECT_EQ(*store_->count("Company Person"), 18);  // the shared email is one person at one company

  // A second run updates instead of duplicating.
  jobs::ChainRun again = runChain("SFDC_Company Person Sync");
  EXPECT_EQ(again.jobs[2].created, 0);
  EXPECT_EQ(*store_->count("Company Person"), 18);
  EXPECT_EQ(*store_->count("User"), 9);
}

TEST_F(OobJobsTest, PipelinedChainLoadsTheSameRowsAsASequentialOne) {
  config::ChainConfig chain = *config_.findChain("SFDC_Company Person Sync");
  ASSERT_TRUE(chain.pipelined);  // the default
  jobs::ChainRun pipelined = runChain(chain, *store_);
  chain.pipelined = false;
  auto sequentialStore = std::move(store::openSqliteStore(dir_.file("sequential.db")).value());
  jobs::ChainRun sequential = runChain(chain, *sequentialStore);

  ASSERT_EQ(pipelined.jobs.size(), sequential.jobs.size());
  for (std::size_t i = 0; i < pipelined.jobs.size(); ++i) {
    EXPECT_EQ(pipelined.jobs[i].status, sequential.jobs[i].status) << pipelined.jobs[i].name;
    EXPECT_EQ(pipelined.jobs[i].created, sequential.jobs[i].created) << pipelined.jobs[i].name;
    EXPECT_EQ(pipelined.jobs[i].failed, sequential.jobs[i].failed) << pipelined.jobs[i].name;
  }
  // Same rows and the same resolved references (compared through natural keys, not gsids).
  auto linked = [](store::Store& s) {
    std::vector<std::string> out;
    auto cps = s.select("Company Person", {"ExternalContactId", "PersonId", "CompanyId", "Manager"})
                   .value();
    for (const auto& row : cps) {
      auto person = s.select("Person", {"Email"}, {{"gsid", row[1]}}).value();
      auto company = s.select("Company", {"SfdcAccountId"}, {{"gsid", row[2]}}).value();
      auto manager = s.select("Company Person", {"ExternalContactId"}, {{"gsid", row[3]}}).value();
      out.push_back(valueToText(row[0]) + "|" + valueToText(person.at(0)[0]) + "|" +
                    valueToText(company.at(0)[0]) + "|" +
                    (manager.empty() ? "" : valueToText(manager[0][0])));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<std::string> a = linked(*store_);
  EXPECT_EQ(a.size(), 18u);
  EXPECT_EQ(a, linked(*sequentialStore));
  EXPECT_EQ(*store_->count("User"), *sequentialStore->count("User"));
  for (const auto& entry : std::filesystem::recursive_directory_iterator(config_.app.errorDir)) {
    EXPECT_NE(entry.path().extension(), ".bin") << "extract buffer left behind: " << entry.path();
  }
}

// Every row of the chain's targets as text: the value columns (direct and constant mappings) and
// each reference column as the natural key of the row it points to (gsids differ between stores).
std::vector<std::string> chainRows(store::Store& s, const config::LoadedConfig& cfg,
                                   const config::ChainConfig& chain) {
  std::vector<std::string> out;
  for (const std::string& jobName : chain.jobs) {
    const config::JobConfig* job = cfg.findJob(jobName);
    if (job == nullptr) continue;
    for (const config::TargetConfig& target : job->targets) {
      std::vector<std::string> columns;
      for (const config::MappingConfig& m : target.mappings) {
        if (m.fromTarget.empty()) columns.push_back(m.target);
      }
      if (columns.empty()) continue;
      auto rows = s.select(target.object, columns);
      EXPECT_TRUE(rows.ok()) << target.object << ": " << rows.status().toString();
      if (!rows.ok()) continue;
      for (const auto& row : *rows) {
        std::string line = target.object;
        for (const Value& v : row) line += "|" + valueToText(v);
        out.push_back(line);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(OobJobsTest, OobChainIntoPostgresqlGivesTheSameRowsAsIntoSqlite) {
  const config::ChainConfig& chain = *config_.findChain("SFDC_Company Person Sync");
  Result<store::StorePtr> pg = testing::openPgTestStore(dir_.path() + "/oob-chain");
  ASSERT_TRUE(pg.ok()) << pg.status().toString();
  jobs::ChainRun intoSqlite = runChain(chain, *store_);
  jobs::ChainRun intoPg = runChain(chain, **pg);

  EXPECT_EQ(intoPg.chain.status, intoSqlite.chain.status) << intoPg.chain.message;
  ASSERT_EQ(intoPg.jobs.size(), intoSqlite.jobs.size());
  for (std::size_t i = 0; i < intoPg.jobs.size(); ++i) {
    SCOPED_TRACE(intoPg.jobs[i].name);
    EXPECT_EQ(intoPg.jobs[i].status, intoSqlite.jobs[i].status) << intoPg.jobs[i].message;
    EXPECT_EQ(intoPg.jobs[i].created, intoSqlite.jobs[i].created);
    EXPECT_EQ(intoPg.jobs[i].updated, intoSqlite.jobs[i].updated);
    EXPECT_EQ(intoPg.jobs[i].failed, intoSqlite.jobs[i].failed);
  }
  const std::vector<std::string> rows = chainRows(*store_, config_, chain);
  EXPECT_GT(rows.size(), 30u);
  EXPECT_EQ(chainRows(**pg, config_, chain), rows);
  // References resolved the same way (through natural keys).
  auto linked = [](store::Store& s) {
    std::vector<std::string> out;
    auto cps = s.select("Company Person", {"ExternalContactId", "PersonId", "CompanyId", "Manager"})
                   .value();
    for (const auto& row : cps) {
      auto person = s.select("Person", {"Email"}, {{"gsid", row[1]}}).value();
      auto company = s.select("Company", {"SfdcAccountId"}, {{"gsid", row[2]}}).value();
      auto manager = s.select("Company Person", {"ExternalContactId"}, {{"gsid", row[3]}}).value();
      out.push_back(valueToText(row[0]) + "|" + valueToText(person.at(0)[0]) + "|" +
                    valueToText(company.at(0)[0]) + "|" +
                    (manager.empty() ? "" : valueToText(manager[0][0])));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(linked(**pg), linked(*store_));

  // A second run (updates) stays equal too.
  runChain(chain, *store_);
  runChain(chain, **pg);
  EXPECT_EQ(chainRows(**pg, config_, chain), chainRows(*store_, config_, chain));
}

TEST_F(OobJobsTest, CasesSyncReportsAnAmbiguousAssigneeWithCandidates) {
  runChain("SFDC_Company Person Sync");
  store::ExecutionRecord r = run("Cases Sync");

  EXPECT_EQ(r.status, "Partial Success") << r.message;
  const std::string david = gsidWhere("User", "Username", "david.okafor@sample.sfsync");
  const std::string emma = gsidWhere("User", "Username", "emma.schmidt@sample.sfsync");
  const std::string candidates = std::min(david, emma) + ";" + std::max(david, emma);
  const std::string csv = testing::readFile(r.errorFile);
  EXPECT_NE(csv.find("LOOKUP_MULTIPLE_MATCHES,map,AssigneeId,Email = 'sales@acme-sample.com'," +
                     candidates),
            std::string::npos)
      << csv;
  auto ambiguous =
      store_->select("Case", {"gsid"}, {{"ExternalId", Value(std::string("00001004"))}});
  EXPECT_TRUE(ambiguous->empty());

  // Case 00001003: assignee by owner email, requester by contact email, company by account name.
  EXPECT_EQ(valueWhere("Case", "AssigneeId", "ExternalId", "00001003"),
            Value(gsidWhere("User", "Username", "hiro.tanaka@sample.sfsync")));
  EXPECT_EQ(valueWhere("Case", "RequesterId", "ExternalId", "00001003"),
            Value(gsidWhere("Person", "Email", "tom.fischer@globex-sample.com")));
  EXPECT_EQ(valueWhere("Case", "CompanyId", "ExternalId", "00001003"),
            Value(gsidWhere("Company", "SfdcAccountId", "0015g0000000xq6AAA")));
  // Two accounts are named "Acme Corporation": company-by-name is ambiguous for their cases.
  const std::string acme1 = gsidWhere("Company", "SfdcAccountId", "0015g0000000tvxAAA");
  const std::string acme2 = gsidWhere("Company", "SfdcAccountId", "0015g00000019YXAAY");
  EXPECT_NE(csv.find("LOOKUP_MULTIPLE_MATCHES,map,CompanyId,Name = 'Acme Corporation'," +
                     std::min(acme1, acme2) + ";" + std::max(acme1, acme2)),
            std::string::npos)
      << csv;
  // Case 00001009 has no contact email: requester stays null (no match -> insert null).
  EXPECT_TRUE(isNull(valueWhere("Case", "RequesterId", "ExternalId", "00001009")));
}

TEST_F(OobJobsTest, CurrencyAndOpportunitySync) {
  store::ExecutionRecord currencies = run("Currency Sync");
  EXPECT_EQ(currencies.status, "Success") << currencies.message;
  EXPECT_EQ(*store_->count("Currency Coefficient"), 4);

  run("Company Sync");
  store::ExecutionRecord opportunities = run("Opportunity Sync");
  EXPECT_EQ(opportunities.status, "Success") << opportunities.message;
  EXPECT_EQ(*store_->count("Opportunity"), 8);
  auto linked = store_->select("Opportunity", {"CompanyId", "SfdcAccountId"});
  for (const auto& row : *linked) {
    EXPECT_EQ(row[0], Value(gsidWhere("Company", "SfdcAccountId", std::get<std::string>(row[1]))));
  }
}

TEST_F(OobJobsTest, UpdateOnlyJobSkipsRecordsWithoutAMatch) {
  config::JobConfig job = *config_.findJob("Company Sync");
  run("Company Sync");
  sim_.upsertRecord("Account", "{\"Id\":\"" + sim::SalesforceId::make("001", "ZZ", 1) +
                                   "\",\"Name\":\"Brand New\",\"NumberOfEmployees\":1}");
  job.updateOnly = true;
  job.mode = config::SourceMode::kFull;  // re-read every record (incremental would read one)
  auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
  jobs::RunContext context{*client, *store_, *clock_, config_.app.errorDir, "cli", ""};
  store::ExecutionRecord r = jobs::JobRunner::run(job, context);

  EXPECT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.skipped, 1);
  EXPECT_EQ(r.updated, 10);
  EXPECT_EQ(*store_->count("Company"), 10);
  EXPECT_NE(testing::readFile(r.errorFile).find("NO_MATCH_UPDATE_ONLY"), std::string::npos);
}

}  // namespace
}  // namespace sfsync
