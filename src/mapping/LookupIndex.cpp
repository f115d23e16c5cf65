#include "sfsync/mapping/LookupIndex.h"

#include <algorithm>

namespace sfsync::mapping {

bool LookupIndex::makeKey(const std::vector<const Value*>& values, std::string& key) {
  key.clear();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (isNull(*values[i])) return false;
    if (i > 0) key += '\x1f';  // unit separator: cannot appear in a Salesforce value's text
    key += valueToText(*values[i]);
  }
  return true;
}

Result<LookupIndex> LookupIndex::load(store::Store& store, const std::string& table,
                                      const std::vector<std::string>& columns) {
  LookupIndex index;
  index.table_ = table;
  index.columns_ = columns;
  std::vector<std::string> select{"gsid"};
  select.insert(select.end(), columns.begin(), columns.end());
  store::RowFilter unmarked;
  unmarked.unmarkedOnly = true;  // a row marked deleted (onSourceDelete markDeleted) never matches
  Result<std::vector<store::Row>> rows = store.selectWhere(table, select, unmarked);
  if (!rows.ok()) {
    if (rows.status().code() == StatusCode::kNotFound) return index;  // nothing loaded yet
    return rows.status();
  }
  std::vector<const Value*> values(columns.size());
  std::string key;
  for (const store::Row& row : *rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) values[i] = &row[i + 1];
    if (makeKey(values, key)) index.add(key, std::get<std::string>(row[0]));
  }
  return index;
}

void LookupIndex::add(const std::string& key, const std::string& gsid) {
  std::vector<std::string>& gsids = entries_[key];
  auto at = std::lower_bound(gsids.begin(), gsids.end(), gsid);
  if (at == gsids.end() || *at != gsid) gsids.insert(at, gsid);
}

const std::vector<std::string>* LookupIndex::find(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace sfsync::mapping
