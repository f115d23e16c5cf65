#include "jobs/WrittenKeys.h"

#include <algorithm>

namespace sfsync::jobs {

WrittenKeys::~WrittenKeys() {
  // Best effort: a map left behind is dropped with the store's scratch database on close.
  if (!map_.empty()) store_.dropKeyMap(map_).ignoreError();
}

Result<std::vector<std::optional<WrittenKeys::Entry>>> WrittenKeys::find(
    const std::vector<std::string>& keys) {
  std::vector<std::optional<Entry>> out(keys.size());
  std::vector<std::string> ask;  // keys only the store's map can answer
  std::vector<std::size_t> askedFor;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (!filter_.mayContain(keys[k])) continue;
    auto pending = pending_.find(keys[k]);
    if (pending != pending_.end()) {
      out[k] = pending->second;
    } else if (!map_.empty()) {
      ask.push_back(keys[k]);
      askedFor.push_back(k);
    }
  }
  if (ask.empty()) return out;
  Result<std::vector<std::optional<Entry>>> stored = store_.findKeys(map_, ask);
  if (!stored.ok()) return stored.status();
  for (std::size_t a = 0; a < ask.size(); ++a) out[askedFor[a]] = std::move((*stored)[a]);
  return out;
}

Status WrittenKeys::put(const std::string& key, Entry entry) {
  filter_.add(key);
  pending_[key] = std::move(entry);
  return pending_.size() >= kMaxPending ? flush() : Status::OK();
}

Status WrittenKeys::flush() {
  if (map_.empty()) {
    Result<std::string> map = store_.createKeyMap();
    if (!map.ok()) return map.status();
    map_ = *map;
  }
  // In key order: neighbouring inserts land on the same B-tree pages of the on-disk map.
  std::vector<std::pair<std::string, Entry>> entries(std::make_move_iterator(pending_.begin()),
                                                     std::make_move_iterator(pending_.end()));
  pending_.clear();
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return store_.putKeys(map_, entries);
}

}  // namespace sfsync::jobs
