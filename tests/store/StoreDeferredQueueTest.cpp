// Store::appendDeferred / readDeferred / clearDeferred: rows of every value type come back exactly,
// in order and in batches; queues are per owner; appends roll back with their transaction and
// survive closing the store (a resumed run finds them); an empty owner is an error.
#include <gtest/gtest.h>

#include "fakes/TempDir.h"
#include "sfsync/store/Store.h"

namespace sfsync::store {
namespace {

class StoreDeferredQueueTest : public ::testing::Test {
 protected:
  StorePtr open() {
    auto store = openSqliteStore(dir_.file("sfsync.db"));
    EXPECT_TRUE(store.ok()) << store.status().toString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  static Row row(int i) {
    return {
        Value("Id" + std::to_string(i)), Value{},        Value(i % 2 == 0),
        Value(std::int64_t{i}),          Value(i + 0.5), Value(std::string("caf\xc3\xa9\0x", 7))};
  }
  sfsync::testing::TempDir dir_;
};

TEST_F(StoreDeferredQueueTest, RowsComeBackExactlyInOrderPerOwnerAndSurviveReopening) {
  {
    StorePtr store = open();
    std::vector<Row> rows;
    for (int i = 0; i < 250; ++i) rows.push_back(row(i));
    ASSERT_TRUE(store->appendDeferred("sample/User Sync", rows).ok());
    ASSERT_TRUE(store->appendDeferred("sample/User Sync", {row(250)}).ok());  // numbered after
    ASSERT_TRUE(store->appendDeferred("sample/Other", {row(7)}).ok());
    Status rolledBack = store->transaction([&] {
      EXPECT_TRUE(store->appendDeferred("sample/User Sync", {row(999)}).ok());
      return Status::Unavailable("roll back");
    });
    EXPECT_FALSE(rolledBack.ok());
  }
  StorePtr store = open();  // a new process resuming the run
  std::vector<Row> back;
  std::int64_t after = 0;
  for (;;) {
    auto batch = store->readDeferred("sample/User Sync", after, 100);
    ASSERT_TRUE(batch.ok()) << batch.status().toString();
    if (batch->empty()) break;
    EXPECT_LE(batch->size(), 100u);
    for (auto& [seq, r] : *batch) {
      EXPECT_GT(seq, after);
      after = seq;
      back.push_back(r);
    }
  }
  ASSERT_EQ(back.size(), 251u);  // the rolled-back row is not there
  for (int i = 0; i <= 250; ++i) EXPECT_EQ(back[static_cast<std::size_t>(i)], row(i)) << i;

  ASSERT_TRUE(store->clearDeferred("sample/User Sync").ok());
  auto cleared = store->readDeferred("sample/User Sync", 0, 10);
  ASSERT_TRUE(cleared.ok());
  EXPECT_TRUE(cleared->empty());
  auto other = store->readDeferred("sample/Other", 0, 10);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), 1u);  // another owner's queue is untouched
  EXPECT_EQ(other->front().second, row(7));
  EXPECT_EQ(store->appendDeferred("", {row(1)}).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sfsync::store
