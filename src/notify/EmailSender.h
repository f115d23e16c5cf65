// EmailSender: the email channel - one plain-text message per notice to every address of the
// chosen list (one SMTP transaction, one RCPT TO per distinct address), through the configured
// SMTP server:
//   connect (bounded by the timeout) -> EHLO
//   -> [STARTTLS -> EHLO, when configured; certificate verified]
//   -> [AUTH PLAIN, or LOGIN if PLAIN is not offered, when a username is set]
//   -> MAIL FROM -> RCPT TO... -> DATA -> QUIT.
// Messages carry RFC 5322 headers (Date from the injected clock, From, To, Subject - RFC 2047
// encoded when not ASCII - Message-ID, MIME-Version, Auto-Submitted) and a quoted-printable UTF-8
// body. With startTls set, a server that does not offer or refuses STARTTLS gets nothing (no
// credentials, no message). The SMTP password never appears in a returned Status.
//
// Thread-safety: safe to call concurrently (settings are immutable; each call opens its own
// connection).
#pragma once

#include <Poco/Net/Context.h>

#include <memory>
#include <string>
#include <vector>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Status.h"
#include "sfsync/notify/NotificationSettings.h"
#include "sfsync/notify/Notifier.h"

namespace sfsync::notify {

class EmailSender final : public Notifier {
 public:
  // `clock` must not be null.
  EmailSender(SmtpSettings settings, std::shared_ptr<Clock> clock);

  // Emails notice.subject() / notice.textBody() to targets.forKind(notice.kind()).emails.
  Status notify(const RunNotice& notice, const NotificationTargets& targets) override;

  // Sends one message to all of `to` (duplicates, compared case-insensitively, dropped). OK when
  // `to` is empty. kInvalidArgument: SMTP not configured, or a bad address (nothing sent).
  // kUnavailable: cannot resolve / connect / time out, TLS failure or STARTTLS not available, a 4xx
  // reply. kUnauthenticated: credentials rejected or no supported AUTH mechanism. kRemoteError: a
  // 5xx reply (e.g. a recipient refused). Messages name the server and quote its reply.
  Status send(const std::vector<std::string>& to, const std::string& subject,
              const std::string& body);

 private:
  Status sendUnchecked(const std::vector<std::string>& to, const std::string& subject,
                       const std::string& body);
  // `text` with the password (and its base64 forms) masked: server replies are quoted in messages.
  std::string scrub(std::string text) const;

  SmtpSettings settings_;
  std::shared_ptr<Clock> clock_;
  Poco::Net::Context::Ptr tls_;  // set when startTls and the context could be built
  Status tlsStatus_;             // why the TLS context could not be built
};

}  // namespace sfsync::notify
