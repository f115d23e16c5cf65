#include "notify/WebhookSender.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <algorithm>
#include <istream>
#include <memory>
#include <set>
#include <utility>

#include "notify/DeliveryFailures.h"
#include "notify/TlsContext.h"
#include "sfsync/notify/NotificationConfig.h"

namespace sfsync::notify {
namespace {

constexpr std::streamsize kMaxResponseBytes = 64 * 1024;  // read (and dropped) at most
constexpr std::streamsize kMaxSnippet = 200;              // quoted in failure messages

// The start of an error answer's body on one line, for the failure message.
std::string oneLine(const std::string& text) {
  std::string out = Poco::trim(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

// The same failure with `message` (only codes postOnce can return).
Status rephrase(const Status& s, std::string message) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
      return Status::InvalidArgument(std::move(message));
    case StatusCode::kUnavailable:
      return Status::Unavailable(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

bool isRetryableHttp(int status) { return status == 408 || status == 429 || status >= 500; }

Poco::Timespan toTimespan(std::chrono::milliseconds d) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(d.count()) * 1000);
}

std::string attemptsText(int attempts) {
  return attempts == 1 ? std::string("1 attempt") : std::to_string(attempts) + " attempts";
}

}  // namespace

WebhookSender::WebhookSender(WebhookSettings settings, std::shared_ptr<Clock> clock)
    : settings_(std::move(settings)), clock_(std::move(clock)) {
  settings_.maxAttempts = std::max(1, settings_.maxAttempts);
}

Status WebhookSender::notify(const RunNotice& notice, const NotificationTargets& targets) {
  if (notice.kind() == NoticeKind::kNone) return Status::OK();
  const Recipients& list = targets.forKind(notice.kind());
  if (list.webhooks.empty()) return Status::OK();
  const std::string json = notice.jsonBody();
  DeliveryFailures failures;
  std::set<std::string> seen;
  for (const auto& url : list.webhooks) {
    if (!seen.insert(url).second) continue;
    failures.add(post(url, json));
  }
  return failures.toStatus();
}

std::string WebhookSender::describeUrl(const std::string& url) {
  try {
    const Poco::URI uri(url);
    std::string out = uri.getScheme() + "://" + uri.getHost();
    if (uri.getSpecifiedPort() != 0) out += ":" + std::to_string(uri.getSpecifiedPort());
    return out;  // the path and query of most webhook URLs are the secret
  } catch (const Poco::Exception&) {
    return "(malformed URL)";
  }
}

Status WebhookSender::post(const std::string& url, const std::string& json) {
  const std::string where = "webhook " + describeUrl(url);
  if (!isHttpUrl(url)) {
    return Status::InvalidArgument(where + ": not an absolute http(s) URL; nothing was sent");
  }
  const Poco::URI uri(url);

  Status last;
  int lastHttp = 0;
  std::string lastReason;
  std::string lastSnippet;
  int attempt = 0;
  while (attempt < settings_.maxAttempts) {
    if (attempt > 0) clock_->sleepFor(backoffAfter(attempt));
    ++attempt;
    lastHttp = 0;
    lastReason.clear();
    lastSnippet.clear();
    last = postOnce(uri, json, &lastHttp, &lastReason, &lastSnippet);
    if (last.ok() && lastHttp >= 200 && lastHttp < 300) return Status::OK();
    const bool retryable = last.ok() ? isRetryableHttp(lastHttp) : last.retryable();
    if (!retryable) break;
  }

  const std::string suffix = " (after " + attemptsText(attempt) + ")";
  if (!last.ok()) return rephrase(last, where + ": " + last.message() + suffix);
  std::string answer = "HTTP " + std::to_string(lastHttp);
  if (!lastReason.empty()) answer += " " + lastReason;
  const std::string body = oneLine(lastSnippet);
  if (!body.empty()) answer += ": " + body;
  const Status failed = isRetryableHttp(lastHttp)
                            ? Status::Unavailable(where + ": " + answer + suffix)
                            : Status::RemoteError(where + ": " + answer + suffix);
  return failed.withRemote("", lastHttp);
}

Status WebhookSender::postOnce(const Poco::URI& uri, const std::string& json, int* httpStatus,
                               std::string* reason, std::string* snippet) {
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (Poco::toLower(uri.getScheme()) == "https") {
      Poco::Net::Context::Ptr context;
      const Status tls = tlsContext(&context);
      if (!tls.ok()) return tls;
      session =
          std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(toTimespan(settings_.timeout));

    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json; charset=utf-8");
    request.setContentLength(static_cast<std::streamsize>(json.size()));
    request.set("User-Agent", "sfsync-notify/1");
    request.set("Accept", "*/*");
    request.setKeepAlive(false);
    const std::string userInfo = uri.getUserInfo();  // decoded
    if (!userInfo.empty()) {
      const auto colon = userInfo.find(':');
      const std::string user = userInfo.substr(0, colon);
      const std::string password =
          colon == std::string::npos ? std::string() : userInfo.substr(colon + 1);
      Poco::Net::HTTPBasicCredentials(user, password).authenticate(request);
    }
    std::ostream& body = session->sendRequest(request);
    body.write(json.data(), static_cast<std::streamsize>(json.size()));

    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    char buffer[4096];
    std::streamsize total = 0;
    while (total < kMaxResponseBytes && in.read(buffer, sizeof buffer).gcount() > 0) {
      if (total < kMaxSnippet) {
        snippet->append(buffer, static_cast<std::size_t>(
                                    std::min<std::streamsize>(in.gcount(), kMaxSnippet - total)));
      }
      total += in.gcount();
    }
    *httpStatus = static_cast<int>(response.getStatus());
    *reason = response.getReason();
    return Status::OK();
  } catch (const Poco::Net::SSLException& e) {
    return Status::Unavailable("TLS failure: " + e.displayText());
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return Status::Unavailable("connection refused");
  } catch (const Poco::TimeoutException&) {
    return Status::Unavailable("timed out");
  } catch (const Poco::Net::HostNotFoundException&) {
    return Status::Unavailable("host not found");
  } catch (const Poco::Net::NoAddressFoundException&) {
    return Status::Unavailable("host has no address");
  } catch (const Poco::Exception& e) {
    return Status::Unavailable(e.displayText());
  } catch (const std::exception& e) {
    return Status::Internal(std::string("unexpected error: ") + e.what());
  }
}

Status WebhookSender::tlsContext(Poco::Net::Context::Ptr* context) {
  std::lock_guard<std::mutex> lock(tlsMutex_);
  if (!tls_) {
    try {
      tls_ = makeClientTlsContext(settings_.verifyCertificates, settings_.caFile);
    } catch (const Poco::Exception& e) {
      return Status::InvalidArgument("cannot set up TLS: " + e.displayText());
    }
  }
  *context = tls_;
  return Status::OK();
}

std::chrono::milliseconds WebhookSender::backoffAfter(int failedAttempts) const {
  std::chrono::milliseconds wait = settings_.initialBackoff;
  for (int i = 1; i < failedAttempts && wait < settings_.maxBackoff; ++i) wait *= 2;
  return std::min(wait, settings_.maxBackoff);
}

}  // namespace sfsync::notify
