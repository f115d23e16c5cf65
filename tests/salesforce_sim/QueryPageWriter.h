// QueryPageWriter: renders query results as Salesforce's REST JSON, straight into a std::string:
//   {"totalSize":N,"done":B[,"nextRecordsUrl":"..."],"records":[{"attributes":{"type","url"},...}]}
// Fields appear in SELECT order with their describe names; relationship paths become nested objects
// with their own attributes, or null when the reference is empty. Value formats follow Salesforce:
// datetimes 2025-01-15T10:30:00.000+0000, dates 2025-01-15, integers, Java-style doubles, booleans.
//
// Thread-safety: stateless; reads only immutable snapshots, so no lock is needed.
#pragma once

#include <string>
#include <string_view>

#include "salesforce_sim/QueryExecutor.h"

namespace sfsync::sim {

class QueryPageWriter {
 public:
  // Records [from, to) of `result`; `nextRecordsUrl` empty means this is the last page (done).
  static std::string page(const QueryResult& result, std::size_t from, std::size_t to,
                          std::string_view version, std::string_view nextRecordsUrl);
  // One value in Salesforce's JSON format.
  static void appendValue(std::string& out, const CellView& value);
  // A whole record with every field of its table (GET .../sobjects/{Object}/{Id}).
  static std::string fullRecord(const RecordTable& table, const Row& row, std::string_view version);

 private:
  static void appendAttributes(std::string& out, const RecordTable& table, const Row& row,
                               std::string_view version);
  static void appendNodes(std::string& out, const std::vector<SelectNode>& nodes,
                          const RecordTable& table, const RowPtr* slots, std::size_t slot,
                          std::string_view version);
};

}  // namespace sfsync::sim
