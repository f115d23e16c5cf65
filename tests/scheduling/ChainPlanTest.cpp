// ChainPlan: validation messages (table-driven), edges from dependsOn, conditions and the
// one-at-a-time order.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sfsync/scheduling/ChainPlan.h"
#include "sfsync/scheduling/RunStatus.h"

namespace sfsync::scheduling {
namespace {

using C = RunCondition;

TEST(ChainPlanTest, ValidationProblems) {
  struct Row {
    const char* label;
    std::vector<std::string> jobs;
    std::vector<ChainEdge> edges;
    std::vector<std::string> expected;
  };
  const std::set<std::string> known = {"A", "B", "C", "D"};
  const C sp = C::kSuccessOrPartial;
  const std::vector<Row> rows = {
      {"valid diamond",
       {"A", "B", "C", "D"},
       {{"B", "A", sp}, {"C", "A", sp}, {"D", "B", sp}, {"D", "C", C::kAlways}},
       {}},
      {"identical duplicate edge is fine", {"A", "B"}, {{"B", "A", sp}, {"B", "A", sp}}, {}},
      {"no jobs", {}, {}, {"chain 'X': has no jobs"}},
      {"unknown jobs",
       {"A", "Nope", "Gone"},
       {},
       {"chain 'X': unknown job 'Nope'", "chain 'X': unknown job 'Gone'"}},
      {"listed twice", {"A", "B", "A"}, {}, {"chain 'X': job 'A' is listed twice"}},
      {"self dependency", {"A", "B"}, {{"B", "B", sp}}, {"chain 'X': job 'B' depends on itself"}},
      {"dependency outside the chain",
       {"A", "B"},
       {{"B", "C", sp}},
       {"chain 'X': job 'B' depends on 'C', but 'C' is not in the chain"}},
      {"dependent outside the chain",
       {"A", "B"},
       {{"D", "A", sp}},
       {"chain 'X': job 'D' depends on 'A', but 'D' is not in the chain"}},
      {"conflicting duplicate",
       {"A", "B"},
       {{"B", "A", sp}, {"B", "A", C::kAlways}},
       {"chain 'X': dependency of 'B' on 'A' is given twice with different conditions "
        "(success-or-partial, always)"}},
      {"two-job cycle",
       {"A", "B"},
       {{"B", "A", sp}, {"A", "B", sp}},
       {"chain 'X': dependency cycle: A -> B -> A"}},
      {"three-job cycle starts at the first listed member",
       {"C", "A", "B"},
       {{"B", "A", sp}, {"C", "B", sp}, {"A", "C", sp}},
       {"chain 'X': dependency cycle: C -> A -> B -> C"}},
      {"cycle beside a valid branch",
       {"A", "B", "C", "D"},
       {{"B", "A", sp}, {"C", "B", sp}, {"B", "C", sp}, {"D", "A", sp}},
       {"chain 'X': dependency cycle: B -> C -> B"}},
      {"two separate cycles",
       {"A", "B", "C", "D"},
       {{"B", "A", sp}, {"A", "B", sp}, {"D", "C", sp}, {"C", "D", sp}},
       {"chain 'X': dependency cycle: A -> B -> A", "chain 'X': dependency cycle: C -> D -> C"}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.label);
    EXPECT_EQ(ChainPlan::validate("X", row.jobs, row.edges, &known), row.expected);
    const Result<ChainPlan> plan = ChainPlan::build("X", row.jobs, row.edges, &known);
    EXPECT_EQ(plan.ok(), row.expected.empty());
    if (!plan.ok()) {
      std::string joined;
      for (const std::string& p : row.expected) joined += (joined.empty() ? "" : "\n") + p;
      EXPECT_EQ(plan.status().message(), joined);
      EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(ChainPlanTest, UnknownJobsAreOnlyCheckedAgainstAGivenCatalog) {
  EXPECT_TRUE(ChainPlan::validate("X", {"Anything"}, {}).empty());
}

TEST(ChainPlanTest, EdgesFromDependsOnKeepOnlyJobsInTheChain) {
  const std::map<std::string, std::vector<std::string>> dependsOn = {
      {"Contacts", {"Accounts", "Users"}}, {"Cases", {"Contacts", "Accounts"}}, {"Accounts", {}}};
  const std::vector<ChainEdge> edges =
      ChainPlan::edgesFromDependsOn({"Accounts", "Contacts", "Cases"}, dependsOn);
  ASSERT_EQ(edges.size(), 3u);
  EXPECT_EQ(edges[0].job, "Contacts");
  EXPECT_EQ(edges[0].after, "Accounts");
  EXPECT_EQ(edges[0].condition, C::kSuccessOrPartial);
  EXPECT_EQ(edges[1].job, "Cases");
  EXPECT_EQ(edges[1].after, "Contacts");
  EXPECT_EQ(edges[2].job, "Cases");
  EXPECT_EQ(edges[2].after, "Accounts");
}

TEST(ChainPlanTest, GraphAccessorsAndTopologicalOrder) {
  // Listed out of dependency order: the plan keeps the list, the order respects the edges and
  // otherwise follows the list.
  const Result<ChainPlan> plan =
      ChainPlan::build("Nightly", {"Cases", "Accounts", "Users", "Contacts"},
                       {{"Contacts", "Accounts", C::kSuccess},
                        {"Cases", "Contacts", C::kAlways},
                        {"Cases", "Users", C::kSuccessOrPartial}});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->name(), "Nightly");
  EXPECT_EQ(plan->size(), 4u);
  EXPECT_EQ(plan->indexOf("Users"), std::optional<std::size_t>(2));
  EXPECT_EQ(plan->indexOf("Nope"), std::nullopt);
  const auto& preds = plan->predecessors(0);  // Cases
  ASSERT_EQ(preds.size(), 2u);
  EXPECT_EQ(preds[0].job, 2u);  // Users (ascending index)
  EXPECT_EQ(preds[0].condition, C::kSuccessOrPartial);
  EXPECT_EQ(preds[1].job, 3u);  // Contacts
  EXPECT_EQ(preds[1].condition, C::kAlways);
  EXPECT_EQ(plan->successors(1), std::vector<std::size_t>({3}));
  EXPECT_EQ(plan->topologicalOrder(),
            std::vector<std::string>({"Accounts", "Users", "Contacts", "Cases"}));
}

TEST(ChainPlanTest, SequentialEdgesChainTheList) {
  const std::vector<ChainEdge> edges = ChainPlan::sequentialEdges({"A", "B", "C"}, C::kSuccess);
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0].job + "<-" + edges[0].after, "B<-A");
  EXPECT_EQ(edges[1].job + "<-" + edges[1].after, "C<-B");
  EXPECT_EQ(edges[1].condition, C::kSuccess);
}

TEST(ChainPlanTest, ConditionsParseAndDecide) {
  for (C c : {C::kSuccess, C::kSuccessOrPartial, C::kAlways}) {
    const Result<RunCondition> parsed = parseRunCondition(runConditionName(c));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, c);
  }
  const Result<RunCondition> bad = parseRunCondition("sometimes");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "unknown condition 'sometimes' (expected success, success-or-partial or always)");

  struct Row {
    C condition;
    const char* status;
    bool allows;
  };
  const std::vector<Row> rows = {
      {C::kSuccess, kRunSuccess, true},
      {C::kSuccess, kRunPartial, false},
      {C::kSuccess, kRunFailed, false},
      {C::kSuccess, kRunSkipped, false},
      {C::kSuccessOrPartial, kRunSuccess, true},
      {C::kSuccessOrPartial, kRunPartial, true},
      {C::kSuccessOrPartial, kRunFailed, false},
      {C::kSuccessOrPartial, kRunSkipped, false},
      {C::kAlways, kRunSuccess, true},
      {C::kAlways, kRunPartial, true},
      {C::kAlways, kRunFailed, true},
      {C::kAlways, kRunSkipped, true},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(conditionAllows(row.condition, row.status), row.allows)
        << runConditionName(row.condition) << " / " << row.status;
  }
}

}  // namespace
}  // namespace sfsync::scheduling
