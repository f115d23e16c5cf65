// RealtimeApplier: applies Change Data Capture events (issue 18) to a real-time job's targets
// through the same mapping, lookup and upsert pipeline as scheduled runs (RunPlan + PageProcessor),
// one micro-batch (one Pub/Sub answer) at a time, in ONE store transaction that also stores the
// replay id that resumes after the batch (ReplicationState replayKey) - so a restart neither loses
// nor re-applies an event.
//
// Per batch, in event order:
//   CREATE / UNDELETE / UPDATE  runs of consecutive events with the same field set become one page
//     of the job's source columns (Id from recordIds, one row per record Id); only the mappings
//     whose source field the event carries (and is not "realtime": false), the constant and
//     fromTarget mappings and the upsert key are written, so an unchanged field is never
//     overwritten and a nulled field is cleared. Date/datetime values (Avro int/long) become the
//     ISO text REST delivers.
//   DELETE, GAP_DELETE  the job's onSourceDelete policy (ignore / markDeleted / delete), without
//   the
//     mass-delete breaker (the source named the records).
//   GAP_CREATE/UPDATE/UNDELETE, changes that lack an upsert-key field, UPDATEs of records the
//     job's first target with a direct Id mapping does not hold yet (no partial rows), and
//     UPDATEs whose diffFields name a field the job reads (the event carries a diff, not the
//     value): the records are read again through REST (before the transaction: no network I/O
//     while it is open) and applied whole after the batch's events.
//   GAP_OVERFLOW  sets `overflow`: the caller runs the job (incremental) to catch up.
// Events of another object are ignored.
//
// Thread-safety: not thread-safe; one per real-time job, used by its thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jobs/RunPlan.h"
#include "sfsync/activity/ErrorFile.h"
#include "sfsync/cdc/ChangeEvent.h"
#include "sfsync/config/Config.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/salesforce/RecordPage.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/store/ExecutionRecord.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

struct AppliedBatch {
  std::int64_t events = 0;     // events of the job's object in the batch
  std::int64_t records = 0;    // record changes applied (an event may name several records)
  std::int64_t refetched = 0;  // records read again through REST
  bool overflow = false;       // a GAP_OVERFLOW asks for a reconciling run
};

class RealtimeApplier {
 public:
  RealtimeApplier(const config::JobConfig& job, const salesforce::ObjectDescribe& describe,
                  store::Store& store, salesforce::SalesforceClient& client,
                  activity::ErrorFile& errors);

  // Ensures every target table has all the job's columns (also those of "realtime": false
  // mappings, which the real-time plans leave out). Call once before apply().
  Status prepare();

  // Applies `events` and stores `replayId` (bytes; "" keeps the stored one) in the same
  // transaction, with the newest commitTimestamp of the events as the position's time (`nowMs`
  // when none has one): the 72 h retention check measures from it. Counts go to `record` (created /
  // updated / failed / deleted / recordsRead).
  Result<AppliedBatch> apply(const std::vector<cdc::ChangeEvent>& events,
                             const std::string& replayId, std::int64_t nowMs,
                             store::ExecutionRecord& record);

  // The stored position of a job: replay id bytes and when it was stored; nullopt when none.
  struct Position {
    std::string replayId;
    std::int64_t storedAtMs = 0;
  };
  static Result<std::optional<Position>> storedPosition(store::Store& store,
                                                        const config::JobConfig& job);
  static Status storePosition(store::Store& store, const config::JobConfig& job,
                              const std::string& replayId, std::int64_t nowMs);
  // Erases the position and the catch-up-pending mark (after a successful catch-up).
  static Status clearPosition(store::Store& store, const config::JobConfig& job);
  // A GAP_OVERFLOW was applied and its catch-up has not completed yet (apply() marks it in the
  // batch's transaction).
  static Result<bool> catchUpPending(store::Store& store, const config::JobConfig& job);

 private:
  // One step of a batch: a page of changes with one field set, or deletes.
  struct Step {
    bool isDelete = false;
    std::vector<std::string> presentLower;  // field set (lower-case), sorted
    std::vector<std::vector<Value>> rows;   // in the job's source columns
    std::vector<std::string> deletedIds;
  };
  // Splits the batch into steps and the Ids to re-read.
  void plan(const std::vector<cdc::ChangeEvent>& events, std::vector<Step>& steps,
            std::vector<std::string>& refetch, AppliedBatch& applied) const;
  void addChange(const cdc::ChangeEvent& event, std::vector<Step>& steps,
                 std::vector<std::string>& refetch) const;
  // Whether an UPDATE must be read whole through REST: it carries a diff of a field the job reads.
  bool carriesDiff(const cdc::ChangeEvent& event) const;
  // The Ids of the batch's UPDATE events the target does not hold (into missing_), but those a
  // re-read found nothing for in the last 10 minutes (into skipped_: outside source.filter).
  Status findMissing(const std::vector<cdc::ChangeEvent>& events, std::int64_t nowMs);
  // Remembers the missing_ Ids the re-read `pages` did not return (bounded).
  void noteEmptyRereads(const std::vector<salesforce::RecordPage>& pages, std::int64_t nowMs);
  bool keyCovered(const std::vector<std::string>& presentLower) const;
  Value convert(const std::string& field, const Value& v) const;
  // The job restricted to what a field set can write (cached plan per restriction).
  Result<RunPlan*> planFor(const std::vector<std::string>& presentLower,
                           const config::JobConfig** restricted);
  // One page of the job's source columns through the plan of a field set.
  Status applyPage(const std::vector<std::string>& presentLower, const salesforce::RecordPage& page,
                   store::ExecutionRecord& record);
  Status applyDeletes(const std::vector<std::string>& ids, std::int64_t nowMs,
                      store::ExecutionRecord& record);
  Result<std::vector<salesforce::RecordPage>> refetchPages(std::vector<std::string> ids);

  const config::JobConfig& job_;
  const salesforce::ObjectDescribe& describe_;
  store::Store& store_;
  salesforce::SalesforceClient& client_;
  activity::ErrorFile& errors_;
  const std::vector<std::string> columns_;  // the job's source columns
  struct Restricted {
    config::JobConfig job;
    std::unique_ptr<RunPlan> plan;
  };
  std::map<std::string, std::unique_ptr<Restricted>> plans_;  // by mapping signature
  std::vector<std::string> missing_;  // findMissing(): sorted Ids of UPDATEs without a row
  std::vector<std::string> skipped_;  // findMissing(): sorted Ids of UPDATEs not to apply
  // Ids whose re-read returned no record (e.g. outside source.filter) -> when; at most 10,000,
  // forgotten after 10 minutes or on their CREATE / UNDELETE.
  std::map<std::string, std::int64_t> emptyRereads_;
};

}  // namespace sfsync::jobs
