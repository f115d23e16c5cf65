#include "salesforce/HttpTransport.h"

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

namespace sfsync::salesforce {

namespace {

// Poco::Net::initializeSSL() is reference counted and not meant to race; do it once per process and
// never undo it (sessions may outlive any single client).
void initializeSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

constexpr std::size_t kMaxReserve = 64u << 20;  // trust Content-Length for up to 64 MiB up front

// Poco's streams report socket errors by setting badbit (the exception stays in the session);
// surface the original exception so it can be classified.
[[noreturn]] void rethrowStreamFailure(const Poco::Net::HTTPSession& session, const char* what) {
  if (const Poco::Exception* e = session.networkException()) e->rethrow();
  throw Poco::IOException(what);
}

void readAll(std::istream& in, std::string& out) {
  char buf[32 * 1024];
  for (;;) {
    in.read(buf, sizeof buf);
    const auto n = in.gcount();
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

bool mentionsCertificate(const Poco::Exception& e) {
  const std::string text = Poco::toLower(e.displayText());
  return text.find("certificate") != std::string::npos;
}

}  // namespace

HttpTransport::HttpTransport(TransportOptions options) : options_(std::move(options)) {}

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
    session =
        std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context_);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout);
  session->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(micros.count())));
  session->setKeepAlive(true);
  return *sessions_.emplace(key, std::move(session)).first->second;
}

void HttpTransport::exchange(Poco::Net::HTTPClientSession& session, const Poco::URI& uri,
                             const HttpRequest& request, HttpResponse& response, bool& answered) {
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
  if (hasBody) {
    out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    out.flush();
    if (out.bad()) rethrowStreamFailure(session, "sending the request body failed");
  }

  Poco::Net::HTTPResponse res;
  std::istream& in = session.receiveResponse(res);
  answered = true;
  response.status = static_cast<int>(res.getStatus());
  response.reason = res.getReason();
  response.limitInfo = res.get("Sforce-Limit-Info", "");

  if (Poco::icompare(res.get("Content-Encoding", ""), "gzip") == 0) {
    Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
    readAll(inflater, response.body);
    if (inflater.bad() || in.bad()) rethrowStreamFailure(session, "reading the response failed");
    return;
  }
  const bool sized = res.hasContentLength();
  const auto expected = sized ? res.getContentLength64() : 0;
  if (sized && expected > 0) {
    response.body.reserve(std::min<std::size_t>(static_cast<std::size_t>(expected), kMaxReserve));
  }
  readAll(in, response.body);
  if (in.bad()) rethrowStreamFailure(session, "reading the response failed");
  if (sized && static_cast<Poco::Int64>(response.body.size()) != expected) {
    throw Poco::Net::MessageException("connection closed after " +
                                      std::to_string(response.body.size()) + " of " +
                                      std::to_string(expected) + " response bytes");
  }
}

Status HttpTransport::send(const HttpRequest& request, HttpResponse& response) {
  response.status = 0;
  response.reason.clear();
  response.body.clear();
  response.limitInfo.clear();

  Poco::URI uri;
  try {
    uri = Poco::URI(request.url);
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("malformed URL: " + e.message());
  }
  if (Status policy = checkUri(uri); !policy.ok()) return policy;

  if (Poco::toLower(uri.getScheme()) == "https" && context_.isNull()) {
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
    } catch (const Poco::Exception& e) {
      return Status::InvalidArgument("TLS setup failed (CA file '" + options_.caFile +
                                     "'): " + e.displayText());
    }
  }

  // Host and port only: never user-info or the query string.
  const std::string where =
      uri.getScheme() + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
  for (int attempt = 0;; ++attempt) {
    Poco::Net::HTTPClientSession* session = nullptr;
    bool reused = false;
    bool answered = false;
    const auto drop = [&] {  // close the connection; a later request reconnects
      if (session) session->reset();
      response.body.clear();
    };
    const auto fail = [&](Status status) {
      drop();
      return status;
    };
    try {
      session = &sessionFor(uri);
      reused = session->connected();
      if (!reused) ++connectionsOpened_;
      exchange(*session, uri, request, response, answered);
      return Status::OK();
    } catch (const Poco::TimeoutException& e) {
      return fail(Status::Unavailable("timeout talking to " + where + ": " + e.displayText()));
    } catch (const Poco::Net::SSLException& e) {
      if (dynamic_cast<const Poco::Net::CertificateValidationException*>(&e) ||
          mentionsCertificate(e)) {
        return fail(
            Status::Unavailable("TLS certificate of " + where + " not trusted: " + e.displayText())
                .withRemote(kCertificateVerifyFailed));
      }
      if (reused && !answered && attempt == 0) {
        drop();
        continue;
      }
      return fail(Status::Unavailable("TLS error talking to " + where + ": " + e.displayText()));
    } catch (const Poco::IOException& e) {        // NetException and its subclasses included
      if (reused && !answered && attempt == 0) {  // the server closed the idle connection
        drop();
        continue;
      }
      return fail(
          Status::Unavailable("network error talking to " + where + ": " + e.displayText()));
    } catch (const Poco::Exception& e) {
      return fail(Status::Unavailable("error talking to " + where + ": " + e.displayText()));
    } catch (const std::exception& e) {
      return fail(Status::Internal("unexpected error talking to " + where + ": " + e.what()));
    }
  }
}

}  // namespace sfsync::salesforce
