#include "sfsync/notify/RunNotice.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>
#include <utility>

namespace sfsync::notify {
namespace {

constexpr const char* kSuccess = "Success";
constexpr const char* kPartial = "Partial Success";
constexpr const char* kFailed = "Failed";
constexpr const char* kDeferred = "Deferred";  // API budget out; resumes from its checkpoint

// Names and statuses come from configuration and the store; keep them to one printable line.
std::string oneLine(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

std::string countsSummary(const store::ExecutionRecord& r) {
  return std::to_string(r.succeeded()) + " ok, " + std::to_string(r.failed) + " failed";
}

Poco::JSON::Object::Ptr newObject() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Poco::JSON::Object::Ptr countsJson(const store::ExecutionRecord& r) {
  Poco::JSON::Object::Ptr counts = newObject();
  counts->set("read", r.recordsRead);
  counts->set("created", r.created);
  counts->set("updated", r.updated);
  counts->set("skipped", r.skipped);
  counts->set("failed", r.failed);
  return counts;
}

Poco::JSON::Object::Ptr jobJson(const store::ExecutionRecord& r) {
  Poco::JSON::Object::Ptr job = newObject();
  job->set("name", r.name);
  job->set("executionId", r.executionId);
  job->set("status", r.status);
  job->set("startTime", r.startTime);
  job->set("endTime", r.endTime);
  job->set("counts", countsJson(r));
  job->set("message", r.message);
  job->set("errorFile", r.errorFile);
  return job;
}

void appendField(std::ostringstream& out, const char* label, const std::string& value) {
  if (!value.empty()) out << label << value << '\n';
}

}  // namespace

NoticeKind classifyRun(const std::string& status, PartialAs partialAs, Attempt attempt) {
  NoticeKind kind = NoticeKind::kNone;
  if (status == kSuccess) {
    kind = NoticeKind::kSuccess;
  } else if (status == kPartial) {
    kind = partialAs == PartialAs::kSuccess ? NoticeKind::kSuccess : NoticeKind::kFailure;
  } else if (status == kFailed || status == kDeferred) {
    kind = NoticeKind::kFailure;
  }
  if (kind == NoticeKind::kFailure && attempt == Attempt::kRetryPending) return NoticeKind::kNone;
  return kind;
}

RunNotice RunNotice::forRun(const store::ExecutionRecord& run,
                            const std::vector<store::ExecutionRecord>& chainJobs,
                            PartialAs partialAs, Attempt attempt) {
  return RunNotice(classifyRun(run.status, partialAs, attempt), run, chainJobs);
}

RunNotice::RunNotice(NoticeKind kind, store::ExecutionRecord run,
                     std::vector<store::ExecutionRecord> chainJobs)
    : kind_(kind), run_(std::move(run)), jobs_(std::move(chainJobs)) {}

std::string RunNotice::subject() const {
  std::string name = run_.name;
  if (run_.kind == "chain") name += " (chain)";
  return oneLine("[sfsync] " + name + ": " + run_.status + " (" + countsSummary(run_) + ")");
}

std::string RunNotice::textBody() const {
  std::ostringstream out;
  out << (run_.kind == "chain" ? "Chain" : "Job") << " \"" << run_.name;
  if (run_.status == kDeferred) {
    out << "\" was deferred: the Salesforce API budget ran out (or Salesforce answered "
           "REQUEST_LIMIT_EXCEEDED). What was read is committed; the next scheduled run resumes "
           "from the checkpoint.\n\n";
  } else {
    out << "\" finished: " << run_.status << "\n\n";
  }
  appendField(out, "Execution:  ", run_.executionId);
  appendField(out, "Connection: ", run_.connection);
  appendField(out, "Trigger:    ", run_.trigger);
  appendField(out, "Started:    ", run_.startTime);
  appendField(out, "Ended:      ", run_.endTime);
  out << '\n';
  out << "Records read: " << run_.recordsRead << '\n';
  out << "Created:      " << run_.created << '\n';
  out << "Updated:      " << run_.updated << '\n';
  out << "Skipped:      " << run_.skipped << '\n';
  out << "Failed:       " << run_.failed << '\n';
  if (!run_.message.empty() || !run_.errorFile.empty()) out << '\n';
  appendField(out, "Message:    ", run_.message);
  appendField(out, "Error file: ", run_.errorFile);
  if (!jobs_.empty()) {
    out << "\nJobs:\n";
    for (const auto& job : jobs_) {
      out << "  - " << oneLine(job.name) << ": " << job.status << " (" << countsSummary(job) << ")";
      if (!job.executionId.empty()) out << " [" << job.executionId << "]";
      out << '\n';
      if (!job.message.empty()) out << "      " << job.message << '\n';
      if (!job.errorFile.empty()) out << "      error file: " << job.errorFile << '\n';
    }
  }
  return out.str();
}

std::string RunNotice::jsonBody() const {
  Poco::JSON::Object::Ptr body = newObject();
  body->set("event", "execution.finished");
  body->set("kind", run_.kind);
  body->set("name", run_.name);
  body->set("executionId", run_.executionId);
  body->set("status", run_.status);
  body->set("outcome", kind_ == NoticeKind::kSuccess   ? "success"
                       : kind_ == NoticeKind::kFailure ? "failure"
                                                       : "none");
  body->set("connection", run_.connection);
  body->set("trigger", run_.trigger);
  body->set("startTime", run_.startTime);
  body->set("endTime", run_.endTime);
  body->set("counts", countsJson(run_));
  body->set("message", run_.message);
  body->set("errorFile", run_.errorFile);
  Poco::JSON::Array::Ptr jobs = new Poco::JSON::Array;
  for (const auto& job : jobs_) jobs->add(jobJson(job));
  body->set("jobs", jobs);
  std::ostringstream out;
  body->stringify(out);
  return out.str();
}

}  // namespace sfsync::notify
