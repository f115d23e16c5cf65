#include "notify/EmailSender.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>

#include <chrono>
#include <set>
#include <sstream>
#include <utility>

#include "notify/SmtpSession.h"
#include "notify/TlsContext.h"
#include "sfsync/core/Ids.h"
#include "sfsync/notify/NotificationConfig.h"

namespace sfsync::notify {
namespace {

bool isAscii(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool hasLineBreak(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

std::string base64(const std::string& raw) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << raw;
  encoder.close();
  return out.str();
}

// The address inside "Name <addr>", or the whole string.
std::string bareAddress(const std::string& from) {
  const auto open = from.find('<');
  const auto close = from.rfind('>');
  if (open == std::string::npos || close == std::string::npos || close < open) {
    return Poco::trim(from);
  }
  return from.substr(open + 1, close - open - 1);
}

std::string domainOf(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? std::string("sfsync.invalid") : address.substr(at + 1);
}

Poco::Timespan toTimespan(std::chrono::milliseconds d) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(d.count()) * 1000);
}

// Poco reports a negative SMTP reply as SMTPException carrying the reply code (0 for local
// protocol problems, e.g. an AUTH exchange the server answered unexpectedly).
Status smtpFailure(int replyCode, std::string message) {
  if (replyCode == 530 || replyCode == 534 || replyCode == 535) {
    return Status::Unauthenticated(std::move(message));
  }
  if (replyCode >= 500) return Status::RemoteError(std::move(message));
  return Status::Unavailable(std::move(message));  // 4xx: transient
}

}  // namespace

EmailSender::EmailSender(SmtpSettings settings, std::shared_ptr<Clock> clock)
    : settings_(std::move(settings)), clock_(std::move(clock)) {
  if (!settings_.startTls) return;
  try {
    tls_ = makeClientTlsContext(settings_.verifyCertificates, settings_.caFile);
  } catch (const Poco::Exception& e) {
    tlsStatus_ = Status::InvalidArgument("cannot set up TLS for SMTP server " + settings_.host +
                                         ": " + e.displayText());
  }
}

Status EmailSender::notify(const RunNotice& notice, const NotificationTargets& targets) {
  if (notice.kind() == NoticeKind::kNone) return Status::OK();
  const Recipients& list = targets.forKind(notice.kind());
  if (list.emails.empty()) return Status::OK();
  return send(list.emails, notice.subject(), notice.textBody());
}

Status EmailSender::send(const std::vector<std::string>& to, const std::string& subject,
                         const std::string& body) {
  if (to.empty()) return Status::OK();
  if (!settings_.configured()) {
    return Status::InvalidArgument(
        std::to_string(to.size()) +
        " email recipient(s) configured but notify.smtp.host is not set");
  }
  if (settings_.from.empty() || hasLineBreak(settings_.from) ||
      !isPlausibleEmail(bareAddress(settings_.from))) {
    return Status::InvalidArgument("notify.smtp.from is not a usable sender address: '" +
                                   settings_.from + "'");
  }
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const auto& address : to) {
    if (!isPlausibleEmail(address)) {
      return Status::InvalidArgument("not a valid email address: '" + address +
                                     "'; nothing was sent");
    }
    if (seen.insert(Poco::toLower(address)).second) unique.push_back(address);
  }
  if (settings_.startTls && !tls_) return tlsStatus_;

  try {
    return sendUnchecked(unique, subject, body);
  } catch (const std::exception& e) {
    return Status::Internal(scrub(std::string("unexpected error while emailing: ") + e.what()));
  }
}

