// TlsContext: the client-side TLS context shared by the notification channels (SMTP STARTTLS and
// https webhooks): TLS 1.2 or newer, the system CA store plus an optional CA file, the peer's
// certificate chain and host name verified unless verification is switched off. Initialises
// OpenSSL through Poco once per process.
//
// Thread-safety: makeClientTlsContext is safe from any thread; a returned Context may be shared by
// concurrent connections.
#pragma once

#include <Poco/Net/Context.h>

#include <string>

namespace sfsync::notify {

// Throws Poco::Exception (e.g. an unreadable CA file); callers convert it into a Status.
Poco::Net::Context::Ptr makeClientTlsContext(bool verifyCertificates, const std::string& caFile);

}  // namespace sfsync::notify
