// PgConnection against the throwaway cluster of the ctest fixture `postgres`: transaction endings
// that PostgreSQL reports without an error.
#include <gtest/gtest.h>

#include "fakes/PgTestCluster.h"
#include "store/PgConnection.h"

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

}  // namespace
}  // namespace sfsync::store
