// Fuzz target: QueryPageParser, the streaming parser of Salesforce query response bodies, with the
// column shapes the jobs request (plain fields, relationship paths, compound/child values kept as
// JSON text). Errors are Status values; crashes, hangs, sanitizer reports and unbounded memory are
// bugs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "salesforce/QueryPageParser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> columns = {"Id",
                                                   "Name",
                                                   "Account.Name",
                                                   "Account.Owner.Manager.Email",
                                                   "Age__c",
                                                   "IsDeleted",
                                                   "BillingAddress",
                                                   "Contacts",
                                                   "name",
                                                   "LastModifiedDate"};
  static const sfsync::salesforce::QueryPageParser parser(columns);
  sfsync::salesforce::RecordPage page;
  page.columns = columns;
  std::string next;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const sfsync::Status status = parser.parse(body, page, next);
  if (status.ok()) {
    // A successful parse yields rows of exactly the requested width.
    for (const auto& row : page.rows) {
      if (row.size() != columns.size()) __builtin_trap();
    }
  }
  return 0;
}
