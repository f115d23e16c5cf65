#include "salesforce_sim/BulkQueryEndpoint.h"

#include <cstdlib>
#include <cstring>
#include <utility>

#include <Poco/JSON/Parser.h>

#include "salesforce_sim/JsonText.h"
#include "salesforce_sim/QueryString.h"
#include "salesforce_sim/SimTime.h"
#include "salesforce_sim/SoqlError.h"

namespace sfsync::sim {
namespace {

const char kNotFound[] =
    R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])";
const char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Base64 (no padding) of the decimal offset: "10000" -> "MTAwMDA".
std::string encodeLocator(std::size_t offset) {
  const std::string in = std::to_string(offset);
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kBase64[(buffer >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kBase64[(buffer << (6 - bits)) & 63]);
  return out;
}

bool decodeLocator(const std::string& locator, std::size_t& offset) {
  std::string text;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : locator) {
    const char* at = c == '\0' ? nullptr : std::strchr(kBase64, c);
    if (!at) return false;
    buffer = (buffer << 6) | static_cast<unsigned>(at - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      text.push_back(static_cast<char>((buffer >> bits) & 255));
    }
  }
  if (text.empty() || text.size() > 12 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  offset = std::stoull(text);
  return encodeLocator(offset) == locator;  // canonical form only
}

bool delimiterFor(const std::string& name, char& c) {
  static const std::pair<const char*, char> kDelimiters[] = {{"COMMA", ','},     {"BACKQUOTE", '`'},
                                                             {"CARET", '^'},     {"PIPE", '|'},
                                                             {"SEMICOLON", ';'}, {"TAB", '\t'}};
  for (const auto& [n, d] : kDelimiters) {
    if (name == n) c = d;
    if (name == n) return true;
  }
  return false;
}

SimReply error(int status, const char* code, const std::string& message) {
  return {status, JsonText::errorArray(code, message)};
}

void appendField(std::string& out, const char* key, const std::string& value) {
  out.push_back(',');
  JsonText::appendKey(out, key);
  JsonText::appendString(out, value);
}

}  // namespace

void BulkQueryEndpoint::failNextJob(const std::string& message) {
  std::lock_guard<std::mutex> lock(failMutex_);
  failNext_ = true;
  failMessage_ = message;
}

SimReply BulkQueryEndpoint::handle(const BulkRequest& r) {
  const std::string& m = r.method;
  if (r.rest.empty()) {
    if (m == "POST") return create(r);
    if (m == "GET") return list();
    return error(405, "METHOD_NOT_ALLOWED",
                 "HTTP Method '" + m + "' not allowed. Allowed are GET,POST");
  }
  const std::string& id = r.rest[0];
  if (r.rest.size() == 1) {
    if (m == "GET") return status(id, r.nowMs);
    if (m == "PATCH") return abort(id, r.body, r.nowMs);
    if (m == "DELETE") return remove(id);
    return error(405, "METHOD_NOT_ALLOWED",
                 "HTTP Method '" + m + "' not allowed. Allowed are GET,PATCH,DELETE");
  }
  if (r.rest.size() == 2 && r.rest[1] == "results") {
    if (m == "GET") return results(id, r);
    return error(405, "METHOD_NOT_ALLOWED",
                 "HTTP Method '" + m + "' not allowed. Allowed are GET,HEAD");
  }
  return {404, kNotFound};
}

std::vector<std::string> BulkQueryEndpoint::jobQueries() const {
  std::vector<std::string> out;
  for (const BulkJob& job : jobs_.list()) out.push_back(job.query);
  return out;
}

