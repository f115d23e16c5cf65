#include "snowflake/SqlApiClient.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/UUIDGenerator.h>

#include <optional>
#include <sstream>

#include "snowflake/ResultStream.h"

namespace sfsync::snowflake {

namespace {

constexpr int kMaxRetries = 3;

salesforce::TransportOptions transportOptions(const SnowflakeSettings& s) {
  salesforce::TransportOptions options;
  options.timeout = s.timeout;
  options.responseDeadline = s.responseDeadline;
  options.maxResponseBytes = s.maxPartitionBytes;
  options.maxStreamedResponseBytes = s.maxPartitionBytes;  // a streamed partition, the same cap
  options.limitPrefix = "connection." + s.name + ".";
  options.caFile = s.caFile;
  options.verifyCertificates = s.verifyCertificates;
  return options;
}

bool retryable(int status) { return status == 429 || status == 503 || status == 504; }

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
  try {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

SqlApiClient::SqlApiClient(SnowflakeSettings settings, Clock& clock)
    : settings_(std::move(settings)),
      clock_(clock),
      http_(std::make_unique<salesforce::HttpTransport>(transportOptions(settings_))),
      token_(std::make_unique<AccessToken>(settings_, clock_, *http_)) {}

std::string SqlApiClient::requestBody(const BoundStatement& statement) const {
  Poco::JSON::Object body;
  body.set("statement", statement.sql);
  if (!statement.bindings.empty()) {
    Poco::JSON::Object::Ptr bindings = new Poco::JSON::Object;
    for (std::size_t i = 0; i < statement.bindings.size(); ++i) {
      Poco::JSON::Object::Ptr one = new Poco::JSON::Object;
      one->set("type", statement.bindings[i].type);
      one->set("value", statement.bindings[i].value);
      bindings->set(std::to_string(i + 1), one);
    }
    body.set("bindings", bindings);
  }
  body.set("timeout", static_cast<std::int64_t>(settings_.statementTimeout.count()));
  if (!settings_.warehouse.empty()) body.set("warehouse", settings_.warehouse);
  if (!settings_.database.empty()) body.set("database", settings_.database);
  if (!settings_.schema.empty()) body.set("schema", settings_.schema);
  if (!settings_.role.empty()) body.set("role", settings_.role);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

Status SqlApiClient::errorStatus(int httpStatus, const std::string& text) const {
  Poco::JSON::Object::Ptr body = parseObject(text);
  const std::string code = body ? body->optValue<std::string>("code", "") : "";
  std::string message = body ? body->optValue<std::string>("message", "") : "";
  if (message.size() > 500) message.resize(500);
  const std::string remote =
      code.empty() ? "HTTP_" + std::to_string(httpStatus) : "SNOWFLAKE_" + code;
  const std::string what = "Snowflake (" + settings_.name + ") answered HTTP " +
                           std::to_string(httpStatus) + (code.empty() ? "" : " code " + code) +
                           (message.empty() ? "" : ": " + message);
  switch (httpStatus) {
    case 401:
      return Status::Unauthenticated(what).withRemote(remote, httpStatus);
    case 403:
      return Status::PermissionDenied(what).withRemote(remote, httpStatus);
    case 404:
      return Status::NotFound(what).withRemote(remote, httpStatus);
    case 408:
      return Status::Unavailable(what).withRemote("SNOWFLAKE_TIMEOUT", httpStatus);
    case 400:
    case 422:
      return Status::InvalidArgument(what).withRemote(remote, httpStatus);
    default:
      break;
  }
  if (retryable(httpStatus)) return Status::Unavailable(what).withRemote(remote, httpStatus);
  return Status::RemoteError(what).withRemote(remote, httpStatus);
}

Status SqlApiClient::sendOnce(const salesforce::HttpRequest& request,
                              salesforce::HttpResponse& response,
                              const salesforce::BodyStream* stream) {
  ++calls_;
  return http_->send(request, response, stream);
}

salesforce::HttpRequest SqlApiClient::buildRequest(const std::string& method,
                                                   const std::string& path,
                                                   const std::string& token,
                                                   const std::string& payload) const {
  salesforce::HttpRequest request;
  request.method = method;
  request.url = settings_.accountUrl + path;
  request.headers = {{"Authorization", "Bearer " + token},
                     {"X-Snowflake-Authorization-Token-Type", token_->tokenType()},
                     {"Accept", "application/json"},
                     {"User-Agent", "sfsync"}};
  if (method == "POST") request.contentType = "application/json";
  request.body = payload;
  return request;
}

Status SqlApiClient::call(const std::string& method, const std::string& path,
                          const std::string& payload, int& status, std::string& body,
                          StreamedAnswer* answer) {
  bool renewed = false;
  Status last;
  std::optional<Status> stop;  // the row handler's own failure: final, not retried
  std::unique_ptr<ResultStream> rows;
  salesforce::BodyStream stream;
  stream.begin = [&](const salesforce::HttpResponse& head, bool& streamIt) {
    rows.reset();
    streamIt = head.status == 200;
    if (!streamIt) return Status::OK();  // 202 or an error body: collected
    rows = std::make_unique<ResultStream>(answer->meta, answer->delivered,
                                          [answer](std::vector<Value>& cells) {
                                            ++answer->delivered;
                                            return answer->onRow(cells);
                                          });
    return Status::OK();
  };
  stream.write = [&](const char* data, std::size_t size) {
    Status fed = rows->feed(data, size);
    if (!fed.ok() && rows->sinkStopped()) stop = fed;
    return fed;
  };
  for (int attempt = 0; attempt <= kMaxRetries; ++attempt) {
    if (attempt > 0) clock_.sleepFor(std::chrono::milliseconds(200 << attempt));
    Result<std::string> token = token_->get();
    if (!token.ok()) return token.status();
    const salesforce::HttpRequest request = buildRequest(
        method, path + (attempt > 0 && method == "POST" ? "&retry=true" : ""), *token, payload);
    salesforce::HttpResponse response;
    rows.reset();
    last = sendOnce(request, response, answer != nullptr ? &stream : nullptr);
    if (stop) return *stop;
    if (!last.ok()) {
      if (last.code() == StatusCode::kUnavailable &&
          last.remoteCode() != salesforce::kCertificateVerifyFailed) {
        continue;  // a cut-off answer too: fetched again, its delivered rows skipped
      }
      return last;
    }
    status = response.status;
    if (status == 401 && !renewed && settings_.auth == SnowflakeAuth::kOAuth) {
      renewed = true;  // an access token that expired early: renew it once
      token_->invalidate();
      --attempt;
      continue;
    }
    if (status == 200 && answer != nullptr) {
      return rows ? rows->finish() : Status::Internal("Snowflake answer was not streamed");
    }
    if (status == 200 || status == 202) {
      body = std::move(response.body);  // a small answer (202, or not streamed)
      return Status::OK();
    }
    last = errorStatus(status, response.body);
    if (!retryable(status)) return last;
  }
  return last;
}

}  // namespace sfsync::snowflake
