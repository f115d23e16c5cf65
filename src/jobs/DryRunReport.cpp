#include "sfsync/jobs/DryRunReport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iomanip>
#include <sstream>

namespace sfsync::jobs {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Poco::Dynamic::Var textOrNull(const std::string& text, bool isNull) {
  return isNull ? Poco::Dynamic::Var() : Poco::Dynamic::Var(text);
}

Object::Ptr countsJson(const DryRunTargetCounts& t) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("target", t.target);
  o->set("wouldCreate", t.wouldCreate);
  o->set("wouldUpdate", t.wouldUpdate);
  o->set("unchanged", t.unchanged);
  o->set("skipped", t.skipped);
  o->set("rejected", t.rejected);
  Object::Ptr columns = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [column, n] : t.changedColumns) columns->set(column, n);
  o->set("changedColumns", columns);
  return o;
}

Object::Ptr sampleJson(const DryRunSample& s) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("recordId", s.recordId);
  o->set("target", s.target);
  o->set("action", s.action);
  o->set("gsid", s.gsid);
  Array::Ptr changes = new Array;
  for (const DryRunChange& c : s.changes) {
    Object::Ptr change = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    change->set("column", c.column);
    change->set("old", textOrNull(c.before, c.beforeNull));
    change->set("new", textOrNull(c.after, c.afterNull));
    changes->add(change);
  }
  o->set("changes", changes);
  return o;
}

Object::Ptr rejectionJson(const DryRunRejection& r) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("recordId", r.recordId);
  o->set("target", r.target);
  o->set("reasonCode", r.reasonCode);
  o->set("message", r.message);
  return o;
}

}  // namespace

std::string dryRunJson(const DryRunReport& report) {
  Object root(Poco::JSON_PRESERVE_KEY_ORDER);
  root.set("job", report.job);
  root.set("connection", report.connection);
  root.set("sourceObject", report.sourceObject);
  root.set("startedAt", report.startedAt);
  root.set("finishedAt", report.finishedAt);
  root.set("maxRecords", report.maxRecords);
  root.set("recordsRead", report.recordsRead);
  root.set("truncated", report.truncated);
  root.set("wouldCreate", report.wouldCreate);
  root.set("wouldUpdate", report.wouldUpdate);
  root.set("unchanged", report.unchanged);
  root.set("skipped", report.skipped);
  root.set("rejected", report.rejected);
  root.set("duplicateKeys", report.duplicateKeys);
  root.set("deferredLookups", report.deferredLookups);
  Object::Ptr reasons = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [code, n] : report.rejectedByReason) reasons->set(code, n);
  root.set("rejectedByReason", reasons);
  Array::Ptr targets = new Array;
  for (const DryRunTargetCounts& t : report.targets) targets->add(countsJson(t));
  root.set("targets", targets);
  Array::Ptr samples = new Array;
  for (const DryRunSample& s : report.samples) samples->add(sampleJson(s));
  root.set("samples", samples);
  Array::Ptr rejections = new Array;
  for (const DryRunRejection& r : report.rejections) rejections->add(rejectionJson(r));
  root.set("rejections", rejections);
  Array::Ptr notes = new Array;
  for (const std::string& n : report.notes) notes->add(n);
  root.set("notes", notes);
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

std::string dryRunTable(const DryRunReport& report, std::size_t diffLines) {
  std::ostringstream out;
  out << "Dry run of '" << report.job << "' (" << report.sourceObject << "): " << report.recordsRead
      << " record(s) read" << (report.truncated ? " (stopped at the bound " : "")
      << (report.truncated ? std::to_string(report.maxRecords) + ")" : "") << "; nothing written\n";
  out << std::left << std::setw(22) << "target" << std::right << std::setw(10) << "create"
      << std::setw(10) << "update" << std::setw(11) << "unchanged" << std::setw(9) << "skipped"
      << std::setw(10) << "rejected" << '\n';
  auto line = [&](const std::string& name, std::int64_t c, std::int64_t u, std::int64_t n,
                  std::int64_t s, std::int64_t r) {
    out << std::left << std::setw(22) << name << std::right << std::setw(10) << c << std::setw(10)
        << u << std::setw(11) << n << std::setw(9) << s << std::setw(10) << r << '\n';
  };
  line("(records)", report.wouldCreate, report.wouldUpdate, report.unchanged, report.skipped,
       report.rejected);
  for (const DryRunTargetCounts& t : report.targets) {
    line(t.target, t.wouldCreate, t.wouldUpdate, t.unchanged, t.skipped, t.rejected);
  }
  for (const auto& [code, n] : report.rejectedByReason) {
    out << "rejected " << code << ": " << n << '\n';
  }
  for (const DryRunTargetCounts& t : report.targets) {
    for (const auto& [column, n] : t.changedColumns) {
      out << "changed " << t.target << "." << column << ": " << n << '\n';
    }
  }
  std::size_t shown = 0;
  for (const DryRunSample& s : report.samples) {
    for (const DryRunChange& c : s.changes) {
      if (shown++ >= diffLines) break;
      out << s.action << ' ' << s.target << ' ' << (s.recordId.empty() ? s.gsid : s.recordId) << ' '
          << c.column << ": " << (c.beforeNull ? "null" : "'" + c.before + "'") << " -> "
          << (c.afterNull ? "null" : "'" + c.after + "'") << '\n';
    }
  }
  for (const std::string& note : report.notes) out << "note: " << note << '\n';
  return out.str();
}

}  // namespace sfsync::jobs
