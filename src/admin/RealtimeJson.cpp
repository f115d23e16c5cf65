#include "sfsync/admin/RealtimeJson.h"

#include <cstdio>

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include "admin/JsonWriter.h"

namespace sfsync::admin {

namespace {

std::string isoOrEmpty(std::int64_t epochMs) {
  if (epochMs <= 0) return "";
  return Poco::DateTimeFormatter::format(Poco::Timestamp(epochMs * 1000), "%Y-%m-%dT%H:%M:%S.%iZ");
}

void writeHour(JsonWriter& json, const RealtimeStats& s) {
  json.key("hour")
      .beginObject()
      .stringOrNullField("executionId", s.hourExecutionId)
      .stringOrNullField("start", s.hourStart)
      .integerField("read", s.hourRead)
      .integerField("created", s.hourCreated)
      .integerField("updated", s.hourUpdated)
      .integerField("deleted", s.hourDeleted)
      .integerField("failed", s.hourFailed)
      .endObject();
}

void write(JsonWriter& json, const RealtimeStats& s) {
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.1f", s.eventsPerSecond);
  json.beginObject()
      .stringField("job", s.job)
      .stringOrNullField("connection", s.connection)
      .stringOrNullField("topic", s.topic)
      .stringField("state", s.state)
      .stringOrNullField("lastEventTime", isoOrEmpty(s.lastEventMs))
      .stringOrNullField("lastAppliedTime", isoOrEmpty(s.lastAppliedMs))
      .integerField("lagLastMs", s.lastLagMs)
      .integerField("lagP50Ms", s.lagP50Ms)
      .integerField("lagP99Ms", s.lagP99Ms);
  json.key("eventsPerSecond").raw(rate);
  json.integerField("events", s.events)
      .integerField("records", s.records)
      .integerField("batches", s.batches)
      .integerField("keepalives", s.keepalives)
      .integerField("reconnects", s.reconnects)
      .integerField("catchUps", s.catchUps)
      .stringOrNullField("lastReplayId", s.lastReplayId)
      .stringOrNullField("lastReplayStoredAt", isoOrEmpty(s.lastReplayStoredMs));
  writeHour(json, s);
  json.stringOrNullField("lastError", s.lastError).endObject();
}

}  // namespace

std::string realtimeStatsJson(const RealtimeStats& stats) {
  JsonWriter json;
  write(json, stats);
  return json.take();
}

std::string realtimeListJson(const std::vector<RealtimeStats>& all) {
  JsonWriter json;
  json.beginObject().key("jobs").beginArray();
  for (const RealtimeStats& s : all) write(json, s);
  json.endArray().endObject();
  return json.take();
}

}  // namespace sfsync::admin
