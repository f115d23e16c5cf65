#include "admin/ActivityJson.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <system_error>

#include "admin/IsoTime.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

namespace {

constexpr const char* kStatuses[] = {"Success", "Partial Success", "Failed", "Skipped",
                                     "Running", "Deferred",        nullptr};

void writeFile(JsonWriter& json, std::string_view key, const store::ExecutionRecord& record,
               const std::string& path, std::string_view urlFile) {
  json.key(key);
  if (path.empty()) {
    json.null();
    return;
  }
  std::error_code error;
  const bool available = std::filesystem::is_regular_file(path, error);
  json.beginObject()
      .stringField("name", std::filesystem::path(path).filename().string())
      .stringField("url", executionFileUrl(record.executionId, urlFile))
      .booleanField("available", available)
      .endObject();
}

// The definition JSON re-serialised (so a malformed file can never break the response).
std::optional<std::string> normalisedJson(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var value = parser.parse(text);
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

// Replication (issue 10): how the run read (mode, api), where its cursor ended, what it deleted,
// and the org's API requests left after it (null when unknown).
void writeReplication(JsonWriter& json, const store::ExecutionRecord& r) {
  json.stringOrNullField("mode", r.mode)
      .stringOrNullField("api", r.api)
      .stringOrNullField("cursorEnd", r.cursorEnd)
      .integerField("deleted", r.deleted);
  json.key("apiRemaining");
  if (r.apiRemaining >= 0) {
    json.integer(r.apiRemaining);
  } else {
    json.null();
  }
}

}  // namespace

std::string executionFileUrl(const std::string& executionId, std::string_view file) {
  return "/api/activity/" + percentEncodeSegment(executionId) + "/" + std::string(file);
}

const char* const* executionStatuses() { return kStatuses; }

std::optional<std::string> canonicalStatus(std::string_view text) {
  for (const char* const* s = kStatuses; *s != nullptr; ++s) {
    const std::string_view status(*s);
    if (status.size() != text.size()) continue;
    bool same = true;
    for (std::size_t i = 0; same && i < text.size(); ++i) {
      const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
      same = lower(status[i]) == lower(text[i]);
    }
    if (same) return std::string(status);
  }
  return std::nullopt;
}

void writeExecution(JsonWriter& json, const store::ExecutionRecord& r) {
  json.beginObject()
      .stringField("executionId", r.executionId)
      .stringField("kind", r.kind)
      .stringField("name", r.name)
      .stringOrNullField("job", r.kind == "job" ? r.name : std::string())
      .stringOrNullField("chain", r.kind == "chain" ? r.name : r.chainName)
      .stringOrNullField("parentId", r.parentId)
      .stringOrNullField("connection", r.connection)
      .stringField("trigger", r.trigger)
      .stringField("status", r.status)
      .stringField("startTime", r.startTime)
      .stringOrNullField("endTime", r.endTime);
  json.key("durationMs");
  const std::optional<std::int64_t> start = parseIsoTime(r.startTime);
  const std::optional<std::int64_t> end = parseIsoTime(r.endTime);
  if (start && end && *end >= *start) {
    json.integer(*end - *start);
  } else {
    json.null();
  }
  json.integerField("recordsRead", r.recordsRead)
      .integerField("created", r.created)
      .integerField("updated", r.updated)
      .integerField("unchanged", r.unchanged)
      .integerField("skipped", r.skipped)
      .integerField("failed", r.failed)
      .integerField("succeeded", r.succeeded())
      .integerField("apiCalls", r.apiCalls)
      .integerField("warnings", r.warnings)
      .integerField("attempts", r.attempts)
      .integerField("retries", r.retries)
      .stringOrNullField("nextAttempt", r.nextAttempt)
      .stringOrNullField("cursor", r.cursor)
      .stringOrNullField("message", r.message);
  writeReplication(json, r);
  // Every target of a multi-target job (the record-level counts above follow the first target).
  json.key("targets").beginArray();
  for (const store::TargetCounts& t : r.targets) {
    json.beginObject()
        .stringField("target", t.target)
        .integerField("created", t.created)
        .integerField("updated", t.updated)
        .integerField("unchanged", t.unchanged)
        .integerField("skipped", t.skipped)
        .integerField("failed", t.failed)
        .endObject();
  }
  json.endArray();
  writeFile(json, "errorFile", r, r.errorFile, "errors.csv");
  writeFile(json, "successFile", r, r.successFile, "success.csv");
  writeFile(json, "warningFile", r, r.warningFile, "warnings.csv");
  json.stringOrNullField("rerunOf", r.rerunOf);
  // Write-back (issue 13): what the run sent to Salesforce.
  json.key("outbound")
      .beginObject()
      .integerField("sent", r.outboundSent)
      .integerField("succeeded", r.outboundSucceeded)
      .integerField("failed", r.outboundFailed)
      .integerField("conflicts", r.conflicts)
      .endObject();
  json.endObject();
}

// Lines a diff removes and adds: its "- " / "+ " lines, or the totals its "~ file replaced" /
// "~ diff truncated" summary line states (LineDiff). Other text (an admin action) counts none.
std::pair<std::int64_t, std::int64_t> diffLineCounts(const std::string& diff) {
  std::int64_t removed = 0, added = 0;
  std::istringstream in(diff);
  for (std::string line; std::getline(in, line);) {
    long long a = 0, b = 0;
    if (std::sscanf(line.c_str(), "~ file replaced: %lld lines before, %lld lines after", &a, &b) ==
            2 ||
        std::sscanf(line.c_str(), "~ diff truncated: %lld lines removed and %lld lines added", &a,
                    &b) == 2) {
      return {a, b};
    }
    if (!line.empty() && line[0] == '-') ++removed;
    if (!line.empty() && line[0] == '+') ++added;
  }
  return {removed, added};
}

void writeUpdate(JsonWriter& json, const store::UpdateRecord& r) {
  const auto [removed, added] = diffLineCounts(r.diff);
  json.beginObject()
      .stringField("id", r.id)
      .stringField("time", r.time)
      .stringField("actor", r.actor)
      .stringField("kind", r.kind)
      .stringOrNullField("name", r.name)
      .stringField("action", r.action)
      .stringField("diff", r.diff)
      .integerField("linesRemoved", removed)
      .integerField("linesAdded", added)
      .endObject();
}

// The connections page's fields (issue 17); "state" is disconnected > unauthorised > paused >
// active.
static void writeConnectionDetails(JsonWriter& json, const EntrySummary& s) {
  const char* state = s.disconnected  ? "disconnected"
                      : !s.authorized ? "unauthorised"
                      : s.paused      ? "paused"
                                      : "active";
  json.stringField("state", state)
      .stringOrNullField("orgType", s.orgType)
      .stringOrNullField("loginUrl", s.loginUrl)
      .stringOrNullField("instanceUrl", s.instanceUrl)
      .stringOrNullField("username", s.username)
      .stringOrNullField("apiVersion", s.apiVersion)
      .stringOrNullField("authFlow", s.authFlow)
      .booleanField("authorized", s.authorized)
      .stringOrNullField("authorizedAt", s.authorizedAt)
      .stringOrNullField("metadataFetchedAt", s.metadataFetchedAt)
      .stringOrNullField("apiCheckedAt", s.apiCheckedAt);
  json.key("apiUsed");
  s.apiUsed < 0 ? json.null() : json.raw(std::to_string(s.apiUsed));
  json.key("apiMax");
  s.apiMax < 0 ? json.null() : json.raw(std::to_string(s.apiMax));
}

void writeSummary(JsonWriter& json, const EntrySummary& s, bool withDefinition) {
  json.beginObject()
      .stringField("kind", s.kind)
      .stringField("name", s.name)
      .stringOrNullField("connection", s.connection)
      .stringOrNullField("file", s.file)
      .stringOrNullField("schedule", s.schedule)
      .stringOrNullField("chain", s.chain)
      .stringArrayField("members", s.members)
      .booleanField("paused", s.paused)
      .booleanField("running", s.running)
      .booleanField("retrying", s.retrying)
      .integerField("attempt", s.attempt)
      .stringOrNullField("nextAttempt", s.nextAttempt)
      .booleanField("disconnected", s.disconnected)
      .stringOrNullField("nextRun", s.nextRun)
      .stringOrNullField("lastStatus", s.lastStatus)
      .stringOrNullField("lastRun", s.lastRun);
  if (s.kind == "job") {  // metadata (issue 15): invalid after a mapped field changed
    json.booleanField("invalid", s.invalid)
        .stringOrNullField("invalidReason", s.invalidReason)
        .stringOrNullField("invalidMessage", s.invalidMessage);
    if (!s.realtimeJson.empty()) json.key("realtime").raw(s.realtimeJson);  // issue 18
  }
  if (s.kind == "connection") writeConnectionDetails(json, s);  // issue 17
  if (withDefinition) {
    json.key("definition");
    const std::optional<std::string> definition =
        s.definitionJson.empty() ? std::nullopt : normalisedJson(s.definitionJson);
    if (definition) {
      json.raw(*definition);
    } else {
      json.null();
      if (!s.definitionJson.empty()) json.stringField("definitionText", s.definitionJson);
    }
  }
  json.endObject();
}

}  // namespace sfsync::admin
