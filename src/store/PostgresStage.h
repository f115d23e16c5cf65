// PostgresStage: the session-private staging tables a page travels through on its way into a
// target table - pg_temp.sfsync_stage_<n> (i bigint, c0 .. c<n-1> text), created on first use
// (ON COMMIT DELETE ROWS) and emptied before each load - plus the COPY text-format builder that
// fills one with a single round trip. Values are staged as text and cast to the column types in
// the one INSERT / UPDATE / SELECT that reads the stage.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "store/PgConnection.h"

namespace sfsync::store {

class PostgresStage {
 public:
  explicit PostgresStage(PgConnection& db) : db_(db) {}

  // Name of the stage with `width` text columns.
  static std::string name(std::size_t width);

  // Starts a load of `width` text columns per line.
  void start(std::size_t width);
  // Adds a line: the row number `i` and exactly `width` fields (nullopt: NULL).
  void add(std::int64_t i, const std::vector<std::optional<std::string>>& fields);
  std::size_t lines() const { return lines_; }
  // Creates the stage if missing, empties it and copies the lines in (one COPY).
  Status load();

 private:
  PgConnection& db_;
  std::size_t width_ = 0;
  std::size_t lines_ = 0;
  std::string data_;
};

}  // namespace sfsync::store
