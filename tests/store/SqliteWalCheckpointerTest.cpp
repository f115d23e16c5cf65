// SQLite only: the WAL is copied into the database file by SqliteWalCheckpointer's own thread and
// its own connection, the writer's commits only ask for it (and copy the short tail, or everything
// at the cap), and the WAL still starts over (it stays short) while the writer keeps committing.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "fakes/TempDir.h"
#include "store/SqliteDb.h"

namespace sfsync::store {
namespace {

using ::sfsync::testing::TempDir;

constexpr int kFrames = 64;                 // a pass is asked for at 64 pages of WAL (1 MiB)
constexpr int kCommits = 400;               // each commit below writes about 6 pages
constexpr std::int64_t kPageBytes = 16384;  // SqliteDb's page size

// One transaction of 20 rows of 4 KiB: about 5 table pages and an index page or two.
void commitRows(SqliteDb& db, int commit) {
  ASSERT_TRUE(db.begin().ok());
  Result<SqliteStatement> insert =
      db.prepare("INSERT INTO t (k, payload) VALUES (?1, randomblob(4096))");
  ASSERT_TRUE(insert.ok()) << insert.status().message();
  for (int i = 0; i < 20; ++i) {
    insert->reset();
    ASSERT_EQ(insert->bindInt64(1, static_cast<std::int64_t>(commit) * 100 + i), SQLITE_OK);
    ASSERT_EQ(insert->step(), SQLITE_DONE) << db.lastMessage();
  }
  insert->reset();
  ASSERT_TRUE(db.commit().ok());
}

std::int64_t rowCount(SqliteDb& db) {
  Result<SqliteStatement> stmt = db.prepare("SELECT count(*) FROM t");
  if (!stmt.ok() || stmt->step() != SQLITE_ROW) return -1;
  return stmt->columnInt64(0);
}

// The writer commits without pause: the thread's passes fall behind, and at 4 x kFrames the writer
// waits for the pass and copies the rest itself - the WAL never grows past that (plus a commit).
TEST(SqliteWalCheckpointerTest, ItsThreadCopiesTheWalAndTheCapBoundsIt) {
  TempDir dir;
  const std::string path = dir.file("data/sfsync.db");
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::open(path, 8, kFrames);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_NE((*db)->checkpointer(), nullptr) << "the checkpoint thread did not start";
  ASSERT_TRUE((*db)->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, payload BLOB)").ok());
  for (int c = 0; c < kCommits; ++c) {
    commitRows(**db, c);
    if (::testing::Test::HasFatalFailure()) return;
  }
  const SqliteWalCheckpointer::Counts counts = (*db)->checkpointer()->counts();
  // Some 2,400 pages went through the WAL; its thread copied them, in passes of its own.
  EXPECT_GT(counts.backgroundPasses, 0);
  EXPECT_EQ(counts.failedPasses, 0);
  // The WAL started over again and again: never more than the cap plus one commit's pages (a
  // margin of a few), and the file no larger than that.
  EXPECT_GT(counts.mostFrames, kFrames);
  EXPECT_LT(counts.mostFrames, 4 * kFrames + 32);
  const std::int64_t walBytes =
      static_cast<std::int64_t>(std::filesystem::file_size(path + "-wal"));
  EXPECT_LT(walBytes, (4 * kFrames + 32) * (kPageBytes + 24) + 32);
  EXPECT_EQ(rowCount(**db), kCommits * 20);

  // Closed, the store's connection is the last one: it checkpoints and removes the WAL; every
  // row is in the database file.
  db->reset();
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  Result<std::unique_ptr<SqliteDb>> reopened = SqliteDb::open(path, 8, kFrames);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  EXPECT_EQ(rowCount(**reopened), kCommits * 20);
}

// A writer that leaves the thread time to finish each pass (as a load does while it maps and
// looks up the next page): the pass copies everything, the writer's next transaction starts the
// WAL over, and the writer never copies anything itself.
TEST(SqliteWalCheckpointerTest, APassThatCatchesUpLetsTheWalStartOverWithoutTheWriter) {
  TempDir dir;
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::open(dir.file("sfsync.db"), 8, kFrames);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_NE((*db)->checkpointer(), nullptr);
  ASSERT_TRUE((*db)->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, payload BLOB)").ok());
  for (int c = 0; c < 100; ++c) {
    commitRows(**db, c);
    if (::testing::Test::HasFatalFailure()) return;
    (*db)->checkpointer()->waitUntilIdle();
  }
  const SqliteWalCheckpointer::Counts counts = (*db)->checkpointer()->counts();
  EXPECT_GT(counts.backgroundPasses, 0);
  EXPECT_EQ(counts.tailCopies + counts.capCopies, 0);
  EXPECT_LT(counts.mostFrames, kFrames + 16);  // started over right after each pass
  EXPECT_EQ(rowCount(**db), 100 * 20);
}

// Frames in the WAL, asked through a connection of the test's own; -1 if the checkpoint it runs to
// ask was busy (another connection checkpointing).
int walFrames(sqlite3* other) {
  sqlite3_stmt* stmt = nullptr;
  int frames = -1;
  if (sqlite3_prepare_v2(other, "PRAGMA wal_checkpoint(PASSIVE)", -1, &stmt, nullptr) ==
          SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) == 0) {
    frames = sqlite3_column_int(stmt, 1);
  }
  sqlite3_finalize(stmt);
  return frames;
}

using Connection = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

Connection openConnection(const std::string& path) {
  sqlite3* raw = nullptr;
  if (sqlite3_open(path.c_str(), &raw) != SQLITE_OK) {
    sqlite3_close(raw);
    raw = nullptr;
  }
  return Connection(raw, &sqlite3_close);
}

// One row per commit (a page or two of WAL), through the store's connection.
bool commitOne(SqliteDb& writer, int k) {
  return writer
      .exec("INSERT INTO t (k, payload) VALUES (" + std::to_string(k) + ", randomblob(4096))")
      .ok();
}

// A pass that could not copy everything (here a reader's snapshot holds it back; in a load, the
// writer's commits during the pass): when what is left is short, the writer's next commit copies
// it itself, so the WAL starts over instead of waiting for another pass.
TEST(SqliteWalCheckpointerTest, AShortTailLeftByAPassIsCopiedByTheWriter) {
  constexpr int kThreshold = 160;  // a tail of up to 20 frames
  TempDir dir;
  const std::string path = dir.file("sfsync.db");
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::open(path, 8, kThreshold);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_NE((*db)->checkpointer(), nullptr);
  SqliteDb& writer = **db;
  ASSERT_TRUE(writer.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, payload BLOB)").ok());
  const SqliteWalCheckpointer& checkpointer = *writer.checkpointer();
  int k = 0;
  while (checkpointer.counts().mostFrames < kThreshold - 6) ASSERT_TRUE(commitOne(writer, k++));
  // A reader's snapshot from here on: the coming pass copies only up to it.
  Connection reader = openConnection(path);
  ASSERT_NE(reader, nullptr);
  ASSERT_EQ(sqlite3_exec(reader.get(), "BEGIN; SELECT count(*) FROM t;", nullptr, nullptr, nullptr),
            SQLITE_OK);
  ASSERT_LT(checkpointer.counts().mostFrames, kThreshold);  // no pass has started yet
  ASSERT_EQ(checkpointer.counts().backgroundPasses, 0);
  while (checkpointer.counts().mostFrames < kThreshold) ASSERT_TRUE(commitOne(writer, k++));
  checkpointer.waitUntilIdle();
  ASSERT_EQ(checkpointer.counts().backgroundPasses, 1);
  ASSERT_EQ(sqlite3_exec(reader.get(), "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);

  ASSERT_TRUE(commitOne(writer, k++));  // finds the short tail: copies it
  EXPECT_EQ(checkpointer.counts().tailCopies, 1);
  ASSERT_TRUE(commitOne(writer, k++));  // the WAL started over: a frame or two, no new pass
  checkpointer.waitUntilIdle();
  EXPECT_EQ(checkpointer.counts().backgroundPasses, 1);
  const int frames = walFrames(reader.get());
  EXPECT_GE(frames, 1);
  EXPECT_LE(frames, 4);
  EXPECT_EQ(checkpointer.counts().capCopies, 0);
}

// A pass that copied everything the writer had committed leaves nothing to the writer: the next
// transaction starts the WAL over by itself, however large it is (no copy inside its commit).
TEST(SqliteWalCheckpointerTest, AfterAPassThatCaughtUpALargeTransactionIsNotCopiedInItsCommit) {
  constexpr int kThreshold = 160;
  TempDir dir;
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::open(dir.file("sfsync.db"), 8, kThreshold);
  ASSERT_TRUE(db.ok()) << db.status().message();
  SqliteDb& writer = **db;
  ASSERT_NE(writer.checkpointer(), nullptr);
  ASSERT_TRUE(writer.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, payload BLOB)").ok());
  const SqliteWalCheckpointer& checkpointer = *writer.checkpointer();
  int k = 0;
  while (checkpointer.counts().backgroundPasses == 0) {
    ASSERT_TRUE(commitOne(writer, k++));
    checkpointer.waitUntilIdle();
  }
  // About kThreshold + 10 frames in one transaction, in a WAL that starts over with it.
  ASSERT_TRUE(writer.begin().ok());
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(commitOne(writer, k++));
  ASSERT_TRUE(writer.commit().ok());
  const SqliteWalCheckpointer::Counts counts = checkpointer.counts();
  EXPECT_GT(counts.mostFrames, kThreshold);
  EXPECT_EQ(counts.tailCopies, 0);
  EXPECT_EQ(counts.capCopies, 0);
}

// Without a write nothing is asked for: the thread sleeps and the writer copies nothing.
TEST(SqliteWalCheckpointerTest, AShortWalAsksForNothing) {
  TempDir dir;
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::open(dir.file("sfsync.db"), 8, kFrames);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_NE((*db)->checkpointer(), nullptr);
  ASSERT_TRUE((*db)->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, payload BLOB)").ok());
  commitRows(**db, 0);
  const SqliteWalCheckpointer::Counts counts = (*db)->checkpointer()->counts();
  EXPECT_EQ(counts.backgroundPasses, 0);
  EXPECT_EQ(counts.tailCopies + counts.capCopies, 0);
  EXPECT_GT(counts.mostFrames, 0);  // the hook saw the commits
  EXPECT_LT(counts.mostFrames, kFrames);
}

}  // namespace
}  // namespace sfsync::store
