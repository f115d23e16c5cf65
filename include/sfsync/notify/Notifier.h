// Notifier: delivers the notice of one finished job or chain run to the recipients configured for
// it. Implementations own one channel (email, webhook) or fan out to several (the notifier built by
// makeNotifier in NotifierFactory.h sends on every channel).
//
// The caller (the scheduler) decides WHEN to notify: once per run, after its final attempt - a
// failed attempt that will be retried is not notified (RunNotice::forRun with
// Attempt::kRetryPending yields a notice of kind kNone, which every notifier ignores).
//
// Thread-safety: implementations in this module are safe to call concurrently from several threads.
#pragma once

#include <memory>

#include "sfsync/core/Status.h"
#include "sfsync/notify/NotificationTargets.h"
#include "sfsync/notify/RunNotice.h"

namespace sfsync::notify {

class Notifier {
 public:
  virtual ~Notifier() = default;

  // Sends `notice` to the recipients of targets.forKind(notice.kind()) that this notifier's
  // channels serve; each recipient gets it once per call. OK when everything was delivered or there
  // was nobody to deliver to (kind kNone, empty list). Otherwise a Status naming every failed
  // delivery (address list or URL, server reply or HTTP status); deliveries that can still be made
  // are made even after one failed. Never throws.
  virtual Status notify(const RunNotice& notice, const NotificationTargets& targets) = 0;
};

using NotifierPtr = std::unique_ptr<Notifier>;

}  // namespace sfsync::notify
