// CompositeNotifier: fans one notice out to several channel notifiers (email, webhook). Every
// channel is tried even when an earlier one failed; the result is OK only when all succeeded,
// otherwise the failures folded into one Status (DeliveryFailures) so the caller can log every
// failed delivery.
//
// Thread-safety: as thread-safe as its children (those of this module are safe to call
// concurrently); the child list is fixed at construction.
#pragma once

#include <vector>

#include "sfsync/notify/Notifier.h"

namespace sfsync::notify {

class CompositeNotifier final : public Notifier {
 public:
  // Null children are ignored.
  explicit CompositeNotifier(std::vector<NotifierPtr> children);

  Status notify(const RunNotice& notice, const NotificationTargets& targets) override;

 private:
  std::vector<NotifierPtr> children_;
};

}  // namespace sfsync::notify
