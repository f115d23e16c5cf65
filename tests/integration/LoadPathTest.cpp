// The load path on a generated org (issue 11): Company Person Sync (two targets, a derived Company
// ID, a self-lookup Manager, duplicate Person keys) over 30k Contacts with the store's page cache
// bounded to 1 MiB (store.cacheMb), far below its tables. Lookups are answered by the store page by
// page, duplicate keys decided by the upsert from the run tags in the rows, deferred managers queued in the store - and
// every row, reference and count must equal what an independent reading of the org says.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync {
namespace {

using testing::FakeClock;
using testing::TempDir;

constexpr std::size_t kAccounts = 3000;
constexpr std::size_t kContacts = 30000;
constexpr int kCacheMb = 1;

struct Contact {
  std::string accountId;
  std::string reportsToId;
  std::string email;
};

std::string text(const Value& v) { return isNull(v) ? "" : valueToText(v); }

class LoadPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    sim_.generateAccounts(kAccounts);
    sim_.generateContacts(kContacts);
    config_ = config::loadConfig(std::string(SFSYNC_SOURCE_DIR) + "/conf/sfsync.properties",
                                 SFSYNC_SOURCE_DIR,
                                 {{"connection.sample.customDomainUrl", sim_.baseUrl()},
                                  {"store.path", dir_.file("sfsync.db")},
                                  {"store.cacheMb", std::to_string(kCacheMb)},
                                  {"paths.errors", dir_.file("errors")},
                                  {"log.file", ""}});
    ASSERT_TRUE(config_.problems.empty()) << config_.problems.front().toString();
    ASSERT_EQ(config_.app.storeCacheMb, kCacheMb);
    auto store = store::openSqliteStore(config_.app.storePath, config_.app.storeCacheMb);
    ASSERT_TRUE(store.ok()) << store.status().toString();
    store_ = std::move(store).value();
  }

  store::ExecutionRecord run(const std::string& jobName) {
    const config::JobConfig* job = config_.findJob(jobName);
    EXPECT_NE(job, nullptr) << jobName;
    config::JobConfig full = *job;
    full.mode = config::SourceMode::kFull;  // every run reads every record
    auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    jobs::RunContext context{*client, *store_, *clock_, config_.app.errorDir, "cli", ""};
    return jobs::JobRunner::run(full, context);
  }

  // The org's Contacts as Salesforce has them, read independently of the jobs.
  std::map<std::string, Contact> contacts() {
    auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    std::map<std::string, Contact> out;
    const std::vector<std::string> columns{"Id", "AccountId", "ReportsToId", "Email"};
    Status s = client->query("SELECT Id, AccountId, ReportsToId, Email FROM Contact", columns,
                             [&](salesforce::RecordPage& page) {
                               for (const auto& r : page.rows) {
                                 out[text(r[0])] = {text(r[1]), text(r[2]), text(r[3])};
                               }
                               return Status::OK();
                             });
    EXPECT_TRUE(s.ok()) << s.toString();
    return out;
  }

  std::map<std::string, std::string> gsidBy(const std::string& table, const std::string& key) {
    auto rows = store_->select(table, {key, "gsid"}, {});
    EXPECT_TRUE(rows.ok()) << rows.status().toString();
    std::map<std::string, std::string> out;
    if (!rows.ok()) return out;
    for (const auto& r : *rows) {
      EXPECT_TRUE(out.emplace(text(r[0]), text(r[1])).second) << table << " repeats " << text(r[0]);
    }
    return out;
  }

  // Checks every Company Person row against the org; returns the table as text, for comparing
  // runs.
  std::vector<std::string> checkCompanyPersons() {
    const std::map<std::string, Contact> org = contacts();
    EXPECT_EQ(org.size(), kContacts);
    const auto companies = gsidBy("Company", "SfdcAccountId");
    const auto persons = gsidBy("Person", "Email");
    const auto byContact = gsidBy("Company Person", "ExternalContactId");
    EXPECT_EQ(byContact.size(), org.size());
    auto rows = store_->select(
        "Company Person",
        {"ExternalContactId", "ExternalAccountId", "PersonId", "CompanyId", "Manager", "gsid"}, {});
    EXPECT_TRUE(rows.ok()) << rows.status().toString();
    std::vector<std::string> table;
    if (!rows.ok()) return table;
    for (const auto& r : *rows) {
      const std::string id = text(r[0]);
      const Contact& c = org.at(id);
      EXPECT_EQ(text(r[1]), c.accountId) << id;
      EXPECT_EQ(text(r[2]), persons.at(c.email)) << id;  // the Person of its Email
      EXPECT_EQ(text(r[3]), companies.at(c.accountId)) << id;
      // Manager: the Company Person of ReportsToId in the same Account, else empty.
      std::string manager;
      auto boss = org.find(c.reportsToId);
      if (boss != org.end() && boss->second.accountId == c.accountId) {
        manager = byContact.at(c.reportsToId);
      }
      EXPECT_EQ(text(r[4]), manager) << id;
      table.push_back(id + "|" + text(r[1]) + "|" + text(r[2]) + "|" + text(r[3]) + "|" +
                      text(r[4]) + "|" + text(r[5]));
    }
    return table;
  }

  sim::SimServer sim_{[] {
    sim::SimOptions o;
    o.loadOrg = false;  // only generated records: every contact resolves
    return o;
  }()};
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  config::LoadedConfig config_;
  store::StorePtr store_;
};

