#include <Poco/Crypto/RSAKey.h>
#include <gtest/gtest.h>

#include <Poco/File.h>

#include <algorithm>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "sfsync/activity/ConfigAuditor.h"
#include "sfsync/activity/LineDiff.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::activity {
namespace {

using sfsync::testing::TempDir;

TEST(ConfigAuditorTest, LineDiffShowsRemovedAndAddedLines) {
  EXPECT_EQ(ConfigAuditor::lineDiff("a\nb\nc\n", "a\nB\nc\nd\n"), "- b\n+ B\n+ d\n");
  EXPECT_EQ(ConfigAuditor::lineDiff("same\n", "same\n"), "");
  EXPECT_EQ(ConfigAuditor::lineDiff("", "x\n"), "+ x\n");
  EXPECT_EQ(ConfigAuditor::lineDiff("x\n", "y\n"), "- x\n+ y\n");  // smallest bisect (1 x 1)
  EXPECT_EQ(ConfigAuditor::lineDiff("x\r\ny\n", "x\ny"), "");  // CRLF and a last line without LF
}

// Applies a diff's "- "/"+ " lines to `before` the way they were produced (a diff without context
// is only checkable with an aligned walk): the unchanged lines of `before` in order plus the added
// ones must give `after`, so the diff is a valid edit script; its size must be minimal (LCS).
std::size_t lcsLength(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<std::size_t>> t(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : std::max(t[i + 1][j], t[i][j + 1]);
    }
  }
  return t[0][0];
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST(LineDiffTest, RandomSmallFilesGiveAMinimalDiff) {
  std::mt19937 random(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> a(random() % 12), b(random() % 12);
    for (auto& l : a) l = std::string(1, static_cast<char>('a' + random() % 4));
    for (auto& l : b) l = std::string(1, static_cast<char>('a' + random() % 4));
    const LineDiff::Result r = LineDiff::compute(joinLines(a), joinLines(b));
    ASSERT_FALSE(r.replaced);
    const std::size_t common = lcsLength(a, b);
    EXPECT_EQ(r.removed, a.size() - common) << joinLines(a) << "|" << joinLines(b);
    EXPECT_EQ(r.added, b.size() - common) << joinLines(a) << "|" << joinLines(b);
    // Removed lines are a sub-multiset of `a`, added ones of `b`, in order.
    std::size_t ia = 0, ib = 0;
    std::istringstream in(r.text);
    for (std::string line; std::getline(in, line);) {
      std::vector<std::string>& side = line[0] == '-' ? a : b;
      std::size_t& at = line[0] == '-' ? ia : ib;
      while (at < side.size() && side[at] != line.substr(2)) ++at;
      ASSERT_LT(at, side.size()) << r.text;
      ++at;
    }
  }
}

std::string numberedLines(int count, const std::string& tag) {
  std::string out;
  for (int i = 0; i < count; ++i) out += "  \"line " + std::to_string(i) + tag + "\",\n";
  return out;
}

// A 20,000-line job file edited in three places: an exact diff, in linear space and little work
// (the old LCS table held 20,001 x 20,001 integers: 1.6 GB).
TEST(LineDiffTest, ABigFileWithAFewEditsGetsAnExactDiffCheaply) {
  const std::string before = numberedLines(20000, "");
  std::string after = before;
  for (const char* line : {"\"line 10\",", "\"line 12345\",", "\"line 19999\","}) {
    const auto at = after.find(line);
    after.replace(at, std::string(line).size(), "\"edited\",");
  }
  const LineDiff::Result r = LineDiff::compute(before, after);
  EXPECT_FALSE(r.replaced);
  EXPECT_EQ(r.text,
            "-   \"line 10\",\n+   \"edited\",\n-   \"line 12345\",\n+   \"edited\",\n"
            "-   \"line 19999\",\n+   \"edited\",\n");
  EXPECT_LE(r.peakCells, 4u * 20000u);
  EXPECT_LE(r.work, 200000u);
}

// Two wholly different 20,000-line files: the work limit ends it with a one-line summary; space
// stays linear.
TEST(LineDiffTest, TwoUnrelatedBigFilesAreRecordedAsReplaced) {
  const LineDiff::Result r =
      LineDiff::compute(numberedLines(20000, "a"), numberedLines(20000, "b"));
  EXPECT_TRUE(r.replaced);
  EXPECT_EQ(r.text,
            "~ file replaced: 20000 lines before, 20000 lines after (too different for a line "
            "diff)\n");
  EXPECT_LE(r.peakCells, 4u * 40000u);
  EXPECT_LE(r.work, LineDiff::Limits{}.maxWork + 40000u);
}

TEST(LineDiffTest, ManyEditsAreTruncatedAfterMaxLines) {
  std::string before, after;
  for (int i = 0; i < 2000; ++i) {
    before += "same " + std::to_string(i) + "\n";
    after += "same " + std::to_string(i) + "\n";
    if (i % 10 == 0) after += "new " + std::to_string(i) + "\n";
  }
  LineDiff::Limits limits;
  limits.maxLines = 100;
  const LineDiff::Result r = LineDiff::compute(before, after, limits);
  EXPECT_FALSE(r.replaced);
  EXPECT_EQ(r.added, 200u);
  EXPECT_EQ(r.removed, 0u);
  EXPECT_NE(r.text.find("+ new 990\n~ diff truncated: 0 lines removed and 200 lines added in "
                        "total\n"),
            std::string::npos)
      << r.text;
  EXPECT_EQ(std::count(r.text.begin(), r.text.end(), '\n'), 101);
}

// Through the auditor's API: what the old quadratic diff produced as 40,000 lines (after 1.6 GB).
TEST(ConfigAuditorTest, AWhollyRewrittenBigFileIsOneSummaryLine) {
  EXPECT_EQ(ConfigAuditor::lineDiff(numberedLines(20000, "a"), numberedLines(20000, "b")),
            "~ file replaced: 20000 lines before, 20000 lines after (too different for a line "
            "diff)\n");
}

class ConfigAuditorFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("conf/sfsync.properties",
               "store.path = var/t.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = sample\n"
               "connection.sample.orgType = sandbox\n"
               "connection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write("conf/sample.credentials",
               "clientId = c\nclientSecret = s\nusername = u\npassword = SECRET-PASSWORD\n");
    Poco::File(dir_.file("chains")).createDirectories();
    writeJob("Company");
    store_ = std::move(store::openSqliteStore(dir_.file("var/t.db")).value());
  }
  void writeJob(const std::string& target, const std::string& webhook = "") {
    dir_.write("jobs/companies.json",
               "{\n  \"name\": \"Companies\",\n  \"connection\": \"sample\",\n"
               "  \"source\": {\"object\": \"Account\"},\n  \"target\": {\"object\": \"" +
                   target +
                   "\"},\n  \"mappings\": [{\"source\": \"Id\", \"target\": \"SfdcAccountId\", "
                   "\"upsertKey\": true}]" +
                   (webhook.empty() ? std::string()
                                    : ",\n  \"notifications\": {\"onFailure\": {\"webhooks\": [\"" +
                                          webhook + "\"]}}") +
                   "\n}\n");
  }
  std::vector<store::UpdateRecord> audit() {
    config::LoadedConfig config = config::loadConfig("conf/sfsync.properties", dir_.path());
    EXPECT_TRUE(config.problems.empty());
    auto records = ConfigAuditor::audit(config, *store_, clock_);
    EXPECT_TRUE(records.ok()) << records.status().toString();
    return records.ok() ? *records : std::vector<store::UpdateRecord>{};
  }

  TempDir dir_;
  sfsync::testing::FakeClock clock_;
  store::StorePtr store_;
};

