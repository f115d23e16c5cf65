// WebhookSender: the webhook channel - POSTs notice.jsonBody() (application/json) to every URL of
// the chosen list. Success is a 2xx answer. Network errors, 408, 429 and 5xx answers are retried up
// to WebhookSettings::maxAttempts per URL, waiting initialBackoff, 2x, 4x ... (capped at
// maxBackoff) through the injected Clock; other answers are final. https URLs are verified against
// the system CA store (plus caFile) unless verifyCertificates is off. A URL's user:password, if
// any, is sent as HTTP Basic credentials. URLs are named in returned Statuses without user info or
// query string (where tokens tend to live).
//
// Thread-safety: safe to call concurrently (immutable settings; a new connection per attempt; the
// lazily built TLS context is guarded by a mutex). The Clock must be thread-safe (Clock.h).
#pragma once

#include <Poco/Net/Context.h>

#include <memory>
#include <mutex>
#include <string>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Status.h"
#include "sfsync/notify/NotificationSettings.h"
#include "sfsync/notify/Notifier.h"

namespace Poco {
class URI;
}  // namespace Poco

namespace sfsync::notify {

class WebhookSender final : public Notifier {
 public:
  // `clock` must not be null.
  WebhookSender(WebhookSettings settings, std::shared_ptr<Clock> clock);

  // POSTs the notice to each URL of targets.forKind(notice.kind()).webhooks (duplicates dropped),
  // every URL attempted even after one failed; failures aggregated (DeliveryFailures).
  Status notify(const RunNotice& notice, const NotificationTargets& targets) override;

  // One URL, with retries. OK on a 2xx answer. kInvalidArgument: not an absolute http(s) URL, or
  // TLS cannot be set up (nothing sent). kUnavailable: network failure, timeout, 408/429/5xx after
  // the last attempt. kRemoteError: any other non-2xx answer. Failures carry the HTTP status
  // (Status::httpStatus()) and name the URL and the number of attempts.
  Status post(const std::string& url, const std::string& json);

  // A URL as it may appear in messages and logs: scheme://host[:port] only (no user info, path or
  // query: for Slack, Teams and most webhook services the path is the secret).
  static std::string describeUrl(const std::string& url);

 private:
  // One POST; OK when any answer arrived: its status, reason phrase and the start of its body are
  // stored through the pointers.
  Status postOnce(const Poco::URI& uri, const std::string& json, int* httpStatus,
                  std::string* reason, std::string* snippet);
  Status tlsContext(Poco::Net::Context::Ptr* context);
  std::chrono::milliseconds backoffAfter(int failedAttempts) const;

  WebhookSettings settings_;
  std::shared_ptr<Clock> clock_;
  std::mutex tlsMutex_;
  Poco::Net::Context::Ptr tls_;
};

}  // namespace sfsync::notify