Status EmailSender::sendUnchecked(const std::vector<std::string>& to, const std::string& subject,
                                  const std::string& body) {
  const std::string where = "SMTP server " + settings_.host + ":" + std::to_string(settings_.port);
  const std::string helo =
      settings_.heloName.empty() ? Poco::Environment::nodeName() : settings_.heloName;
  try {
    const Poco::Net::SocketAddress address(settings_.host,
                                           static_cast<Poco::UInt16>(settings_.port));
    Poco::Net::StreamSocket socket;
    socket.connect(address, toTimespan(settings_.timeout));
    socket.setSendTimeout(toTimespan(settings_.timeout));
    SmtpSession session(socket);
    session.setTimeout(toTimespan(settings_.timeout));

    std::string capabilities = session.ehlo(helo);
    if (settings_.startTls) {
      if (!SmtpSession::offers(capabilities, "STARTTLS")) {
        return Status::Unavailable(where +
                                   " does not offer STARTTLS, which notify.smtp.startTls "
                                   "requires; nothing was sent");
      }
      if (!session.startTls(tls_, settings_.host)) {
        return Status::Unavailable(where + " refused STARTTLS; nothing was sent");
      }
      session.setTimeout(toTimespan(settings_.timeout));
      capabilities = session.ehlo(helo);
    }
    if (!settings_.username.empty()) {
      if (SmtpSession::offersAuth(capabilities, "PLAIN")) {
        session.authenticate(SmtpSession::AuthMechanism::kPlain, settings_.username,
                             settings_.password);
      } else if (SmtpSession::offersAuth(capabilities, "LOGIN")) {
        session.authenticate(SmtpSession::AuthMechanism::kLogin, settings_.username,
                             settings_.password);
      } else {
        const bool tlsFirst = !settings_.startTls && SmtpSession::offers(capabilities, "STARTTLS");
        return Status::Unauthenticated(
            where + " offers no AUTH mechanism sfsync supports (PLAIN, LOGIN)" +
            (tlsFirst ? " before STARTTLS (set notify.smtp.startTls=true?)" : "") +
            "; nothing was sent");
      }
    }

    Poco::Net::MailMessage message;
    message.setSender(settings_.from);
    for (const auto& address : to) {
      message.addRecipient(
          Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, address));
    }
    std::string line = subject;
    for (char& c : line) {
      if (c == '\r' || c == '\n') c = ' ';
    }
    message.setSubject(isAscii(line) ? line : Poco::Net::MailMessage::encodeWord(line));
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(clock_->now().time_since_epoch());
    message.setDate(Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(micros.count())));
    message.set("Message-ID", "<" + newUuid() + "@" + domainOf(bareAddress(settings_.from)) + ">");
    message.set("MIME-Version", "1.0");
    message.set("Auto-Submitted", "auto-generated");
    message.setContentType("text/plain; charset=UTF-8");
    message.setContent(body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    session.sendMessage(message);
    session.close();
    return Status::OK();
  } catch (const Poco::Net::SMTPException& e) {
    return smtpFailure(e.code(), scrub(where + ": " + e.message()));
  } catch (const Poco::Net::SSLException& e) {
    return Status::Unavailable(scrub(where + ": TLS failure: " + e.displayText()));
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return Status::Unavailable(where + ": connection refused");
  } catch (const Poco::TimeoutException&) {
    return Status::Unavailable(where + ": timed out");
  } catch (const Poco::Net::HostNotFoundException&) {
    return Status::Unavailable(where + ": host not found");
  } catch (const Poco::Net::NoAddressFoundException&) {
    return Status::Unavailable(where + ": host has no address");
  } catch (const Poco::Exception& e) {
    return Status::Unavailable(scrub(where + ": " + e.displayText()));
  }
}

std::string EmailSender::scrub(std::string text) const {
  if (settings_.password.empty()) return text;
  const std::string secrets[] = {
      settings_.password, base64(settings_.password),
      base64(std::string(1, '\0') + settings_.username + std::string(1, '\0') + settings_.password),
      base64(settings_.username + std::string(1, '\0') + settings_.password)};
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    Poco::replaceInPlace(text, secret, std::string("***"));
  }
  return text;
}

}  // namespace sfsync::notify
