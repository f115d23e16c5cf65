#include "admin/MetricsHandler.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "admin/ActivityJson.h"
#include "admin/GuardedConnection.h"
#include "admin/HttpResponses.h"
#include "admin/IsoTime.h"
#include "sfsync/store/RunTotals.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;
using store::RunTotals;

// A label value escaped per the exposition format (backslash, double quote, line feed).
std::string label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string seconds(std::int64_t millis) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%lld.%03lld", static_cast<long long>(millis / 1000),
                static_cast<long long>(millis % 1000));
  return buffer;
}

std::string bound(double upper) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", upper);
  return buffer;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

// One job's / chain's / connection's persisted totals.
struct Totals {
  std::string kind;  // job, chain, connection
  std::string name;
  RunTotals totals;
};

// Reads every persisted RunTotals entry (a damaged one is skipped, not a failed scrape).
Result<std::vector<Totals>> readTotals(store::Store& store) {
  Result<std::vector<std::pair<std::string, std::string>>> state =
      store.listState(store::kRunTotalsPrefix);
  if (!state.ok()) return state.status();
  std::vector<Totals> out;
  const std::size_t prefix = std::string(store::kRunTotalsPrefix).size();
  for (const auto& [key, value] : *state) {
    const std::size_t slash = key.find('/', prefix);
    Result<RunTotals> totals = RunTotals::fromJson(value);
    if (slash == std::string::npos || !totals.ok()) continue;
    out.push_back({key.substr(prefix, slash - prefix), key.substr(slash + 1), *totals});
  }
  return out;
}

std::string kindName(const Totals& t) {
  return "kind=\"" + label(t.kind) + "\",name=\"" + label(t.name) + "\"";
}

void writeRunCounters(std::string& out, const std::vector<Totals>& all) {
  header(out, "sfsync_runs_total", "counter",
         "Finished executions by kind, name and final status (survives activity retention).");
  for (const Totals& t : all) {
    if (t.kind == "connection") continue;
    for (const char* const* s = executionStatuses(); *s != nullptr; ++s) {
      if (store::isUnfinishedStatus(*s)) continue;
      const auto found = t.totals.runs.find(*s);
      const std::int64_t n = found == t.totals.runs.end() ? 0 : found->second;
      out += "sfsync_runs_total{" + kindName(t) + ",status=\"" + label(*s) + "\"} " +
             std::to_string(n) + "\n";
    }
  }
  header(out, "sfsync_records_total", "counter",
         "Records of the finished job runs by outcome (read, created, updated, skipped, failed, "
         "deleted).");
  for (const Totals& t : all) {
    if (t.kind != "job") continue;
    for (std::size_t i = 0; i < t.totals.records.size(); ++i) {
      out += "sfsync_records_total{job=\"" + label(t.name) + "\",outcome=\"" +
             store::kRecordOutcomes[i] + "\"} " + std::to_string(t.totals.records[i]) + "\n";
    }
  }
}

void writeLastTimes(std::string& out, const std::vector<Totals>& all) {
  const std::pair<const char*, std::string RunTotals::*> kinds[] = {
      {"sfsync_last_success_timestamp_seconds", &RunTotals::lastSuccess},
      {"sfsync_last_partial_success_timestamp_seconds", &RunTotals::lastPartialSuccess}};
  for (const auto& [name, field] : kinds) {
    header(out, name, "gauge",
           field == &RunTotals::lastSuccess
               ? "End time of the newest Success execution (Unix seconds)."
               : "End time of the newest Partial Success execution (Unix seconds).");
    for (const Totals& t : all) {
      std::optional<std::int64_t> end = parseIsoTime(t.totals.*field);
      if (t.kind == "connection" || !end) continue;
      out += std::string(name) + "{" + kindName(t) + "} " + seconds(*end) + "\n";
    }
  }
}

