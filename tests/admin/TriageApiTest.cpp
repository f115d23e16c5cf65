// Issue 16 triage endpoints: /api/activity/{id}/errors/summary, /errors (paged, filtered),
// /warnings/summary, /warnings.csv, the chain's job files and POST /rerun-failed.
#include <gtest/gtest.h>

#include "admin/AdminServerFixture.h"
#include "admin/TriageDemo.h"
#include "sfsync/activity/ErrorFile.h"

namespace sfsync::admin::testing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

using TriageApiTest = AdminServerFixture;

std::string base(const store::ExecutionRecord& r) { return "/api/activity/" + r.executionId; }

TEST_F(TriageApiTest, SummaryCountsByReasonAndMappingWithSamples) {
  Object::Ptr summary = getJson(base(seeded_.partialWithErrors) + "/errors/summary");
  EXPECT_EQ(summary->getValue<int>("rows"), 3);
  EXPECT_FALSE(summary->getValue<bool>("truncated"));
  Array::Ptr reasons = summary->getArray("byReason");
  ASSERT_EQ(reasons->size(), 3u);
  Array::Ptr mappings = summary->getArray("byMapping");
  ASSERT_EQ(mappings->size(), 2u);
  EXPECT_EQ(mappings->getObject(0)->getValue<std::string>("key"), "Parent");
  EXPECT_EQ(mappings->getObject(0)->getValue<int>("count"), 2);
  EXPECT_EQ(mappings->getObject(1)->getValue<std::string>("key"), "Employees");
  Array::Ptr samples = mappings->getObject(1)->getArray("samples");
  ASSERT_EQ(samples->size(), 1u);
  EXPECT_EQ(samples->getArray(0)->getElement<std::string>(1), "Acme, Inc.");
  EXPECT_EQ(summary->getArray("header")->getElement<std::string>(3), "reason_code");
}

TEST_F(TriageApiTest, PreviewPagesAndFiltersByReason) {
  const std::string rows = base(seeded_.partialWithErrors) + "/errors";
  Object::Ptr first = getJson(rows + "?limit=2");
  EXPECT_EQ(first->getValue<int>("matched"), 3);
  ASSERT_EQ(first->getArray("rows")->size(), 2u);
  Object::Ptr second = getJson(rows + "?limit=2&offset=2");
  ASSERT_EQ(second->getArray("rows")->size(), 1u);
  EXPECT_EQ(second->getArray("rows")->getArray(0)->getElement<std::string>(0), "001A000003");

  Object::Ptr filtered = getJson(rows + "?reason=LOOKUP_NO_MATCH");
  EXPECT_EQ(filtered->getValue<int>("matched"), 1);
  ASSERT_EQ(filtered->getArray("rows")->size(), 1u);
  EXPECT_EQ(filtered->getArray("rows")->getArray(0)->getElement<std::string>(0), "001A000002");

  for (const char* bad : {"?limit=0", "?limit=501", "?offset=-1", "?limit=x", "?page=2"}) {
    EXPECT_EQ(get(rows + bad).status, 400) << bad;
  }
}

TEST_F(TriageApiTest, UnknownExecutionOrRemovedFileIs404AndNoFileIsEmpty) {
  EXPECT_EQ(get("/api/activity/no-such-run/errors/summary").status, 404);
  EXPECT_EQ(get(base(seeded_.missingErrorFile) + "/errors/summary").status, 404);
  Object::Ptr none = getJson(base(seeded_.withSuccessFile) + "/errors/summary");
  EXPECT_EQ(none->getValue<int>("rows"), 0);
  EXPECT_EQ(post(base(seeded_.partialWithErrors) + "/errors/summary").status, 405);
}

