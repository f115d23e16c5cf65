// Conformance: the describe cache (issue 15) - put, replace, case-insensitive get, per-connection
// listing, persistence, and joining an open transaction.
#include <gtest/gtest.h>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

class StoreMetadataTest : public StoreTest {};

MetadataEntry entry(const std::string& connection, const std::string& object,
                    const std::string& json, const std::string& at) {
  return MetadataEntry{connection, object, json, at};
}

TEST_P(StoreMetadataTest, PutGetReplaceAndList) {
  EXPECT_FALSE(store().getMetadata("sample", "Account").value().has_value());
  ASSERT_TRUE(store()
                  .putMetadata(entry("sample", "Account", "{\"a\":1}", "2026-01-01T00:00:00.000Z"))
                  .ok());
  ASSERT_TRUE(store()
                  .putMetadata(entry("sample", "Contact", "{\"c\":1}", "2026-01-01T00:00:00.000Z"))
                  .ok());
  ASSERT_TRUE(
      store().putMetadata(entry("other", "Account", "{\"o\":1}", "2026-01-01T00:00:00.000Z")).ok());
  // Object names compare case-insensitively; a put replaces.
  ASSERT_TRUE(store()
                  .putMetadata(entry("sample", "ACCOUNT", "{\"a\":2}", "2026-01-02T00:00:00.000Z"))
                  .ok());
  std::optional<MetadataEntry> got = store().getMetadata("sample", "account").value();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->describeJson, "{\"a\":2}");
  EXPECT_EQ(got->fetchedAt, "2026-01-02T00:00:00.000Z");
  std::vector<MetadataEntry> listed = store().listMetadata("sample").value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].object, "Contact");
  reopen();
  EXPECT_EQ(store().getMetadata("other", "Account").value()->describeJson, "{\"o\":1}");
  EXPECT_EQ(store().putMetadata(entry("", "Account", "{}", "x")).code(),
            StatusCode::kInvalidArgument);
}

TEST_P(StoreMetadataTest, JoinsATransaction) {
  Status s = store().transaction([&] {
    Status put = store().putMetadata(entry("sample", "Account", "{}", "2026-01-01T00:00:00.000Z"));
    if (!put.ok()) return put;
    return Status::Internal("roll back");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(store().getMetadata("sample", "Account").value().has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreMetadataTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
