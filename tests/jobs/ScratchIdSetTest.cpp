// ScratchIdSet against a real SqliteStore: the set exists while its owner lives, is dropped when
// the owner goes out of scope, and moves hand ownership over without dropping it.
#include <gtest/gtest.h>

#include <optional>
#include <utility>

#include "fakes/TempDir.h"
#include "jobs/ScratchIdSet.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {
namespace {

class ScratchIdSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::openSqliteStore(dir_.file("sfsync.db"));
    ASSERT_TRUE(store.ok()) << store.status().toString();
    store_ = std::move(store).value();
  }
  // A store call on the set: OK while it exists, InvalidArgument ("no scratch Id set") after.
  Status use(const std::string& set) { return store_->addToIdSet(set, {"001000000000001AAA"}); }

  sfsync::testing::TempDir dir_;
  store::StorePtr store_;
};

TEST_F(ScratchIdSetTest, TheSetIsDroppedWhenItsOwnerGoesOutOfScope) {
  std::string name;
  {
    Result<ScratchIdSet> set = ScratchIdSet::create(*store_);
    ASSERT_TRUE(set.ok()) << set.status().toString();
    name = set->name();
    EXPECT_TRUE(use(name).ok());
  }
  EXPECT_EQ(use(name).code(), StatusCode::kInvalidArgument);
}

TEST_F(ScratchIdSetTest, AMoveHandsTheSetOverWithoutDroppingIt) {
  Result<ScratchIdSet> created = ScratchIdSet::create(*store_);
  ASSERT_TRUE(created.ok()) << created.status().toString();
  const std::string name = created->name();
  std::optional<ScratchIdSet> owner;
  {
    ScratchIdSet moved = std::move(created).value();
    owner.emplace(std::move(moved));
  }  // the moved-from objects are gone
  EXPECT_TRUE(use(name).ok());
  owner.reset();
  EXPECT_EQ(use(name).code(), StatusCode::kInvalidArgument);
}

TEST_F(ScratchIdSetTest, AssigningOverASetDropsTheOldOne) {
  Result<ScratchIdSet> first = ScratchIdSet::create(*store_);
  Result<ScratchIdSet> second = ScratchIdSet::create(*store_);
  ASSERT_TRUE(first.ok() && second.ok());
  const std::string old = first->name(), kept = second->name();
  *first = std::move(*second);
  EXPECT_EQ(use(old).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(use(kept).ok());
  EXPECT_EQ(first->name(), kept);
}

}  // namespace
}  // namespace sfsync::jobs