std::string BulkQueryEndpoint::jobInfo(const BulkJob& job, bool full, const char* stateOverride) {
  std::string out = "{";
  JsonText::appendKey(out, "id");
  JsonText::appendString(out, job.id);
  appendField(out, "operation", job.operation);
  appendField(out, "object", job.object);
  appendField(out, "createdById", job.createdById);
  appendField(out, "createdDate", SimTime::formatDateTime(job.createdMs));
  appendField(out, "systemModstamp", SimTime::formatDateTime(job.modstampMs));
  appendField(out, "state", stateOverride ? stateOverride : job.state);
  appendField(out, "concurrencyMode", "Parallel");
  appendField(out, "contentType", "CSV");
  out += ",\"apiVersion\":" + job.version;
  if (full) appendField(out, "jobType", "V2Query");
  appendField(out, "lineEnding", job.lineEnding);
  appendField(out, "columnDelimiter", job.columnDelimiter);
  if (full) {
    const bool complete = job.state == "JobComplete";
    out += ",\"numberRecordsProcessed\":";
    JsonText::appendInt(out, complete ? static_cast<std::int64_t>(job.result->recordCount()) : 0);
    out += ",\"retries\":0,\"totalProcessingTime\":";
    JsonText::appendInt(out, complete ? 100 + job.polls : 0);
    if (job.state == "Failed") appendField(out, "errorMessage", job.errorMessage);
    // Salesforce: ORDER BY and LIMIT turn PK chunking off (slower; large jobs may time out).
    const QueryPlan& plan = *job.result->plan;
    out += plan.orderBy.empty() && !plan.limit ? ",\"isPkChunkingSupported\":true"
                                               : ",\"isPkChunkingSupported\":false";
  }
  out.push_back('}');
  return out;
}

SimReply BulkQueryEndpoint::create(const BulkRequest& r) {
  Poco::JSON::Object::Ptr body;
  try {
    Poco::JSON::Parser parser;
    body = parser.parse(r.body).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return error(400, "JSON_PARSER_ERROR", "Invalid JSON: " + e.displayText());
  } catch (const std::exception& e) {
    return error(400, "JSON_PARSER_ERROR", std::string("Invalid JSON: ") + e.what());
  }
  BulkJob job;
  job.operation = body->optValue<std::string>("operation", "");
  const std::string soql = body->optValue<std::string>("query", "");
  if (job.operation != "query" && job.operation != "queryAll") {
    return error(400, "INVALIDJOB",
                 "InvalidJob : Invalid operation for a query job: '" + job.operation + "'");
  }
  if (soql.empty()) return error(400, "INVALIDJOB", "InvalidJob : query is required");
  if (body->optValue<std::string>("contentType", "CSV") != "CSV") {
    return error(400, "INVALIDJOB", "InvalidJob : contentType must be CSV");
  }
  job.columnDelimiter = body->optValue<std::string>("columnDelimiter", "COMMA");
  job.lineEnding = body->optValue<std::string>("lineEnding", "LF");
  if (!delimiterFor(job.columnDelimiter, job.format.delimiter)) {
    return error(400, "INVALIDJOB", "InvalidJob : Invalid columnDelimiter: " + job.columnDelimiter);
  }
  if (job.lineEnding != "LF" && job.lineEnding != "CRLF") {
    return error(400, "INVALIDJOB", "InvalidJob : Invalid lineEnding: " + job.lineEnding);
  }
  job.format.lineEnding = job.lineEnding == "LF" ? "\n" : "\r\n";
  try {
    job.result = runner_(soql, job.operation == "queryAll");
  } catch (const SoqlError& e) {
    return error(400, e.errorCode().c_str(), e.what());
  }
  if (job.result->plan->countOnly) {
    return error(400, "API_ERROR",
                 "Aggregate queries are not supported by Bulk API 2.0 query jobs");
  }
  if (job.result->plan->offset) {
    return error(400, "API_ERROR", "OFFSET is not supported by Bulk API 2.0 query jobs");
  }
  job.query = soql;
  job.object = job.result->plan->table->schema().name();
  job.version = r.version.substr(1);
  job.createdById = r.userId;
  job.createdMs = job.modstampMs = r.nowMs / 1000 * 1000;
  job.pollsToComplete = pollsToComplete_;
  {
    std::lock_guard<std::mutex> lock(failMutex_);
    job.failOnPoll = std::exchange(failNext_, false);
    job.errorMessage = failMessage_;
  }
  const std::string id = jobs_.create(job, hold_);
  job.id = id;
  return {200, jobInfo(job, false, "UploadComplete")};
}

