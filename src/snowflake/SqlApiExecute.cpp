// SqlApiClient::execute and its answer parsing (split from SqlApiClient.cpp: requests there,
// statement flow here). Answers are split with salesforce::JsonReader; only the small
// resultSetMetaData and 202 bodies go through Poco's DOM.
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/UUIDGenerator.h>

#include "salesforce/JsonReader.h"
#include "snowflake/SqlApiClient.h"

namespace sfsync::snowflake {

namespace {

Status parseMeta(std::string_view text, ResultMeta& meta) {
  try {
    Poco::JSON::Object::Ptr md =
        Poco::JSON::Parser().parse(std::string(text)).extract<Poco::JSON::Object::Ptr>();
    meta.numRows = md->optValue<std::int64_t>("numRows", 0);
    meta.columns.clear();
    Poco::JSON::Array::Ptr rowType = md->getArray("rowType");
    for (std::size_t i = 0; rowType && i < rowType->size(); ++i) {
      Poco::JSON::Object::Ptr c = rowType->getObject(static_cast<unsigned>(i));
      if (!c) return Status::DataError("Snowflake rowType entry is not an object");
      meta.columns.push_back({c->optValue<std::string>("name", ""),
                              Poco::toLower(c->optValue<std::string>("type", "text")),
                              c->optValue<int>("scale", 0)});
    }
    meta.partitionRows.clear();
    Poco::JSON::Array::Ptr parts = md->getArray("partitionInfo");
    for (std::size_t i = 0; parts && i < parts->size(); ++i) {
      Poco::JSON::Object::Ptr p = parts->getObject(static_cast<unsigned>(i));
      meta.partitionRows.push_back(p ? p->optValue<std::int64_t>("rowCount", 0) : 0);
    }
    if (meta.partitionRows.empty()) meta.partitionRows.push_back(meta.numRows);
    return Status::OK();
  } catch (const Poco::Exception& e) {
    return Status::DataError("malformed Snowflake resultSetMetaData: " + e.displayText());
  } catch (const std::exception& e) {
    return Status::DataError(std::string("malformed Snowflake resultSetMetaData: ") + e.what());
  }
}

std::string handleOf(const std::string& text) {
  try {
    Poco::JSON::Object::Ptr o = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    return o->optValue<std::string>("statementHandle", "");
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace

Status splitAnswer(const std::string& text, ResultMeta* meta, std::string_view& data) {
  salesforce::JsonReader in(text);
  const auto bad = [&in](const char* what) {
    return Status::DataError(std::string("malformed Snowflake answer: ") + what +
                             (in.error().empty() ? "" : " (" + in.error() + ")"));
  };
  bool sawMeta = false, sawData = false;
  if (!in.expect('{')) return bad("not an object");
  if (!in.tryConsume('}')) {
    do {
      std::string_view key;
      std::string scratch;
      if (!in.readString(key, scratch) || !in.expect(':')) return bad("bad key");
      const std::string name(key);
      (void)in.peek();  // the value starts after the whitespace
      const char* start = in.position();
      if (!in.skipValue()) return bad("bad value");
      const std::string_view raw = in.since(start);
      if (name == "data") {
        data = raw;
        sawData = true;
      } else if (meta != nullptr && name == "resultSetMetaData") {
        Status s = parseMeta(raw, *meta);
        if (!s.ok()) return s;
        sawMeta = true;
      } else if (meta != nullptr && name == "statementHandle") {
        salesforce::JsonReader h(raw);
        std::string_view handle;
        if (h.readString(handle, scratch)) meta->statementHandle = std::string(handle);
      }
    } while (in.tryConsume(','));
    if (!in.expect('}')) return bad("unterminated object");
  }
  if (meta != nullptr && !sawMeta) return bad("no resultSetMetaData");
  if (!sawData) return bad("no data");
  return Status::OK();
}

Status SqlApiClient::awaitResult(std::string& body) {
  const std::string handle = handleOf(body);
  if (handle.empty()) return Status::DataError("Snowflake answered 202 without a statementHandle");
  const Clock::TimePoint giveUp = clock_.now() + settings_.statementTimeout;
  for (;;) {
    if (clock_.now() >= giveUp) {
      return Status::Unavailable("Snowflake (" + settings_.name + "): statement " + handle +
                                 " not done after statementTimeout " +
                                 std::to_string(settings_.statementTimeout.count()) + " s")
          .withRemote("SNOWFLAKE_TIMEOUT");
    }
    clock_.sleepFor(settings_.pollInterval);
    int status = 0;
    Status polled = call("GET", "/api/v2/statements/" + handle, "", status, body);
    if (!polled.ok()) return polled;
    if (status == 200) return Status::OK();
  }
}

Status SqlApiClient::execute(const std::string& statement, const PartitionHandler& onPartition) {
  const std::string requestId = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  int status = 0;
  std::string body;
  Status s = call("POST", "/api/v2/statements?requestId=" + requestId, requestBody(statement),
                  status, body);
  if (s.ok() && status == 202) s = awaitResult(body);
  if (!s.ok()) return s;
  ResultMeta meta;
  std::string_view data;
  s = splitAnswer(body, &meta, data);
  if (!s.ok()) return s;
  for (int partition = 0; partition < static_cast<int>(meta.partitionRows.size()); ++partition) {
    if (partition > 0) {
      body.clear();  // the previous partition's text is replaced by the next one's
      s = call(
          "GET",
          "/api/v2/statements/" + meta.statementHandle + "?partition=" + std::to_string(partition),
          "", status, body);
      if (s.ok()) s = splitAnswer(body, nullptr, data);
      if (!s.ok()) return s;
    }
    s = onPartition(meta, partition, data);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace sfsync::snowflake