void writeDurationHistogram(std::string& out, const std::vector<Totals>& all) {
  header(out, "sfsync_run_duration_seconds", "histogram",
         "Duration of the finished executions (start to end).");
  for (const Totals& t : all) {
    if (t.kind == "connection") continue;
    std::int64_t cumulative = 0;
    for (std::size_t i = 0; i < t.totals.durationBuckets.size(); ++i) {
      cumulative += t.totals.durationBuckets[i];
      const std::string le = i < store::kDurationBuckets.size() ? bound(store::kDurationBuckets[i])
                                                                : std::string("+Inf");
      out += "sfsync_run_duration_seconds_bucket{" + kindName(t) + ",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "sfsync_run_duration_seconds_sum{" + kindName(t) + "} " +
           seconds(t.totals.durationMillis) + "\n";
    out += "sfsync_run_duration_seconds_count{" + kindName(t) + "} " + std::to_string(cumulative) +
           "\n";
  }
}

void writeConnections(std::string& out, const std::vector<Totals>& all) {
  header(out, "sfsync_api_calls_total", "counter",
         "Salesforce API calls of the finished job runs per connection.");
  for (const Totals& t : all) {
    if (t.kind != "connection") continue;
    out += "sfsync_api_calls_total{connection=\"" + label(t.name) + "\"} " +
           std::to_string(t.totals.apiCalls) + "\n";
  }
  header(out, "sfsync_api_remaining", "gauge",
         "The org's remaining daily API requests after the connection's newest run that reported "
         "it (Sforce-Limit-Info).");
  for (const Totals& t : all) {
    if (t.kind != "connection" || t.totals.apiRemaining < 0) continue;
    out += "sfsync_api_remaining{connection=\"" + label(t.name) + "\"} " +
           std::to_string(t.totals.apiRemaining) + "\n";
  }
}

// Gauges of the configured entries now: running, paused, start of the newest execution.
void writeEntryGauges(std::string& out, AdminControl& control) {
  std::vector<EntrySummary> entries = control.jobs();
  for (EntrySummary& e : control.chains()) entries.push_back(std::move(e));
  std::vector<EntrySummary> connections = control.connections();
  header(out, "sfsync_running", "gauge", "1 while the job or chain runs (or waits to retry).");
  for (const EntrySummary& e : entries) {
    out += "sfsync_running{kind=\"" + label(e.kind) + "\",name=\"" + label(e.name) + "\"} " +
           (e.running ? "1" : "0") + "\n";
  }
  header(out, "sfsync_paused", "gauge", "1 while the job, chain or connection is paused.");
  for (const std::vector<EntrySummary>* list : {&entries, &connections}) {
    for (const EntrySummary& e : *list) {
      out += "sfsync_paused{kind=\"" + label(e.kind) + "\",name=\"" + label(e.name) + "\"} " +
             (e.paused ? "1" : "0") + "\n";
    }
  }
  header(out, "sfsync_last_execution_timestamp_seconds", "gauge",
         "Start time of the newest execution (Unix seconds).");
  for (const EntrySummary& e : entries) {
    if (std::optional<std::int64_t> start = parseIsoTime(e.lastRun)) {
      out += "sfsync_last_execution_timestamp_seconds{kind=\"" + label(e.kind) + "\",name=\"" +
             label(e.name) + "\"} " + seconds(*start) + "\n";
    }
  }
}

// Issue 18: the real-time jobs running now (counters count since the job's real-time
// side started: a reload that restarts it resets them; Prometheus' rate() handles the reset).
void writeRealtime(std::string& out, AdminControl& control) {
  const std::vector<RealtimeStats> all = control.realtime();
  const auto job = [](const RealtimeStats& s) { return "job=\"" + label(s.job) + "\""; };
  header(out, "sfsync_realtime_events_total", "counter",
         "Change Data Capture events applied by the real-time job since its real-time side started "
         "(reset when a reload restarts it).");
  for (const RealtimeStats& s : all) {
    out += "sfsync_realtime_events_total{" + job(s) + "} " + std::to_string(s.events) + "\n";
  }
  header(out, "sfsync_realtime_records_total", "counter",
         "Record changes applied by the real-time job since its real-time side started (reset "
         "when a reload restarts it).");
  for (const RealtimeStats& s : all) {
    out += "sfsync_realtime_records_total{" + job(s) + "} " + std::to_string(s.records) + "\n";
  }
  header(out, "sfsync_realtime_lag_seconds", "gauge",
         "Lag from an event's commitTimestamp to its row applied: p50 and p99 over the last "
         "10000 events, and of the newest event (quantile \"last\").");
  for (const RealtimeStats& s : all) {
    for (const auto& [q, ms] : {std::pair<const char*, std::int64_t>{"0.5", s.lagP50Ms},
                                {"0.99", s.lagP99Ms},
                                {"last", s.lastLagMs}}) {
      out += "sfsync_realtime_lag_seconds{" + job(s) + ",quantile=\"" + q + "\"} " + seconds(ms) +
             "\n";
    }
  }
  header(out, "sfsync_realtime_state", "gauge",
         "1 for the real-time job's current connection state, 0 for the others.");
  for (const RealtimeStats& s : all) {
    for (const char* state : {"starting", "connected", "reconnecting", "catching-up", "stopped"}) {
      out += "sfsync_realtime_state{" + job(s) + ",state=\"" + state + "\"} " +
             (s.state == state ? "1" : "0") + "\n";
    }
  }
  header(out, "sfsync_realtime_reconnects_total", "counter",
         "Subscriptions of the real-time job that failed and were retried.");
  for (const RealtimeStats& s : all) {
    out +=
        "sfsync_realtime_reconnects_total{" + job(s) + "} " + std::to_string(s.reconnects) + "\n";
  }
  header(out, "sfsync_realtime_catch_ups_total", "counter",
         "Catch-up runs of the real-time job (stale replay id, GAP_OVERFLOW).");
  for (const RealtimeStats& s : all) {
    out += "sfsync_realtime_catch_ups_total{" + job(s) + "} " + std::to_string(s.catchUps) + "\n";
  }
  header(out, "sfsync_realtime_last_event_timestamp_seconds", "gauge",
         "commitTimestamp of the newest event the real-time job applied (Unix seconds).");
  for (const RealtimeStats& s : all) {
    if (s.lastEventMs <= 0) continue;
    out += "sfsync_realtime_last_event_timestamp_seconds{" + job(s) + "} " +
           seconds(s.lastEventMs) + "\n";
  }
}

}  // namespace

void MetricsHandler::serve(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
  Result<std::vector<Totals>> all = readTotals(*context().store);
  if (!all.ok()) {
    return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, all.status().toString());
  }
  std::string out;
  writeRunCounters(out, *all);
  writeLastTimes(out, *all);
  writeDurationHistogram(out, *all);
  writeConnections(out, *all);
  writeEntryGauges(out, *context().control);
  writeRealtime(out, *context().control);

  addApiHeaders(response);
  response.setStatusAndReason(HTTPResponse::HTTP_OK);
  response.setContentType("text/plain; version=0.0.4; charset=utf-8");
  response.setContentLength(static_cast<std::streamsize>(out.size()));
  GuardedConnection::send(response, out);
}

}  // namespace sfsync::admin