TEST_F(ConfigAuditorFilesTest, RecordsAddedEditedAndRemovedItemsOnce) {
  auto first = audit();
  ASSERT_EQ(first.size(), 2u);   // the connection and the job appear for the first time
  EXPECT_TRUE(audit().empty());  // nothing changed since

  writeJob("Account Copy");
  auto edited = audit();
  ASSERT_EQ(edited.size(), 1u);
  EXPECT_EQ(edited[0].kind, "job");
  EXPECT_EQ(edited[0].name, "Companies");
  EXPECT_EQ(edited[0].action, "edited");
  EXPECT_EQ(edited[0].actor, "config file");
  EXPECT_EQ(edited[0].diff,
            "-   \"target\": {\"object\": \"Company\"},\n"
            "+   \"target\": {\"object\": \"Account Copy\"},\n");

  Poco::File(dir_.file("jobs/companies.json")).remove();
  auto removed = audit();
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].action, "removed");
  EXPECT_TRUE(audit().empty());

  auto stored = store_->listUpdates(10, "").value();
  EXPECT_EQ(stored.size(), 4u);
  for (const auto& u : stored) {
    EXPECT_EQ(u.diff.find("SECRET-PASSWORD"), std::string::npos) << u.diff;  // never secrets
  }
}

// authFlow = jwt_bearer adds the key file's path to the connection's snapshot (the other flows'
// snapshots are unchanged, so upgrading records nothing for them).
TEST_F(ConfigAuditorFilesTest, SwitchingToJwtBearerRecordsTheFlowAndTheKeyFile) {
  ASSERT_EQ(audit().size(), 2u);
  Poco::Crypto::RSAKey key(Poco::Crypto::RSAKey::KL_1024, Poco::Crypto::RSAKey::EXP_LARGE);
  std::ostringstream pub, priv;
  key.save(&pub, &priv);
  dir_.write("conf/app.key", priv.str());
  dir_.write("conf/sfsync.properties",
             "store.path = var/t.db\npaths.jobs = jobs\npaths.chains = chains\n"
             "paths.errors = var/errors\nconnections = sample\n"
             "connection.sample.orgType = sandbox\n"
             "connection.sample.authFlow = jwt_bearer\n"
             "connection.sample.jwt.privateKeyFile = conf/app.key\n"
             "connection.sample.credentialsFile = conf/sample.credentials\n");
  auto edited = audit();
  ASSERT_EQ(edited.size(), 1u);
  EXPECT_EQ(edited[0].kind, "connection");
  EXPECT_NE(edited[0].diff.find("- authFlow = password\n"), std::string::npos) << edited[0].diff;
  EXPECT_NE(edited[0].diff.find("+ authFlow = jwt_bearer\n"), std::string::npos) << edited[0].diff;
  EXPECT_NE(edited[0].diff.find("+ jwt.privateKeyFile = " + dir_.file("conf/app.key")),
            std::string::npos)
      << edited[0].diff;
  EXPECT_EQ(edited[0].diff.find("PRIVATE KEY"), std::string::npos);
}

