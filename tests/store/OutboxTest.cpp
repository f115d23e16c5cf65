// The write-back Outbox (issue 13) on both stores (SQLite triggers; PostgreSQL plpgsql triggers):
// capture triggers record another connection's INSERT / UPDATE of write-back columns in the same
// transaction; the store's own connection is not captured, its updates do not overwrite a pending
// local value, and toSalesforce columns keep their local value; acknowledge removes only up to the
// given sequence; a read-only outbox creates nothing; install is idempotent. PostgreSQL only: a
// program may mark its own writes as not-local (SET LOCAL sfsync.inbound = 'on'), and the writer's
// search_path / time zone do not matter.
#include <gtest/gtest.h>

#include "fakes/OtherProgram.h"
#include "sfsync/store/Outbox.h"
#include "sfsync/store/Store.h"
#include "store/StoreTestSupport.h"

namespace sfsync::store {
namespace {

using testing::StoreTest;

class OutboxTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store_
                    ->ensureTable({"Company",
                                   {{"Name", ColumnType::kText},
                                    {"Phone", ColumnType::kText},
                                    {"Size", ColumnType::kInteger},
                                    {"Seen", ColumnType::kDateTime}}},
                                  {})
                    .ok());
    auto up = store_->upsert(
        {"Company",
         {"Name", "Phone", "Size"},
         {"Name"},
         false,
         {{Value{std::string("Acme")}, Value{std::string("1")}, Value{std::int64_t{5}}}}});
    ASSERT_TRUE(up.ok()) << up.status().toString();
    auto outbox = openOutbox(*store_);
    ASSERT_TRUE(outbox.ok()) << outbox.status().toString();
    outbox_ = std::move(outbox).value();
    ASSERT_TRUE(outbox_->install({"Company", {"Phone", "Size", "Seen"}, true, {"Size"}}).ok());
  }
  void TearDown() override { outbox_.reset(); }

  void other(const std::string& sql, const std::string& pgSetup = "") {
    EXPECT_EQ(sfsync::testing::execAsOther(
                  sfsync::testing::otherProgramTarget(GetParam(), dir_.path()), sql, pgSetup),
              "")
        << sql;
  }
  std::vector<OutboxEntry> pending() {
    auto p = outbox_->pending("Company", 0, 100);
    EXPECT_TRUE(p.ok()) << p.status().toString();
    return p.ok() ? *p : std::vector<OutboxEntry>{};
  }

  OutboxPtr outbox_;
};

TEST_P(OutboxTest, AnotherConnectionsChangesAreCapturedPerColumn) {
  other(R"(UPDATE "Company" SET "Phone" = '2', "Name" = 'not written back')");
  other(R"(UPDATE "Company" SET "Phone" = NULL, "Size" = 7)");
  other(R"(INSERT INTO "Company"("gsid", "Name", "Phone") VALUES ('g2', 'New', '9'))");
  const auto p = pending();
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].column, "Phone");
  EXPECT_EQ(p[0].oldValue, Value{std::string("1")});
  EXPECT_EQ(p[0].newValue, Value{std::string("2")});
  EXPECT_FALSE(p[0].inserted);
  EXPECT_TRUE(isNull(p[1].newValue)) << "a cleared value is a change";
  EXPECT_EQ(p[2].column, "Size");
  EXPECT_EQ(p[2].oldValue, Value{std::int64_t{5}}) << "an integer column reads as an integer";
  EXPECT_EQ(p[2].newValue, Value{std::int64_t{7}});
  EXPECT_TRUE(p[3].inserted);
  EXPECT_EQ(p[3].gsid, "g2");
  EXPECT_EQ(p[0].changedAt.size(), 24u) << p[0].changedAt;
  EXPECT_EQ(p[0].changedAt.back(), 'Z') << p[0].changedAt;
}

TEST_P(OutboxTest, OwnConnectionIsNotCapturedAndKeepsPendingAndLocalOnlyValues) {
  ASSERT_TRUE(store_->updateWhere("Company", {"Phone"}, {Value{std::string("own")}}, {}).ok());
  EXPECT_TRUE(pending().empty()) << "sfsync's own write is not a local change";

  other(R"(UPDATE "Company" SET "Phone" = 'local')");
  ASSERT_TRUE(store_
                  ->updateWhere("Company", {"Phone", "Size"},
                                {Value{std::string("inbound")}, Value{std::int64_t{9}}}, {})
                  .ok());
  auto rows = store_->select("Company", {"Phone", "Size"}, {});
  ASSERT_TRUE(rows.ok() && rows->size() == 1);
  EXPECT_EQ((*rows)[0][0], Value{std::string("local")}) << "a pending local value is kept";
  EXPECT_EQ((*rows)[0][1], Value{std::int64_t{5}}) << "toSalesforce: local is the master";

  const auto p = pending();
  ASSERT_EQ(p.size(), 1u);
  ASSERT_TRUE(outbox_->acknowledge("Company", p[0].gsid, "Phone", p[0].seq).ok());
  ASSERT_TRUE(store_->updateWhere("Company", {"Phone"}, {Value{std::string("sf")}}, {}).ok());
  rows = store_->select("Company", {"Phone"}, {});
  EXPECT_EQ((*rows)[0][0], Value{std::string("sf")}) << "acknowledged: sfsync may write it";
}

