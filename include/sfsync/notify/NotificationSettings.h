// NotificationSettings: process-wide delivery settings for run notifications - the SMTP server that
// email goes through and the defaults every webhook POST uses. Read from the `notify.*` properties
// (parseNotificationSettings in NotificationConfig.h) and handed to makeNotifier().
//
// The SMTP password is a secret: it is taken from an environment variable at load time, kept only
// here, sent only inside an SMTP AUTH exchange, and never written into a Status, a log or a
// message.
//
// Thread-safety: plain value types; no internal synchronisation.
#pragma once

#include <chrono>
#include <string>

namespace sfsync::notify {

struct SmtpSettings {
  std::string host;  // empty: email notifications are not configured
  int port = 25;
  // Upgrade the connection with STARTTLS before authenticating and sending. When set and the server
  // refuses, nothing is sent (no fallback to plain text).
  bool startTls = false;
  bool verifyCertificates = true;  // certificate chain and host name; turn off only for testing
  std::string caFile;              // extra trusted CA certificates (PEM), optional
  std::string username;            // non-empty: AUTH (PLAIN if offered, else LOGIN)
  std::string password;            // secret; see the header comment
  std::string from;                // "sfsync@example.com" or "sfsync <sfsync@example.com>"
  std::string heloName;            // name sent with EHLO; empty: this machine's host name
  std::chrono::milliseconds timeout{30000};  // connect, and each reply, separately

  bool configured() const { return !host.empty(); }
};

struct WebhookSettings {
  std::chrono::milliseconds timeout{10000};  // connect, send and receive, each
  // Attempts per URL and notification (1 = no retry). Network errors, 408, 429 and 5xx are retried;
  // other statuses are final.
  int maxAttempts = 3;
  std::chrono::milliseconds initialBackoff{1000};  // doubled after each failed attempt...
  std::chrono::milliseconds maxBackoff{30000};     // ...up to this
  bool verifyCertificates = true;                  // https only
  std::string caFile;                              // extra trusted CA certificates (PEM), optional
};

struct NotificationSettings {
  SmtpSettings smtp;
  WebhookSettings webhook;
};

}  // namespace sfsync::notify
