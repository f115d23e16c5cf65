// WriteBack: the outbound phase of a job run (issue 13). begin() (before the inbound phase) opens
// the store's Outbox and installs the capture triggers and this connection's echo suppression on
// the target tables that exist; run() (after the inbound phase) validates the write-back fields
// against describe, installs the capture on tables the run created, and works through the outbox
// of each write-back target in chunks: collapse the changes (WriteBackPlan), read the rows'
// Salesforce Id / external id, read the records' current values and SystemModstamp (SOQL, 200 Ids
// a query), decide per field, apply Salesforce's winning values locally (acknowledging their
// entries first, so the keep trigger lets them through), then send through Outbound: update by
// Id, upsert by external id, or create (createInSalesforce; the new Id is written to the row),
// kMaxRecordsPerCall records a call, allOrNone false. UNABLE_TO_LOCK_ROW is retried
// (kLockRetries times, backoff on the Clock); a failed record's entries stay in the outbox with
// the error (retried next run). Per-record results go to the execution's files (OutboundFiles):
// a refused record is a row of the error file (stage "writeback", reason_code = Salesforce's
// statusCode, its message), a written one a row of the success file (status "Updated in
// Salesforce" / "Created in Salesforce" / "Upserted in Salesforce"), a conflict a row of the
// warnings file (reason_code WRITEBACK_CONFLICT, both values); each row carries the record as sent
// (Id and the fields written) in the source columns. Counts go to the execution row; progress
// ("writeback" phase) to RunProgress. A dry run (plan()) reads and decides only.
//
// Thread-safety: not thread-safe; one run's thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "jobs/RunProgress.h"
#include "jobs/WriteBackPlan.h"
#include "sfsync/activity/ErrorFile.h"
#include "sfsync/activity/SuccessFile.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/salesforce/Outbound.h"
#include "sfsync/store/ExecutionRecord.h"
#include "sfsync/store/Outbox.h"

namespace sfsync::jobs {

// Where a (non-dry) run's per-record results go; all borrowed from the JobExecution and may be
// null (nothing written there). `successes` null: the write-back writes its own success file at
// `successPath` (created lazily; record.successFile names it when something was written).
struct OutboundFiles {
  activity::ErrorFile* errors = nullptr;
  activity::ErrorFile* warnings = nullptr;
  activity::SuccessFile* successes = nullptr;
  std::string successPath;
  RunProgress* progress = nullptr;
};

// One field's outcome (a dry run's plan lines; the run's result rows are built from them).
struct OutboundLine {
  std::string outcome;  // sent, failed, conflict-local-won, conflict-salesforce-won,
                        // would-send, would-overwrite-local
  std::string table, gsid, salesforceId, field;
  std::string localValue, salesforceValue;
  std::string statusCode, message;
};

class WriteBack {
 public:
  static constexpr std::size_t kChunkEntries = 2000;
  static constexpr int kLockRetries = 3;

  // `lines` (optional) also receives every line (the dry run prints them).
  WriteBack(const config::JobConfig& job, RunContext& context, store::ExecutionRecord& record,
            OutboundFiles files, bool dryRun = false,
            std::function<void(const OutboundLine&)> lines = nullptr);

  Status begin();
  // Refuses write-back fields describe says cannot be written (validateWriteBack); run() calls it
  // when it was not called before.
  Status validate(const salesforce::ObjectDescribe& describe);
  Status run(const salesforce::ObjectDescribe& describe);
  // Before the inbound phase (after validate()): resolves the creates whose answer was lost in an
  // earlier run (resolveUncertain), so a found record's Id is in its row before the inbound phase
  // reads that record (no second local row for it). A no-op before validate() and in a dry run.
  Status resolveLostCreates();

 private:
  struct RowKeys {
    std::string id;  // Salesforce Id ("" when none)
    Value ext;       // external id value
  };
  struct SfRecord {
    std::map<std::string, Value> values;  // by lower-case field
    std::int64_t stampMs = -1;
  };
  struct Outgoing {
    salesforce::WriteOperation op = salesforce::WriteOperation::kUpdate;
    std::string gsid;
    salesforce::OutboundRecord record;
    std::vector<const FieldChange*> changes;
    int attempts = 0;
  };

