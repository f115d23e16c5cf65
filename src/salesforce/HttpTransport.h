// HttpTransport: performs ONE HTTP(S) exchange for the Salesforce client; retries, sessions renewal
// and error bodies are the caller's business. It owns:
//   - the URL policy: https anywhere; plain http only to loopback hosts (127.0.0.0/8, ::1,
//   localhost),
//     i.e. the simulator; anything else is refused before any network activity;
//   - keep-alive sessions, one per scheme://host:port, reused between calls (a request that fails
//     on a reused connection before any answer arrived - the server closed the idle connection - is
//     resent once on a fresh one);
//   - TLS: a client Context that verifies the server (system CA store plus an optional CA file,
//     host name checked; verification off only when asked), OpenSSL initialised once per process;
//   - gzip: asks for compressed responses and inflates them;
//   - limits against a hostile server: the body read from the socket (compressed or not) and the
//     decoded body are each capped at maxResponseBytes (kDataError, remoteCode
//     kResponseTooLarge), or at maxStreamedResponseBytes for a streamed body (whose memory is the
//     stream's business: it is never collected here); the header is capped at 100 fields (Poco also
//     caps names at 256 bytes and values at 8 KiB; beyond: kUnavailable, a malformed answer); the
//     whole response (head and body) must arrive within responseDeadline (kUnavailable, remoteCode
//     kResponseDeadline), enforced by DeadlineWatchdog;
//   - cancellation: the socket of the running exchange is registered with the CancellationToken,
//     whose cancel() interrupts it from any thread (kUnavailable, remoteCode kCancelled);
//   - conversion of every Poco exception into a Status;
//   - streaming (send() with a BodyStream): the body of an accepted response is handed on in chunks
//     as it arrives instead of being collected, under the same caps; the time the stream's write()
//     takes (the reader handing rows on) is added to the deadline, which bounds the server, not us.
// Secrets may travel in request bodies and headers; they are never copied into a Status message.
//
// Thread-safety: an instance is NOT thread-safe (one per client); separate instances are
// independent.
#pragma once

#include <Poco/AutoPtr.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/core/Status.h"
#include "sfsync/salesforce/CancellationToken.h"

namespace Poco {
class URI;
namespace Net {
class Context;
class HTTPClientSession;
class HTTPResponse;
}  // namespace Net
}  // namespace Poco

namespace sfsync::salesforce {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute http(s) URL, already percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string contentType;  // sent with the body (POST/PATCH)
  std::string body;
  // false (a POST of creates, issue 13): never resent on a fresh connection after a reused one
  // failed - the server may have acted on it.
  bool idempotent = true;
};

struct HttpResponse {
  int status = 0;
  std::string reason;
  std::string body;       // inflated when the server sent gzip
  std::string limitInfo;  // Sforce-Limit-Info header, empty when absent
  // Bulk API 2.0 result headers, empty when absent.
  std::string sforceLocator;          // Sforce-Locator
  std::string sforceNumberOfRecords;  // Sforce-NumberOfRecords
};

// Receives a response body as it arrives (see HttpTransport::send). Both run on the sending thread.
struct BodyStream {
  // Called once the head has arrived (`head.body` empty). Set `stream` to have the body handed to
  // write() instead of collected in the response (an error body stays collected when not set).
  // A non-OK Status ends the exchange (the connection is closed) and send() returns it as is.
  std::function<Status(const HttpResponse& head, bool& stream)> begin;
  // One chunk of the (decoded) body. A non-OK Status ends the exchange like begin's.
  std::function<Status(const char* data, std::size_t size)> write;
};

struct TransportOptions {
  std::chrono::milliseconds timeout{60000};  // connect, send and receive, each
  std::string caFile;                        // extra trusted CA certificates (PEM), optional
  bool verifyCertificates = true;
  std::int64_t maxResponseBytes = 64ll << 20;          // body bytes read, and decoded, per response
  std::int64_t maxStreamedResponseBytes = 4ll << 30;   // the same for a streamed body
  std::chrono::milliseconds responseDeadline{300000};  // request sent -> last body byte
  std::string limitPrefix = "connection.<name>.";      // config key prefix named in limit messages
  std::shared_ptr<CancellationToken> cancel;           // null: the transport makes its own
};

