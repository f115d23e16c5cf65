// SmtpSession: one SMTP client conversation over an already-connected socket (so the connect can be
// bounded by a timeout), adding to Poco's SecureSMTPClientSession what EmailSender needs:
//   - ehlo() returns the server's capability lines, so STARTTLS and AUTH can be chosen from what
//   the
//     server actually offers;
//   - startTls() upgrades the connection naming the configured host as the TLS peer (SNI and the
//     certificate host-name check). Poco's own SecureSMTPClientSession::startTLS() takes that name
//     from the host the session was constructed with, which is empty for a session built over an
//     already-connected socket - the certificate would then be checked against the peer's IP
//     address and no SNI sent, so a real server's certificate for smtp.example.com would be
//     refused. We send the same STARTTLS command through the session's protected hooks with the
//     real name.
//   - authenticate() with AUTH PLAIN or AUTH LOGIN.
// Everything else (MAIL FROM / RCPT TO / DATA, QUIT on destruction) is the Poco session's.
// Methods throw Poco exceptions (SMTPException with the server's reply, NetException,
// SSLException); EmailSender converts them.
//
// Thread-safety: not thread-safe; one session per message, used by one thread.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/StreamSocket.h>

#include <string>

namespace sfsync::notify {

class SmtpSession final : public Poco::Net::SecureSMTPClientSession {
 public:
  enum class AuthMechanism { kPlain, kLogin };

  explicit SmtpSession(const Poco::Net::StreamSocket& connected);

  // Reads the greeting on first use, then sends EHLO (HELO if the server rejects EHLO). Returns the
  // reply, one line per capability ("250-host\n250-AUTH PLAIN LOGIN\n250 STARTTLS").
  std::string ehlo(const std::string& heloName);

  // Sends STARTTLS; false when the server declines (the connection stays plain and usable). True
  // once the TLS handshake completed with `context`, the certificate checked against peerHostName.
  // EHLO must be sent again afterwards (RFC 3207).
  bool startTls(Poco::Net::Context::Ptr context, const std::string& peerHostName);

  void authenticate(AuthMechanism mechanism, const std::string& username,
                    const std::string& password);

  // Whether an EHLO reply lists `keyword` (case-insensitive), e.g. "STARTTLS".
  static bool offers(const std::string& ehloReply, const std::string& keyword);
  // Whether the reply's AUTH line (or legacy "AUTH=" line) lists `mechanism`, e.g. "PLAIN".
  static bool offersAuth(const std::string& ehloReply, const std::string& mechanism);
};

}  // namespace sfsync::notify
