// SnowflakeSource: see include/sfsync/snowflake/SnowflakeSource.h.
//
// Thread-safety: not thread-safe; one per run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sfsync/snowflake/ResultMeta.h"
#include "sfsync/snowflake/SnowflakeSource.h"
#include "snowflake/OptionCap.h"
#include "snowflake/SqlApiClient.h"

namespace sfsync::snowflake {

class SnowflakeSource final : public source::Source {
 public:
  SnowflakeSource(const SnowflakeSettings& settings, Clock& clock, SnowflakeSourceSpec spec);

  const char* api() const override { return "snowflake"; }
  Result<salesforce::ObjectDescribe> describe(const std::string& object) override;
  Status extract(const source::ExtractRequest& request,
                 const salesforce::PageHandler& onPage) override;
  const std::string& bulkJobId() const override { return none_; }
  const std::string& note() const override { return note_; }
  // No delete feed: deletedIds() is Source's default (not answered: compare identifiers).
  // The identifier column of the job's own table or query, with its filter (and `filter`, ANDed),
  // without its incremental bound, its re-run identifiers or a dry run's limit; streamed like
  // extract(), one page of Ids at a time.
  Status listIds(const std::string& object, const std::string& filter,
                 const source::IdSink& sink) override;

  const OptionCap& options() const { return cap_; }
  std::int64_t calls() const { return client_.calls(); }

 private:
  // For each requested column, its index in meta.columns (kInvalidArgument naming a missing one).
  Result<std::vector<std::size_t>> columnIndexes(const ResultMeta& meta,
                                                 const std::vector<std::string>& wanted) const;
  // One row's raw cells (indexed like meta.columns) decoded into the requested columns.
  Status decodeRow(const ResultMeta& meta, const std::vector<std::size_t>& indexes,
                   const std::vector<Value>& cells, std::vector<Value>& row);
  // Raises the cursor to the row's incremental value (column `incremental` of meta; -1: none).
  Status trackCursor(const ResultMeta& meta, int incremental, const std::vector<Value>& cells);
  // Runs one statement, handing its rows on in pages; `last` marks the final page of the run.
  Status run(const BoundStatement& statement, const source::ExtractRequest& request, bool last,
             const salesforce::PageHandler& onPage);
  void seedOptions(const ResultMeta& meta);

  SqlApiClient client_;
  SnowflakeSourceSpec spec_;
  OptionCap cap_;
  std::optional<Cursor> high_;  // the highest incremental value handed on so far
  bool seeded_ = false;
  std::string note_;
  std::string none_;
  int pageIndex_ = 0;
};

// Rows per RecordPage handed on (a partition larger than this becomes several pages).
inline constexpr std::size_t kPageRows = 2000;

}  // namespace sfsync::snowflake