// Status::remoteCode() of a failed TLS certificate check; such failures are not worth retrying.
inline constexpr const char* kCertificateVerifyFailed = "CERTIFICATE_VERIFY_FAILED";
// Status::remoteCode() of a response over maxResponseBytes (kDataError, not retried).
inline constexpr const char* kResponseTooLarge = "RESPONSE_TOO_LARGE";
// Status::remoteCode() of a response that missed responseDeadline (kUnavailable, retried).
inline constexpr const char* kResponseDeadline = "RESPONSE_DEADLINE";

class HttpTransport {
 public:
  explicit HttpTransport(TransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Sends `request` and reads the whole response into `response` (its body buffer is reused).
  // OK: a response of ANY HTTP status was received. kInvalidArgument: the URL is malformed or
  // refused by policy, or TLS could not be set up (bad CA file); nothing was sent.
  // kUnavailable: connection, DNS, TLS or timeout failure, or a truncated response (retryable,
  // except remoteCode() == kCertificateVerifyFailed). kInternal: an unexpected exception.
  Status send(const HttpRequest& request, HttpResponse& response);
  // The same with the body handed to `stream` (when its begin() asks for it). The caps apply to
  // the streamed bytes; a body cut short (Content-Length not reached) is kUnavailable after the
  // chunks that did arrive were written.
  Status send(const HttpRequest& request, HttpResponse& response, const BodyStream* stream);

  // The token whose cancel() interrupts this transport's exchanges (never null).
  const std::shared_ptr<CancellationToken>& cancellation() const { return options_.cancel; }

  // Connections opened so far (a reused keep-alive connection does not count).
  std::int64_t connectionsOpened() const { return connectionsOpened_; }

  // The URL policy alone: OK for https URLs and http URLs to loopback hosts.
  static Status checkUrl(const std::string& url);
  static bool isLoopbackHost(const std::string& host);
  // RFC 3986 percent-encoding of everything but unreserved characters (A-Z a-z 0-9 - . _ ~).
  static std::string percentEncode(std::string_view text);

 private:
  static Status checkUri(const Poco::URI& uri);
  Poco::Net::HTTPClientSession& sessionFor(const Poco::URI& uri);
  // Sets `answered` once the response head has arrived (from then on a failure is not a stale
  // keep-alive connection).
  // `arm` registers the connected socket for cancellation and the deadline (false: cancelled).
  // The deadline is suspended while a stream's write() runs: suspend() (false: it had already
  // passed), then resume() with the time write() took, which is added to it.
  struct Streaming {
    const BodyStream* stream = nullptr;
    std::function<bool()> suspend;
    std::function<void(std::chrono::steady_clock::duration)> resume;
  };
  Status exchange(Poco::Net::HTTPClientSession& session, const Poco::URI& uri,
                  const HttpRequest& request, HttpResponse& response, bool& answered,
                  const std::function<bool(int)>& arm, const Streaming& streaming);
  Status readBody(Poco::Net::HTTPClientSession& session, const Poco::Net::HTTPResponse& res,
                  std::istream& in, HttpResponse& response) const;
  Status streamBody(Poco::Net::HTTPClientSession& session, const Poco::Net::HTTPResponse& res,
                    std::istream& in, const Streaming& streaming) const;
  // One try on a (possibly reused) connection; `retry` is set when a stale keep-alive connection
  // failed before any answer and the request should be resent once on a fresh one.
  Status attemptOnce(const Poco::URI& uri, const std::string& where, const HttpRequest& request,
                     HttpResponse& response, std::chrono::steady_clock::time_point deadline,
                     bool firstAttempt, const BodyStream* stream, bool& retry);
  Status ensureTlsContext();
  // The cap of a body (streamed or collected) and what it checks up front.
  struct BodyCap {
    std::string where;          // host:port, for messages
    std::int64_t bytes = 0;     // maxResponseBytes or maxStreamedResponseBytes
    const char* key = nullptr;  // the option's name
    bool sized = false;         // the response declared a Content-Length
    std::int64_t expected = 0;  // ... of this many bytes
  };
  // The cap for this response; kDataError (kResponseTooLarge) when its Content-Length is over it.
  Result<BodyCap> capFor(Poco::Net::HTTPClientSession& session, const Poco::Net::HTTPResponse& res,
                         bool streamed) const;
  Status tooLarge(const BodyCap& cap, const std::string& what) const;
  static Status cancelledStatus(const std::string& where);

  TransportOptions options_;
  Poco::AutoPtr<Poco::Net::Context> context_;  // created on the first https request
  std::map<std::string, std::unique_ptr<Poco::Net::HTTPClientSession>> sessions_;
  std::int64_t connectionsOpened_ = 0;
};

}  // namespace sfsync::salesforce
