// AdminOptions: how the admin HTTP server listens and whom it lets in - address, bearer tokens (as
// SHA-256 digests, never the tokens themselves), optional TLS and an optional directory to serve
// the web page from instead of the copy compiled into the binary.
//
// Thread-safety: plain value types; hashAdminToken() is safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sfsync::admin {

// One named bearer token of the admin API. The name is what the audit trail records as the actor
// of a write request (run-now, pause, ...).
struct AdminToken {
  std::string name;
  std::string sha256Hex;  // SHA-256 of the token: 64 hex digits (either case)
  // What the token may do (issue 17, see src/admin/RolePolicy.h): "viewer", "operator" or
  // "admin" (default, so configurations from before roles keep working).
  std::string role = "admin";
};

struct AdminOptions {
  std::string host = "127.0.0.1";  // loopback by default: expose on purpose, not by accident
  std::uint16_t port = 8085;       // 0 = any free port (tests); AdminServer::port() tells which
  // Every /api request and /metrics needs "Authorization: Bearer <token>" whose SHA-256 matches one
  // of these. Empty = the API answers 401 to everyone (only /health and the page itself are open).
  std::vector<AdminToken> tokens;
  // PEM files; TLS (HTTPS) exactly when tlsCertificateFile is non-empty. The key may be in the
  // certificate file when tlsPrivateKeyFile is empty.
  std::string tlsCertificateFile;
  std::string tlsPrivateKeyFile;
  // Development aid: when non-empty, index.html, app.js and style.css are read from this directory
  // on every request (edit and reload without rebuilding). Only those fixed names are ever served;
  // nothing of the URL becomes part of a path. Empty = the copy embedded at build time.
  std::string webRoot;
  // Connection limits (see AdminServer.h for how they keep /health answering under load).
  int maxThreads = 8;  // "admin.threads": HTTP worker threads, 1..64
  // "admin.maxConnections": accepted connections waiting for a worker, 1..10000; a connection
  // beyond it is closed at once.
  int maxConnections = 256;
  // "admin.requestTimeoutSeconds", 1..300: a request's head, and then its body, must arrive whole
  // within this many seconds (a deadline per request, not per read), else the connection is closed.
  int requestTimeoutSeconds = 5;
  // "admin.keepAliveSeconds", 0..300: an idle keep-alive connection is closed after this long;
  // 0 = one request per connection.
  int keepAliveSeconds = 2;
  // Live events (GET /api/events). "admin.eventStreams", 0..64: streams open at once; each holds a
  // worker thread, so the server allows at most half of maxThreads (0 = no streams).
  int maxEventStreams = 4;
  // "admin.eventKeepAliveSeconds", 1..300: a ": keepalive" comment after this long without events.
  int eventKeepAliveSeconds = 15;
  // "admin.eventStreamMaxSeconds", 10..86400: a stream is closed after this long (with an "expired"
  // event); the page reconnects with a new ticket.
  int eventStreamMaxSeconds = 900;
};

// The lower-case hex SHA-256 digest of `token`: what the configuration stores for a token
// ("admin.token.<name>.sha256"). Also usable by a CLI that mints tokens.
std::string hashAdminToken(const std::string& token);

}  // namespace sfsync::admin
