#include "jobs/ReplicationCursor.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <stdexcept>

namespace sfsync::jobs {

namespace {

// A string member ("" when absent or null); any other type is not a cursor.
std::string text(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  if (!o->has(key) || o->isNull(key)) return "";
  const Poco::Dynamic::Var value = o->get(key);
  if (!value.isString()) throw std::invalid_argument("\"" + key + "\" is not a string");
  return value.extract<std::string>();
}

}  // namespace

std::string CursorPoint::text() const {
  if (empty()) return "";
  return stamp.empty() ? id : stamp + " " + id;
}

std::string ReplicationCursor::toJson() const {
  Poco::JSON::Object root;
  root.set("stamp", cursor.stamp);
  root.set("id", cursor.id);
  root.set("lastFullAt", lastFullAt);
  if (run) {
    Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
    r->set("mode", run->mode);
    r->set("api", run->api);
    r->set("startedAt", run->startedAt);
    r->set("startStamp", run->start.stamp);
    r->set("startId", run->start.id);
    r->set("stamp", run->high.stamp);
    r->set("id", run->high.id);
    r->set("bulkJobId", run->bulkJobId);
    r->set("bulkLocator", run->bulkLocator);
    r->set("bulkRowsIntoSet", run->bulkRowsIntoSet);
    r->set("deferredPending", run->deferredPending);
    r->set("deferredStored", run->deferredStored);
    r->set("runTag", run->runTag);
    r->set("stampLayout", run->stampLayout);
    root.set("run", r);
  }
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

Result<ReplicationCursor> ReplicationCursor::parse(const std::string& json) {
  try {
    Poco::JSON::Parser parser;
    Poco::JSON::Object::Ptr root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    if (root.isNull()) return Status::DataError("replication cursor is not a JSON object");
    ReplicationCursor c;
    c.cursor = {text(root, "stamp"), text(root, "id")};
    c.lastFullAt = text(root, "lastFullAt");
    if (root->has("run") && !root->isNull("run")) {
      Poco::JSON::Object::Ptr r = root->getObject("run");
      if (r.isNull()) return Status::DataError("replication cursor: \"run\" is not an object");
      RunCheckpoint run;
      run.mode = text(r, "mode");
      run.api = text(r, "api");
      run.startedAt = text(r, "startedAt");
      run.start = {text(r, "startStamp"), text(r, "startId")};
      run.high = {text(r, "stamp"), text(r, "id")};
      run.bulkJobId = text(r, "bulkJobId");
      run.bulkLocator = text(r, "bulkLocator");
      run.bulkRowsIntoSet = r->optValue<Poco::Int64>("bulkRowsIntoSet", 0);
      run.deferredPending = r->optValue<bool>("deferredPending", false);
      run.deferredStored = r->optValue<bool>("deferredStored", false);
      run.runTag = r->optValue<Poco::Int64>("runTag", 0);
      run.stampLayout = text(r, "stampLayout");
      c.run = std::move(run);
    }
    return c;
  } catch (const Poco::Exception& e) {
    return Status::DataError("replication cursor is not valid JSON: " + e.displayText());
  } catch (const std::exception& e) {
    return Status::DataError(std::string("replication cursor is not valid: ") + e.what());
  }
}

}  // namespace sfsync::jobs
