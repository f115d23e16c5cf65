// WrittenKeys: the upsert keys one run has written to one target, each with the version (dedupe
// stamp) and gsid that wrote it - what duplicate-key detection asks - in bounded memory however
// large the extract: a Bloom filter (KeyFilter) answers "never written" for most keys without any
// I/O; the newest entries wait in a bounded in-memory buffer and go to the store's on-disk key map
// (Store::createKeyMap) in sorted batches of kMaxPending.
//
// Not transactional: entries of a page whose transaction rolls back stay (the run fails with that
// page, and a new run starts with new WrittenKeys).
//
// Thread-safety: not thread-safe; owned by one run.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "jobs/KeyFilter.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

class WrittenKeys {
 public:
  using Entry = store::Store::KeyEntry;

  explicit WrittenKeys(store::Store& store) : store_(store) {}
  // Drops the store's key map (best effort: the store drops it when it closes anyway).
  ~WrittenKeys();
  WrittenKeys(const WrittenKeys&) = delete;
  WrittenKeys& operator=(const WrittenKeys&) = delete;

  // One entry per key (std::nullopt: never written in this run).
  Result<std::vector<std::optional<Entry>>> find(const std::vector<std::string>& keys);
  // Records (or replaces) the entry of `key`.
  Status put(const std::string& key, Entry entry);

 private:
  // Entries buffered before a sorted batch goes to the store (a few MiB).
  static constexpr std::size_t kMaxPending = 16384;

  Status flush();

  store::Store& store_;
  KeyFilter filter_;
  std::unordered_map<std::string, Entry> pending_;
  std::string map_;  // the store's key map; "" until the first flush
};

}  // namespace sfsync::jobs
