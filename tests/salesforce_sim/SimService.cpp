#include "salesforce_sim/SimService.h"

#include <chrono>
#include <sstream>
#include <thread>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include "salesforce_sim/JsonText.h"
#include "salesforce_sim/QueryPageWriter.h"
#include "salesforce_sim/QueryPlanner.h"
#include "salesforce_sim/QueryString.h"
#include "salesforce_sim/RecordGenerator.h"
#include "salesforce_sim/RecordWrites.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimTime.h"
#include "salesforce_sim/SoqlError.h"
#include "salesforce_sim/WriteError.h"

#ifndef SFSYNC_SAMPLE_ORG_DIR
#define SFSYNC_SAMPLE_ORG_DIR ""
#endif

namespace sfsync::sim {
namespace {

using Poco::Net::HTTPRequest;

const char kNotFound[] =
    R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])";

struct ApiVersion {
  const char* version;
  const char* label;
};
const ApiVersion kVersions[] = {{"58.0", "Summer '23"},
                                {"59.0", "Winter '24"},
                                {"60.0", "Spring '24"},
                                {"61.0", "Summer '24"},
                                {"62.0", "Winter '25"}};

// "v62.0" with a major version Salesforce still serves (20.0 .. 62.0).
bool isVersion(const std::string& s) {
  if (s.size() < 4 || s[0] != 'v') return false;
  const std::size_t dot = s.find('.');
  if (dot == std::string::npos || dot + 2 != s.size() || s[dot + 1] < '0' || s[dot + 1] > '9') {
    return false;
  }
  int major = 0;
  for (std::size_t i = 1; i < dot; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    major = major * 10 + (s[i] - '0');
  }
  return dot > 1 && major >= 20 && major <= 62;
}

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(path);
  while (std::getline(in, part, '/')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

bool queryParam(const std::string& rawQuery, const std::string& name, std::string& value) {
  return QueryString::param(rawQuery, name, value);
}

// The request body, at most `cap` bytes; false when it is larger.
bool readBody(Poco::Net::HTTPServerRequest& request, std::size_t cap, std::string& body) {
  // Without Content-Length or chunking Poco would read until the client closes the connection.
  if (!request.hasContentLength() && !request.getChunkedTransferEncoding()) return true;
  if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(cap)) {
    return false;
  }
  std::istream& in = request.stream();
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > cap) return false;
  }
  return true;
}

// Closes the connection of `request` at once (RST, no response), as a dropped connection does.
void dropConnection(Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (!impl) return;
  Poco::Net::StreamSocket socket = impl->detachSocket();
  socket.setLinger(true, 0);
  socket.close();
}

}  // namespace

SimService::SimService(const SimOptions& options)
    : options_(options),
      orgId_(SalesforceId::make("00D", "Sm", 1)),
      org_(options.multiCurrency),
      sessions_(orgId_),
      tokenEndpoint_(options, sessions_, authorizationCodes_),
      authorizeEndpoint_(options, authorizationCodes_),
      bulk_([this](const std::string& soql, bool queryAll) {
        std::shared_lock lock(orgMutex_);
        auto plan = QueryPlanner(org_).plan(soql, queryAll);
        return std::make_shared<const QueryResult>(QueryExecutor::run(std::move(plan)));
      }),
      password_(options.password),
      batchSize_(options.batchSize) {
  const std::string dir = options.orgDir.empty() ? SFSYNC_SAMPLE_ORG_DIR : options.orgDir;
  if (!dir.empty()) org_.loadDirectory(dir, options.loadOrg);
  userId_ = SalesforceId::make("005", "Sm", 1);
  if (const RecordTable* users = org_.table("User")) {
    const int username = users->schema().fieldIndex("Username");
    for (const RowPtr& u : users->rows()) {
      if (username >= 0 && u->at(static_cast<std::size_t>(username)).s == options.username) {
        userId_ = std::string(u->at(static_cast<std::size_t>(users->schema().idField())).s);
      }
    }
  }
  tokenEndpoint_.setIdentity(orgId_, userId_);
}

void SimService::setBaseUrl(const std::string& baseUrl) {
  std::lock_guard<std::mutex> lock(configMutex_);
  baseUrl_ = baseUrl;
}

