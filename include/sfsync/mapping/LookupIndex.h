// LookupIndex: an in-memory index of one target table over the columns a derived mapping matches on
// (key -> gsids), loaded with ONE query per run and extended as the run loads rows into that table
// (self-lookups: a manager arriving later in the same extract). Keys compare the text form of each
// value (valueToText), so a Salesforce Id string matches the same Id stored as text, and 42 matches
// "42".
//
// Thread-safety: not thread-safe; owned by one job run.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/Store.h"

namespace sfsync::mapping {

class LookupIndex {
 public:
  // The key of a tuple of values; false when any value is null (a null never matches).
  static bool makeKey(const std::vector<const Value*>& values, std::string& key);

  // Loads gsid + `columns` of every row of `table` not marked deleted (store::kIsDeletedColumn
  // true: its source record was deleted); an absent table gives an empty index.
  static Result<LookupIndex> load(store::Store& store, const std::string& table,
                                  const std::vector<std::string>& columns);

  const std::string& table() const { return table_; }
  const std::vector<std::string>& columns() const { return columns_; }

  // Adds (or keeps) gsid under key.
  void add(const std::string& key, const std::string& gsid);
  // The gsids under key (sorted ascending), or nullptr.
  const std::vector<std::string>* find(const std::string& key) const;
  std::size_t size() const { return entries_.size(); }

 private:
  std::string table_;
  std::vector<std::string> columns_;
  std::unordered_map<std::string, std::vector<std::string>> entries_;
};

}  // namespace sfsync::mapping
