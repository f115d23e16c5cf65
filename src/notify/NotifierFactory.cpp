#include "sfsync/notify/NotifierFactory.h"

#include <utility>
#include <vector>

#include "notify/CompositeNotifier.h"
#include "notify/EmailSender.h"
#include "notify/WebhookSender.h"

namespace sfsync::notify {

NotifierPtr makeNotifier(const NotificationSettings& settings, std::shared_ptr<Clock> clock) {
  std::vector<NotifierPtr> channels;
  channels.push_back(std::make_unique<EmailSender>(settings.smtp, clock));
  channels.push_back(std::make_unique<WebhookSender>(settings.webhook, std::move(clock)));
  return std::make_unique<CompositeNotifier>(std::move(channels));
}

}  // namespace sfsync::notify
