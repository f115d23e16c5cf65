// ReplicationCursor: the value stored at cursorKey(connection, job) - where a job's incremental
// reads continue and, while a run is in flight (or was killed, failed or Deferred), that run's
// checkpoint. JSON, one object:
//   {"stamp": "<SystemModstamp of the last applied record of the last completed run>",
//    "id": "<its Id>", "lastFullAt": "<ISO start of the last completed full run>",
//    "run": {"mode": "full"|"incremental", "api": "rest"|"bulk", "startedAt": ISO,
//            "startStamp", "startId"   - the cursor the run started from ("" = the beginning),
//            "stamp", "id"             - the greatest (SystemModstamp, Id) the run applied,
//            "bulkJobId", "bulkLocator", "bulkRowsIntoSet" - where its Bulk download stands,
//            "deferredPending": bool   - self-lookups left for PageProcessor::finish}}
// "run" is absent when no run is in flight. Stamps are Salesforce's text
// ("2025-03-01T11:07:00.000+0000"); they compare as strings (same fixed format).
//
// Thread-safety: plain value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sfsync/core/Result.h"

namespace sfsync::jobs {

struct CursorPoint {
  std::string stamp;
  std::string id;
  bool empty() const { return stamp.empty() && id.empty(); }
  // (stamp, id) order; the empty point is before every other.
  bool operator<(const CursorPoint& o) const {
    return stamp != o.stamp ? stamp < o.stamp : id < o.id;
  }
  bool operator<=(const CursorPoint& o) const { return !(o < *this); }
  // "2025-03-01T11:07:00.000+0000 0035g0000000tvxAAA" (ExecutionRecord::cursor / cursorEnd).
  std::string text() const;
};

struct RunCheckpoint {
  std::string mode;  // "full" or "incremental"
  std::string api;   // "rest" or "bulk"
  std::string startedAt;
  CursorPoint start;
  CursorPoint high;  // greatest applied
  std::string bulkJobId;
  std::string bulkLocator;
  std::int64_t bulkRowsIntoSet = 0;
  bool deferredPending = false;
  // The deferred self-lookups are in the store's deferred queue (Store::appendDeferred), written
  // with their pages: a resume continues from the checkpoint. False in checkpoints of versions that
  // kept them in memory: such a resume with deferredPending starts over from the run's start.
  bool deferredStored = false;
  // The run's duplicate-tracking tag (PageProcessor's DuplicateStamp): a resume keeps it, so the
  // rows the interrupted attempt wrote count as the run's. 0 in checkpoints of older versions.
  std::int64_t runTag = 0;
  // What the run's duplicate stamps are made of (a version and the job's dedupeBy): a resume under
  // another layout (the job's dedupeBy was edited) takes a new tag instead of comparing stamps of
  // two layouts.
  std::string stampLayout;
};

struct ReplicationCursor {
  CursorPoint cursor;
  std::string lastFullAt;
  std::optional<RunCheckpoint> run;

  std::string toJson() const;
  // kDataError when the text is not a cursor object.
  static Result<ReplicationCursor> parse(const std::string& json);
};

}  // namespace sfsync::jobs
