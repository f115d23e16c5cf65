// ChainCatalog: validation across all chains and jobs (conflicting schedules, unknown names,
// cycles), the effective Scheduler entries and the warnings.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "scheduling/ScheduleTestSupport.h"
#include "sfsync/scheduling/ChainCatalog.h"

namespace sfsync::scheduling {
namespace {

using testing::mustParse;

JobDefinition job(const std::string& name, const std::string& connection = "prod",
                  std::vector<std::string> dependsOn = {}) {
  JobDefinition j;
  j.name = name;
  j.connection = connection;
  j.dependsOn = std::move(dependsOn);
  return j;
}

ChainDefinition chain(const std::string& name, std::vector<std::string> jobs,
                      const char* scheduleJson = nullptr) {
  ChainDefinition c;
  c.name = name;
  c.jobs = std::move(jobs);
  if (scheduleJson != nullptr) c.schedule = mustParse(scheduleJson);
  return c;
}

bool contains(const std::vector<std::string>& list, const std::string& text) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

TEST(ChainCatalogTest, ProblemsAcrossChainsAndJobs) {
  struct Row {
    const char* label;
    std::vector<JobDefinition> jobs;
    std::vector<ChainDefinition> chains;
    std::vector<std::string> expected;  // exact problem list
  };
  const std::vector<Row> rows = {
      {"valid",
       {job("Company Sync"), job("Contacts", "prod", {"Company Sync"})},
       {chain("A", {"Company Sync", "Contacts"}, R"({"daily":"06:00"})")},
       {}},
      {"different schedules",
       {job("Company Sync")},
       {chain("A", {"Company Sync"}, R"({"daily":"06:00"})"),
        chain("B", {"Company Sync"}, R"({"daily":"07:00"})")},
       {"job 'Company Sync' is in chains 'A' and 'B' which have different schedules (daily at "
        "06:00 UTC vs daily at 07:00 UTC)"}},
      {"different zones differ",
       {job("Company Sync")},
       {chain("A", {"Company Sync"}, R"({"daily":"06:00"})"),
        chain("B", {"Company Sync"}, R"({"daily":"06:00","timeZone":"Europe/Berlin"})")},
       {"job 'Company Sync' is in chains 'A' and 'B' which have different schedules (daily at "
        "06:00 UTC vs daily at 06:00 Europe/Berlin)"}},
      {"same fire times, different misfire policy: no conflict",
       {job("Company Sync")},
       {chain("A", {"Company Sync"}, R"({"cron":"0 6 * * *"})"),
        chain("B", {"Company Sync"}, R"({"cron":"0  6 * *   *","misfire":"skip"})")},
       {}},
      {"an unscheduled chain conflicts with nothing",
       {job("Company Sync")},
       {chain("A", {"Company Sync"}, R"({"daily":"06:00"})"), chain("B", {"Company Sync"})},
       {}},
      {"unknown job in a chain and unknown dependency",
       {job("Accounts", "prod", {"Ghost"})},
       {chain("A", {"Accounts", "Missing"})},
       {"job 'Accounts' depends on unknown job 'Ghost'", "chain 'A': unknown job 'Missing'"}},
      {"cycle through dependsOn",
       {job("Accounts", "prod", {"Contacts"}), job("Contacts", "prod", {"Accounts"})},
       {chain("Nightly", {"Accounts", "Contacts"})},
       {"chain 'Nightly': dependency cycle: Accounts -> Contacts -> Accounts"}},
      {"duplicate names",
       {job("A"), job("A"), job("B")},
       {chain("B", {"A"}), chain("C", {"A"}), chain("C", {"A"})},
       {"job 'A' is defined twice", "'B' is both a job and a chain", "chain 'C' is defined twice"}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.label);
    const ChainCatalog catalog = ChainCatalog::build(row.jobs, row.chains);
    EXPECT_EQ(catalog.problems(), row.expected);
    EXPECT_EQ(catalog.ok(), row.expected.empty());
  }
}

TEST(ChainCatalogTest, EntriesForStandaloneJobsAndChainsOnly) {
  JobDefinition accounts = job("Accounts", "prod");
  accounts.schedule = mustParse(R"({"daily":"05:00"})");
  JobDefinition contacts = job("Contacts", "prod", {"Accounts"});
  JobDefinition users = job("Users", "hr", {"Accounts"});  // standalone: dependency ignored
  users.schedule = mustParse(R"({"every":"4h"})");
  users.retry.maxRetries = 2;
  users.overlap = OverlapPolicy::kQueue;
  JobDefinition manual = job("Manual", "prod");
  JobDefinition leads = job("Leads", "marketing");

  ChainDefinition nightly =
      chain("Nightly", {"Accounts", "Contacts", "Leads"}, R"({"daily":"06:00"})");
  nightly.retry.maxRetries = 1;
  const ChainCatalog catalog =
      ChainCatalog::build({accounts, contacts, users, manual, leads}, {nightly});
  ASSERT_TRUE(catalog.ok());

  const std::vector<SchedulerEntry>& entries = catalog.entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].name, "Users");
  EXPECT_EQ(entries[0].kind, RunKind::kJob);
  ASSERT_TRUE(entries[0].schedule.has_value());
  EXPECT_EQ(entries[0].connections, std::vector<std::string>({"hr"}));
  EXPECT_EQ(entries[0].retry.maxRetries, 2);
  EXPECT_EQ(entries[0].overlap, OverlapPolicy::kQueue);
  EXPECT_EQ(entries[1].name, "Manual");
  EXPECT_FALSE(entries[1].schedule.has_value());
  EXPECT_EQ(entries[2].name, "Nightly");
  EXPECT_EQ(entries[2].kind, RunKind::kChain);
  EXPECT_EQ(entries[2].schedule->describe(), "daily at 06:00 UTC");
  EXPECT_EQ(entries[2].connections, std::vector<std::string>({"prod", "marketing"}));
  EXPECT_EQ(entries[2].members, std::vector<std::string>({"Accounts", "Contacts", "Leads"}));
  EXPECT_EQ(entries[2].retry.maxRetries, 1);

