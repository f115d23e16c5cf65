#include "config/TargetParser.h"

#include <utility>

#include "config/ConfigText.h"

namespace sfsync::config {

namespace {

const char* const kNoUpsertKey =
    "job has no upsert key: mark at least one mapping \"upsertKey\": true";

// The target columns claimed so far by one target's mappings: (column, path of its "target").
class ColumnClaims {
 public:
  explicit ColumnClaims(ProblemCollector& problems) : problems_(problems) {}

  // Records the column of the element at `itemPath`; false after reporting it as a duplicate.
  bool claim(const std::string& column, const std::string& itemPath) {
    if (column.empty()) return true;
    const std::string path = ProblemCollector::child(itemPath, "target");
    for (const auto& [seen, seenPath] : columns_) {
      if (text::equalsIgnoreCase(seen, column)) {
        problems_.add(path, "duplicate target '" + column + "' (also " + seenPath + ")");
        return false;
      }
    }
    columns_.emplace_back(column, path);
    return true;
  }

 private:
  ProblemCollector& problems_;
  std::vector<std::pair<std::string, std::string>> columns_;
};

}  // namespace

TargetParser::TargetParser(ProblemCollector& problems) : problems_(problems) {}

std::string TargetParser::readObject(JsonObjectReader& in) {
  const auto object = in.getString("object", Presence::kRequired);
  if (!object) return "";
  if (!text::isObjectName(*object)) {
    problems_.add(in.pathOf("object"),
                  "invalid object name '" + *object +
                      "' (use letters, digits, '_' and single spaces, starting with a letter)");
    return "";
  }
  return *object;
}

void TargetParser::readMappings(JsonObjectReader& holder, const TargetContext& context,
                                TargetConfig& target) {
  const bool hasDerived = holder.has("derivedMappings");
  Poco::JSON::Array::Ptr mappings =
      holder.getArray("mappings", hasDerived ? Presence::kOptional : Presence::kRequired);
  Poco::JSON::Array::Ptr derived = holder.getArray("derivedMappings", Presence::kOptional);
  if (!mappings && !derived) return;
  const std::string listPath = holder.pathOf(mappings ? "mappings" : "derivedMappings");
  const std::size_t items = (mappings ? mappings->size() : 0) + (derived ? derived->size() : 0);
  if (items == 0) {
    problems_.add(listPath, "must not be empty: a target needs at least one mapping");
    return;
  }

  ColumnClaims columns(problems_);
  bool anyUpsertKey = false;
  if (mappings) {
    MappingParser parser(problems_, context);
    for (std::size_t i = 0; i < mappings->size(); ++i) {
      const std::string path = ProblemCollector::element(holder.pathOf("mappings"), i);
      MappingSummary summary;
      auto m = parser.parse(mappings->get(static_cast<unsigned>(i)), path, &summary);
      anyUpsertKey = anyUpsertKey || summary.flagsUpsertKey;
      if (columns.claim(summary.target, path) && m) target.mappings.push_back(std::move(*m));
    }
  }
  if (derived) {
    DerivedMappingParser parser(problems_, target.object);
    for (std::size_t i = 0; i < derived->size(); ++i) {
      const std::string path = ProblemCollector::element(holder.pathOf("derivedMappings"), i);
      MappingSummary summary;
      auto d = parser.parse(derived->get(static_cast<unsigned>(i)), path, &summary);
      anyUpsertKey = anyUpsertKey || summary.flagsUpsertKey;
      if (columns.claim(summary.target, path) && d) target.derived.push_back(std::move(*d));
    }
  }
  if (!anyUpsertKey) problems_.add(listPath, kNoUpsertKey);
}

TargetConfig TargetParser::parseSingle(JsonObjectReader& root) {
  TargetConfig target;
  target.jsonPath = "target";
  if (Poco::JSON::Object::Ptr object = root.getObject("target", Presence::kRequired)) {
    JsonObjectReader in(object, "target", problems_);
    in.rejectUnknownKeys({"object"});
    target.object = readObject(in);
  }
  TargetContext context;
  context.objects = {target.object};
  readMappings(root, context, target);
  return target;
}

std::vector<TargetConfig> TargetParser::parseList(const Poco::JSON::Array::Ptr& targets,
                                                  const std::string& path) {
  std::vector<TargetConfig> out;
  if (targets->size() == 0 || targets->size() > kMaxTargets) {
    problems_.add(path, "expected 1 to " + std::to_string(kMaxTargets) + " targets, found " +
                            std::to_string(targets->size()));
  }
  // Every target's object first, so that fromTarget can tell a later target from an unknown one.
  TargetContext context;
  context.listed = true;
  for (std::size_t i = 0; i < targets->size(); ++i) {
    const Poco::Dynamic::Var v = targets->get(static_cast<unsigned>(i));
    std::string object;
    if (JsonObjectReader::isObject(v)) {
      const Poco::Dynamic::Var o = v.extract<Poco::JSON::Object::Ptr>()->get("object");
      if (o.isString() && text::isObjectName(o.extract<std::string>())) {
        object = o.extract<std::string>();
      }
    }
    context.objects.push_back(object);
  }

  for (std::size_t i = 0; i < targets->size(); ++i) {
    const std::string itemPath = ProblemCollector::element(path, i);
    const Poco::Dynamic::Var v = targets->get(static_cast<unsigned>(i));
    if (!JsonObjectReader::isObject(v)) {
      problems_.add(itemPath, "expected an object, found " + JsonObjectReader::kindOf(v));
      continue;
    }
    JsonObjectReader in(v.extract<Poco::JSON::Object::Ptr>(), itemPath, problems_);
    in.rejectUnknownKeys({"object", "mappings", "derivedMappings"});
    TargetConfig target;
    target.jsonPath = itemPath;
    target.object = readObject(in);
    for (const TargetConfig& earlier : out) {
      if (!target.object.empty() && text::equalsIgnoreCase(earlier.object, target.object)) {
        problems_.add(in.pathOf("object"),
                      "duplicate target object '" + target.object + "' (also " +
                          ProblemCollector::child(earlier.jsonPath, "object") + ")");
        break;
      }
    }
    context.index = i;
    readMappings(in, context, target);
    out.push_back(std::move(target));
  }
  return out;
}

}  // namespace sfsync::config
