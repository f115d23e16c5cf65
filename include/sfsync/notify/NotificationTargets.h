// NotificationTargets: who hears about the runs of one job or chain - separate recipient lists for
// success and for failure (as in Gainsight), each a set of email addresses and webhook URLs, plus
// whether a "Partial Success" counts as a success or a failure (default: failure). Parsed from the
// job's or chain's "notifications" object (parseNotificationTargets in NotificationConfig.h).
//
// Thread-safety: plain value types; no internal synchronisation.
#pragma once

#include <string>
#include <vector>

namespace sfsync::notify {

// Which list a finished run is reported to; kNone: nobody is notified.
enum class NoticeKind { kNone, kSuccess, kFailure };

// How a "Partial Success" run is reported.
enum class PartialAs { kFailure, kSuccess };

struct Recipients {
  std::vector<std::string> emails;    // plain addresses, "ops@example.com"
  std::vector<std::string> webhooks;  // absolute http(s) URLs

  bool empty() const { return emails.empty() && webhooks.empty(); }
};

struct NotificationTargets {
  Recipients onSuccess;
  Recipients onFailure;
  PartialAs partialAs = PartialAs::kFailure;

  bool empty() const { return onSuccess.empty() && onFailure.empty(); }

  // The list for `kind`; an empty list for kNone.
  const Recipients& forKind(NoticeKind kind) const {
    static const Recipients kNobody;
    if (kind == NoticeKind::kSuccess) return onSuccess;
    if (kind == NoticeKind::kFailure) return onFailure;
    return kNobody;
  }
};

}  // namespace sfsync::notify
