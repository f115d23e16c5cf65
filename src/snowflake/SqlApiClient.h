// SqlApiClient: runs one read-only statement through Snowflake's SQL API v2 and hands its result
// on partition by partition:
//   POST /api/v2/statements?requestId=<uuid>  {statement, timeout, warehouse, database, schema,
//        role}; 200 = done (the body holds partition 0), 202 = still running: poll
//   GET /api/v2/statements/<handle> every pollInterval until 200 (or statementTimeout passes);
//   GET /api/v2/statements/<handle>?partition=N for N = 1.. (gzip, inflated by HttpTransport).
// Only one partition is held at a time; each response is capped (maxPartitionBytes) and has a
// deadline (responseDeadline). A 401 renews the token once; 429 / 503 / 504 and network failures
// are retried (3 times, with the POST's requestId and retry=true so Snowflake does not run it
// twice). Errors become clear statuses:
//   401 -> kUnauthenticated, 403 -> kPermissionDenied, 422 (SQL error) -> kInvalidArgument with
//   remote code "SNOWFLAKE_<code>" and Snowflake's message (e.g. an unknown table), 404 ->
//   kNotFound, 408 / statementTimeout -> kUnavailable (SNOWFLAKE_TIMEOUT), others kRemoteError.
//
// Thread-safety: not thread-safe; one per run.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "salesforce/HttpTransport.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/Status.h"
#include "sfsync/snowflake/ResultMeta.h"
#include "sfsync/snowflake/SnowflakeSettings.h"
#include "snowflake/AccessToken.h"

namespace sfsync::snowflake {

// One partition's rows: `data` is the JSON text of its "data" array (jsonv2: arrays of strings or
// nulls), valid during the call; read it with salesforce::JsonReader (no DOM). A non-OK return
// stops the statement.
using PartitionHandler =
    std::function<Status(const ResultMeta& meta, int partition, std::string_view data)>;

class SqlApiClient {
 public:
  SqlApiClient(SnowflakeSettings settings, Clock& clock);

  Status execute(const std::string& statement, const PartitionHandler& onPartition);

  // Obtains a token (key-pair: signs a JWT; OAuth: exchanges the refresh token) without a
  // statement.
  Status authenticate() { return token_->get().status(); }

  std::int64_t calls() const { return calls_; }
  const SnowflakeSettings& settings() const { return settings_; }

 private:
  // One request with auth, retries and error mapping; `body` is the text of the 200/202 answer.
  Status call(const std::string& method, const std::string& path, const std::string& payload,
              int& status, std::string& body);
  Status sendOnce(const salesforce::HttpRequest& request, salesforce::HttpResponse& response);
  // Polls the statement of a 202 answer (`body`) until it is done; `body` becomes its 200 answer.
  Status awaitResult(std::string& body);
  Status errorStatus(int httpStatus, const std::string& text) const;
  std::string requestBody(const std::string& statement) const;

  SnowflakeSettings settings_;
  Clock& clock_;
  std::unique_ptr<salesforce::HttpTransport> http_;
  std::unique_ptr<AccessToken> token_;
  std::int64_t calls_ = 0;
};

// Splits a 200 answer without building a DOM of its rows: `meta` (when not null) from
// statementHandle and resultSetMetaData (rowType, partitionInfo, numRows), `data` = the text of
// its "data" array (a view into `text`). kDataError on malformed JSON or a missing "data".
Status splitAnswer(const std::string& text, ResultMeta* meta, std::string_view& data);

}  // namespace sfsync::snowflake
