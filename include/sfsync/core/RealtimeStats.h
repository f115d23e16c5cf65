// RealtimeStats: the live numbers of one real-time job (issue 18) - its connection state, lag,
// throughput, position and the counts of the current hour's execution row. Produced by
// jobs::RealtimeJob::stats(), shown by the admin page (GET /api/realtime, the job's JSON, the
// "realtime" live event) and exported on /metrics. A plain value type in core so the admin module
// can use it without depending on the jobs module.
//
// Thread-safety: a value; copies are independent.
#pragma once

#include <cstdint>
#include <string>

namespace sfsync {

struct RealtimeStats {
  std::string job;
  std::string connection;
  std::string topic;  // "/data/AccountChangeEvent"
  // "starting", "connected" (subscribed), "reconnecting" (waiting to subscribe again after a
  // failure), "catching-up" (an incremental run fills a gap), "stopped".
  std::string state;
  std::int64_t events = 0;   // events applied since start
  std::int64_t records = 0;  // record changes applied
  std::int64_t batches = 0;
  std::int64_t keepalives = 0;  // answers without events (the subscription is live)
  std::int64_t reconnects = 0;
  std::int64_t catchUps = 0;
  std::int64_t lastLagMs = 0;  // of the newest applied event
  std::int64_t lagP50Ms = 0;   // over the last lagWindow events
  std::int64_t lagP99Ms = 0;
  double eventsPerSecond = 0;           // applied over the last 10 seconds
  std::int64_t lastEventMs = 0;         // commitTimestamp of the newest applied event (epoch ms), 0
  std::int64_t lastAppliedMs = 0;       // when the newest batch was applied (epoch ms), 0
  std::string lastReplayId;             // hex of the last stored replay id, "" none
  std::int64_t lastReplayStoredMs = 0;  // when it was stored (epoch ms), 0
  // The current hour's execution row (one row per clock hour).
  std::string hourExecutionId;
  std::string hourStart;  // ISO-8601 UTC
  std::int64_t hourRead = 0;
  std::int64_t hourCreated = 0;
  std::int64_t hourUpdated = 0;
  std::int64_t hourDeleted = 0;
  std::int64_t hourFailed = 0;
  std::string lastError;
};

}  // namespace sfsync
