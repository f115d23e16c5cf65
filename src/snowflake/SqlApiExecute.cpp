// SqlApiClient::execute (split from SqlApiClient.cpp: requests there, statement flow here): the
// statement's answer and its further partitions are streamed into ResultStream (see
// SqlApiClient::call); only the small 202 bodies go through Poco's DOM.
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/UUIDGenerator.h>

#include "snowflake/SqlApiClient.h"

namespace sfsync::snowflake {

namespace {

std::string handleOf(const std::string& text) {
  try {
    Poco::JSON::Object::Ptr o = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    return o->optValue<std::string>("statementHandle", "");
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace

Status SqlApiClient::awaitResult(const std::string& body, StreamedAnswer& answer) {
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
    std::string pending;
    Status polled = call("GET", "/api/v2/statements/" + handle, "", status, pending, &answer);
    if (!polled.ok() || status == 200) return polled;
  }
}

Status SqlApiClient::execute(const BoundStatement& statement, const ResultHandler& handler) {
  const std::string requestId = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  ResultMeta meta;
  bool announced = false;
  int partition = 0;
  const auto announce = [&]() {
    announced = true;
    return handler.onMeta ? handler.onMeta(meta) : Status::OK();
  };
  StreamedAnswer answer;
  answer.meta = &meta;
  answer.onRow = [&](std::vector<Value>& cells) {
    if (!announced) {
      Status s = announce();
      if (!s.ok()) return s;
    }
    return handler.onRow ? handler.onRow(meta, partition, cells) : Status::OK();
  };
  int status = 0;
  std::string body;
  Status s = call("POST", "/api/v2/statements?requestId=" + requestId, requestBody(statement),
                  status, body, &answer);
  if (s.ok() && status == 202) s = awaitResult(body, answer);
  if (!s.ok()) return s;
  if (!announced) s = announce();
  if (!s.ok()) return s;
  for (partition = 1; partition < static_cast<int>(meta.partitionRows.size()); ++partition) {
    StreamedAnswer rest;
    rest.onRow = answer.onRow;
    s = call(
        "GET",
        "/api/v2/statements/" + meta.statementHandle + "?partition=" + std::to_string(partition),
        "", status, body, &rest);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace sfsync::snowflake