TEST_P(OutboxTest, InboundUpsertKeepsAPendingLocalValue) {
  other(R"(UPDATE "Company" SET "Phone" = 'local')");
  auto up = store_->upsert({"Company",
                            {"Name", "Phone"},
                            {"Name"},
                            false,
                            {{Value{std::string("Acme")}, Value{std::string("from sf")}}}});
  ASSERT_TRUE(up.ok()) << up.status().toString();
  auto rows = store_->select("Company", {"Phone"}, {});
  ASSERT_TRUE(rows.ok() && rows->size() == 1);
  EXPECT_EQ((*rows)[0][0], Value{std::string("local")});
  EXPECT_EQ(pending().size(), 1u) << "the inbound write added nothing";
}

TEST_P(OutboxTest, AcknowledgeKeepsLaterChangesAndFailuresAreCounted) {
  other(R"(UPDATE "Company" SET "Phone" = 'a')");
  other(R"(UPDATE "Company" SET "Phone" = 'b')");
  auto p = pending();
  ASSERT_EQ(p.size(), 2u);
  ASSERT_TRUE(outbox_->noteFailure("Company", p[0].gsid, "Phone", p[1].seq, "X: y").ok());
  ASSERT_TRUE(outbox_->acknowledge("Company", p[0].gsid, "Phone", p[0].seq).ok());
  p = pending();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].newValue, Value{std::string("b")});
  EXPECT_EQ(p[0].attempts, 1);
  EXPECT_EQ(p[0].lastError, "X: y");
  EXPECT_FALSE(p[0].uncertain());
  EXPECT_EQ(*outbox_->size(""), 1);
  ASSERT_TRUE(
      outbox_->noteFailure("Company", p[0].gsid, "Phone", p[0].seq, "OUTCOME_UNKNOWN: z").ok());
  EXPECT_TRUE(pending()[0].uncertain());
}

TEST_P(OutboxTest, ChangesSurviveReopeningTheStoreAndInstallIsIdempotent) {
  other(R"(UPDATE "Company" SET "Phone" = 'kept')");
  outbox_.reset();
  reopen();
  auto outbox = openOutbox(*store_);
  ASSERT_TRUE(outbox.ok());
  outbox_ = std::move(outbox).value();
  ASSERT_TRUE(outbox_->install({"Company", {"Phone", "Size", "Seen"}, true, {"Size"}}).ok());
  ASSERT_TRUE(outbox_->install({"Company", {"Phone", "Size", "Seen"}, true, {"Size"}}).ok());
  other(R"(UPDATE "Company" SET "Phone" = 'again')");
  const auto p = pending();
  ASSERT_EQ(p.size(), 2u) << "one entry per change, however often install ran";
  EXPECT_EQ(p[0].newValue, Value{std::string("kept")});
  EXPECT_EQ(p[1].newValue, Value{std::string("again")});
}

TEST_P(OutboxTest, InstallRefusesAnUnknownColumnAndReadOnlyCreatesNothing) {
  Status s = outbox_->install({"Company", {"Nope"}, false, {}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("no column 'Nope'"), std::string::npos) << s.toString();
  s = outbox_->install({"Missing", {"X"}, false, {}});
  EXPECT_NE(s.message().find("no table 'Missing'"), std::string::npos) << s.toString();

  testing::TempDir otherDir;
  auto fresh = testing::openBackend(GetParam(), otherDir.path());
  ASSERT_TRUE(fresh.ok());
  auto ro = openOutbox(**fresh, /*readOnly=*/true);
  ASSERT_TRUE(ro.ok()) << ro.status().toString();
  EXPECT_EQ(*(*ro)->size(""), 0);
  EXPECT_EQ((*ro)->install({"Company", {"Phone"}, false, {}}).code(), StatusCode::kInvalidArgument);
  // The outbox table was not created: only a writable outbox creates it.
  auto rw = openOutbox(**fresh);
  ASSERT_TRUE(rw.ok());
  EXPECT_EQ(*(*rw)->size(""), 0);
}

// PostgreSQL: the capture is by session setting, not by connection: any program can mark a write
// as not-local, and the writer's search_path and time zone do not change what is recorded.
using OutboxPgTest = OutboxTest;

TEST_P(OutboxPgTest, CaptureFollowsTheSessionSettingNotTheWritersSearchPathOrTimeZone) {
  other(R"(BEGIN; SET LOCAL sfsync.inbound = 'on'; UPDATE "Company" SET "Phone" = 'loader';)"
        " COMMIT;");
  EXPECT_TRUE(pending().empty()) << "a write marked inbound is not captured";
  const std::string table = "\"" + sfsync::testing::pgTestSchema(dir_.path()) + "\".\"Company\"";
  other("UPDATE " + table + R"( SET "Seen" = '2026-01-02T03:04:05.678Z')",
        "SET search_path TO public; SET TIME ZONE 'America/New_York'; ");
  const auto p = pending();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].newValue, Value{std::string("2026-01-02T03:04:05.678Z")})
      << "datetimes are recorded in UTC, whatever the writer's time zone";
  EXPECT_EQ(p[0].changedAt.back(), 'Z');
}

