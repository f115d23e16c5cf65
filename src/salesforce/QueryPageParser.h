// QueryPageParser: turns one Salesforce query response body ({"totalSize", "done",
// "nextRecordsUrl", "records": [...]}) into a RecordPage whose rows hold exactly the requested
// columns, in the requested order. It reads the body in one streaming pass (JsonReader) and never
// builds a DOM:
//   - a column is a field name or a relationship path ("Account.Name", "Owner.Manager.Email"); JSON
//   keys
//     match path segments case-insensitively; a null (or absent) hop leaves the column null;
//   - "attributes" and every key nobody asked for are skipped without being decoded;
//   - JSON integers that fit become int64, other numbers double; strings, booleans and null map
//     directly; an object or array requested as a column (compound address, child subquery) is kept
//     as its JSON text.
// The column paths are compiled once into a small trie, so one parser serves every page of a query.
//
// Thread-safety: parse() is const and keeps no state between calls; one instance may be shared.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sfsync/core/Status.h"
#include "sfsync/salesforce/RecordPage.h"

namespace sfsync::salesforce {

class JsonReader;

class QueryPageParser {
 public:
  // A page with more records is refused (kDataError): Salesforce sends at most 2,000 a page, and
  // each record costs a row of every column however short its JSON.
  static constexpr std::size_t kMaxRecordsPerPage = 10000;

  explicit QueryPageParser(const std::vector<std::string>& columns);

  // Parses `body` into page.rows, page.structuredCells, page.invalidUtf8Strings (all cleared
  // first), page.totalSize and page.done, and sets
  // nextRecordsUrl (empty when absent or null). page.columns and page.pageIndex are left alone.
  // Returns kDataError naming the byte offset and problem when the body is not a complete,
  // well-formed query result (e.g. truncated); page.rows is then unspecified.
  Status parse(std::string_view body, RecordPage& page, std::string& nextRecordsUrl) const;

  std::size_t columnCount() const { return columnCount_; }

 private:
  struct Node {
    std::string name;          // lower-case path segment (empty for the root)
    std::vector<int> columns;  // columns whose path ends here
    std::vector<int> children;
  };

  int findChild(const Node& node, std::string_view key) const;
  bool parseRecords(JsonReader& reader, RecordPage& page) const;
  // Fills the last row of `page`.
  bool parseObject(JsonReader& reader, const Node& node, RecordPage& page,
                   std::string& scratch) const;

  std::vector<Node> nodes_;  // nodes_[0] is the root
  std::size_t columnCount_ = 0;
};

}  // namespace sfsync::salesforce
