// addToRunTotals: adds one finished execution to the run totals kept in a store's state table (the
// job's or chain's entry, and for a job its connection's), whatever the store. A damaged entry
// restarts from zero rather than failing the save. Shared by SqliteStore and PostgresStore, which
// call it inside the transaction that saves the execution.
//
// Thread-safety: as the state table passed in (callers hold their store's lock).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/ExecutionRecord.h"
#include "sfsync/store/RunTotals.h"

namespace sfsync::store {

// StateTable: get(key) -> Result<std::optional<std::string>>, put(key, value) -> Status.
template <class StateTable>
Status addToRunTotals(StateTable& state, const ExecutionRecord& record) {
  std::vector<std::pair<std::string, bool>> keys{{runTotalsKey(record.kind, record.name), false}};
  if (record.kind == "job" && !record.connection.empty()) {
    keys.emplace_back(runTotalsKey("connection", record.connection), true);
  }
  for (const auto& [key, connection] : keys) {
    Result<std::optional<std::string>> stored = state.get(key);
    if (!stored.ok()) return stored.status();
    Result<RunTotals> totals = stored->has_value() ? RunTotals::fromJson(**stored) : RunTotals{};
    if (!totals.ok()) totals = RunTotals{};  // a damaged entry restarts from zero
    if (connection) {
      totals->addConnectionUse(record);
    } else {
      totals->addExecution(record);
    }
    Status s = state.put(key, totals->toJson());
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace sfsync::store