TEST_F(LoadPathTest, ResultsMatchTheOrgWithTheStoreCacheFarBelowItsTables) {
  // Some managers come later in the extract (deferred, resolved after it), some Emails repeat in
  // another Account (duplicate Person keys: one Person, both Company Persons link to it).
  const std::map<std::string, Contact> org = contacts();
  std::vector<std::string> ids;
  for (const auto& [id, c] : org) ids.push_back(id);
  int later = 0;
  int duplicates = 0;
  for (std::size_t k = 0; k + kAccounts < ids.size(); k += 7) {
    // The next contact of the same Account (contacts go round-robin over the Accounts).
    sim_.setField("Contact", ids[k], "ReportsToId", "\"" + ids[k + kAccounts] + "\"");
    ++later;
  }
  for (std::size_t k = 1; k + 1 < ids.size(); k += 101) {
    sim_.setField("Contact", ids[k + 1], "Email", "\"" + org.at(ids[k]).email + "\"");
    ++duplicates;
  }
  ASSERT_GT(later, 1000);

  store::ExecutionRecord companies = run("Company Sync");
  ASSERT_EQ(companies.status, "Success") << companies.message;
  store::ExecutionRecord first = run("Company Person Sync");
  ASSERT_EQ(first.status, "Success") << first.message;
  EXPECT_EQ(first.recordsRead, static_cast<std::int64_t>(kContacts));
  EXPECT_EQ(first.failed, 0);
  EXPECT_EQ(first.warnings, duplicates);  // each repeated Email once
  // A repeated Email is a newer version of its Person: that record counts as updated.
  EXPECT_EQ(first.created, static_cast<std::int64_t>(kContacts) - duplicates);
  EXPECT_EQ(first.updated, duplicates);
  EXPECT_TRUE(first.errorFile.empty() || !std::filesystem::exists(first.errorFile) ||
              std::filesystem::file_size(first.errorFile) < 400)  // a header at most
      << first.errorFile;
  auto people = store_->count("Person");
  ASSERT_TRUE(people.ok());
  EXPECT_EQ(*people, static_cast<std::int64_t>(kContacts) - duplicates);
  const std::vector<std::string> afterFirst = checkCompanyPersons();

  // The store's tables (database + write-ahead log) are many times the page cache the run was
  // allowed.
  const std::string wal = config_.app.storePath + "-wal";
  EXPECT_GT(std::filesystem::file_size(config_.app.storePath) +
                (std::filesystem::exists(wal) ? std::filesystem::file_size(wal) : 0),
            static_cast<std::uintmax_t>(4 * kCacheMb) << 20);

  // A second run only updates, and changes no gsid or reference.
  store::ExecutionRecord second = run("Company Person Sync");
  ASSERT_EQ(second.status, "Success") << second.message;
  EXPECT_EQ(second.created, 0);
  EXPECT_EQ(second.failed, 0);
  EXPECT_EQ(checkCompanyPersons(), afterFirst);
}

}  // namespace
}  // namespace sfsync
