// DuplicateStamp: what a run writes into the duplicate-tracking columns of a target whose upsert
// key can repeat (sfsync/store/Upsert.h) - the run's tag, and per record a stamp whose text order
// is the order of (dedupeBy value, SystemModstamp, Id).
//
// The fields are the positions of those columns in the source rows, -1 when absent (no part).
// With the Id in it (after the last store::kStampIdentitySeparator), the newest record wins a key
// whatever order the records are read in, and a record read again (a resumed run's overlap,
// perhaps changed since) is recognised by its Id: the same record, no duplicate.
// Snowflake has no record Id (its identifier column is the key that repeats): `rowIdentity` makes
// the identity a hash of the whole source row - a row read again unchanged (a resumed run re-reads
// its checkpoint's value) is the same record, and two rows of one key are two records - and its
// `modstamp` is the incremental column (the newer row wins a dedupeBy tie; a full tie goes to the
// greater hash, as Snowflake orders rows with equal sort values arbitrarily anyway).
// No columns at all: no stamp (real-time batches: the later event wins). `runTag` 0: a new tag; a
// resumed run passes the interrupted attempt's (its checkpoint keeps it), so the rows that attempt
// wrote count as this run's.
//
// Thread-safety: plain values and a pure function.
#pragma once

#include <cstdint>
#include <vector>

#include "sfsync/core/Value.h"

namespace sfsync::jobs {

struct DuplicateStamp {
  int dedupe = -1;
  int modstamp = -1;
  int id = -1;
  std::int64_t runTag = 0;
  bool rowIdentity = false;  // the identity is a hash of the source row (then `id` is -1)
};

// The stamp of `source` (a source row holding the columns `stamp` names); null without columns.
// Layout: <dedupeBy> SEP <SystemModstamp> SEP <Id or row hash>, SEP =
// store::kStampIdentitySeparator; an absent column has no part, a null value an empty one (it
// loses), and the identity always follows a separator. The row hash: 16 hex digits of FNV-1a 64
// over the row's values, each with its length. Numbers are 16 hex digits of their IEEE 754 bits
// made order-preserving (integers and doubles alike), other values their text. Bytes 0, 1 and 2
// inside a part are escaped above the separator, so the text order is the tuple's order for any
// text.
Value stampOf(const DuplicateStamp& stamp, const std::vector<Value>& source);

}  // namespace sfsync::jobs
