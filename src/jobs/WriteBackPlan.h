// WriteBackPlan: decides, per captured local change (outbox entries of one target table), what
// the outbound phase does - issue 13's two-way rule. Changes to the same (row, column) collapse
// into one: the value before the first (base: what the last sync left there), the value after
// the last, and the last change time. Then, against Salesforce's current value and the record's
// SystemModstamp (LastModifiedDate when the object has none):
//   - equal values: nothing to send (acknowledged);
//   - Salesforce still holds the base value, or the field is toSalesforce: send the local value;
//   - twoWay and both sides changed since the last sync: a conflict; the most recent change
//     wins - the local change time against the record's stamp (local wins a tie: send; else
//     Salesforce's value is applied locally).
// A cleared value (null or "") is a value like any other: it clears the other side. Rows without
// a Salesforce Id are created (createInSalesforce) or upserted by the external id (externalIdField)
// with no conflict check; else they fail with NO_SALESFORCE_ID.
//
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Value.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/store/Outbox.h"

namespace sfsync::jobs {

// One write-back column of a target.
struct WriteBackColumn {
  std::string column;     // target column
  std::string field;      // Salesforce field
  std::string fieldType;  // describe type ("" until validated)
  config::Direction direction = config::Direction::kTwoWay;
  std::string jsonPath;
};

// One target table that writes back.
struct WriteBackTarget {
  std::string table;
  std::vector<WriteBackColumn> columns;
  std::string idColumn;   // column mapped from Id ("" when none)
  std::string extColumn;  // column mapped from the job's externalIdField ("" when none)

  const WriteBackColumn* find(const std::string& column) const;
};

// The write-back targets of a job (targets with at least one toSalesforce / twoWay mapping).
std::vector<WriteBackTarget> writeBackTargets(const config::JobConfig& job);

// The describe problems of a job's write-back, as (JSON path, message): a write-back field that
// describe lacks or that is not updateable (not createable when the job creates or upserts), an
// externalIdField that is not an external-id field. Also used by `--validate --online`.
std::vector<std::pair<std::string, std::string>> writeBackProblems(
    const config::JobConfig& job, const salesforce::ObjectDescribe& describe);

// Refuses (kInvalidArgument, naming the job, the mapping and the reason) a write-back field that
// describe lacks, or that is not updateable (or not createable when the job creates records);
// fills each column's fieldType.
Status validateWriteBack(const config::JobConfig& job, const salesforce::ObjectDescribe& describe,
                         std::vector<WriteBackTarget>& targets);

// One (row, column) after collapsing its entries.
struct FieldChange {
  std::string gsid;
  std::string column;
  Value base;   // before the first pending change
  Value local;  // after the last one
  std::string changedAt;
  std::int64_t maxSeq = 0;
  bool inserted = false;
  // Some entry was sent in a create whose answer was lost (OutboxEntry::uncertain); `sent` is the
  // value that create carried (the newest such entry's).
  bool uncertain = false;
  Value sent;
};

// Collapses entries (in seq order) per (gsid, column), ordered by gsid then column order.
std::vector<FieldChange> collapse(const std::vector<store::OutboxEntry>& entries);

enum class Action { kNone, kSend, kApplySalesforce };

struct Decision {
  Action action = Action::kNone;
  bool conflict = false;
  Value salesforce;  // Salesforce's current value (as sent / compared)
};

// `local` / `base` / `sfValue`: values as converted by toSalesforceValue. `sfStampMs`: the
// record's SystemModstamp (-1 when unknown: local wins).
Decision decide(const FieldChange& change, const WriteBackColumn& column, const Value& sfValue,
                std::int64_t changedAtMs, std::int64_t sfStampMs);

// A local value in the JSON type Salesforce expects for `fieldType` (boolean 0/1 -> bool,
// numbers as numbers, the rest as text; "" -> null).
Value toSalesforceValue(const Value& local, const std::string& fieldType);
bool sameValue(const Value& a, const Value& b);
// ISO-8601 -> UTC ms, -1 when it does not parse.
std::int64_t isoMillis(const std::string& iso);

}  // namespace sfsync::jobs
