#include "salesforce/HttpSalesforceClient.h"

#include <Poco/Logger.h>
#include <Poco/String.h>

#include <algorithm>
#include <exception>
#include <limits>

#include "salesforce/Backoff.h"
#include "salesforce/DescribeParser.h"
#include "salesforce/QueryPageParser.h"
#include "salesforce/ReplicationParsers.h"
#include "salesforce/SalesforceError.h"

namespace sfsync::salesforce {

namespace {

// The final status after the retry budget is spent: same code and remote tags, with a note.
Status gaveUp(const Status& last, int retries) {
  const std::string msg = last.message() + " (gave up after " + std::to_string(retries) +
                          (retries == 1 ? " retry)" : " retries)");
  const Status out =
      last.code() == StatusCode::kDataError ? Status::DataError(msg) : Status::Unavailable(msg);
  return out.withRemote(last.remoteCode(), last.httpStatus());
}

bool isValidObjectName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string normalizedVersion(std::string version) {
  if (version.empty()) return "v62.0";
  if (version.front() != 'v' && version.front() != 'V') version = "v" + version;
  version.front() = 'v';
  return version;
}

bool startsWith(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

namespace {

// "connection.<name>." - the prefix of the connection's keys in sfsync.properties, for messages.
std::string keyPrefix(const ConnectionSettings& settings) {
  return "connection." + (settings.name.empty() ? std::string("<name>") : settings.name) + ".";
}

TransportOptions transportOptions(const ConnectionSettings& settings,
                                  std::shared_ptr<CancellationToken> cancellation) {
  TransportOptions options;
  options.timeout = settings.timeout;
  options.caFile = settings.caFile;
  options.verifyCertificates = settings.verifyCertificates;
  options.maxResponseBytes = settings.maxResponseBytes;
  options.maxStreamedResponseBytes = settings.maxStreamedResponseBytes;
  options.responseDeadline = settings.responseDeadline;
  options.limitPrefix = keyPrefix(settings);
  options.cancel = std::move(cancellation);
  return options;
}

}  // namespace

HttpSalesforceClient::HttpSalesforceClient(ConnectionSettings settings,
                                           std::shared_ptr<Clock> clock,
                                           std::shared_ptr<CancellationToken> cancellation)
    : settings_(std::move(settings)),
      clock_(clock ? std::move(clock) : systemClock()),
      transportOptions_(transportOptions(settings_, std::move(cancellation))),
      transport_(transportOptions_),
      authenticator_(settings_, transport_, *clock_),
      retries_(settings_.name) {
  settings_.apiVersion = normalizedVersion(settings_.apiVersion);
}

Status HttpSalesforceClient::authenticate() {
  token_.reset();
  Result<AccessToken> token = authenticator_.requestToken(usage_, &retries_);
  if (!token.ok()) return token.status();
  token_ = std::move(token).value();
  return Status::OK();
}

std::string HttpSalesforceClient::dataPath(const std::string& rest) const {
  return "/services/data/" + settings_.apiVersion + rest;
}

Result<std::string> HttpSalesforceClient::instanceUrlFor(const std::string& target) const {
  const std::string& base = token_->instanceUrl;
  if (startsWith(target, "http://") || startsWith(target, "https://")) {
    // The bearer token must never travel to another host (e.g. a forged nextRecordsUrl).
    if (startsWith(target, base + "/")) return target;
    return Status::DataError("refusing to follow a URL outside the instance " + base);
  }
  if (startsWith(target, "/")) return base + target;
  return base + "/" + target;
}

Status HttpSalesforceClient::prepare(const Call& call, HttpRequest& request) {
  if (transport_.cancellation()->cancelled()) {
    return Status::Unavailable("Salesforce call cancelled (shutting down)").withRemote(kCancelled);
  }
  if (!token_) {
    if (Status st = authenticate(); !st.ok()) return st;
  }
  if (usage_.calls >= settings_.maxCallsPerRun) {
    const std::string key = keyPrefix(settings_) + "maxCallsPerRun";
    return Status::PermissionDenied(
               "call budget of this run spent: " + std::to_string(usage_.calls) +
               " Salesforce calls made, " + key + " = " + std::to_string(settings_.maxCallsPerRun) +
               "; raise " + key + " if the query is expected to need more pages")
        .withRemote(kCallBudgetExceeded);
  }
  if (Status st = checkApiBudget(); !st.ok()) return st;
  Result<std::string> url = instanceUrlFor(call.target);
  if (!url.ok()) return url.status();
  request = HttpRequest{};
  request.method = call.method;
  request.url = std::move(url).value();
  request.headers = call.headers;
  request.headers.emplace_back("Authorization", "Bearer " + token_->accessToken);
  request.body = call.body;
  request.idempotent = call.idempotent;
  return Status::OK();
}

Status HttpSalesforceClient::evaluate(Status sent, const BodyCheck& check, RetryCause& cause) {
  cause = RetryCause::kNone;
  if (sent.code() != StatusCode::kInvalidArgument) ++usage_.calls;
  noteLimitInfo();
  if (!sent.ok()) {
    if (RetryRecorder::retryable(sent)) cause = RetryCause::kNetworkError;
    // The transport's only kDataError is RESPONSE_TOO_LARGE; any other came from a body stream
    // that found the body malformed.
    if (sent.code() == StatusCode::kDataError && sent.remoteCode() != kResponseTooLarge) {
      cause = RetryCause::kMalformedResponse;
    }
    return sent;
  }
  const int http = response_.status;
  if (http == 401) {
    cause = RetryCause::kReauthentication;
    return SalesforceError::toStatus(http, response_.reason, response_.body);
  }
  if (http >= 200 && http < 300) {
    Status status = check(response_);
    if (status.code() == StatusCode::kDataError) cause = RetryCause::kMalformedResponse;
    return status;
  }
  Status status = SalesforceError::toStatus(http, response_.reason, response_.body);
  if (RetryRecorder::retryable(status)) cause = RetryCause::kServerError;
  return status;
}

Status HttpSalesforceClient::sendOnce(const Call& call, const BodyCheck& check, RetryCause& cause,
                                      const BodyStream* stream) {
  cause = RetryCause::kNone;
  HttpRequest request;
  if (Status st = prepare(call, request); !st.ok()) return st;
  return evaluate(transport_.send(request, response_, stream), check, cause);
}

Status HttpSalesforceClient::get(const std::string& target,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 const BodyCheck& check) {
  Call c;
  c.target = target;
  c.headers = headers;
  return call(c, check);
}

Status HttpSalesforceClient::call(const Call& call, const BodyCheck& check,
                                  const BodyStream* stream) {
  Backoff backoff(settings_.maxRetries, settings_.initialBackoff, settings_.maxBackoff, *clock_);
  const std::string what = call.method + " " + RetryRecorder::withoutQuery(call.target);
  bool renewed = false;
  for (int attempt = 1;; ++attempt) {
    RetryCause cause = RetryCause::kNone;
    Status status = sendOnce(call, check, cause, stream);
    if (cause == RetryCause::kNone) return status;
    if (cause == RetryCause::kReauthentication) {
      if (renewed) {
        return Status::Unauthenticated("session rejected again after re-authentication: " +
                                       status.message())
            .withRemote(status.remoteCode(), 401);
      }
      renewed = true;  // expired or revoked session: one new token, then repeat the call
      retries_.note(cause, attempt, settings_.maxRetries, what, status);
      if (Status st = authenticate(); !st.ok()) return st;
      continue;
    }
    if (!call.idempotent) {  // the request may have been acted on: never resent blindly
      return Status::Unavailable("the answer to " + what + " was lost (" + status.message() +
                                 "); it may have been carried out")
          .withRemote(kOutcomeUnknown);
    }
    if (backoff.retriesUsed() >= settings_.maxRetries) {
      return gaveUp(status, backoff.retriesUsed());
    }
    retries_.note(cause, backoff.retriesUsed() + 1, settings_.maxRetries, what, status);
    backoff
        .sleepBeforeRetry();  // a retry is left (checked above), so this always sleeps and counts
  }
}

Result<ObjectDescribe> HttpSalesforceClient::describe(const std::string& object) {
  if (!isValidObjectName(object)) {
    return Status::InvalidArgument("invalid sObject name '" + object + "'");
  }
  ObjectDescribe result;
  const Status status =
      get(dataPath("/sobjects/" + object + "/describe"), {}, [&](const HttpResponse& response) {
        Result<ObjectDescribe> parsed = DescribeParser::parse(response.body);
        if (!parsed.ok()) return parsed.status();
        result = std::move(parsed).value();
        return Status::OK();
      });
  if (!status.ok()) return status;
  // The Bulk column typing (cachedDescribe) reuses this answer: a run that describes its object
  // and then downloads Bulk results makes one describe call, with the schema of this run.
  describes_[Poco::toLower(object)] = result;
  return result;
}

Status HttpSalesforceClient::checkPaging(const RecordPage& page, const std::string& nextUrl,
                                         Paging& paging) const {
  const std::string where = "query page " + std::to_string(page.pageIndex);
  if (page.pageIndex == 0) paging.promised = std::max<std::int64_t>(page.totalSize, 0);
  paging.received += static_cast<std::int64_t>(page.rows.size());
  // promised + 10% + 2000, saturating: totalSize may be anything up to INT64_MAX.
  const std::int64_t slack = paging.promised / 100 * kRecordSlackPercent +
                             paging.promised % 100 * kRecordSlackPercent / 100 +
                             kRecordSlackRecords;
  const std::int64_t allowed = paging.promised > std::numeric_limits<std::int64_t>::max() - slack
                                   ? std::numeric_limits<std::int64_t>::max()
                                   : paging.promised + slack;
  if (paging.received > allowed) {
    return Status::DataError(where + ": Salesforce sent " + std::to_string(paging.received) +
                             " records for a query whose first page promised totalSize " +
                             std::to_string(paging.promised) + " (at most " +
                             std::to_string(allowed) +
                             " accepted: +10% + 2000); stopping, the paging would not end")
        .withRemote(kMoreRecordsThanPromised);
  }
  if (page.done) return Status::OK();
  if (nextUrl.empty()) {
    return Status::DataError(where + " is not the last but has no nextRecordsUrl");
  }
  if (!paging.seenUrls.insert(std::hash<std::string>()(nextUrl)).second) {
    return Status::DataError(where + ": Salesforce sent the nextRecordsUrl " +
                             RetryRecorder::withoutQuery(nextUrl) +
                             " a second time; stopping, the paging would not end")
        .withRemote(kRepeatedNextRecordsUrl);
  }
  return Status::OK();
}

Status HttpSalesforceClient::query(const std::string& soql, const std::vector<std::string>& columns,
                                   const PageHandler& onPage, bool includeDeleted) {
  if (soql.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("empty SOQL query");
  }
  const QueryPageParser parser(columns);
  const int batchSize = std::clamp(settings_.queryBatchSize, 200, 2000);
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Sforce-Query-Options", "batchSize=" + std::to_string(batchSize)}};

  std::string target = dataPath(includeDeleted ? "/queryAll" : "/query") +
                       "?q=" + HttpTransport::percentEncode(soql);
  std::string nextUrl;
  std::size_t lastRows = 0;  // rows actually received, never a size the server claims
  Paging paging;
  for (int pageIndex = 0;; ++pageIndex) {
    RecordPage page;
    page.columns = columns;
    page.rows.reserve(lastRows);
    Status status = get(target, headers, [&](const HttpResponse& response) {
      return parser.parse(response.body, page, nextUrl);
    });
    if (!status.ok()) return status;
    page.pageIndex = pageIndex;
    lastRows = page.rows.size();
    if (status = checkPaging(page, nextUrl, paging); !status.ok()) return status;
    if (page.invalidUtf8Strings > 0) {
      Poco::Logger::get("sfsync.salesforce")
          .warning("connection '" + settings_.name + "': query page " + std::to_string(pageIndex) +
                   ": " + std::to_string(page.invalidUtf8Strings) +
                   " string(s) held invalid UTF-8; each bad byte was replaced by U+FFFD");
    }
    const bool done = page.done;
    try {
      status = onPage(page);
    } catch (const std::exception& e) {
      return Status::Internal(std::string("query page handler threw: ") + e.what());
    } catch (...) {
      return Status::Internal("query page handler threw");
    }
    if (!status.ok() || done) return status;
    target = nextUrl;
  }
}

SalesforceClientPtr makeHttpClient(const ConnectionSettings& settings, std::shared_ptr<Clock> clock,
                                   std::shared_ptr<CancellationToken> cancellation) {
  return std::make_unique<HttpSalesforceClient>(settings, std::move(clock),
                                                std::move(cancellation));
}

Status HttpSalesforceClient::checkApiBudget() const {
  if (usage_.orgApiUsed < 0 || usage_.orgApiMax <= 0) return Status::OK();
  const int percent = std::clamp(settings_.apiBudgetPercent, 1, 100);
  // used + 1 > max * percent / 100, in 128 bits: both numbers come from the server.
  const __int128 next = static_cast<__int128>(usage_.orgApiUsed) + 1;
  if (next * 100 <= static_cast<__int128>(usage_.orgApiMax) * percent) return Status::OK();
  const std::int64_t budget =
      usage_.orgApiMax / 100 * percent + usage_.orgApiMax % 100 * percent / 100;
  return Status::PermissionDenied(
             "API budget reached: the org has used " + std::to_string(usage_.orgApiUsed) + " of " +
             std::to_string(usage_.orgApiMax) + " daily API requests and " + keyPrefix(settings_) +
             "apiBudgetPercent = " + std::to_string(percent) + " allows " + std::to_string(budget) +
             "; the call was not sent")
      .withRemote(kApiBudgetExhausted);
}

void HttpSalesforceClient::noteLimitInfo() {
  if (response_.limitInfo.empty()) return;
  usage_.limitInfo = response_.limitInfo.substr(0, 256);
  std::int64_t used = 0;
  std::int64_t max = 0;
  if (ReplicationParsers::apiUsage(response_.limitInfo, used, max)) {
    usage_.orgApiUsed = used;
    usage_.orgApiMax = max;
  }
}

Result<std::int64_t> HttpSalesforceClient::count(const std::string& countSoql,
                                                 bool includeDeleted) {
  if (countSoql.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("empty SOQL query");
  }
  const QueryPageParser parser({});
  RecordPage page;
  std::string nextUrl;
  const std::string target = dataPath(includeDeleted ? "/queryAll" : "/query") +
                             "?q=" + HttpTransport::percentEncode(countSoql);
  const Status status = get(target, {}, [&](const HttpResponse& response) {
    Status st = parser.parse(response.body, page, nextUrl);
    if (st.ok() && page.totalSize < 0) st = Status::DataError("COUNT() totalSize is negative");
    return st;
  });
  if (!status.ok()) return status;
  return page.totalSize;
}

Result<DeletedRecords> HttpSalesforceClient::deleted(const std::string& object,
                                                     const std::string& startIso,
                                                     const std::string& endIso) {
  if (!isValidObjectName(object)) {
    return Status::InvalidArgument("invalid sObject name '" + object + "'");
  }
  DeletedRecords result;
  const std::string target = dataPath("/sobjects/" + object + "/deleted/") +
                             "?start=" + HttpTransport::percentEncode(startIso) +
                             "&end=" + HttpTransport::percentEncode(endIso);
  const Status status = get(target, {}, [&](const HttpResponse& response) {
    Result<DeletedRecords> parsed = ReplicationParsers::deleted(response.body);
    if (!parsed.ok()) return parsed.status();
    result = std::move(parsed).value();
    return Status::OK();
  });
  if (!status.ok()) return status;
  return result;
}

Result<OrgLimits> HttpSalesforceClient::limits() {
  OrgLimits result;
  const Status status = get(dataPath("/limits"), {}, [&](const HttpResponse& response) {
    Result<OrgLimits> parsed = ReplicationParsers::limits(response.body);
    if (!parsed.ok()) return parsed.status();
    result = parsed.value();
    return Status::OK();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace sfsync::salesforce