  Status install(bool tablesMayBeMissing);
  // Rows without a Salesforce Id that were sent in a create whose answer was lost: looked up in
  // Salesforce by the values that create carried. One match: its Id goes into the row (and into
  // `keys`: the change becomes an update); none: created again; several (or no field to look
  // by): reported as OUTCOME_UNKNOWN for review and kept in the outbox (removed from `keys`).
  Status resolveUncertain(const WriteBackTarget& target, const std::vector<FieldChange>& changes,
                          std::map<std::string, RowKeys>& keys);
  // The Ids (at most 2) of records whose fields hold what `sent` carried; kNotFound when no field
  // can be compared in SOQL.
  Result<std::vector<std::string>> lookUpCreated(const WriteBackTarget& target,
                                                 const std::vector<const FieldChange*>& sent);
  Status runTarget(const WriteBackTarget& target, const std::string& stampField);
  Status runChunk(const WriteBackTarget& target, const std::vector<store::OutboxEntry>& entries,
                  const std::string& stampField);
  Result<std::map<std::string, RowKeys>> readKeys(const WriteBackTarget& target,
                                                  const std::vector<FieldChange>& changes);
  Result<std::map<std::string, SfRecord>> readSalesforce(const WriteBackTarget& target,
                                                         const std::vector<std::string>& ids,
                                                         const std::string& stampField);
  // What plan() collects across a chunk's changes.
  struct Planning {
    std::vector<std::pair<const FieldChange*, Value>> winners;  // (change, value to apply)
    std::map<std::string, std::size_t> byGsid;                  // row -> index in outgoing
    std::set<std::string> failedRows;  // a row counts once however many of its fields failed
  };
  // A change of a row that has a Salesforce Id: true when it is to be sent; else it was decided
  // here (Salesforce wins / already equal: in p.winners; record gone: failed).
  Result<bool> planExisting(const WriteBackTarget& target, const FieldChange& c,
                            const WriteBackColumn& column, const std::string& id,
                            const std::map<std::string, SfRecord>& sf, Planning& p);
  // Decides every change; fills `outgoing` and applies Salesforce's winners locally.
  Status plan(const WriteBackTarget& target, const std::vector<FieldChange>& changes,
              const std::map<std::string, RowKeys>& keys, const std::map<std::string, SfRecord>& sf,
              std::vector<Outgoing>& outgoing);
  Status applySalesforce(const WriteBackTarget& target,
                         const std::vector<std::pair<const FieldChange*, Value>>& winners);
  Status send(const WriteBackTarget& target, std::vector<Outgoing>& outgoing);
  Status sendBatch(const WriteBackTarget& target, salesforce::WriteOperation op,
                   std::vector<Outgoing*> batch);
  Status settle(const WriteBackTarget& target, Outgoing& o, const salesforce::WriteResult& r);
  Status failRow(const WriteBackTarget& target, const std::vector<const FieldChange*>& changes,
                 const std::string& sfId, const std::string& code, const std::string& message,
                 bool countRecord = true);
  Status line(OutboundLine l);
  // The record as sent, aligned with the job's source columns (Id and the fields written).
  std::vector<Value> sourceRow(const std::string& sfId,
                               const std::vector<std::pair<std::string, Value>>& fields) const;
  Status succeeded(const WriteBackTarget& target, const Outgoing& o, const std::string& id,
                   const salesforce::WriteResult& r);
  Status rejected(const WriteBackTarget& target, const std::vector<const FieldChange*>& changes,
                  const std::string& sfId, const std::string& code, const std::string& message);
  // Writes a success / error file row now, or - while a batch's results are being settled in a
  // store transaction - after it committed (a file error must not roll back Ids already created).
  Status toFile(std::function<Status()> write);
  // A batch whose create may have happened (lost answer, or its results could not be stored):
  // every row is kept in the outbox marked OUTCOME_UNKNOWN, so the next run looks it up first.
  Status markUncertain(const WriteBackTarget& target, const std::vector<Outgoing*>& batch,
                       const std::string& why);
  void progress();

  const config::JobConfig& job_;
  RunContext& context_;
  store::ExecutionRecord& record_;
  bool dryRun_;
  std::function<void(const OutboundLine&)> lines_;
  OutboundFiles files_;
  std::vector<std::string> sourceColumns_;
  std::unique_ptr<activity::SuccessFile> ownSuccesses_;  // when files_.successes is null
  // Progress of the "writeback" phase, in outbox entries (captured field changes): pending when
  // run() began, and worked through so far (published after every chunk).
  std::int64_t total_ = 0;
  std::int64_t handled_ = 0;
  store::OutboxPtr outbox_;
  std::vector<WriteBackTarget> targets_;
  bool validated_ = false;
  std::map<std::string, std::set<std::string>> review_;  // table -> rows kept for review
  bool deferFiles_ = false;                              // settling a batch (see toFile)
  std::vector<std::function<Status()>> deferredFiles_;
};

// The dry run's write-back preview (issue 13): what the outbound phase would send and which local
// values Salesforce would overwrite, as notes ("write-back: would-send Company <gsid> Phone:
// 'new'"), at most `maxLines` of them plus a count line. Reads the outbox and Salesforce only;
// nothing is written (a store without an outbox has nothing pending).
Status previewWriteBack(const config::JobConfig& job, salesforce::SalesforceClient& client,
                        store::Store& store, Clock& clock,
                        const salesforce::ObjectDescribe& describe, std::size_t maxLines,
                        std::vector<std::string>& notes);

}  // namespace sfsync::jobs