SimReply BulkQueryEndpoint::status(const std::string& id, std::int64_t nowMs) {
  const std::optional<BulkJob> job = jobs_.poll(id, hold_, nowMs / 1000 * 1000);
  if (!job) return {404, kNotFound};
  return {200, jobInfo(*job, true)};
}

SimReply BulkQueryEndpoint::abort(const std::string& id, const std::string& body,
                                  std::int64_t nowMs) {
  std::string state;
  try {
    Poco::JSON::Parser parser;
    state =
        parser.parse(body).extract<Poco::JSON::Object::Ptr>()->optValue<std::string>("state", "");
  } catch (const std::exception& e) {
    return error(400, "JSON_PARSER_ERROR", std::string("Invalid JSON: ") + e.what());
  }
  const std::optional<BulkJob> before = jobs_.find(id);
  if (!before) return {404, kNotFound};
  if (state != "Aborted") {
    return error(400, "INVALIDJOB", "InvalidJob : a query job can only be set to Aborted");
  }
  if (before->finished()) {
    return error(400, "INVALIDJOBSTATE",
                 "InvalidJobState : Job " + id + " is already " + before->state);
  }
  const std::optional<BulkJob> after = jobs_.abort(id, nowMs / 1000 * 1000);
  if (!after) return {404, kNotFound};
  return {200, jobInfo(*after, false)};
}

SimReply BulkQueryEndpoint::remove(const std::string& id) {
  const std::optional<BulkJob> job = jobs_.find(id);
  if (!job) return {404, kNotFound};
  if (!job->finished()) {
    return error(400, "INVALIDJOBSTATE",
                 "InvalidJobState : Job " + id + " is " + job->state + "; abort it first");
  }
  if (!jobs_.erase(id)) return {404, kNotFound};
  return {204, ""};
}

SimReply BulkQueryEndpoint::results(const std::string& id, const BulkRequest& r) {
  const std::optional<BulkJob> job = jobs_.find(id);
  if (!job) return {404, kNotFound};
  if (job->state != "JobComplete") {
    return error(400, "INVALIDJOBSTATE",
                 "InvalidJobState : Results are available only for a JobComplete job; job " + id +
                     " is " + job->state);
  }
  std::size_t maxRecords = kDefaultMaxRecords;
  std::string text;
  if (QueryString::param(r.rawQuery, "maxRecords", text)) {
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v <= 0) {
      return error(400, "INVALIDMAXRECORDS", "maxRecords must be a positive integer: " + text);
    }
    maxRecords = static_cast<std::size_t>(v);
  }
  const std::size_t count = job->result->recordCount();
  std::size_t from = 0;
  if (QueryString::param(r.rawQuery, "locator", text) && !text.empty() && text != "null") {
    if (!decodeLocator(text, from) || from >= count) {
      return error(400, "INVALID_LOCATOR", "Invalid locator: " + text);
    }
  }
  const std::size_t to = count - from > maxRecords ? from + maxRecords : count;
  std::size_t middle = 0;
  SimReply reply{200, CsvResultWriter::write(*job->result, from, to, job->format, &middle)};
  if (malformedOnce_.exchange(false)) {
    // Cut just inside the opening quote of a field of the middle record (HTTP framing stays
    // valid: Content-Length is the cut size; Sforce-NumberOfRecords still promises every record).
    const std::size_t quote = reply.body.find('"', middle);
    reply.body.resize(quote == std::string::npos ? reply.body.size() / 2
                                                 : std::min(reply.body.size(), quote + 2));
  }
  reply.contentType = "text/csv";
  reply.headers.emplace_back("Sforce-NumberOfRecords", std::to_string(to - from));
  reply.headers.emplace_back("Sforce-Locator", to < count ? encodeLocator(to) : "null");
  return reply;
}

SimReply BulkQueryEndpoint::list() const {
  std::string out = "{\"done\":true,\"records\":[";
  bool first = true;
  for (const BulkJob& job : jobs_.list()) {
    if (!first) out.push_back(',');
    first = false;
    out += jobInfo(job, true);
  }
  out += "],\"nextRecordsUrl\":null}";
  return {200, out};
}

}  // namespace sfsync::sim
