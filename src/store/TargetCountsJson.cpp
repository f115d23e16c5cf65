#include "store/TargetCountsJson.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace sfsync::store {

std::string targetCountsToJson(const std::vector<TargetCounts>& targets) {
  Poco::JSON::Array array;
  for (const TargetCounts& t : targets) {
    // By pointer: copying an insertion-ordered Object by value loses its key order bookkeeping.
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    object->set("target", t.target);
    object->set("created", t.created);
    object->set("updated", t.updated);
    object->set("skipped", t.skipped);
    object->set("failed", t.failed);
    object->set("unchanged", t.unchanged);
    array.add(object);
  }
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

Result<std::vector<TargetCounts>> targetCountsFromJson(const std::string& text) {
  std::vector<TargetCounts> targets;
  if (text.empty()) return targets;
  try {
    Poco::JSON::Parser parser;
    Poco::JSON::Array::Ptr array = parser.parse(text).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
      Poco::JSON::Object::Ptr object = array->getObject(static_cast<unsigned>(i));
      if (object.isNull()) return Status::DataError("target counts: element is not an object");
      TargetCounts t;
      t.target = object->getValue<std::string>("target");
      t.created = object->getValue<std::int64_t>("created");
      t.updated = object->getValue<std::int64_t>("updated");
      t.skipped = object->getValue<std::int64_t>("skipped");
      t.failed = object->getValue<std::int64_t>("failed");
      // Rows written before the unchanged outcome existed have none.
      if (object->has("unchanged")) t.unchanged = object->getValue<std::int64_t>("unchanged");
      targets.push_back(std::move(t));
    }
  } catch (const Poco::Exception& e) {
    return Status::DataError("target counts are not valid JSON (" + e.displayText() +
                             "): " + text.substr(0, 200));
  } catch (const std::exception& e) {
    return Status::DataError(std::string("target counts are not valid JSON: ") + e.what());
  }
  return targets;
}

}  // namespace sfsync::store
