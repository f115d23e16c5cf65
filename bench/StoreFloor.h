// StoreFloor: the store's share of a sync's lower bound. The rows a run left in its target tables
// are copied, in their rowid (write) order, into empty tables with the same columns and indexes in
// a fresh SQLite file set up like a store's (16 KiB pages, WAL, synchronous=NORMAL, secure_delete
// off, the default page cache), by one INSERT ... SELECT per table in one transaction, from copies
// of the rows held in memory (made before the clock starts). Its WAL is checkpointed when the file
// closes, after the clock stops, as a run's is on the store's own thread. That is SQLite's own cost
// of the b-tree inserts a first run must make, without anything an upsert adds: no key search, no
// lookups, no mapping, no parsing, one statement per table. Benchmark code.
//
// Thread-safety: a free function; each call uses its own connection.
#pragma once

#include <string>
#include <vector>

namespace sfsync::bench {

struct StoreFloor {
  bool ok = false;
  double secs = 0;        // the inserts
  double searchSecs = 0;  // one search of every row's upsert key in the filled tables
  long long rows = 0;
  std::string note;  // why it failed
};

// A table to copy and the columns of its upsert key.
struct FloorTable {
  std::string name;
  std::vector<std::string> key;
};

// Copies `tables` of the SQLite file `db` (left unchanged) as described above, then times one
// search per row of its upsert key (a correlated EXISTS over the copied rows, served by the key's
// index), the search an upsert makes before it writes, and checks that it found every row without a
// null in its key (else `ok` is false, with a note); the copy is deleted afterwards.
StoreFloor storeFloor(const std::string& db, const std::vector<FloorTable>& tables);

}  // namespace sfsync::bench
