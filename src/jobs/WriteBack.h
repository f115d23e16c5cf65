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
// the error (retried next run). Every sent, failed and conflicting field is a line of the
// outbound CSV; counts go to the execution row. A dry run (plan()) reads and decides only.
//
// Thread-safety: not thread-safe; one run's thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "jobs/WriteBackPlan.h"
#include "sfsync/activity/CsvFile.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/salesforce/Outbound.h"
#include "sfsync/store/ExecutionRecord.h"
#include "sfsync/store/Outbox.h"

namespace sfsync::jobs {

// One line of the outbound CSV / of a dry run's plan.
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
            std::string outboundCsvPath, bool dryRun = false,
            std::function<void(const OutboundLine&)> lines = nullptr);

  Status begin();
  // Refuses write-back fields describe says cannot be written (validateWriteBack); run() calls it
  // when it was not called before.
  Status validate(const salesforce::ObjectDescribe& describe);
  Status run(const salesforce::ObjectDescribe& describe);

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

  const config::JobConfig& job_;
  RunContext& context_;
  store::ExecutionRecord& record_;
  bool dryRun_;
  std::function<void(const OutboundLine&)> lines_;
  activity::CsvFile csv_;
  store::OutboxPtr outbox_;
  std::vector<WriteBackTarget> targets_;
  bool validated_ = false;
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
