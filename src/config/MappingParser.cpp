#include "config/MappingParser.h"

#include "config/WriteBackKeys.h"

#include <limits>
#include <utility>

#include "config/ConfigText.h"
#include "config/JsonObjectReader.h"
#include "sfsync/store/TableSpec.h"

namespace sfsync::config {

namespace {

const char* const kColumnRule = "(use letters, digits and '_', starting with a letter)";

// Whether the element asks to be an upsert key at all: any "upsertKey" but a literal false.
bool flagsUpsertKey(const JsonObjectReader& in) {
  const auto raw = in.getRaw("upsertKey");
  return raw && !(raw->isBoolean() && !raw->extract<bool>());
}

// The "target" column of a mapping or derived mapping: required, a valid name, not "gsid" nor one
// of the duplicate-tracking columns the store keeps (sfsync_run, sfsync_stamp).
std::optional<std::string> targetColumn(JsonObjectReader& in, ProblemCollector& problems) {
  const auto name = in.getString("target", Presence::kRequired);
  if (!name) return std::nullopt;
  if (!text::isApiName(*name)) {
    problems.add(in.pathOf("target"),
                 "invalid column name '" + *name + "' " + std::string(kColumnRule));
    return std::nullopt;
  }
  if (text::equalsIgnoreCase(*name, "gsid")) {
    problems.add(in.pathOf("target"), "'gsid' is reserved for the generated primary key");
    return std::nullopt;
  }
  for (const char* tag : {"sfsync_run", "sfsync_stamp"}) {  // store::kRunTagColumn, kRunStampColumn
    if (text::equalsIgnoreCase(*name, tag)) {
      problems.add(in.pathOf("target"),
                   "'" + std::string(tag) + "' is reserved for sfsync's duplicate-key tracking");
      return std::nullopt;
    }
  }
  return name;
}

std::string invalidFieldMessage(const std::string& field) {
  return "invalid field name '" + field +
         "' (expected an API name like 'Name' or a path like 'Owner.Name')";
}

}  // namespace

// ---- MappingParser ----

MappingParser::MappingParser(ProblemCollector& problems, const TargetContext& context)
    : problems_(problems), context_(context) {}

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

std::string MappingParser::earlierTarget(const std::string& name, const std::string& path) {
  const auto& objects = context_.objects;
  std::size_t found = objects.size();
  for (std::size_t i = 0; i < objects.size() && found == objects.size(); ++i) {
    if (!objects[i].empty() && text::equalsIgnoreCase(objects[i], name)) found = i;
  }
  if (found < context_.index) return objects[found];
  if (!context_.listed) {
    problems_.add(path, "unknown target '" + name +
                            "': fromTarget names an earlier target of a \"targets\" list, and "
                            "this job has a single target");
  } else if (found == context_.index) {
    problems_.add(path, "fromTarget cannot name its own target '" + name +
                            "'; name an earlier target of this job");
  } else if (found < objects.size()) {
    problems_.add(path, "target '" + name + "' comes later (" +
                            ProblemCollector::element("targets", found) +
                            "); fromTarget can only name an earlier target, whose row is "
                            "written first");
  } else {
    std::vector<std::string> earlier;
    for (std::size_t i = 0; i < context_.index && i < objects.size(); ++i) {
      if (!objects[i].empty()) earlier.push_back(objects[i]);
    }
    problems_.add(path, "unknown target '" + name + "' (" +
                            (earlier.empty() ? std::string("this is the first target")
                                             : "earlier targets: " + text::join(earlier)) +
                            ")" + text::didYouMean(name, earlier));
  }
  return "";
}

std::optional<MappingConfig> MappingParser::parse(const Poco::Dynamic::Var& v,
                                                  const std::string& path,
                                                  MappingSummary* summary) {
  if (!JsonObjectReader::isObject(v)) {
    problems_.add(path, "expected an object, found " + JsonObjectReader::kindOf(v));
    return std::nullopt;
  }
  JsonObjectReader in(v.extract<Poco::JSON::Object::Ptr>(), path, problems_);
  const std::size_t before = problems_.count();
  in.rejectUnknownKeys(
      {"source", "constant", "fromTarget", "target", "type", "upsertKey", "realtime", "direction"});

  MappingConfig m;
  m.jsonPath = path;
  summary->flagsUpsertKey = flagsUpsertKey(in);
  if (const auto key = in.getBool("upsertKey", Presence::kOptional)) m.upsertKey = *key;
  if (const auto realtime = in.getBool("realtime", Presence::kOptional)) m.realtime = *realtime;

  std::vector<std::string> kinds;
  for (const char* k : {"source", "constant", "fromTarget"}) {
    if (in.has(k)) kinds.push_back(std::string("'") + k + "'");
  }
  if (kinds.size() > 1) {
    problems_.add(path, "a mapping has only one of 'source', 'constant' and 'fromTarget' (found " +
                            text::join(kinds, " and ") + ")");
  } else if (kinds.empty()) {
    problems_.add(path,
                  "a mapping needs 'source' (a Salesforce field), 'constant' (a value) or "
                  "'fromTarget' (an earlier target of this job)");
  } else if (in.has("source")) {
    if (const auto source = in.getString("source", Presence::kRequired)) {
      if (text::isFieldPath(*source)) {
        m.source = *source;
      } else {
        problems_.add(in.pathOf("source"), invalidFieldMessage(*source));
      }
    }
  } else if (in.has("constant")) {
    m.constant = constantValue(*in.getRaw("constant"), in.pathOf("constant"));
    if (m.upsertKey) {
      problems_.add(in.pathOf("upsertKey"), "a constant mapping cannot be an upsert key");
    }
  } else if (const auto from = in.getString("fromTarget", Presence::kRequired)) {
    m.fromTarget = earlierTarget(text::trim(*from), in.pathOf("fromTarget"));
  }

  if (const auto column = targetColumn(in, problems_)) {
    m.target = *column;
    summary->target = *column;
  }

  if (const auto type = in.getString("type", Presence::kOptional)) {
    store::ColumnType parsed;
    if (!store::parseColumnType(text::trim(*type), &parsed)) {
      problems_.add(
          in.pathOf("type"),
          "unknown type '" + *type + "' (expected text, integer, real, boolean, date or datetime)");
    } else if (in.has("fromTarget") && parsed != store::ColumnType::kText) {
      problems_.add(in.pathOf("type"), "a fromTarget mapping receives a gsid: its type is text");
    } else {
      m.type = parsed;
    }
  }
  write_back_keys::readDirection(in, m);
  if (problems_.count() != before) return std::nullopt;
  return m;
}

// ---- DerivedMappingParser ----

DerivedMappingParser::DerivedMappingParser(ProblemCollector& problems, std::string ownObject)
    : problems_(problems), ownObject_(std::move(ownObject)) {}

void DerivedMappingParser::parseMatch(const Poco::JSON::Array::Ptr& pairs, const std::string& path,
                                      DerivedMappingConfig& d) {
  if (pairs->size() == 0 || pairs->size() > kMaxMatchPairs) {
    problems_.add(path, "expected 1 to " + std::to_string(kMaxMatchPairs) + " match pairs, found " +
                            std::to_string(pairs->size()));
    return;
  }
  for (std::size_t i = 0; i < pairs->size(); ++i) {
    const std::string pairPath = ProblemCollector::element(path, i);
    const Poco::Dynamic::Var v = pairs->get(static_cast<unsigned>(i));
    if (!JsonObjectReader::isObject(v)) {
      problems_.add(pairPath, "expected an object, found " + JsonObjectReader::kindOf(v));
      continue;
    }
    JsonObjectReader in(v.extract<Poco::JSON::Object::Ptr>(), pairPath, problems_);
    in.rejectUnknownKeys({"source", "target"});
    MatchPair pair;
    if (const auto source = in.getString("source", Presence::kRequired)) {
      if (text::isFieldPath(*source)) {
        pair.source = *source;
      } else {
        problems_.add(in.pathOf("source"), invalidFieldMessage(*source));
      }
    }
    if (const auto target = in.getString("target", Presence::kRequired)) {
      if (text::isApiName(*target)) {
        pair.target = *target;
      } else {
        problems_.add(in.pathOf("target"),
                      "invalid column name '" + *target + "' " + std::string(kColumnRule));
      }
    }
    d.match.push_back(std::move(pair));
  }
}

std::optional<DerivedMappingConfig> DerivedMappingParser::parse(const Poco::Dynamic::Var& v,
                                                                const std::string& path,
                                                                MappingSummary* summary) {
  if (!JsonObjectReader::isObject(v)) {
    problems_.add(path, "expected an object, found " + JsonObjectReader::kindOf(v));
    return std::nullopt;
  }
  JsonObjectReader in(v.extract<Poco::JSON::Object::Ptr>(), path, problems_);
  const std::size_t before = problems_.count();
  in.rejectUnknownKeys(
      {"target", "lookup", "match", "onMultipleMatches", "onNoMatch", "default", "upsertKey"});

  DerivedMappingConfig d;
  d.jsonPath = path;
  summary->flagsUpsertKey = flagsUpsertKey(in);
  if (const auto key = in.getBool("upsertKey", Presence::kOptional)) d.upsertKey = *key;

  if (const auto column = targetColumn(in, problems_)) {
    d.target = *column;
    summary->target = *column;
  }

  bool selfLookup = false;
  if (const auto lookup = in.getString("lookup", Presence::kRequired)) {
    const std::string object = text::trim(*lookup);
    if (!text::isObjectName(object)) {
      problems_.add(in.pathOf("lookup"),
                    "invalid object name '" + *lookup +
                        "' (use letters, digits, '_' and single spaces, starting with a letter)");
    } else {
      selfLookup = !ownObject_.empty() && text::equalsIgnoreCase(object, ownObject_);
      d.lookupObject = selfLookup ? ownObject_ : object;
    }
  }

  if (Poco::JSON::Array::Ptr pairs = in.getArray("match", Presence::kRequired)) {
    parseMatch(pairs, in.pathOf("match"), d);
  }

  if (const auto policy =
          in.getChoice("onMultipleMatches", Presence::kOptional, "policy", {"useAny", "error"})) {
    d.onMultipleMatches = *policy == 0 ? MultipleMatchPolicy::kUseAny : MultipleMatchPolicy::kError;
  }
  const bool noMatchGiven = in.has("onNoMatch");
  const auto noMatch =
      in.getChoice("onNoMatch", Presence::kOptional, "policy", {"null", "reject", "default"});
  if (noMatch) {
    d.onNoMatch = *noMatch == 0   ? NoMatchPolicy::kNull
                  : *noMatch == 1 ? NoMatchPolicy::kReject
                                  : NoMatchPolicy::kDefault;
  }
  if (noMatch || !noMatchGiven) {  // an unknown policy says nothing about "default"
    if (d.onNoMatch == NoMatchPolicy::kDefault) {
      if (!in.has("default")) {
        problems_.add(in.pathOf("default"), "is required when \"onNoMatch\" is \"default\"");
      } else if (const auto value = in.getString("default", Presence::kRequired)) {
        d.defaultValue = Value{*value};
      }
    } else if (in.has("default")) {
      problems_.add(in.pathOf("default"), "is only used with \"onNoMatch\": \"default\"");
    }
  }
  if (selfLookup && d.onNoMatch == NoMatchPolicy::kReject) {
    problems_.add(in.pathOf("onNoMatch"),
                  "a self-lookup cannot reject records: the referenced record may arrive later in "
                  "the same extract; use null or default");
  }
  if (problems_.count() != before) return std::nullopt;
  return d;
}

}  // namespace sfsync::config
