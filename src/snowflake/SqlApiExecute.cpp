// SqlApiClient::execute and its result parsing (split from SqlApiClient.cpp: requests there,
// statement flow here).
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/UUIDGenerator.h>

#include "snowflake/SqlApiClient.h"

namespace sfsync::snowflake {

Status parseResultMeta(const Poco::JSON::Object& body, ResultMeta& meta) {
  try {
    meta.statementHandle = body.optValue<std::string>("statementHandle", "");
    Poco::JSON::Object::Ptr md = body.getObject("resultSetMetaData");
    if (!md) return Status::DataError("Snowflake answer without resultSetMetaData");
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
  }
}

Status SqlApiClient::awaitResult(Poco::JSON::Object::Ptr& body) {
  const std::string handle = body->optValue<std::string>("statementHandle", "");
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
  Poco::JSON::Object::Ptr body;
  Status s = call("POST", "/api/v2/statements?requestId=" + requestId, requestBody(statement),
                  status, body);
  if (s.ok() && status == 202) s = awaitResult(body);
  if (!s.ok()) return s;
  ResultMeta meta;
  s = parseResultMeta(*body, meta);
  if (!s.ok()) return s;
  for (int partition = 0; partition < static_cast<int>(meta.partitionRows.size()); ++partition) {
    if (partition > 0) {
      body = nullptr;  // the previous partition is released before the next is read
      s = call(
          "GET",
          "/api/v2/statements/" + meta.statementHandle + "?partition=" + std::to_string(partition),
          "", status, body);
      if (!s.ok()) return s;
    }
    Poco::JSON::Array::Ptr data = body->getArray("data");
    if (!data) {
      return Status::DataError("Snowflake partition " + std::to_string(partition) +
                               " of statement " + meta.statementHandle + " has no data");
    }
    s = onPartition(meta, partition, *data);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace sfsync::snowflake