// Webhook URLs carry their secret in the path: update rows and stored snapshots keep only scheme
// and host, and a snapshot stored in full before this rule is scrubbed without an update row.
TEST_F(ConfigAuditorFilesTest, WebhookUrlsAreRedactedInUpdatesAndSnapshots) {
  writeJob("Company", "https://hooks.slack.com/services/T0/B0/s3cr3t");
  EXPECT_EQ(audit().size(), 2u);
  writeJob("Company", "https://hooks.slack.com/services/T0/B0/other-s3cr3t");
  EXPECT_TRUE(audit().empty());  // same host: nothing visible changed
  writeJob("Company", "https://outlook.office.com/webhook/s3cr3t");
  auto edited = audit();
  ASSERT_EQ(edited.size(), 1u);
  EXPECT_NE(edited[0].diff.find("\"https://hooks.slack.com/<redacted>\""), std::string::npos)
      << edited[0].diff;
  EXPECT_NE(edited[0].diff.find("\"https://outlook.office.com/<redacted>\""), std::string::npos)
      << edited[0].diff;

  // A snapshot written by an older version, URL in full.
  const std::string legacy = testing::readFile(dir_.file("jobs/companies.json"));
  ASSERT_TRUE(store_->putState("config.snapshot.job.Companies", legacy).ok());
  EXPECT_TRUE(audit().empty());  // only the redaction differs: no update row

  for (const auto& u : store_->listUpdates(10, "").value()) {
    EXPECT_EQ(u.diff.find("s3cr3t"), std::string::npos) << u.diff;
  }
  for (const auto& [key, value] : store_->listState("config.snapshot.").value()) {
    EXPECT_EQ(value.find("s3cr3t"), std::string::npos) << key << ": " << value;
  }
}

}  // namespace
}  // namespace sfsync::activity

namespace sfsync::activity {
namespace {

// Issue 16: a --define override is not a configuration-file edit - no update row while it is
// given, none when it is dropped again, and a real file edit is still recorded afterwards.
TEST_F(ConfigAuditorFilesTest, DefineOverridesAreNotRecordedAsFileEdits) {
  ASSERT_EQ(audit().size(), 2u);
  auto withDefine = [&](const std::map<std::string, std::string>& overrides) {
    config::LoadedConfig config =
        config::loadConfig("conf/sfsync.properties", dir_.path(), overrides);
    for (const auto& problem : config.problems) ADD_FAILURE() << problem.toString();
    EXPECT_FALSE(config.app.overriddenKeys.empty());
    auto records = ConfigAuditor::audit(config, *store_, clock_);
    EXPECT_TRUE(records.ok()) << records.status().toString();
    return records.ok() ? *records : std::vector<store::UpdateRecord>{};
  };
  EXPECT_TRUE(withDefine({{"connection.sample.apiVersion", "v58.0"}}).empty());
  EXPECT_TRUE(withDefine({{"connection.sample.orgType", "production"}}).empty());
  EXPECT_TRUE(audit().empty());  // back to the file's values: nothing changed in the file

  // An override of something the auditor does not snapshot leaves the items audited as usual.
  writeJob("Account Copy");
  auto edited = withDefine({{"retention.days", "30"}});
  ASSERT_EQ(edited.size(), 1u);
  EXPECT_EQ(edited[0].kind, "job");
  EXPECT_EQ(store_->listUpdates(0, "").value().size(), 3u);
}

}  // namespace
}  // namespace sfsync::activity
