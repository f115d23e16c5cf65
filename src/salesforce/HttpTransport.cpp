#include "salesforce/HttpTransport.h"

#include "salesforce/DeadlineWatchdog.h"

#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>
#include <istream>
#include <mutex>
#include <streambuf>

namespace sfsync::salesforce {

namespace {

// Poco::Net::initializeSSL() is reference counted and not meant to race; do it once per process and
// never undo it (sessions may outlive any single client).
void initializeSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

// Header fields accepted in a response (Salesforce sends about 15).
constexpr int kMaxHeaderFields = 100;

// Poco's streams report socket errors by setting badbit (the exception stays in the session);
// surface the original exception so it can be classified.
[[noreturn]] void rethrowStreamFailure(const Poco::Net::HTTPSession& session, const char* what) {
  if (const Poco::Exception* e = session.networkException()) e->rethrow();
  throw Poco::IOException(what);
}

// A read-through buffer over the response stream that counts the bytes taken from it and reports
// end of input once more than `limit` arrived. It pulls what the source has buffered (one socket
// read at most), so a slow server cannot make it wait for a whole block.
class CappedStreamBuf : public std::streambuf {
 public:
  CappedStreamBuf(std::streambuf* source, std::int64_t limit) : source_(source), limit_(limit) {}
  bool exceeded() const { return exceeded_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (exceeded_) return traits_type::eof();
    std::streamsize avail = source_->in_avail();
    if (avail <= 0) {
      if (traits_type::eq_int_type(source_->sgetc(), traits_type::eof())) return traits_type::eof();
      avail = std::max<std::streamsize>(source_->in_avail(), 1);
    }
    const std::streamsize n =
        source_->sgetn(buffer_, std::min<std::streamsize>(avail, sizeof buffer_));
    if (n <= 0) return traits_type::eof();
    count_ += n;
    if (count_ > limit_) {
      exceeded_ = true;
      return traits_type::eof();
    }
    setg(buffer_, buffer_, buffer_ + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::streambuf* source_;
  std::int64_t limit_;
  std::int64_t count_ = 0;
  bool exceeded_ = false;
  char buffer_[16 * 1024];
};

// Appends `in` to `out` until end of input or until `out` holds more than `limit` bytes; false when
// the limit was passed.
bool readAll(std::istream& in, std::string& out, std::int64_t limit) {
  char buf[32 * 1024];
  for (;;) {
    in.read(buf, sizeof buf);
    const auto n = in.gcount();
    if (n <= 0) return true;
    out.append(buf, static_cast<std::size_t>(n));
    if (static_cast<std::int64_t>(out.size()) > limit) return false;
  }
}

// Takes what `from` has buffered, or waits for at least one byte: 0 at end of input. Unlike
// istream::read it never waits for a whole buffer, so a slowly arriving body is handed on as it
// comes.
std::streamsize readSome(std::streambuf& from, char* buffer, std::streamsize size) {
  std::streamsize avail = from.in_avail();
  if (avail <= 0) {
    if (std::streambuf::traits_type::eq_int_type(from.sgetc(),
                                                 std::streambuf::traits_type::eof())) {
      return 0;
    }
    avail = std::max<std::streamsize>(from.in_avail(), 1);
  }
  return from.sgetn(buffer, std::min(avail, size));
}

// The socket of one exchange registered with the cancellation token and the deadline watchdog.
class ExchangeWatch {
 public:
  ExchangeWatch(CancellationToken& token, DeadlineWatchdog::TimePoint deadline)
      : token_(token), deadline_(deadline) {}
  ~ExchangeWatch() { disarm(); }
  ExchangeWatch(const ExchangeWatch&) = delete;
  ExchangeWatch& operator=(const ExchangeWatch&) = delete;

  // False when the token was already cancelled (nothing registered).
  bool arm(int fd) {
    fd_ = fd;
    cancelTicket_ = token_.watch(fd);
    if (cancelTicket_ == 0) return false;
    deadlineTicket_ = DeadlineWatchdog::instance().watch(fd, deadline_);
    return true;
  }
  // Stops the deadline clock (while a body stream's reader works); false when it had passed.
  bool suspend() {
    if (deadlineTicket_ != 0) {
      expired_ = DeadlineWatchdog::instance().release(deadlineTicket_) || expired_;
      deadlineTicket_ = 0;
    }
    return !expired_;
  }
  // Restarts it, `paused` later than it would have passed.
  void resume(std::chrono::steady_clock::duration paused) {
    if (expired_ || deadlineTicket_ != 0 || cancelTicket_ == 0) return;
    deadline_ += paused;
    deadlineTicket_ = DeadlineWatchdog::instance().watch(fd_, deadline_);
  }
  // Unregisters (before the socket may be closed); idempotent.
  void disarm() {
    if (deadlineTicket_ != 0) {
      expired_ = DeadlineWatchdog::instance().release(deadlineTicket_) || expired_;
    }
    token_.unwatch(cancelTicket_);
    deadlineTicket_ = cancelTicket_ = 0;
  }
  bool expired() const { return expired_; }

 private:
  CancellationToken& token_;
  DeadlineWatchdog::TimePoint deadline_;
  int fd_ = -1;
  std::uint64_t cancelTicket_ = 0;
  std::uint64_t deadlineTicket_ = 0;
  bool expired_ = false;
};

// Poco's HTTPClientSession::write() silently closes the connection and reconnects when a write on a
// keep-alive session fails (and resends only the current buffer). The request (head and body, one
// buffered flush) is written after ExchangeWatch::arm(), so a cancel() or deadline that shuts the
// registered socket down in that window made Poco reconnect on a fresh, unregistered socket and
// block in receiveResponse() forever; it also closed a descriptor still registered. Writes here
// fail instead: reconnecting is attemptOnce()'s decision (stale keep-alive connections only).
template <class Session>
class NoSilentReconnect : public Session {
 public:
  using Session::Session;

 protected:
  int write(const char* buffer, std::streamsize length) override {
    return Poco::Net::HTTPSession::write(buffer, length);
  }
};

bool mentionsCertificate(const Poco::Exception& e) {
  const std::string text = Poco::toLower(e.displayText());
  return text.find("certificate") != std::string::npos;
}

}  // namespace

HttpTransport::HttpTransport(TransportOptions options) : options_(std::move(options)) {
  if (!options_.cancel) options_.cancel = std::make_shared<CancellationToken>();
}

HttpTransport::~HttpTransport() = default;

bool HttpTransport::isLoopbackHost(const std::string& rawHost) {
  std::string host = Poco::toLower(rawHost);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost" || host == "localhost.") return true;
  Poco::Net::IPAddress address;
  return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

std::string HttpTransport::percentEncode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3 / 2);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

Status HttpTransport::checkUri(const Poco::URI& uri) {
  const std::string scheme = Poco::toLower(uri.getScheme());
  if (uri.getHost().empty()) return Status::InvalidArgument("URL has no host");
  if (scheme == "https") return Status::OK();
  if (scheme == "http") {
    if (isLoopbackHost(uri.getHost())) return Status::OK();
    return Status::InvalidArgument("refusing plain http to non-loopback host '" + uri.getHost() +
                                   "': Salesforce must be reached over https (http is allowed "
                                   "only for 127.0.0.0/8, ::1 and localhost)");
  }
  return Status::InvalidArgument("unsupported URL scheme '" + uri.getScheme() +
                                 "' (expected https)");
}

Status HttpTransport::checkUrl(const std::string& url) {
  try {
    const Poco::URI uri(url);
    return checkUri(uri);
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("malformed URL: " + e.message());
  }
}

Poco::Net::HTTPClientSession& HttpTransport::sessionFor(const Poco::URI& uri) {
  const std::string scheme = Poco::toLower(uri.getScheme());
  const std::string key = scheme + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
  auto it = sessions_.find(key);
  if (it != sessions_.end()) return *it->second;

  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (scheme == "https") {
    session = std::make_unique<NoSilentReconnect<Poco::Net::HTTPSClientSession>>(
        uri.getHost(), uri.getPort(), context_);
  } else {
    session = std::make_unique<NoSilentReconnect<Poco::Net::HTTPClientSession>>(uri.getHost(),
                                                                                uri.getPort());
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout);
  session->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(micros.count())));
  session->setKeepAlive(true);
  return *sessions_.emplace(key, std::move(session)).first->second;
}

Result<HttpTransport::BodyCap> HttpTransport::capFor(Poco::Net::HTTPClientSession& session,
                                                     const Poco::Net::HTTPResponse& res,
                                                     bool streamed) const {
  BodyCap cap;
  cap.where = session.getHost() + ":" + std::to_string(session.getPort());
  cap.bytes = streamed ? options_.maxStreamedResponseBytes : options_.maxResponseBytes;
  cap.key = streamed ? "maxStreamedResponseBytes" : "maxResponseBytes";
  cap.sized = res.hasContentLength();
  cap.expected = cap.sized ? res.getContentLength64() : 0;
  if (cap.sized && cap.expected > cap.bytes) {
    return tooLarge(cap, "Content-Length " + std::to_string(cap.expected));
  }
  return cap;
}

Status HttpTransport::tooLarge(const BodyCap& cap, const std::string& what) const {
  const std::string key = options_.limitPrefix + cap.key;
  return Status::DataError("response from " + cap.where + " is larger than " + key + " = " +
                           std::to_string(cap.bytes) + " bytes (" + what + "); raise " + key +
                           " if such responses are expected")
      .withRemote(kResponseTooLarge);
}

Status HttpTransport::exchange(Poco::Net::HTTPClientSession& session, const Poco::URI& uri,
                               const HttpRequest& request, HttpResponse& response, bool& answered,
                               const std::function<bool(int)>& arm, const Streaming& streaming) {
  Poco::Net::HTTPRequest req(request.method, uri.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
  req.setKeepAlive(true);
  req.set("Accept", "application/json");
  req.set("Accept-Encoding", "gzip");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  const bool hasBody = !request.body.empty() || request.method == "POST" ||
                       request.method == "PATCH" || request.method == "PUT";
  if (hasBody) {
    req.setContentType(request.contentType.empty() ? "application/json" : request.contentType);
    req.setContentLength(static_cast<std::streamsize>(request.body.size()));
  }

  std::ostream& out = session.sendRequest(req);
  if (!arm(static_cast<int>(session.socket().impl()->sockfd()))) {
    throw Poco::Net::NetException("cancelled");
  }
  if (hasBody) {
    out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    out.flush();
    if (out.bad()) rethrowStreamFailure(session, "sending the request body failed");
  }

  Poco::Net::HTTPResponse res;
  res.setFieldLimit(kMaxHeaderFields);  // with Poco's 256-byte names and 8 KiB values
  std::istream& in = session.receiveResponse(res);
  answered = true;
  response.status = static_cast<int>(res.getStatus());
  response.reason = res.getReason();
  response.limitInfo = res.get("Sforce-Limit-Info", "");
  response.sforceLocator = res.get("Sforce-Locator", "");
  response.sforceNumberOfRecords = res.get("Sforce-NumberOfRecords", "");
  bool stream = false;
  if (streaming.stream != nullptr) {
    if (Status st = streaming.stream->begin(response, stream); !st.ok()) return st;
  }
  return stream ? streamBody(session, res, in, streaming) : readBody(session, res, in, response);
}

Status HttpTransport::streamBody(Poco::Net::HTTPClientSession& session,
                                 const Poco::Net::HTTPResponse& res, std::istream& in,
                                 const Streaming& streaming) const {
  Result<BodyCap> cap = capFor(session, res, true);
  if (!cap.ok()) return cap.status();
  CappedStreamBuf capped(in.rdbuf(), cap->bytes);
  std::int64_t decoded = 0;
  const auto pump = [&](std::streambuf& from, const char* what) {
    char buffer[64 * 1024];
    for (;;) {
      const std::streamsize n = readSome(from, buffer, sizeof buffer);
      if (n <= 0) return Status::OK();
      decoded += n;
      if (decoded > cap->bytes) return tooLarge(*cap, what);
      if (!streaming.suspend()) throw Poco::TimeoutException("response deadline passed");
      const auto start = std::chrono::steady_clock::now();
      Status st = streaming.stream->write(buffer, static_cast<std::size_t>(n));
      streaming.resume(std::chrono::steady_clock::now() - start);
      if (!st.ok()) return st;
    }
  };
  if (Poco::icompare(res.get("Content-Encoding", ""), "gzip") == 0) {
    std::istream wire(&capped);
    Poco::InflatingInputStream inflater(wire, Poco::InflatingStreamBuf::STREAM_GZIP);
    Status st = pump(*inflater.rdbuf(), "after gzip decoding");
    if (capped.exceeded()) return tooLarge(*cap, "compressed bytes read");
    if (!st.ok()) return st;
    if (inflater.bad() || wire.bad()) rethrowStreamFailure(session, "reading the response failed");
    return Status::OK();
  }
  Status st = pump(capped, "bytes read");
  if (capped.exceeded()) return tooLarge(*cap, "bytes read");
  if (!st.ok()) return st;
  if (cap->sized && decoded != cap->expected) {
    throw Poco::Net::MessageException("connection closed after " + std::to_string(decoded) +
                                      " of " + std::to_string(cap->expected) + " response bytes");
  }
  return Status::OK();
}

Status HttpTransport::readBody(Poco::Net::HTTPClientSession& session,
                               const Poco::Net::HTTPResponse& res, std::istream& in,
                               HttpResponse& response) const {
  Result<BodyCap> cap = capFor(session, res, false);
  if (!cap.ok()) return cap.status();
  CappedStreamBuf capped(in.rdbuf(), cap->bytes);
  std::istream wire(&capped);
  bool fits = true;
  if (Poco::icompare(res.get("Content-Encoding", ""), "gzip") == 0) {
    Poco::InflatingInputStream inflater(wire, Poco::InflatingStreamBuf::STREAM_GZIP);
    fits = readAll(inflater, response.body, cap->bytes);
    if (capped.exceeded()) return tooLarge(*cap, "compressed bytes read");
    if (!fits) return tooLarge(*cap, "after gzip decoding");
    if (inflater.bad() || wire.bad()) rethrowStreamFailure(session, "reading the response failed");
    return Status::OK();
  }
  if (cap->sized && cap->expected > 0) {
    response.body.reserve(static_cast<std::size_t>(cap->expected));
  }
  fits = readAll(wire, response.body, cap->bytes);
  if (!fits || capped.exceeded()) return tooLarge(*cap, "bytes read");
  if (wire.bad()) rethrowStreamFailure(session, "reading the response failed");
  if (cap->sized && static_cast<Poco::Int64>(response.body.size()) != cap->expected) {
    throw Poco::Net::MessageException("connection closed after " +
                                      std::to_string(response.body.size()) + " of " +
                                      std::to_string(cap->expected) + " response bytes");
  }
  return Status::OK();
}

Status HttpTransport::ensureTlsContext() {
  if (!context_.isNull()) return Status::OK();
  try {
    initializeSslOnce();
    Poco::Net::Context::Params params;
    params.verificationMode = options_.verifyCertificates ? Poco::Net::Context::VERIFY_STRICT
                                                          : Poco::Net::Context::VERIFY_NONE;
    params.loadDefaultCAs = options_.verifyCertificates;
    params.caLocation = options_.verifyCertificates ? options_.caFile : std::string();
    params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";
    Poco::AutoPtr<Poco::Net::Context> context(
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params));
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    context_ = context;
    return Status::OK();
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("TLS setup failed (CA file '" + options_.caFile +
                                   "'): " + e.displayText());
  }
}

Status HttpTransport::cancelledStatus(const std::string& where) {
  return Status::Unavailable("request to " + where + " cancelled (shutting down)")
      .withRemote(kCancelled);
}

Status HttpTransport::send(const HttpRequest& request, HttpResponse& response) {
  return send(request, response, nullptr);
}

Status HttpTransport::send(const HttpRequest& request, HttpResponse& response,
                           const BodyStream* stream) {
  response.status = 0;
  response.reason.clear();
  response.body.clear();
  response.limitInfo.clear();
  response.sforceLocator.clear();
  response.sforceNumberOfRecords.clear();

  Poco::URI uri;
  try {
    uri = Poco::URI(request.url);
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("malformed URL: " + e.message());
  }
  if (Status policy = checkUri(uri); !policy.ok()) return policy;
  if (Poco::toLower(uri.getScheme()) == "https") {
    if (Status tls = ensureTlsContext(); !tls.ok()) return tls;
  }
  // Host and port only: never user-info or the query string.
  const std::string where =
      uri.getScheme() + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
  if (options_.cancel->cancelled()) return cancelledStatus(where);
  const auto deadline = std::chrono::steady_clock::now() + options_.responseDeadline;
  for (int attempt = 0;; ++attempt) {
    bool retry = false;
    Status status =
        attemptOnce(uri, where, request, response, deadline, attempt == 0, stream, retry);
    if (!retry) return status;
  }
}

Status HttpTransport::attemptOnce(const Poco::URI& uri, const std::string& where,
                                  const HttpRequest& request, HttpResponse& response,
                                  std::chrono::steady_clock::time_point deadline, bool firstAttempt,
                                  const BodyStream* stream, bool& retry) {
  Poco::Net::HTTPClientSession* session = nullptr;
  bool reused = false;
  bool answered = false;
  ExchangeWatch watch(*options_.cancel, deadline);
  // Closes the connection (after unregistering it); a later request reconnects.
  const auto fail = [&](Status status) {
    watch.disarm();
    if (session) session->reset();
    response.body.clear();
    if (options_.cancel->cancelled()) return cancelledStatus(where);
    if (watch.expired()) {
      const auto seconds =
          std::chrono::duration_cast<std::chrono::seconds>(options_.responseDeadline).count();
      return Status::Unavailable("no complete response from " + where + " within " +
                                 options_.limitPrefix +
                                 "responseDeadlineSeconds = " + std::to_string(seconds) + " s")
          .withRemote(kResponseDeadline);
    }
    return status;
  };
  // A request that failed on a reused connection before any answer: the server closed the idle
  // connection; resend once on a fresh one.
  const auto staleConnection = [&] {
    return reused && !answered && firstAttempt && request.idempotent;
  };
  try {
    session = &sessionFor(uri);
    reused = session->connected();
    if (!reused) ++connectionsOpened_;
    Streaming streaming;
    streaming.stream = stream;
    streaming.suspend = [&watch] { return watch.suspend(); };
    streaming.resume = [&watch](std::chrono::steady_clock::duration d) { watch.resume(d); };
    Status status = exchange(
        *session, uri, request, response, answered, [&watch](int fd) { return watch.arm(fd); },
        streaming);
    watch.disarm();
    if (!status.ok() || watch.expired()) return fail(status);  // the connection is unusable
    return status;
  } catch (const Poco::TimeoutException& e) {
    return fail(Status::Unavailable("timeout talking to " + where + ": " + e.displayText()));
  } catch (const Poco::Net::SSLException& e) {
    if (dynamic_cast<const Poco::Net::CertificateValidationException*>(&e) ||
        mentionsCertificate(e)) {
      return fail(
          Status::Unavailable("TLS certificate of " + where + " not trusted: " + e.displayText())
              .withRemote(kCertificateVerifyFailed));
    }
    retry = staleConnection() && !options_.cancel->cancelled();
    return fail(Status::Unavailable("TLS error talking to " + where + ": " + e.displayText()));
  } catch (const Poco::IOException& e) {  // NetException and its subclasses included
    retry = staleConnection() && !options_.cancel->cancelled();
    return fail(Status::Unavailable("network error talking to " + where + ": " + e.displayText()));
  } catch (const Poco::Exception& e) {
    return fail(Status::Unavailable("error talking to " + where + ": " + e.displayText()));
  } catch (const std::exception& e) {
    return fail(Status::Internal("unexpected error talking to " + where + ": " + e.what()));
  }
}

}  // namespace sfsync::salesforce