std::string SimService::baseUrl() const {
  std::lock_guard<std::mutex> lock(configMutex_);
  return baseUrl_;
}

void SimService::setPassword(const std::string& password) {
  std::lock_guard<std::mutex> lock(configMutex_);
  password_ = password;
}

void SimService::setApiLimit(std::int64_t max, std::int64_t used) {
  apiMax_ = max;
  apiUsed_ = used;
}

void SimService::setNowForTest(std::int64_t epochMs) { nowForTest_ = epochMs; }

std::int64_t SimService::now() const {
  const std::int64_t fixed = nowForTest_;
  return fixed != 0 ? fixed : SimTime::nowMs();
}

// ---- data API ----

namespace {
// The "Id" of a record given as JSON text, "" when it has none (or is not JSON).
std::string idInJson(const std::string& jsonRecord) {
  try {
    Poco::JSON::Parser parser;
    const auto record = parser.parse(jsonRecord).extract<Poco::JSON::Object::Ptr>();
    return record && record->has("Id") && !record->isNull("Id")
               ? record->getValue<std::string>("Id")
               : "";
  } catch (const std::exception&) {
    return "";
  }
}
}  // namespace

std::string SimService::upsertRecord(const std::string& object, const std::string& jsonRecord) {
  std::vector<RecordChange> changes;
  std::string id;
  {
    std::unique_lock lock(orgMutex_);
    RowPtr before = capturing_ ? rowFor(object, idInJson(jsonRecord)) : nullptr;
    id = org_.upsertJson(object, jsonRecord, now());
    capture(object, id, std::move(before), changes);
  }
  publish(changes);
  return id;
}

void SimService::setField(const std::string& object, const std::string& id,
                          const std::string& field, const std::string& jsonValue) {
  std::vector<RecordChange> changes;
  {
    std::unique_lock lock(orgMutex_);
    RowPtr before = rowFor(object, id);
    org_.setFieldJson(object, id, field, jsonValue, now());
    capture(object, id, std::move(before), changes);
  }
  publish(changes);
}

void SimService::deleteRecord(const std::string& object, const std::string& id) {
  std::vector<RecordChange> changes;
  {
    std::unique_lock lock(orgMutex_);
    RowPtr before = rowFor(object, id);
    org_.deleteRecord(object, id, now());
    capture(object, id, std::move(before), changes);
  }
  publish(changes);
}

void SimService::undeleteRecord(const std::string& object, const std::string& id) {
  std::vector<RecordChange> changes;
  {
    std::unique_lock lock(orgMutex_);
    RowPtr before = rowFor(object, id);
    RecordWrites::undelete(org_, object, id, now());
    capture(object, id, std::move(before), changes);
  }
  publish(changes);
}

std::string SimService::commitLate(const std::string& object, const std::string& jsonRecord,
                                   std::int64_t stampMs) {
  Poco::JSON::Object::Ptr record;
  try {
    Poco::JSON::Parser parser;
    record = parser.parse(jsonRecord).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    throw WriteError(400, "JSON_PARSER_ERROR",
                     std::string("record is not a JSON object: ") + e.what());
  }
  std::vector<RecordChange> changes;
  std::string id;
  {
    std::unique_lock lock(orgMutex_);
    RowPtr before = capturing_ ? rowFor(object, idInJson(jsonRecord)) : nullptr;
    id = RecordWrites::commitLate(org_, object, *record, stampMs);
    capture(object, id, std::move(before), changes);
  }
  publish(changes);
  return id;
}

void SimService::hardDeleteRecord(const std::string& object, const std::string& id) {
  std::vector<RecordChange> changes;
  {
    std::unique_lock lock(orgMutex_);
    RowPtr before = rowFor(object, id);
    RecordWrites::hardDelete(org_, object, id);
    capture(object, id, std::move(before), changes);
  }
  publish(changes);
}

// ---- change capture ----

void SimService::setChangeListener(ChangeListener listener) {
  std::lock_guard<std::mutex> lock(listenerMutex_);
  capturing_ = static_cast<bool>(listener);
  changeListener_ = std::move(listener);
}

