#include "salesforce/HttpSalesforceClient.h"

#include <algorithm>
#include <exception>

#include "salesforce/Backoff.h"
#include "salesforce/DescribeParser.h"
#include "salesforce/QueryPageParser.h"
#include "salesforce/SalesforceError.h"

namespace sfsync::salesforce {

namespace {

bool isRetryable(const Status& status) {
  return status.code() == StatusCode::kUnavailable &&
         status.remoteCode() != kCertificateVerifyFailed;
}

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

HttpSalesforceClient::HttpSalesforceClient(ConnectionSettings settings,
                                           std::shared_ptr<Clock> clock)
    : settings_(std::move(settings)),
      clock_(clock ? std::move(clock) : systemClock()),
      transport_(
          TransportOptions{settings_.timeout, settings_.caFile, settings_.verifyCertificates}),
      authenticator_(settings_, transport_, *clock_) {
  settings_.apiVersion = normalizedVersion(settings_.apiVersion);
}

Status HttpSalesforceClient::authenticate() {
  token_.reset();
  Result<AccessToken> token = authenticator_.requestToken(usage_);
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

Status HttpSalesforceClient::get(const std::string& target,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 const BodyCheck& check) {
  Backoff backoff(settings_.maxRetries, settings_.initialBackoff, settings_.maxBackoff, *clock_);
  bool renewed = false;
  HttpRequest request;
  for (;;) {
    if (!token_) {
      if (Status st = authenticate(); !st.ok()) return st;
    }
    Result<std::string> url = instanceUrlFor(target);
    if (!url.ok()) return url.status();
    request.url = std::move(url).value();
    request.headers = headers;
    request.headers.emplace_back("Authorization", "Bearer " + token_->accessToken);

    Status status = transport_.send(request, response_);
    if (status.code() != StatusCode::kInvalidArgument) ++usage_.calls;
    if (!response_.limitInfo.empty()) usage_.limitInfo = response_.limitInfo;

    bool malformedBody = false;
    if (status.ok()) {
      const int http = response_.status;
      if (http == 401) {
        const Status rejected = SalesforceError::toStatus(http, response_.reason, response_.body);
        if (renewed) {
          return Status::Unauthenticated("session rejected again after re-authentication: " +
                                         rejected.message())
              .withRemote(rejected.remoteCode(), http);
        }
        renewed = true;  // expired or revoked session: one new token, then repeat the call
        ++usage_.retries;
        if (Status st = authenticate(); !st.ok()) return st;
        continue;
      }
      if (http >= 200 && http < 300) {
        status = check(response_);
        if (status.ok()) return status;
        malformedBody = status.code() == StatusCode::kDataError;
        if (!malformedBody) return status;
      } else {
        status = SalesforceError::toStatus(http, response_.reason, response_.body);
      }
    }
    if (!malformedBody && !isRetryable(status)) return status;
    if (!backoff.sleepBeforeRetry()) return gaveUp(status, backoff.retriesUsed());
    ++usage_.retries;
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
  return result;
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
  std::size_t lastRows = 0;
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
    const bool done = page.done;

    try {
      status = onPage(page);
    } catch (const std::exception& e) {
      return Status::Internal(std::string("query page handler threw: ") + e.what());
    } catch (...) {
      return Status::Internal("query page handler threw");
    }
    if (!status.ok()) return status;
    if (done) return Status::OK();
    if (nextUrl.empty()) {
      return Status::DataError("query page " + std::to_string(pageIndex) +
                               " is not the last but has no nextRecordsUrl");
    }
    target = nextUrl;
  }
}

SalesforceClientPtr makeHttpClient(const ConnectionSettings& settings,
                                   std::shared_ptr<Clock> clock) {
  return std::make_unique<HttpSalesforceClient>(settings, std::move(clock));
}

}  // namespace sfsync::salesforce
