// The SQLite Outbox (issue 13): capture triggers record another connection's INSERT / UPDATE of
// write-back columns in the same transaction; the store's own connection is not captured, its
// updates do not overwrite a pending local value, and toSalesforce columns keep their local
// value; acknowledge removes only up to the given sequence; a read-only outbox creates nothing.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "fakes/TempDir.h"
#include "sfsync/store/Outbox.h"
#include "sfsync/store/Store.h"

namespace sfsync::store {
namespace {

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = openSqliteStore(path());
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    ASSERT_TRUE(store_
                    ->ensureTable({"Company",
                                   {{"Name", ColumnType::kText},
                                    {"Phone", ColumnType::kText},
                                    {"Size", ColumnType::kInteger}}},
                                  {})
                    .ok());
    auto up = store_->upsert(
        {"Company",
         {"Name", "Phone", "Size"},
         {"Name"},
         false,
         {{Value{std::string("Acme")}, Value{std::string("1")}, Value{std::int64_t{5}}}}});
    ASSERT_TRUE(up.ok());
    auto outbox = openSqliteOutbox(*store_);
    ASSERT_TRUE(outbox.ok()) << outbox.status().toString();
    outbox_ = std::move(outbox).value();
    ASSERT_TRUE(outbox_->install({"Company", {"Phone", "Size"}, true, {"Size"}}).ok());
  }
  std::string path() { return dir_.file("s.db"); }
  void other(const std::string& sql) {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(path().c_str(), &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 10000);
    const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr);
    const std::string message = sqlite3_errmsg(h);
    sqlite3_close(h);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }
  std::vector<OutboxEntry> pending() {
    auto p = outbox_->pending("Company", 0, 100);
    EXPECT_TRUE(p.ok());
    return p.ok() ? *p : std::vector<OutboxEntry>{};
  }

  testing::TempDir dir_;
  StorePtr store_;
  OutboxPtr outbox_;
};

TEST_F(OutboxTest, AnotherConnectionsChangesAreCapturedPerColumn) {
  other("UPDATE Company SET Phone = '2', Name = 'not written back'");
  other("UPDATE Company SET Phone = NULL");
  other("INSERT INTO Company(gsid, Name, Phone) VALUES ('g2', 'New', '9')");
  const auto p = pending();
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].column, "Phone");
  EXPECT_EQ(p[0].oldValue, Value{std::string("1")});
  EXPECT_EQ(p[0].newValue, Value{std::string("2")});
  EXPECT_TRUE(isNull(p[1].newValue)) << "a cleared value is a change";
  EXPECT_TRUE(p[2].inserted);
  EXPECT_EQ(p[2].gsid, "g2");
  EXPECT_EQ(p[0].changedAt.size(), 24u) << p[0].changedAt;
}

TEST_F(OutboxTest, OwnConnectionIsNotCapturedAndKeepsPendingAndLocalOnlyValues) {
  ASSERT_TRUE(store_->updateWhere("Company", {"Phone"}, {Value{std::string("own")}}, {}).ok());
  EXPECT_TRUE(pending().empty()) << "sfsync's own write is not a local change";

  other("UPDATE Company SET Phone = 'local'");
  ASSERT_TRUE(store_
                  ->updateWhere("Company", {"Phone", "Size"},
                                {Value{std::string("inbound")}, Value{std::int64_t{9}}}, {})
                  .ok());
  auto rows = store_->select("Company", {"Phone", "Size"});
  ASSERT_TRUE(rows.ok() && rows->size() == 1);
  EXPECT_EQ((*rows)[0][0], Value{std::string("local")}) << "a pending local value is kept";
  EXPECT_EQ((*rows)[0][1], Value{std::int64_t{5}}) << "toSalesforce: local is the master";

  const auto p = pending();
  ASSERT_EQ(p.size(), 1u);
  ASSERT_TRUE(outbox_->acknowledge("Company", p[0].gsid, "Phone", p[0].seq).ok());
  ASSERT_TRUE(store_->updateWhere("Company", {"Phone"}, {Value{std::string("sf")}}, {}).ok());
  rows = store_->select("Company", {"Phone"});
  EXPECT_EQ((*rows)[0][0], Value{std::string("sf")}) << "acknowledged: sfsync may write it";
}

TEST_F(OutboxTest, AcknowledgeKeepsLaterChangesAndFailuresAreCounted) {
  other("UPDATE Company SET Phone = 'a'");
  other("UPDATE Company SET Phone = 'b'");
  auto p = pending();
  ASSERT_EQ(p.size(), 2u);
  ASSERT_TRUE(outbox_->noteFailure("Company", p[0].gsid, "Phone", p[1].seq, "X: y").ok());
  ASSERT_TRUE(outbox_->acknowledge("Company", p[0].gsid, "Phone", p[0].seq).ok());
  p = pending();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].newValue, Value{std::string("b")});
  EXPECT_EQ(p[0].attempts, 1);
  EXPECT_EQ(p[0].lastError, "X: y");
  EXPECT_EQ(*outbox_->size(""), 1);
}

TEST_F(OutboxTest, ChangesSurviveReopeningTheStore) {
  other("UPDATE Company SET Phone = 'kept'");
  outbox_.reset();
  store_.reset();
  auto store = openSqliteStore(path());
  ASSERT_TRUE(store.ok());
  auto outbox = openSqliteOutbox(**store);
  ASSERT_TRUE(outbox.ok());
  auto p = (*outbox)->pending("Company", 0, 10);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ((*p)[0].newValue, Value{std::string("kept")});
}

TEST_F(OutboxTest, InstallRefusesAnUnknownColumnAndReadOnlyCreatesNothing) {
  Status s = outbox_->install({"Company", {"Nope"}, false, {}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("no column 'Nope'"), std::string::npos) << s.toString();

  testing::TempDir other;
  auto fresh = openSqliteStore(other.file("f.db"));
  ASSERT_TRUE(fresh.ok());
  auto ro = openSqliteOutbox(**fresh, /*readOnly=*/true);
  ASSERT_TRUE(ro.ok());
  EXPECT_EQ(*(*ro)->size(""), 0);
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(other.file("f.db").c_str(), &h), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_master WHERE name = 'sfsync_outbox'",
                               -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
}

}  // namespace
}  // namespace sfsync::store
