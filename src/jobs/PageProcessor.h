// PageProcessor: extract -> map -> resolve -> load for one page of one job run, and the
// post-extract pass that resolves deferred self-lookups.
//
// Per page: every record is mapped for every target of the job and its derived mappings are
// resolved (a rejection at any target rejects the whole record before anything is written); then
// every target's rows are upserted in ONE store transaction, in target order, each later target
// receiving the gsids of the earlier ones ("fromTarget"). Counts and error-file rows are committed
// only after the transaction succeeds.
//
// Derived mappings: per page and lookup, the distinct match keys of the page's records go to the
// store in one set-based query (Store::lookupGsids, index searches); no lookup table is held in
// memory. A self-lookup that finds nothing (the referenced record comes later) is deferred: the
// record is written with the column empty and queued in the store with its page
// (DeferredLookups), and finish() resolves the queue the same set-based way - also what an
// interrupted run this one continues had queued.
//
// Duplicate upsert keys within one run (per target whose key is not the record Id): each is counted
// as a warning and the row with the newest `dedupeBy` stamp (SystemModstamp) wins - an older row
// arriving after a newer one is not written and takes the newer row's gsid (so later targets still
// link to it). The store decides it while it upserts: every row this run writes carries the run's
// random tag and the record's stamp (columns sfsync_run / sfsync_stamp, see store/Upsert.h), and
// the key lookup the upsert makes anyway reads them. Nothing is held in memory.
//
// Counting: every processed record ends in exactly one of created / updated / skipped / failed,
// decided by its first target (a rejection at any target makes it failed). Skipped covers
// update-only misses (reported in the error file as NO_MATCH_UPDATE_ONLY) and older duplicates.
// Per target (ExecutionRecord::targets, named as in the job): created / updated when that target's
// row was written, else failed when the record was rejected, else skipped - so every target's
// counts sum to the records processed. recordsRead is counted by the caller, where pages arrive.
// Unchanged (issue 10): of the updated, a target counts `unchanged` when the store found its row
// already equal (RowOutcome::unchanged, nothing rewritten), and the record counts unchanged when
// every target's row was unchanged (an overlap re-read of a record nobody edited).
//
// Success file: one line per record whose first target wrote it, with every target's gsid and
// Created / Updated / Skipped.
//
// Group commit (issue 11, setGroupCommit): a page whose next page is already fetched
// (RecordPage::nextPageReady) leaves its transaction open (Store::begin), and the next pages join
// it until one brings the group to kGroupRecords records; the group then commits as one. A group
// begins after its first page is mapped and resolved (that page's lookups read committed rows
// without holding the store, as without grouping); the pages after it map inside the group. While a
// group is open, the counts of its pages are in the ExecutionRecord but the error, warning and
// success files hold their rows in memory: the commit releases them; a failure rolls the whole
// group back, restores the counts of the last commit and drops the held rows. Fewer, larger commits
// write each page of a randomly filled index (Person's Email) to the WAL fewer times. A kill loses
// at most the group, never part of one: its checkpoint commits with it.
//
// Thread-safety: not thread-safe; owned by the run.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "jobs/DeferredLookups.h"
#include "jobs/DuplicateStamp.h"
#include "jobs/RunPlan.h"
#include "sfsync/activity/ErrorFile.h"
#include "sfsync/activity/SuccessFile.h"
#include "sfsync/config/Config.h"
#include "sfsync/salesforce/RecordPage.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

class PageProcessor {
 public:
  // `stamp`: how the records of a repeated upsert key are ordered (below). `successes` may be null
  // (the job wants no success file). `deferredOwner`: the job's deferred queue in the store
  // (connection/job); `sourceWidth`: the number of source columns of the pages.
  PageProcessor(const config::JobConfig& job, RunPlan& plan, store::Store& store,
                activity::ErrorFile& errors, activity::SuccessFile* successes,
                store::ExecutionRecord& record, const DuplicateStamp& stamp,
                std::string deferredOwner, std::size_t sourceWidth);
  PageProcessor(const PageProcessor&) = delete;
  PageProcessor& operator=(const PageProcessor&) = delete;
  // Rolls an open group back (the run failed while it was open).
  ~PageProcessor() { abandon(); }

  // The most records a group commits together.
  static constexpr std::size_t kGroupRecords = 10000;

  // Runs INSIDE the store transaction that applies a page (page != null; deferredPending: some
  // self-lookups of this run wait for finish()) and inside finish()'s transaction (page == null).
  // A non-OK return rolls the page back and fails the run. This is where the replication
  // checkpoint advances, so it never runs ahead of the rows.
  using CommitHook =
      std::function<Status(const salesforce::RecordPage* page, bool deferredPending)>;
  void setCommitHook(CommitHook hook) { commitHook_ = std::move(hook); }
  // Where warnings go (issue 16): one row per duplicate upsert key (reason DUPLICATE_KEY), in the
  // error file's shape. nullptr (the default): warnings are only counted. Must outlive the run.
  void setWarningFile(activity::ErrorFile* warnings) { warnings_ = warnings; }

