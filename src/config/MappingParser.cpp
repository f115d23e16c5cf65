#include "config/MappingParser.h"

#include <limits>
#include <utility>

#include "config/ConfigText.h"
#include "config/JsonObjectReader.h"
#include "sfsync/store/TableSpec.h"

namespace sfsync::config {

MappingParser::MappingParser(ProblemCollector& problems) : problems_(problems) {}

std::optional<Value> MappingParser::constantValue(const Poco::Dynamic::Var& v,
                                                  const std::string& path) {
  if (v.isEmpty()) return Value{};
  if (v.isBoolean()) return Value{v.extract<bool>()};
  if (v.isString()) return Value{v.extract<std::string>()};
  if (v.isInteger()) {
    if (!v.isSigned() && v.convert<Poco::UInt64>() >
                             static_cast<Poco::UInt64>(std::numeric_limits<std::int64_t>::max())) {
      problems_.add(path, "integer constant is out of range");
      return std::nullopt;
    }
    return Value{static_cast<std::int64_t>(v.convert<Poco::Int64>())};
  }
  if (v.isNumeric()) return Value{v.convert<double>()};
  problems_.add(path,
                "expected a string, number, boolean or null, found " + JsonObjectReader::kindOf(v));
  return std::nullopt;
}

std::optional<MappingConfig> MappingParser::parseOne(const Poco::Dynamic::Var& v,
                                                     const std::string& path, bool* flagsUpsertKey,
                                                     std::string* target) {
  if (!JsonObjectReader::isObject(v)) {
    problems_.add(path, "expected an object, found " + JsonObjectReader::kindOf(v));
    return std::nullopt;
  }
  JsonObjectReader in(v.extract<Poco::JSON::Object::Ptr>(), path, problems_);
  const std::size_t before = problems_.count();
  in.rejectUnknownKeys({"source", "constant", "target", "type", "upsertKey"});

  MappingConfig m;
  m.jsonPath = path;
  const auto upsertRaw = in.getRaw("upsertKey");
  *flagsUpsertKey = upsertRaw && !(upsertRaw->isBoolean() && !upsertRaw->extract<bool>());
  if (const auto key = in.getBool("upsertKey", Presence::kOptional)) m.upsertKey = *key;

  const bool hasSource = in.has("source");
  const bool hasConstant = in.has("constant");
  if (hasSource && hasConstant) {
    problems_.add(path, "a mapping has either 'source' or 'constant', not both");
  } else if (!hasSource && !hasConstant) {
    problems_.add(path, "a mapping needs 'source' (a Salesforce field) or 'constant'");
  } else if (hasSource) {
    if (const auto source = in.getString("source", Presence::kRequired)) {
      if (text::isFieldPath(*source)) {
        m.source = *source;
      } else {
        problems_.add(in.pathOf("source"), "invalid field name '" + *source +
                                               "' (expected an API name like 'Name' or a path "
                                               "like 'Owner.Name')");
      }
    }
  } else {
    m.constant = constantValue(*in.getRaw("constant"), in.pathOf("constant"));
    if (m.upsertKey) {
      problems_.add(in.pathOf("upsertKey"), "a constant mapping cannot be an upsert key");
    }
  }

  if (const auto name = in.getString("target", Presence::kRequired)) {
    if (!text::isApiName(*name)) {
      problems_.add(in.pathOf("target"), "invalid column name '" + *name +
                                             "' (use letters, digits and '_', starting with a "
                                             "letter)");
    } else if (text::equalsIgnoreCase(*name, "gsid")) {
      problems_.add(in.pathOf("target"), "'gsid' is reserved for the generated primary key");
    } else {
      m.target = *name;
      *target = *name;
    }
  }

  if (const auto type = in.getString("type", Presence::kOptional)) {
    store::ColumnType parsed;
    if (store::parseColumnType(text::trim(*type), &parsed)) {
      m.type = parsed;
    } else {
      problems_.add(
          in.pathOf("type"),
          "unknown type '" + *type + "' (expected text, integer, real, boolean, date or datetime)");
    }
  }
  if (problems_.count() != before) return std::nullopt;
  return m;
}

std::vector<MappingConfig> MappingParser::parse(const Poco::JSON::Array::Ptr& mappings,
                                                const std::string& path) {
  std::vector<MappingConfig> out;
  if (mappings->size() == 0) {
    problems_.add(path, "must not be empty: a job needs at least one mapping");
    return out;
  }
  bool anyUpsertKey = false;
  std::vector<std::pair<std::string, std::string>> targets;  // (target, its path), valid names only
  for (std::size_t i = 0; i < mappings->size(); ++i) {
    const std::string itemPath = ProblemCollector::element(path, i);
    bool flagsUpsertKey = false;
    std::string target;
    auto m = parseOne(mappings->get(static_cast<unsigned>(i)), itemPath, &flagsUpsertKey, &target);
    anyUpsertKey = anyUpsertKey || flagsUpsertKey;
    bool duplicate = false;
    for (const auto& [seen, seenPath] : targets) {
      if (!target.empty() && text::equalsIgnoreCase(seen, target)) {
        problems_.add(ProblemCollector::child(itemPath, "target"),
                      "duplicate target '" + target + "' (also " + seenPath + ")");
        duplicate = true;
        break;
      }
    }
    if (!target.empty() && !duplicate) {
      targets.emplace_back(target, ProblemCollector::child(itemPath, "target"));
    }
    if (m && !duplicate) out.push_back(std::move(*m));
  }
  if (!anyUpsertKey) {
    problems_.add(path, "job has no upsert key: mark at least one mapping \"upsertKey\": true");
  }
  return out;
}

}  // namespace sfsync::config