RowPtr SimService::rowFor(const std::string& object, const std::string& id) const {
  if (!capturing_ || id.empty()) return nullptr;
  const RecordTable* t = org_.table(object);
  if (!t || !SalesforceId::isValid(id)) return nullptr;
  const RowPtr* row = t->find(SalesforceId::to18(id));
  return row ? *row : nullptr;
}

void SimService::capture(const std::string& object, const std::string& id, RowPtr before,
                         std::vector<RecordChange>& out) const {
  if (!capturing_) return;
  const RecordTable* t = org_.table(object);
  if (!t || !SalesforceId::isValid(id)) return;
  RecordChange change;
  change.schema = &t->schema();
  change.id = SalesforceId::to18(id);
  change.before = std::move(before);
  change.after = rowFor(object, change.id);
  change.commitMs = now();
  change.userId = userId_;
  out.push_back(std::move(change));
}

std::shared_ptr<const ObjectSchema> SimService::schemaOf(const std::string& object) const {
  std::shared_lock lock(orgMutex_);
  const RecordTable* t = org_.table(object);
  return t ? std::make_shared<const ObjectSchema>(t->schema()) : nullptr;
}

void SimService::publish(const std::vector<RecordChange>& changes) const {
  if (changes.empty()) return;
  ChangeListener listener;
  {
    std::lock_guard<std::mutex> lock(listenerMutex_);
    listener = changeListener_;
  }
  if (listener) listener(changes);
}

void SimService::clearObject(const std::string& object) {
  std::unique_lock lock(orgMutex_);
  org_.clearObject(object);
}

void SimService::generateAccounts(std::size_t n) {
  std::unique_lock lock(orgMutex_);
  RecordGenerator::generateAccounts(org_, n);
}

void SimService::generateContacts(std::size_t n, std::size_t duplicateEmailEvery) {
  std::unique_lock lock(orgMutex_);
  RecordGenerator::generateContacts(org_, n, duplicateEmailEvery);
}

void SimService::addObject(const std::string& describeJson) {
  Poco::JSON::Parser parser;
  const Poco::Dynamic::Var parsed = parser.parse(describeJson);
  std::unique_lock lock(orgMutex_);
  org_.addObject(*parsed.extract<Poco::JSON::Object::Ptr>());
}

std::size_t SimService::recordCount(const std::string& object) const {
  std::shared_lock lock(orgMutex_);
  const RecordTable* t = org_.table(object);
  if (!t) throw std::invalid_argument("unknown sObject " + object);
  return t->liveCount();
}

// ---- HTTP ----

// POST sobjects/{Object}, PATCH and DELETE sobjects/{Object}/{Id} (rest: the parts after
// "sobjects").
SimReply SimService::write(const std::string& method, const std::vector<std::string>& rest,
                           const std::string& body) {
  const bool onObject = rest.size() == 1, onRecord = rest.size() == 2;
  const bool allowed =
      (onObject && method == HTTPRequest::HTTP_POST) ||
      (onRecord && (method == HTTPRequest::HTTP_PATCH || method == HTTPRequest::HTTP_DELETE));
  if (!allowed) {
    return {405, JsonText::errorArray("METHOD_NOT_ALLOWED",
                                      "HTTP Method '" + method + "' not allowed. Allowed are " +
                                          (onObject ? "GET,HEAD,POST" : "GET,HEAD,PATCH,DELETE"))};
  }
  try {
    Poco::JSON::Object::Ptr fields;
    if (method != HTTPRequest::HTTP_DELETE) {
      try {
        Poco::JSON::Parser parser;
        fields = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
      } catch (const std::exception& e) {
        return {400, JsonText::errorArray("JSON_PARSER_ERROR",
                                          std::string("Invalid JSON: ") + e.what())};
      }
    }
    std::vector<RecordChange> changes;
    SimReply reply{204, ""};
    {
      std::unique_lock lock(orgMutex_);
      if (onObject) {
        const std::string id = RecordWrites::create(org_, rest[0], *fields, now());
        std::string out = "{\"id\":";
        JsonText::appendString(out, id);
        out += ",\"success\":true,\"errors\":[]}";
        reply = {201, out};
        capture(rest[0], id, nullptr, changes);
      } else {
        RowPtr before = rowFor(rest[0], rest[1]);
        if (method == HTTPRequest::HTTP_PATCH) {
          RecordWrites::update(org_, rest[0], rest[1], *fields, now());
        } else {
          RecordWrites::softDelete(org_, rest[0], rest[1], now());
        }
        capture(rest[0], rest[1], std::move(before), changes);
      }
    }
    publish(changes);
    return reply;
  } catch (const WriteError& e) {
    return {e.status(), e.body()};
  }
}

