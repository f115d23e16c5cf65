// WrittenKeys (duplicate-key tracking in bounded memory) and its KeyFilter: every key put is found
// again with its latest entry - from the buffer and, past a flush, from the store's on-disk key
// map - keys never put are not, and the filter has no false negatives.
#include <gtest/gtest.h>

#include "fakes/TempDir.h"
#include "jobs/KeyFilter.h"
#include "jobs/WrittenKeys.h"

namespace sfsync::jobs {
namespace {

TEST(KeyFilterTest, HasNoFalseNegativesAndFewFalsePositives) {
  KeyFilter filter;
  EXPECT_FALSE(filter.mayContain("anything"));  // empty: nothing allocated, nothing contained
  for (int i = 0; i < 100000; ++i) filter.add("key-" + std::to_string(i));
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(filter.mayContain("key-" + std::to_string(i))) << i;
  int falsePositives = 0;
  for (int i = 0; i < 100000; ++i)
    falsePositives += filter.mayContain("other-" + std::to_string(i));
  EXPECT_LT(falsePositives, 100);  // 100k keys in 16M bits, 4 hashes: ~0.0004% expected
}

TEST(WrittenKeysTest, FindsEveryPutKeyAcrossFlushesToTheStore) {
  sfsync::testing::TempDir dir;
  auto store = store::openSqliteStore(dir.file("sfsync.db"));
  ASSERT_TRUE(store.ok()) << store.status().toString();
  WrittenKeys written(**store);
  const int n = 40000;  // more than two buffers' worth: most entries come back from the store
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(written.put("k" + std::to_string(i), {"s" + std::to_string(i), "g"}).ok());
  }
  ASSERT_TRUE(written.put("k7", {"newer", "g7"}).ok());  // replaces, in the buffer
  std::vector<std::string> keys{"k0", "k7", "k20000", "k39999", "never"};
  auto found = written.find(keys);
  ASSERT_TRUE(found.ok()) << found.status().toString();
  ASSERT_EQ(found->size(), keys.size());
  ASSERT_TRUE((*found)[0] && (*found)[1] && (*found)[2] && (*found)[3]);
  EXPECT_EQ((*found)[0]->stamp, "s0");
  EXPECT_EQ((*found)[1]->stamp, "newer");
  EXPECT_EQ((*found)[1]->gsid, "g7");
  EXPECT_EQ((*found)[2]->stamp, "s20000");
  EXPECT_EQ((*found)[3]->stamp, "s39999");
  EXPECT_FALSE((*found)[4]);
}

}  // namespace
}  // namespace sfsync::jobs
