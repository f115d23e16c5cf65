#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>
#include <vector>

#include "notify/NoticeSamples.h"
#include "sfsync/notify/RunNotice.h"

namespace sfsync::notify {
namespace {

using testing::companySyncRun;

struct ClassifyCase {
  const char* status;
  PartialAs partialAs;
  Attempt attempt;
  NoticeKind expected;
};

TEST(ClassifyRunTest, TableOfStatusesPartialPolicyAndRetries) {
  const ClassifyCase cases[] = {
      {"Success", PartialAs::kFailure, Attempt::kFinal, NoticeKind::kSuccess},
      {"Success", PartialAs::kFailure, Attempt::kRetryPending, NoticeKind::kSuccess},
      {"Partial Success", PartialAs::kFailure, Attempt::kFinal, NoticeKind::kFailure},
      {"Partial Success", PartialAs::kSuccess, Attempt::kFinal, NoticeKind::kSuccess},
      {"Partial Success", PartialAs::kFailure, Attempt::kRetryPending, NoticeKind::kNone},
      {"Partial Success", PartialAs::kSuccess, Attempt::kRetryPending, NoticeKind::kSuccess},
      {"Failed", PartialAs::kFailure, Attempt::kFinal, NoticeKind::kFailure},
      {"Failed", PartialAs::kSuccess, Attempt::kFinal, NoticeKind::kFailure},
      {"Failed", PartialAs::kFailure, Attempt::kRetryPending, NoticeKind::kNone},
      {"Deferred", PartialAs::kFailure, Attempt::kFinal, NoticeKind::kFailure},
      {"Deferred", PartialAs::kSuccess, Attempt::kFinal, NoticeKind::kFailure},
      {"Skipped", PartialAs::kFailure, Attempt::kFinal, NoticeKind::kNone},
      {"Running", PartialAs::kFailure, Attempt::kFinal, NoticeKind::kNone},
      {"", PartialAs::kFailure, Attempt::kFinal, NoticeKind::kNone},
      {"failed", PartialAs::kFailure, Attempt::kFinal, NoticeKind::kNone},  // exact names only
  };
  for (const auto& c : cases) {
    EXPECT_EQ(classifyRun(c.status, c.partialAs, c.attempt), c.expected)
        << "status '" << c.status << "' partialAs " << static_cast<int>(c.partialAs) << " attempt "
        << static_cast<int>(c.attempt);
  }
}

TEST(RunNoticeTest, ForRunPicksTheListAndKeepsTheRows) {
  const RunNotice notice =
      RunNotice::forRun(companySyncRun(), {}, PartialAs::kFailure, Attempt::kFinal);
  EXPECT_EQ(notice.kind(), NoticeKind::kFailure);
  EXPECT_EQ(notice.run().name, "Company Sync");
  EXPECT_TRUE(notice.chainJobs().empty());

  const NotificationTargets targets = testing::sampleTargets();
  EXPECT_EQ(targets.forKind(notice.kind()).emails, targets.onFailure.emails);
  EXPECT_TRUE(targets.forKind(NoticeKind::kNone).empty());
}

TEST(RunNoticeTest, SubjectSummarisesStatusAndCounts) {
  const RunNotice notice(NoticeKind::kFailure, companySyncRun(), {});
  EXPECT_EQ(notice.subject(), "[sfsync] Company Sync: Partial Success (120 ok, 3 failed)");

  store::ExecutionRecord chain = companySyncRun("Failed");
  chain.kind = "chain";
  chain.name = "Nightly\r\nBcc: evil@example.com";  // a name must not break the header line
  const RunNotice chainNotice(NoticeKind::kFailure, chain, {});
  EXPECT_EQ(chainNotice.subject(),
            "[sfsync] Nightly  Bcc: evil@example.com (chain): Failed (120 ok, 3 failed)");
  EXPECT_EQ(chainNotice.subject().find_first_of("\r\n"), std::string::npos);
}

TEST(RunNoticeTest, TextBodyHasCountsTimesMessageAndErrorFile) {
  const std::string body = RunNotice(NoticeKind::kFailure, companySyncRun(), {}).textBody();
  for (const char* expected :
       {"Job \"Company Sync\" finished: Partial Success",
        "Execution:  6f1c2a9e-0000-4000-8000-000000000001", "Connection: prod",
        "Trigger:    schedule", "Started:    2026-11-23T10:30:00.000Z",
        "Ended:      2026-11-23T10:31:05.250Z", "Records read: 123", "Created:      100",
        "Updated:      20", "Skipped:      0", "Failed:       3",
        "Message:    3 records failed: TYPE_CONVERSION",
        "Error file: /var/lib/sfsync/errors/company-sync-6f1c2a9e.csv"}) {
    EXPECT_NE(body.find(expected), std::string::npos) << "missing '" << expected << "' in\n"
                                                      << body;
  }
  EXPECT_EQ(body.find("Jobs:"), std::string::npos);
}

TEST(RunNoticeTest, DeferredRunHasItsOwnWording) {
  const RunNotice notice =
      RunNotice::forRun(companySyncRun("Deferred"), {}, PartialAs::kSuccess, Attempt::kFinal);
  EXPECT_EQ(notice.kind(), NoticeKind::kFailure);
  EXPECT_EQ(notice.subject(), "[sfsync] Company Sync: Deferred (120 ok, 3 failed)");
  const std::string body = notice.textBody();
  EXPECT_NE(body.find("Job \"Company Sync\" was deferred: the Salesforce API budget ran out"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("the next scheduled run resumes from the checkpoint"), std::string::npos)
      << body;
  EXPECT_EQ(body.find("finished:"), std::string::npos) << body;
}

TEST(RunNoticeTest, ChainTextBodyListsEveryJob) {
  store::ExecutionRecord chain = companySyncRun("Failed");
  chain.kind = "chain";
  chain.name = "Nightly";
  store::ExecutionRecord accounts = companySyncRun("Success");
  accounts.name = "Accounts";
  accounts.failed = 0;
  accounts.errorFile.clear();
  accounts.message.clear();
  store::ExecutionRecord contacts = companySyncRun("Failed");
  contacts.name = "Contacts";
  contacts.message = "INVALID_SESSION_ID: session expired";
  store::ExecutionRecord skipped;
  skipped.name = "Opportunities";
  skipped.status = "Skipped";
  skipped.message = "skipped: Contacts failed";
  const std::string body =
      RunNotice(NoticeKind::kFailure, chain, {accounts, contacts, skipped}).textBody();
  EXPECT_NE(body.find("Chain \"Nightly\" finished: Failed"), std::string::npos) << body;
  EXPECT_NE(body.find("  - Accounts: Success (120 ok, 0 failed)"), std::string::npos) << body;
  EXPECT_NE(body.find("  - Contacts: Failed (120 ok, 3 failed)"), std::string::npos) << body;
  EXPECT_NE(body.find("INVALID_SESSION_ID: session expired"), std::string::npos) << body;
  EXPECT_NE(body.find("  - Opportunities: Skipped (0 ok, 0 failed)"), std::string::npos) << body;
}

TEST(RunNoticeTest, JsonBodyParsesBackWithEveryField) {
  store::ExecutionRecord chain = companySyncRun("Partial Success");
  chain.kind = "chain";
  chain.name = "Nightly \"Big\" Sync";  // needs escaping
  store::ExecutionRecord job = companySyncRun("Partial Success");
  job.executionId = "job-1";
  const std::string json = RunNotice(NoticeKind::kFailure, chain, {job}).jsonBody();

  Poco::JSON::Parser parser;
  const auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(root->getValue<std::string>("event"), "execution.finished");
  EXPECT_EQ(root->getValue<std::string>("kind"), "chain");
  EXPECT_EQ(root->getValue<std::string>("name"), "Nightly \"Big\" Sync");
  EXPECT_EQ(root->getValue<std::string>("executionId"), chain.executionId);
  EXPECT_EQ(root->getValue<std::string>("status"), "Partial Success");
  EXPECT_EQ(root->getValue<std::string>("outcome"), "failure");
  EXPECT_EQ(root->getValue<std::string>("connection"), "prod");
  EXPECT_EQ(root->getValue<std::string>("trigger"), "schedule");
  EXPECT_EQ(root->getValue<std::string>("startTime"), chain.startTime);
  EXPECT_EQ(root->getValue<std::string>("endTime"), chain.endTime);
  EXPECT_EQ(root->getValue<std::string>("message"), chain.message);
  EXPECT_EQ(root->getValue<std::string>("errorFile"), chain.errorFile);
  const auto counts = root->getObject("counts");
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->getValue<long long>("read"), 123);
  EXPECT_EQ(counts->getValue<long long>("created"), 100);
  EXPECT_EQ(counts->getValue<long long>("updated"), 20);
  EXPECT_EQ(counts->getValue<long long>("skipped"), 0);
  EXPECT_EQ(counts->getValue<long long>("failed"), 3);
  const auto jobs = root->getArray("jobs");
  ASSERT_TRUE(jobs);
  ASSERT_EQ(jobs->size(), 1u);
  const auto first = jobs->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("name"), "Company Sync");
  EXPECT_EQ(first->getValue<std::string>("executionId"), "job-1");
  EXPECT_EQ(first->getValue<std::string>("status"), "Partial Success");
  EXPECT_EQ(first->getObject("counts")->getValue<long long>("failed"), 3);
  EXPECT_EQ(first->getValue<std::string>("errorFile"), job.errorFile);

  const std::string jobJson = RunNotice(NoticeKind::kSuccess, companySyncRun(), {}).jsonBody();
  const auto jobRoot = parser.parse(jobJson).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(jobRoot->getValue<std::string>("kind"), "job");
  EXPECT_EQ(jobRoot->getValue<std::string>("outcome"), "success");
  EXPECT_EQ(jobRoot->getArray("jobs")->size(), 0u);
}

}  // namespace
}  // namespace sfsync::notify
