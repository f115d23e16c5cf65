// MetadataEntry: one cached Salesforce describe result in the store (table sfsync_metadata): the
// connection, the object, the describe in a compact JSON encoding (salesforce::DescribeCodec) and
// when it was fetched. The (connection, object) key compares the object case-insensitively, as
// Salesforce API names do.
//
// Thread-safety: plain value type.
#pragma once

#include <string>

namespace sfsync::store {

struct MetadataEntry {
  std::string connection;
  std::string object;        // API name as Salesforce described it, e.g. "Account"
  std::string describeJson;  // salesforce::DescribeCodec::encode
  std::string fetchedAt;     // ISO-8601 UTC (formatIso8601)
};

}  // namespace sfsync::store