  // Off by default (one transaction per page). Set before the first page.
  void setGroupCommit(bool on) { grouping_ = on; }

  // Applies one page. With group commit on, it may return with the page's transaction still open
  // (see above): the caller then passes the next page, or calls flush() before it stops.
  Status process(const salesforce::RecordPage& page);
  // Commits the open group, if any, and writes its held file rows.
  Status flush();
  // Rolls the open group back, if any: restores the counts of the last commit and drops the held
  // file rows. For a caller that fails after process() returned OK (it must not keep the store
  // held while it winds down); also what the destructor does.
  void abandon();
  // Resolves the self-lookups that found nothing while their page was loaded (the referenced record
  // may have arrived later) and writes them in one transaction.
  Status finish();

 private:
  struct Report {
    std::size_t record;
    activity::RejectedRecord rejected;
  };
  // Columns a target's rows carry after the mapped ones.
  enum class Extra { kNotDeleted, kDeletedAt, kRunTag, kStamp };

  // The job marks deleted records (onSourceDelete markDeleted): every written row also sets
  // IsDeleted false and DeletedAt null, so a record undeleted in Salesforce loses its mark.
  bool markDeletes() const;
  // Clears the per-page state for a page of `n` records.
  void resetPage(std::size_t n);
  // Maps, resolves and upserts the page in its transaction, then counts it and writes its files.
  Status applyPage(const salesforce::RecordPage& page);
  // With group commit on and no group open: begins one, and holds the files.
  Status openGroup();
  // After a rolled-back group: the counts of the last commit back, the held file rows dropped.
  void undoGroup();
  void holdFiles(bool hold);
  Status mapAndResolve(const salesforce::RecordPage& page);
  // Resolves lookup `l` of target `t` for every record still in play, one store query per page.
  Status resolveLookup(const salesforce::RecordPage& page, std::size_t t, std::size_t l);
  // Fills the fromTarget columns of record `i`'s row for target `t` (earlier targets' gsids).
  void fillFromTargets(std::size_t t, std::size_t i);
  // Appends the values of extras_[t] to record `i`'s row (its stamp from stamps_).
  void appendExtras(std::size_t t, std::size_t i, std::vector<Value>& row) const;
  Status loadTargets(const salesforce::RecordPage& page);
  // Counts a duplicate upsert key of `record` in `table` and queues its DUPLICATE_KEY warning.
  void warnDuplicate(const std::string& table, std::size_t record);
  void reject(std::size_t record, activity::RejectedRecord rejected);
  // Adds this page's outcomes to the record-level and per-target counts.
  void countTargets();
  // Record `i` was written nowhere: every target that matched its row found it unchanged.
  bool unchangedEverywhere(std::size_t i) const;
  Status writeSuccesses(const salesforce::RecordPage& page);
  static const char* actionName(store::RowAction action);

  const config::JobConfig& job_;
  RunPlan& plan_;
  store::Store& store_;
  activity::ErrorFile& errors_;
  activity::SuccessFile* successes_;
  store::ExecutionRecord& record_;
  const DuplicateStamp stamp_;

  // Per-page state, reused between pages.
  std::vector<std::vector<std::vector<Value>>> rows_;  // [target][record] -> output row
  std::vector<std::vector<std::string>> gsids_;        // [target][record]
  std::vector<char> rejected_;
  std::vector<char> olderDuplicate_;
  std::vector<std::vector<store::RowAction>> actions_;   // [target][record]; kSkipped if unwritten
  std::vector<std::vector<char>> unchanged_;             // [target][record]: updated, not rewritten
  std::vector<Report> reports_;                          // rejections and skips of this page
  std::vector<Report> warningReports_;                   // warnings of this page
  std::vector<DeferredLookups::Deferral> deferredHere_;  // deferred on this page
  std::vector<store::UpsertRequest> requests_;
  std::vector<std::vector<Extra>> extras_;  // [target]

  std::vector<store::Row> lookupKeys_;       // scratch: a page's distinct lookup keys
  std::vector<long> lookupSlot_;             // scratch: [record] -> position in lookupKeys_, or -1
  std::vector<std::size_t> requestRecords_;  // scratch: record of each row of an upsert request
  bool stamped_ = false;                     // some target tracks duplicates (Extra::kStamp)
  std::vector<Value> stamps_;  // per record of the page: its stamp, made once for every target

  // Per-run state.
  const std::int64_t runTag_;  // marks the rows this run writes (duplicate tracking)
  DeferredLookups deferred_;   // self-lookups waiting for the end of the extract
  CommitHook commitHook_;
  activity::ErrorFile* warnings_ = nullptr;

  // Group commit.
  bool grouping_ = false;
  std::unique_ptr<store::Store::OpenTransaction> group_;  // the open group's transaction
  std::size_t groupRecords_ = 0;                          // records of the open group
  store::ExecutionRecord countsBefore_;  // the counts (and cursorEnd) when the group began
};

}  // namespace sfsync::jobs