  EXPECT_EQ(catalog.warnings(),
            std::vector<std::string>(
                {"job 'Accounts' is in chain 'Nightly'; its own schedule (daily at 05:00 UTC) is "
                 "ignored",
                 "job 'Users' depends on 'Accounts' but is not in a chain; the dependency is "
                 "ignored"}));
  EXPECT_EQ(catalog.chainsOf("Contacts"), std::vector<std::string>({"Nightly"}));
  EXPECT_EQ(catalog.retryPolicyOf("Users").maxRetries, 2);
  EXPECT_EQ(catalog.retryPolicyOf("Nope").maxRetries, 0);
  EXPECT_TRUE(catalog.chainsOf("Users").empty());

  const ChainPlan* plan = catalog.findPlan("Nightly");
  ASSERT_NE(plan, nullptr);
  ASSERT_EQ(plan->predecessors(1).size(), 1u);  // Contacts after Accounts, from dependsOn
  EXPECT_EQ(plan->predecessors(1)[0].job, 0u);
  EXPECT_TRUE(plan->predecessors(2).empty());  // Leads: independent
}

TEST(ChainCatalogTest, ExplicitEdgesReplaceDependsOn) {
  ChainDefinition c = chain("Nightly", {"Accounts", "Contacts"});
  c.edges = std::vector<ChainEdge>{{"Accounts", "Contacts", RunCondition::kAlways}};
  const ChainCatalog catalog =
      ChainCatalog::build({job("Accounts"), job("Contacts", "prod", {"Accounts"})}, {c});
  ASSERT_TRUE(catalog.ok()) << catalog.problems().front();
  const ChainPlan* plan = catalog.findPlan("Nightly");
  ASSERT_NE(plan, nullptr);
  EXPECT_TRUE(plan->predecessors(1).empty());
  ASSERT_EQ(plan->predecessors(0).size(), 1u);
  EXPECT_EQ(plan->predecessors(0)[0].condition, RunCondition::kAlways);
  EXPECT_EQ(plan->topologicalOrder(), std::vector<std::string>({"Contacts", "Accounts"}));
}

TEST(ChainCatalogTest, DependencyOutsideTheChainIsAWarning) {
  const ChainCatalog catalog = ChainCatalog::build(
      {job("Accounts"), job("Contacts", "prod", {"Accounts"})}, {chain("Only", {"Contacts"})});
  ASSERT_TRUE(catalog.ok());
  EXPECT_TRUE(contains(catalog.warnings(),
                       "job 'Contacts' depends on 'Accounts', which is not in chain 'Only'"));
  // Accounts is standalone and gets an entry.
  ASSERT_EQ(catalog.entries().size(), 2u);
  EXPECT_EQ(catalog.entries()[0].name, "Accounts");
}

TEST(ChainCatalogTest, InvalidChainGetsNoPlanAndNoEntry) {
  const ChainCatalog catalog =
      ChainCatalog::build({job("A", "prod", {"A"})}, {chain("Loop", {"A"})});
  EXPECT_FALSE(catalog.ok());
  EXPECT_TRUE(contains(catalog.problems(), "chain 'Loop': job 'A' depends on itself"));
  EXPECT_EQ(catalog.findPlan("Loop"), nullptr);
  EXPECT_TRUE(catalog.entries().empty());
}

}  // namespace
}  // namespace sfsync::scheduling
