// PgConnection against the throwaway cluster of the ctest fixture `postgres`: transaction endings
// that PostgreSQL reports without an error.
#include <gtest/gtest.h>

#include "fakes/PgTestCluster.h"
#include "store/PgConnection.h"
#include "store/StoreTestSupport.h"

namespace sfsync::store {
namespace {

std::unique_ptr<PgConnection> connect() {
  PostgresSettings settings;
  settings.url = ::sfsync::testing::pgTestUrl();
  settings.schema = ::sfsync::testing::pgTestSchema("pg_connection_test");
  Result<std::unique_ptr<PgConnection>> db = PgConnection::open(settings);
  EXPECT_TRUE(db.ok()) << db.status().toString();
  return db.ok() ? std::move(db).value() : nullptr;
}

TEST(PgConnectionTest, CommitOfAnAbortedTransactionIsAnError) {
  std::unique_ptr<PgConnection> db = connect();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->begin().ok());
  EXPECT_FALSE(db->query("SELECT 1 / 0").ok());  // aborts the transaction
  Status committed = db->commit();
  ASSERT_FALSE(committed.ok());
  EXPECT_EQ(committed.code(), StatusCode::kIoError);
  EXPECT_NE(committed.message().find("ROLLBACK"), std::string::npos) << committed.toString();
  EXPECT_TRUE(db->query("SELECT 1").ok());  // the connection is usable afterwards
}

TEST(PgConnectionTest, CommitOfAHealthyTransactionSucceeds) {
  std::unique_ptr<PgConnection> db = connect();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->begin().ok());
  EXPECT_TRUE(db->query("SELECT 1").ok());
  EXPECT_TRUE(db->commit().ok());
}

TEST(PgConnectionTest, AnExistingSchemaNeedsNoDatabaseCreatePrivilege) {
  PostgresSettings admin;
  admin.url = ::sfsync::testing::pgTestUrl();
  Result<std::unique_ptr<PgConnection>> db = PgConnection::open(admin);
  ASSERT_TRUE(db.ok()) << db.status().toString();
  const std::string schema = ::sfsync::testing::pgTestSchema("pg_connection_test no create");
  // A role with no CREATE on the database (PUBLIC has none by default) owning an existing schema.
  (*db)->exec("CREATE ROLE sfsync_nocreate LOGIN").ignoreError();  // it may exist from a rerun
  ASSERT_TRUE(
      (*db)->exec("CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION sfsync_nocreate").ok());
  PostgresSettings limited;
  limited.url = admin.url;
  const std::size_t at = limited.url.find("postgres@");
  ASSERT_NE(at, std::string::npos) << limited.url;
  limited.url.replace(at, 8, "sfsync_nocreate");
  limited.schema = schema;
  Result<std::unique_ptr<PgConnection>> opened = PgConnection::open(limited);
  EXPECT_TRUE(opened.ok()) << opened.status().toString();
  if (opened.ok()) {
    EXPECT_EQ((*opened)->schema(), schema);
  }

  limited.schema = ::sfsync::testing::pgTestSchema("pg_connection_test missing");
  Result<std::unique_ptr<PgConnection>> missing = PgConnection::open(limited);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("CREATE privilege on the database"), std::string::npos)
      << missing.status().toString();
}

TEST(PgConnectionTest, AFailedReadInsideATransactionFailsItWithTheReadsError) {
  testing::TempDir dir;
  PostgresSettings settings;
  settings.url = ::sfsync::testing::pgTestUrl();
  settings.schema = ::sfsync::testing::pgTestSchema(dir.path());
  settings.statementTimeoutSeconds = 1;
  Result<StorePtr> store = openPostgresStore(settings);
  ASSERT_TRUE(store.ok()) << store.status().toString();
  ASSERT_TRUE(
      (*store)->ensureTable(testing::tableSpec("Contact", {testing::col("Id")}), {"Id"}).ok());
  // Another session holds the table, so the store's read runs into its statement timeout.
  std::unique_ptr<PgConnection> other = connect();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->begin().ok());
  ASSERT_TRUE(
      other->exec("LOCK TABLE " + settings.schema + ".\"Contact\" IN ACCESS EXCLUSIVE MODE").ok());
  Status s = (*store)->transaction([&]() -> Status {
    Result<std::vector<Row>> rows = (*store)->select("Contact", {"Id"}, {});
    EXPECT_FALSE(rows.ok());
    return Status::OK();  // the body ignores the failed read
  });
  other->rollback();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find("COMMIT was answered"), std::string::npos) << s.toString();
  EXPECT_NE(s.message().find("statement timeout"), std::string::npos) << s.toString();
  Result<std::int64_t> count = (*store)->count("Contact");
  EXPECT_TRUE(count.ok()) << count.status().toString();  // the store works afterwards
}

}  // namespace
}  // namespace sfsync::store
