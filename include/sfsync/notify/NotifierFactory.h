// NotifierFactory: builds the notifier the application wires into the scheduler - email through the
// configured SMTP server and webhook POSTs, both attempted for every notice (one failing channel
// does not stop the other) with the failures aggregated into one Status.
//
// Thread-safety: makeNotifier is safe from any thread; see Notifier.h for the returned object.
#pragma once

#include <memory>

#include "sfsync/core/Clock.h"
#include "sfsync/notify/NotificationSettings.h"
#include "sfsync/notify/Notifier.h"

namespace sfsync::notify {

// `clock` (not null) dates email messages and paces webhook retries. When settings.smtp is not
// configured, notices that name email recipients fail with kInvalidArgument (webhooks still go
// out).
NotifierPtr makeNotifier(const NotificationSettings& settings, std::shared_ptr<Clock> clock);

}  // namespace sfsync::notify
