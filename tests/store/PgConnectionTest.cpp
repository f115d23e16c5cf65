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

}  // namespace
}  // namespace sfsync::store