TEST_F(TriageApiTest, ChainExecutionListsItsJobsFiles) {
  Object::Ptr chain = getJson(base(seeded_.newestChain) + "/errors/summary");
  EXPECT_EQ(chain->getValue<std::string>("kind"), "chain");
  Array::Ptr jobs = chain->getArray("jobs");
  ASSERT_EQ(jobs->size(), 2u);
  bool companyHasFile = false;
  for (std::size_t i = 0; i < jobs->size(); ++i) {
    Object::Ptr job = jobs->getObject(static_cast<unsigned>(i));
    if (job->getValue<std::string>("executionId") == seeded_.partialWithErrors.executionId) {
      companyHasFile = job->getValue<bool>("errorFile");
      EXPECT_EQ(job->getValue<int>("failed"), 3);
    }
  }
  EXPECT_TRUE(companyHasFile);
}

TEST_F(TriageApiTest, WarningsFileHasSummaryPreviewAndDownload) {
  store::ExecutionRecord r = seeded_.withSuccessFile;
  activity::ErrorFile warnings(dir_.file("errors/person/w.warnings.csv"), {"Id", "Email"});
  ASSERT_TRUE(warnings
                  .add({Value(std::string("003A")), Value(std::string("a@b.c"))},
                       {"DUPLICATE_KEY", "load", "Contact", "", {}, "same key"})
                  .ok());
  ASSERT_TRUE(warnings.close().ok());
  r.warningFile = warnings.path();
  r.warnings = 1;
  ASSERT_TRUE(store_->saveExecution(r).ok());

  Object::Ptr summary = getJson(base(r) + "/warnings/summary");
  EXPECT_EQ(summary->getValue<int>("rows"), 1);
  EXPECT_EQ(summary->getArray("byReason")->getObject(0)->getValue<std::string>("key"),
            "DUPLICATE_KEY");
  Object::Ptr rows = getJson(base(r) + "/warnings?reason=DUPLICATE_KEY");
  EXPECT_EQ(rows->getValue<int>("matched"), 1);
  HttpReply csv = get(base(r) + "/warnings.csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("DUPLICATE_KEY"), std::string::npos);
  Object::Ptr detail = getJson(base(r));
  EXPECT_FALSE(detail->getObject("execution")->isNull("warningFile"));
}

TEST_F(TriageApiTest, RerunFailedGoesToTheControlAndLinksTheNewExecution) {
  // Without a daemon that can re-run: 503.
  EXPECT_EQ(post(base(seeded_.partialWithErrors) + "/rerun-failed").status, 503);
  control_.onRerunFailed(
      [this](const std::string& id) { return simulateRerunFailed(*store_, id); });
  EXPECT_EQ(get(base(seeded_.partialWithErrors) + "/rerun-failed").status, 405);

  HttpReply started = post(base(seeded_.partialWithErrors) + "/rerun-failed");
  EXPECT_EQ(started.status, 202) << started.body;
  EXPECT_NE(started.body.find("re-run of 3 failed record(s)"), std::string::npos) << started.body;
  const std::vector<FakeAdminControl::Call> calls = control_.calls();
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().action, "rerun-failed");
  EXPECT_EQ(calls.back().actor, "alice");
  Object::Ptr newest = getJson("/api/activity?limit=1");
  Object::Ptr row = newest->getArray("executions")->getObject(0);
  EXPECT_EQ(row->getValue<std::string>("rerunOf"), seeded_.partialWithErrors.executionId);
  EXPECT_EQ(row->getValue<int>("recordsRead"), 3);

  // No error file: 409; unknown execution: 404; a chain: 409; file removed: 404.
  EXPECT_EQ(post(base(seeded_.withSuccessFile) + "/rerun-failed").status, 409);
  EXPECT_EQ(post("/api/activity/no-such-run/rerun-failed").status, 404);
  EXPECT_EQ(post(base(seeded_.newestChain) + "/rerun-failed").status, 409);
  EXPECT_EQ(post(base(seeded_.missingErrorFile) + "/rerun-failed").status, 404);
}

}  // namespace
}  // namespace sfsync::admin::testing
