#include "notify/CompositeNotifier.h"

#include <exception>
#include <string>
#include <utility>

#include "notify/DeliveryFailures.h"

namespace sfsync::notify {

CompositeNotifier::CompositeNotifier(std::vector<NotifierPtr> children) {
  for (auto& child : children) {
    if (child) children_.push_back(std::move(child));
  }
}

Status CompositeNotifier::notify(const RunNotice& notice, const NotificationTargets& targets) {
  if (notice.kind() == NoticeKind::kNone) return Status::OK();
  DeliveryFailures failures;
  for (const auto& child : children_) {
    try {
      failures.add(child->notify(notice, targets));
    } catch (const std::exception& e) {  // a child breaking its contract must not stop the others
      failures.add(Status::Internal(std::string("notifier threw: ") + e.what()));
    }
  }
  return failures.toStatus();
}

}  // namespace sfsync::notify
