// SqlApiClient: runs one read-only statement through Snowflake's SQL API v2 and hands its rows
// on as they arrive from the socket:
//   POST /api/v2/statements?requestId=<uuid>  {statement, bindings, timeout, warehouse, database,
//        schema, role}; 200 = done (the body holds partition 0), 202 = still running: poll
//   GET /api/v2/statements/<handle> every pollInterval until 200 (or statementTimeout passes);
//   GET /api/v2/statements/<handle>?partition=N for N = 1.. (gzip, inflated by HttpTransport).
// A 200 answer is not collected: HttpTransport streams its body into a ResultStream (yajl), which
// hands each row on when it is complete, so memory holds a row and the caller's page, not a
// partition. Each response is capped (maxPartitionBytes) and has a deadline (responseDeadline,
// not counting the time the handler takes). A 401 renews the token once; 429 / 503 / 504 and
// network failures are retried (3 times, with the POST's requestId and retry=true so Snowflake
// does not run it twice); a response cut off mid-way is fetched again and the rows already handed
// on are skipped. Errors become clear statuses:
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

#include <vector>

#include "salesforce/HttpTransport.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/Status.h"
#include "sfsync/core/Value.h"
#include "sfsync/snowflake/ResultMeta.h"
#include "sfsync/snowflake/SnowflakeQuery.h"
#include "sfsync/snowflake/SnowflakeSettings.h"
#include "snowflake/AccessToken.h"

namespace sfsync::snowflake {

// What a statement's result is handed to. A non-OK return stops the statement.
struct ResultHandler {
  // Once, when resultSetMetaData has arrived, before any row (also for an empty result).
  std::function<Status(const ResultMeta& meta)> onMeta;
  // Each row, in order: its cells indexed like meta.columns (Value() for null, else jsonv2 text).
  std::function<Status(const ResultMeta& meta, int partition, std::vector<Value>& cells)> onRow;
};

class SqlApiClient {
 public:
  SqlApiClient(SnowflakeSettings settings, Clock& clock);

  Status execute(const BoundStatement& statement, const ResultHandler& handler);

  // Obtains a token (key-pair: signs a JWT; OAuth: exchanges the refresh token) without a
  // statement.
  Status authenticate() { return token_->get().status(); }

  std::int64_t calls() const { return calls_; }
  const SnowflakeSettings& settings() const { return settings_; }

 private:
  // How a 200 answer is read: streamed into a ResultStream whose rows go to onRow. `delivered`
  // survives retries (those rows are skipped when the answer is fetched again).
  struct StreamedAnswer {
    ResultMeta* meta = nullptr;  // a statement's answer: filled from its resultSetMetaData
    std::function<Status(std::vector<Value>& cells)> onRow;
    std::int64_t delivered = 0;
  };
  // One request with auth, retries and error mapping. `body` is the text of a collected answer
  // (202, or 200 when `answer` is null); a 200 answer with `answer` set is streamed into it.
  Status call(const std::string& method, const std::string& path, const std::string& payload,
              int& status, std::string& body, StreamedAnswer* answer = nullptr);
  // A request to <accountUrl><path> with the token's headers.
  salesforce::HttpRequest buildRequest(const std::string& method, const std::string& path,
                                       const std::string& token, const std::string& payload) const;
  Status sendOnce(const salesforce::HttpRequest& request, salesforce::HttpResponse& response,
                  const salesforce::BodyStream* stream);
  // Polls the statement of a 202 answer (`body`) until its 200 answer was streamed into `answer`.
  Status awaitResult(const std::string& body, StreamedAnswer& answer);
  Status errorStatus(int httpStatus, const std::string& text) const;
  std::string requestBody(const BoundStatement& statement) const;

  SnowflakeSettings settings_;
  Clock& clock_;
  std::unique_ptr<salesforce::HttpTransport> http_;
  std::unique_ptr<AccessToken> token_;
  std::int64_t calls_ = 0;
};

}  // namespace sfsync::snowflake
