// ActivityJson: the JSON shapes of the admin API's rows - an execution, an update (configuration
// change) and a job / chain / connection summary - written into a JsonWriter. One place, so the
// list and detail endpoints agree field for field.
//
// Execution: {"executionId","kind","name","job","chain","parentId","connection","trigger","status",
//   "startTime","endTime","durationMs","recordsRead","created","updated","unchanged" (of updated:
//   rows already equal, not rewritten),"skipped","failed",
//   "succeeded","apiCalls","warnings","attempts","cursor","message","mode","api","cursorEnd",
//   "deleted","apiRemaining" (null when unknown),
//   "errorFile": {"name","url","available"} | null, "successFile": same | null,
//   "warningFile": same | null, "rerunOf": the execution a re-run of failed records re-ran | null}
//   (job: the job's name for kind "job"; chain: the chain's name for a chain execution or for a job
//   run inside a chain; null / "" fields are null.)
// Update: {"id","time","actor","kind","name","action","diff","linesRemoved","linesAdded"}
// Summary: {"kind","name","connection","file","schedule","chain","members","paused","running",
//   "disconnected","nextRun","lastStatus","lastRun"} (+ "definition" when asked for).
//
// Thread-safety: free functions; writeExecution stats the error / success files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "admin/JsonWriter.h"
#include "sfsync/admin/AdminControl.h"
#include "sfsync/store/ExecutionRecord.h"
#include "sfsync/store/UpdateRecord.h"

namespace sfsync::admin {

void writeExecution(JsonWriter& json, const store::ExecutionRecord& record);
void writeUpdate(JsonWriter& json, const store::UpdateRecord& record);
// (removed, added): the lines an update's diff removes and adds - its "- " / "+ " lines, or the
// totals of a LineDiff summary line ("~ file replaced" / "~ diff truncated"); 0 for other text.
std::pair<std::int64_t, std::int64_t> diffLineCounts(const std::string& diff);
// With withDefinition, adds "definition": the parsed definitionJson (null when empty; a string
// under "definitionText" when it is not valid JSON).
void writeSummary(JsonWriter& json, const EntrySummary& summary, bool withDefinition);

// "/api/activity/<id>/<file>" with the id percent-encoded.
std::string executionFileUrl(const std::string& executionId, std::string_view file);

// The execution statuses, as stored: "Success", "Partial Success", "Failed", "Skipped", "Running",
// "Deferred".
// canonicalStatus maps any capitalisation of one of them to it; nullopt for anything else.
std::optional<std::string> canonicalStatus(std::string_view text);
const char* const* executionStatuses();  // the six, null-terminated
constexpr const char* kStatusList = "Success, Partial Success, Failed, Skipped, Running, Deferred";

}  // namespace sfsync::admin