// Test-only mutations for out-of-process tests and benchmarks (loopback clients only, no auth):
// POST /sim/undelete/{Object}/{Id}, /sim/hard-delete/{Object}/{Id},
// /sim/commit-late/{Object}?stamp=ISO (body: record JSON), /sim/generate?accounts=N&contacts=N,
// /sim/latency?ms=N.
SimReply SimService::simEndpoint(Poco::Net::HTTPServerRequest& request, const std::string& path,
                                 const std::string& rawQuery) {
  if (!request.clientAddress().host().isLoopback()) {
    return {403,
            JsonText::errorArray("INSUFFICIENT_ACCESS", "/sim/* is for loopback clients only")};
  }
  if (request.getMethod() != HTTPRequest::HTTP_POST) {
    return {405, JsonText::errorArray("METHOD_NOT_ALLOWED", "use POST")};
  }
  std::string body;
  if (!readBody(request, kMaxBodyBytes, body)) {
    return {413, JsonText::errorArray("REQUEST_ENTITY_TOO_LARGE", "request body too large")};
  }
  const std::vector<std::string> p = splitPath(path);  // sim, action, ...
  const auto number = [&](const char* name, std::int64_t& value) {
    std::string text;
    if (!queryParam(rawQuery, name, text) || text.empty() || text.size() > 12 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    value = std::stoll(text);
    return true;
  };
  const SimReply bad{400, JsonText::errorArray("INVALID_SIM_REQUEST",
                                               "see tests/salesforce_sim/README.md, /sim/*")};
  try {
    const std::string action = p.size() >= 2 ? p[1] : "";
    if ((action == "undelete" || action == "hard-delete") && p.size() == 4) {
      if (action == "undelete") undeleteRecord(p[2], p[3]);
      if (action == "hard-delete") hardDeleteRecord(p[2], p[3]);
      return {204, ""};
    }
    if (action == "commit-late" && p.size() == 3) {
      std::string stampText;
      std::int64_t stampMs = 0;
      if (!queryParam(rawQuery, "stamp", stampText) ||
          !SimTime::parseDateTime(stampText, stampMs)) {
        return bad;
      }
      std::string out = "{\"id\":";
      JsonText::appendString(out, commitLate(p[2], body, stampMs));
      return {200, out + "}"};
    }
    std::int64_t a = 0, c = 0;
    if (action == "generate" && p.size() == 2) {
      const bool hasA = number("accounts", a), hasC = number("contacts", c);
      if (!hasA && !hasC) return bad;
      if (a > 0) generateAccounts(static_cast<std::size_t>(a));
      if (c > 0) generateContacts(static_cast<std::size_t>(c));
      return {204, ""};
    }
    if (action == "latency" && p.size() == 2 && number("ms", a)) {
      setLatencyMs(static_cast<int>(a));
      return {204, ""};
    }
  } catch (const WriteError& e) {
    return {e.status(), e.body()};
  } catch (const std::invalid_argument& e) {
    return {400, JsonText::errorArray("INVALID_SIM_REQUEST", e.what())};
  }
  return bad;
}

void SimService::handle(Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response) {
  const int latency = latencyMs_;
  if (latency > 0) std::this_thread::sleep_for(std::chrono::milliseconds(latency));
  SimReply reply;
  try {
    reply = dispatch(request);
  } catch (const std::exception& e) {
    reply = {500, JsonText::errorArray("UNKNOWN_EXCEPTION",
                                       std::string("An unexpected error occurred: ") + e.what())};
  }
  if (reply.reset) {
    dropConnection(request);
    return;
  }
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
  if (reply.status != 204) response.setContentType(reply.contentType);
  if (reply.status == 413) response.setKeepAlive(false);  // the rest of the body was not read
  response.set("Sforce-Limit-Info", "api-usage=" + std::to_string(apiUsed_.load()) + "/" +
                                        std::to_string(apiMax_.load()));
  for (const auto& [name, value] : reply.headers) response.set(name, value);
  response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
  response.sendBuffer(reply.body.data(), reply.body.size());
}

SimReply SimService::dispatch(Poco::Net::HTTPServerRequest& request) {
  const Poco::URI uri(request.getURI());
  const std::string path = uri.getPath();
  if (path == "/services/oauth2/token" || path == "/services/oauth2/token/") {
    ++tokenRequests_;
    std::string password;
    {
      std::lock_guard<std::mutex> lock(configMutex_);
      password = password_;
    }
    return tokenEndpoint_.handle(request, baseUrl(), password);
  }
  if (path == "/services/oauth2/authorize") {
    std::string password;
    {
      std::lock_guard<std::mutex> lock(configMutex_);
      password = password_;
    }
    return authorizeEndpoint_.handle(request, password);
  }
  if (path.rfind("/sim/", 0) == 0) return simEndpoint(request, path, uri.getRawQuery());
  if (path != "/services/data" && path.rfind("/services/data/", 0) != 0) return {404, kNotFound};

  ++dataRequests_;
  int resets = resetNext_.load();
  while (resets > 0 && !resetNext_.compare_exchange_weak(resets, resets - 1)) {
  }
  if (resets > 0) {
    SimReply dropped;
    dropped.reset = true;
    return dropped;
  }
  int stalls = stallNext_.load();
  while (stalls > 0 && !stallNext_.compare_exchange_weak(stalls, stalls - 1)) {
  }
  if (stalls > 0) std::this_thread::sleep_for(std::chrono::milliseconds(stallMs_.load()));
  // Read before any answer, so that a kept-alive connection is positioned at the next request.
  std::string body;
  if (!readBody(request, kMaxBodyBytes, body)) {
    return {413, JsonText::errorArray("REQUEST_ENTITY_TOO_LARGE", "request body too large")};
  }
  const std::vector<std::string> parts = splitPath(path);
  if (parts.size() >= 4 && (parts[3] == "query" || parts[3] == "queryAll")) ++queryRequests_;

  std::string auth = request.get("Authorization", "");
  std::string tokenValue;
  for (const char* scheme : {"Bearer ", "OAuth "}) {
    if (auth.rfind(scheme, 0) == 0) tokenValue = auth.substr(std::string(scheme).size());
  }
  const std::string expired =
      JsonText::errorArray("INVALID_SESSION_ID", "Session expired or invalid");
  if (expireOnce_.exchange(false)) {
    if (!tokenValue.empty()) sessions_.revoke(tokenValue);
    return {401, expired};
  }
  if (tokenValue.empty() || !sessions_.valid(tokenValue)) return {401, expired};
  const std::int64_t used = ++apiUsed_;
  int failures = fail500_.load();
  while (failures > 0 && !fail500_.compare_exchange_weak(failures, failures - 1)) {
  }
  if (failures > 0) {
    return {500, JsonText::errorArray("UNKNOWN_EXCEPTION", "An unexpected error occurred")};
  }
  if (used > apiMax_) {
    return {403, JsonText::errorArray("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")};
  }
  return data(request, path, uri.getRawQuery(), body);
}

SimReply SimService::data(Poco::Net::HTTPServerRequest& request, const std::string& path,
                          const std::string& rawQuery, const std::string& body) {
  const std::vector<std::string> parts = splitPath(path);  // services, data, vNN.N, ...
  const std::string& method = request.getMethod();
  if (parts.size() >= 5 && parts[3] == "jobs" && parts[4] == "query" && isVersion(parts[2])) {
    BulkRequest bulk{method, parts[2], {parts.begin() + 5, parts.end()}, rawQuery, body,
                     now(),  userId_};
    return bulk_.handle(bulk);
  }
  if (parts.size() >= 5 && parts[3] == "composite" && parts[4] == "sobjects" &&
      isVersion(parts[2])) {
    std::unique_lock lock(orgMutex_);
    SimReply reply =
        collections_.handle(org_, method, {parts.begin() + 5, parts.end()}, body, now());
    if (dropCollectionsAnswer_.exchange(false)) reply.reset = true;  // written, answer lost
    const std::size_t pad = oversizeCollectionsAnswer_.exchange(0);  // written, answer too large
    if (pad > 0) reply.body.append(pad, ' ');
    return reply;
  }
  if (parts.size() >= 5 && parts[3] == "sobjects" && isVersion(parts[2]) &&
      method != HTTPRequest::HTTP_GET) {
    return write(method, {parts.begin() + 4, parts.end()}, body);
  }
  if (method != HTTPRequest::HTTP_GET) {
    return {405,
            JsonText::errorArray("METHOD_NOT_ALLOWED",
                                 "HTTP Method '" + method + "' not allowed. Allowed are GET,HEAD")};
  }
  if (parts.size() == 2) {
    std::string out = "[";
    for (const ApiVersion& v : kVersions) {
      if (out.size() > 1) out.push_back(',');
      out += "{\"label\":";
      JsonText::appendString(out, v.label);
      out += ",\"url\":";
      JsonText::appendString(out, std::string("/services/data/v") + v.version);
      out += ",\"version\":";
      JsonText::appendString(out, v.version);
      out.push_back('}');
    }
    out.push_back(']');
    return {200, out};
  }
  const std::string& version = parts[2];
  if (!isVersion(version)) return {404, kNotFound};
  const std::vector<std::string> rest(parts.begin() + 3, parts.end());
  if (rest.empty()) {
    const std::string base = "/services/data/" + version + "/";
    std::string out = "{";
    for (const char* r : {"sobjects", "query", "queryAll", "limits", "jobs"}) {
      if (out.size() > 1) out.push_back(',');
      JsonText::appendKey(out, r);
      JsonText::appendString(out, base + r);
    }
    out.push_back('}');
    return {200, out};
  }
  if (rest[0] == "sobjects") return sobjects(version, {rest.begin() + 1, rest.end()}, rawQuery);
  if (rest[0] == "query" || rest[0] == "queryAll") {
    if (rest.size() == 1) return query(request, version, rawQuery, rest[0] == "queryAll");
    if (rest.size() == 2) return nextPage(version, rest[1]);
  }
  if (rest[0] == "limits" && rest.size() == 1) return limits();
  return {404, kNotFound};
}

SimReply SimService::sobjects(const std::string& version, const std::vector<std::string>& rest,
                              const std::string& rawQuery) {
  std::shared_lock lock(orgMutex_);
  if (rest.empty()) {
    std::string out = "{\"encoding\":\"UTF-8\",\"maxBatchSize\":200,\"sobjects\":[";
    bool first = true;
    for (const RecordTable* t : org_.tables()) {
      if (!first) out.push_back(',');
      first = false;
      t->schema().appendGlobalEntry(out, version);
    }
    out += "]}";
    return {200, out};
  }
  const RecordTable* table = org_.table(rest[0]);
  if (!table) return {404, kNotFound};
  if (rest.size() == 1) {
    std::string out = "{\"objectDescribe\":";
    table->schema().appendGlobalEntry(out, version);
    out += ",\"recentItems\":[]}";
    return {200, out};
  }
  if (rest.size() != 2) return {404, kNotFound};
  if (rest[1] == "describe") return {200, table->schema().describeJson(version)};
  if (rest[1] == "deleted") return deleted(*table, rawQuery);
  if (!SalesforceId::isValid(rest[1])) return {404, kNotFound};
  const RowPtr* row = table->find(SalesforceId::to18(rest[1]));
  if (!row) return {404, kNotFound};
  return {200, QueryPageWriter::fullRecord(*table, **row, version)};
}

// GET .../sobjects/{Object}/deleted/?start=ISO&end=ISO: soft-deleted rows whose deletion time
// (their SystemModstamp) lies in [start, end] and within the last 15 days.
SimReply SimService::deleted(const RecordTable& table, const std::string& rawQuery) const {
  auto dateParam = [&](const char* name, std::int64_t& ms) {
    std::string text;
    if (!queryParam(rawQuery, name, text)) return false;
    if (SimTime::parseDateTime(text, ms)) return true;
    for (char& c : text) {
      if (c == ' ') c = '+';  // an unencoded "+00:00" offset arrives as a space
    }
    return SimTime::parseDateTime(text, ms);
  };
  std::int64_t start = 0, end = 0;
  if (!dateParam("start", start) || !dateParam("end", end) || end < start) {
    return {400, JsonText::errorArray("INVALID_REPLICATION_DATE",
                                      "start and end must be dateTimes with start before end")};
  }
  const std::int64_t minute = 60000;
  const std::int64_t fixed = earliestForTest_;
  const std::int64_t earliest = fixed != 0 ? fixed : (now() - 15LL * 86400000) / minute * minute;
  const std::int64_t latest = std::min(end, now()) / minute * minute;
  const ObjectSchema& s = table.schema();
  const int deletedField = s.isDeletedField();
  const int stampField = s.fieldIndex("SystemModstamp");
  std::string out = "{\"deletedRecords\":[";
  bool first = true;
  if (deletedField >= 0 && stampField >= 0) {
    for (const RowPtr& row : table.rows()) {
      const CellView d = row->at(static_cast<std::size_t>(deletedField));
      const CellView when = row->at(static_cast<std::size_t>(stampField));
      if (!(d.kind == ValueKind::Bool && d.b) || when.kind != ValueKind::DateTime) continue;
      if (when.i < start || when.i > end || when.i < earliest) continue;
      if (!first) out.push_back(',');
      first = false;
      out += "{\"id\":";
      JsonText::appendString(out, row->at(static_cast<std::size_t>(s.idField())).s);
      out += ",\"deletedDate\":\"";
      SimTime::appendDateTime(out, when.i);
      out += "\"}";
    }
  }
  out += "],\"earliestDateAvailable\":\"";
  SimTime::appendDateTime(out, earliest);
  out += "\",\"latestDateCovered\":\"";
  SimTime::appendDateTime(out, latest);
  out += "\"}";
  return {200, out};
}

std::size_t SimService::pageSizeFor(const Poco::Net::HTTPServerRequest& request) const {
  std::size_t size = static_cast<std::size_t>(std::max(1, batchSize_.load()));
  const std::string options = request.get("Sforce-Query-Options", "");
  const std::size_t at = options.find("batchSize=");
  if (at != std::string::npos) {
    const long asked = std::strtol(options.c_str() + at + 10, nullptr, 10);
    const std::size_t clamped = static_cast<std::size_t>(std::min(2000L, std::max(200L, asked)));
    size = std::min(size, clamped);
  }
  return size;
}

SimReply SimService::query(Poco::Net::HTTPServerRequest& request, const std::string& version,
                           const std::string& rawQuery, bool queryAll) {
  std::string soql;
  if (!queryParam(rawQuery, "q", soql) || soql.empty()) {
    return {400, JsonText::errorArray("MALFORMED_QUERY", "A query string has to be specified")};
  }
  QueryCursor cursor;
  cursor.pageSize = pageSizeFor(request);
  try {
    std::shared_lock lock(orgMutex_);
    auto plan = QueryPlanner(org_).plan(soql, queryAll);
    cursor.result = std::make_shared<const QueryResult>(QueryExecutor::run(std::move(plan)));
  } catch (const SoqlError& e) {
    return {400, JsonText::errorArray(e.errorCode(), e.what())};
  }
  auto shared = std::make_shared<const QueryCursor>(cursor);
  std::string locator;
  if (cursor.result->recordCount() > cursor.pageSize) locator = cursors_.open(cursor);
  return {200, pageOf(shared, 0, version, locator)};
}

void SimService::holdNextPage(int n) {
  std::lock_guard<std::mutex> lock(holdMutex_);
  holdCountdown_ = n;
  ++holdsArmed_;
}

void SimService::releaseHeldPage() {
  {
    std::lock_guard<std::mutex> lock(holdMutex_);
    holdsReleased_ = holdsArmed_;
    holdCountdown_ = 0;
  }
  holdReleased_.notify_all();
}

bool SimService::holdingPage() const {
  std::lock_guard<std::mutex> lock(holdMutex_);
  return holding_ > 0;
}

void SimService::waitIfHeld() {
  std::unique_lock<std::mutex> lock(holdMutex_);
  if (holdCountdown_ <= 0 || --holdCountdown_ > 0) return;
  // This request is released by any release from now on, even if a new hold is armed before it
  // wakes up.
  const std::uint64_t hold = holdsArmed_;
  ++holding_;
  // Bounded, so that a test that never releases cannot hang the simulator's shutdown.
  holdReleased_.wait_for(lock, std::chrono::seconds(60), [&] { return holdsReleased_ >= hold; });
  --holding_;
}

SimReply SimService::nextPage(const std::string& version, const std::string& locatorAndOffset) {
  waitIfHeld();
  const std::string invalid =
      JsonText::errorArray("INVALID_QUERY_LOCATOR", "invalid query locator");
  const std::size_t dash = locatorAndOffset.rfind('-');
  if (dash == std::string::npos || dash + 1 >= locatorAndOffset.size()) return {400, invalid};
  const std::string locator = locatorAndOffset.substr(0, dash);
  const std::string offsetText = locatorAndOffset.substr(dash + 1);
  if (offsetText.find_first_not_of("0123456789") != std::string::npos || offsetText.size() > 9) {
    return {400, invalid};
  }
  const std::size_t offset = std::stoul(offsetText);
  const std::shared_ptr<const QueryCursor> cursor = cursors_.find(locator);
  if (!cursor || offset >= cursor->result->recordCount()) return {400, invalid};
  return {200, pageOf(cursor, offset, version, locator)};
}

std::string SimService::pageOf(const std::shared_ptr<const QueryCursor>& cursor, std::size_t from,
                               const std::string& version, const std::string& locator) {
  const std::size_t count = cursor->result->recordCount();
  const std::size_t to = std::min(count, from + cursor->pageSize);
  std::string next;
  if (to < count) {
    next = "/services/data/" + version + "/query/" + locator + "-" + std::to_string(to);
  }
  std::string body = QueryPageWriter::page(*cursor->result, from, to, version, next);
  if (const std::int64_t claimed = claimedTotalSize_; claimed >= 0) {
    body = "{\"totalSize\":" + std::to_string(claimed) + body.substr(body.find(','));
  }
  {
    std::lock_guard<std::mutex> lock(configMutex_);
    for (std::size_t at = 0;
         !rewriteFrom_.empty() && (at = body.find(rewriteFrom_, at)) != std::string::npos;
         at += rewriteTo_.size()) {
      body.replace(at, rewriteFrom_.size(), rewriteTo_);
    }
  }
  if (malformedOnce_.exchange(false)) body.resize(body.size() / 2);
  int pages = expireAfterPages_.load();
  while (pages > 0 && !expireAfterPages_.compare_exchange_weak(pages, pages - 1)) {
  }
  if (pages == 1) cursors_.clear();  // this page was the last one its cursor serves
  return body;
}

void SimService::rewritePages(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(configMutex_);
  rewriteFrom_ = from;
  rewriteTo_ = to;
}

SimReply SimService::limits() const {
  const std::int64_t max = apiMax_;
  const std::int64_t remaining = std::max<std::int64_t>(0, max - apiUsed_);
  std::string out = "{\"DailyApiRequests\":{\"Max\":";
  JsonText::appendInt(out, max);
  out += ",\"Remaining\":";
  JsonText::appendInt(out, remaining);
  out +=
      "},\"DailyBulkApiBatches\":{\"Max\":15000,\"Remaining\":15000},"
      "\"DailyBulkV2QueryJobs\":{\"Max\":10000,\"Remaining\":10000},"
      "\"DailyBulkV2QueryFileStorageMB\":{\"Max\":976562,\"Remaining\":976562},"
      "\"DataStorageMB\":{\"Max\":5,\"Remaining\":5}}";
  return {200, out};
}

}  // namespace sfsync::sim