// Review finding 8: trigger names do not come from the table name (PostgreSQL cuts names to 63
// bytes: two tables sharing a long prefix shared one function), a "$sfsync$" in a name does not end
// the function body, and enum / array columns are cast as their own types.
TEST_P(OutboxPgTest, LongQuotedAndUnusualNamesAndEnumColumnsGetTheirOwnCapture) {
  const std::string prefix = "Long 'quoted' $sfsync$ name shared by two tables";
  const std::vector<std::string> tables = {prefix + " number one", prefix + " number two"};
  for (const std::string& table : tables) {
    ASSERT_TRUE(store_->ensureTable({table, {{"Phone", ColumnType::kText}}}, {}).ok()) << table;
    ASSERT_TRUE(outbox_->install({table, {"Phone"}, true, {}}).ok()) << table;
  }
  for (std::size_t i = 0; i < tables.size(); ++i) {
    other("INSERT INTO \"" + tables[i] + "\"(\"gsid\", \"Phone\") VALUES ('g" + std::to_string(i) +
          "', 'p" + std::to_string(i) + "')");
  }
  for (std::size_t i = 0; i < tables.size(); ++i) {
    auto p = outbox_->pending(tables[i], 0, 10);
    ASSERT_TRUE(p.ok()) << p.status().toString();
    ASSERT_EQ(p->size(), 1u) << tables[i];
    EXPECT_EQ((*p)[0].gsid, "g" + std::to_string(i));
    EXPECT_EQ((*p)[0].newValue, Value{"p" + std::to_string(i)});
  }

  other(
      R"(CREATE TYPE "Mood" AS ENUM ('ok', 'bad'); ALTER TABLE "Company" ADD COLUMN "Mood" "Mood";)"
      R"( ALTER TABLE "Company" ADD COLUMN "Tags" text[];)");
  Status s = outbox_->install({"Company", {"Phone", "Mood", "Tags"}, true, {}});
  ASSERT_TRUE(s.ok()) << s.toString();
  other(R"(UPDATE "Company" SET "Mood" = 'bad', "Tags" = '{a,b}')");
  const auto p = pending();
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].newValue, Value{std::string("bad")});
  EXPECT_EQ(p[1].newValue, Value{std::string("{a,b}")});
}

// Review finding 7: an unchanged capture is left alone (no DROP / CREATE TRIGGER, which lock the
// user's table exclusively, on every run, start and reload); a changed column list replaces it.
TEST_P(OutboxPgTest, InstallLeavesAnUnchangedCaptureAloneAndReplacesAChangedOne) {
  other(R"(CREATE TABLE "seen_triggers" AS SELECT t.oid AS o, p.xmin::text AS x FROM pg_trigger t)"
        R"( JOIN pg_proc p ON p.oid = t.tgfoid WHERE t.tgrelid = '"Company"'::regclass AND)"
        R"( t.tgname LIKE 'sfsync_outbox_%')");
  const std::string same =
      R"(DO $$ BEGIN IF (SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid)"
      R"( JOIN "seen_triggers" s ON s.o = t.oid AND s.x = p.xmin::text) <> 1 THEN RAISE)"
      R"( EXCEPTION 'capture re-created'; END IF; END $$)";
  other(same);
  ASSERT_TRUE(outbox_->install({"Company", {"Phone", "Size", "Seen"}, true, {"Size"}}).ok());
  other(same);
  ASSERT_TRUE(outbox_->install({"Company", {"Phone"}, true, {}}).ok());
  EXPECT_NE(sfsync::testing::execAsOther(
                sfsync::testing::otherProgramTarget(GetParam(), dir_.path()), same),
            "")
      << "a changed column list re-creates the capture";
  other(R"(UPDATE "Company" SET "Size" = 99, "Phone" = 'x')");
  const auto p = pending();
  ASSERT_EQ(p.size(), 1u) << "only the new column list is captured";
  EXPECT_EQ(p[0].column, "Phone");
}

INSTANTIATE_TEST_SUITE_P(Stores, OutboxTest, ::testing::ValuesIn(testing::storeBackends()),
                         testing::backendName);
INSTANTIATE_TEST_SUITE_P(Postgresql, OutboxPgTest, ::testing::Values(std::string("postgresql")),
                         testing::backendName);

}  // namespace
}  // namespace sfsync::store
