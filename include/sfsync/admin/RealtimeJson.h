// RealtimeJson: the JSON of the real-time jobs' live numbers (issue 18), one format for GET
// /api/realtime, the "realtime" member of a job's JSON and the "realtime" live event (SSE):
// {"job","connection","topic","state","lastEventTime","lastAppliedTime","lagLastMs","lagP50Ms",
//  "lagP99Ms","eventsPerSecond","events","records","batches","keepalives","reconnects",
//  "catchUps","lastReplayId","lastReplayStoredAt","hour":{"executionId","start","read","created",
//  "updated","deleted","failed"},"lastError"} (times ISO-8601 UTC or null).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "sfsync/core/RealtimeStats.h"

namespace sfsync::admin {

// One job's object.
std::string realtimeStatsJson(const RealtimeStats& stats);
// {"jobs":[...]} in the given order.
std::string realtimeListJson(const std::vector<RealtimeStats>& all);

}  // namespace sfsync::admin
