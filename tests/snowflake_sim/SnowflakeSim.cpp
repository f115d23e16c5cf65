#include "snowflake_sim/SnowflakeSim.h"

#include <sys/socket.h>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Crypto/DigestEngine.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "snowflake_sim/SqlSubset.h"

namespace sfsync::snowsim {

namespace {

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc.rdbuf()->setLineLength(0);
  enc << bytes;
  enc.close();
  return out.str();
}

struct Reply {
  int status = 200;
  std::string body;
};

Reply error(int status, const std::string& code, const std::string& state, const std::string& msg) {
  return {status, "{\"code\":" + jsonString(code) + ",\"sqlState\":" + jsonString(state) +
                      ",\"message\":" + jsonString(msg) + "}"};
}

}  // namespace

std::string publicKeyFingerprint(const std::string& publicKeyPem) {
  // The DER of the SubjectPublicKeyInfo is the base64 between the PEM armour lines.
  std::istringstream lines(publicKeyPem);
  std::string line, b64;
  while (std::getline(lines, line)) {
    if (line.rfind("-----", 0) != 0) b64 += line;
  }
  std::istringstream in(b64);
  Poco::Base64Decoder dec(in);
  std::string der((std::istreambuf_iterator<char>(dec)), std::istreambuf_iterator<char>());
  Poco::Crypto::DigestEngine sha("SHA256");
  sha.update(der.data(), der.size());
  const auto& d = sha.digest();
  return "SHA256:" + base64(std::string(d.begin(), d.end()));
}

class SnowflakeSim::Impl {
 public:
  explicit Impl(SnowSimOptions o) : options(std::move(o)) {}

  Reply handle(Poco::Net::HTTPServerRequest& request, const std::string& body, bool gzip);

  SnowSimOptions options;
  mutable std::mutex mu;  // guards everything below
  std::map<std::string, SimTable> tables;
  struct Statement {
    View view;
    int pollsLeft = 0;
  };
  std::map<std::string, Statement> statements;
  std::set<std::string> accessTokens;
  bool refreshExpired = false;
  int failingPartition = -1;
  Counters counters;
  std::string lastStatement;
  std::vector<SimBinding> lastBindings;
  std::int64_t nextHandle = 1;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  Poco::Net::ServerSocket socket;
  std::uint16_t port = 0;

 private:
  bool authorised(const Poco::Net::HTTPServerRequest& request);
  bool validJwt(const std::string& jwt);
  Reply token(const Poco::Net::HTTPServerRequest& request, const std::string& body);
  Reply submit(const std::string& body);
  Reply status(const std::string& handle, int partition);
  std::string partitionJson(const View& view, std::int64_t first, std::int64_t count) const;
  std::string resultJson(const std::string& handle, const View& view) const;
};

bool SnowflakeSim::Impl::validJwt(const std::string& jwt) {
  if (options.publicKeyPem.empty()) return false;
  try {
    std::istringstream pub(options.publicKeyPem);
    Poco::JWT::Signer verifier(new Poco::Crypto::RSAKey(&pub));
    verifier.addAlgorithm(Poco::JWT::Signer::ALGO_RS256);
    Poco::JWT::Token token;
    if (!verifier.tryVerify(jwt, token)) return false;
    const std::string qualified = options.account + "." + options.user;
    if (token.getIssuer() != qualified + "." + publicKeyFingerprint(options.publicKeyPem))
      return false;
    if (token.getSubject() != qualified) return false;
    const Poco::Timestamp now = options.nowSeconds
                                    ? Poco::Timestamp::fromEpochTime(options.nowSeconds())
                                    : Poco::Timestamp();
    return token.getExpiration() > now;
  } catch (const Poco::Exception&) {
    return false;
  }
}

bool SnowflakeSim::Impl::authorised(const Poco::Net::HTTPServerRequest& request) {
  const std::string auth = request.get("Authorization", "");
  const std::string type = request.get("X-Snowflake-Authorization-Token-Type", "");
  if (auth.rfind("Bearer ", 0) != 0) return false;
  const std::string token = auth.substr(7);
  if (type == "KEYPAIR_JWT") return validJwt(token);
  if (type == "OAUTH") return accessTokens.count(token) > 0;
  return false;
}

Reply SnowflakeSim::Impl::token(const Poco::Net::HTTPServerRequest& request,
                                const std::string& body) {
  const std::string expected = "Basic " + base64(options.clientId + ":" + options.clientSecret);
  if (request.get("Authorization", "") != expected) {
    return {401,
            R"({"error":"invalid_client","error_description":"client authentication failed"})"};
  }
  std::map<std::string, std::string> form;
  std::istringstream fields(body);
  std::string pair;
  while (std::getline(fields, pair, '&')) {
    const std::size_t eq = pair.find('=');
    std::string key, value;
    Poco::URI::decode(pair.substr(0, eq), key);
    if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), value);
    form[key] = value;
  }
  if (form["grant_type"] != "refresh_token" || form["refresh_token"] != options.refreshToken) {
    return {400, R"({"error":"invalid_grant","error_description":"unknown refresh token"})"};
  }
  if (refreshExpired) {
    return {400,
            R"({"error":"invalid_grant","error_description":"This refresh token is expired."})"};
  }
  const std::string access = "sim-access-" + std::to_string(++counters.tokensIssued);
  accessTokens.insert(access);
  return {200, "{\"access_token\":" + jsonString(access) +
                   ",\"token_type\":\"Bearer\",\"expires_in\":600}"};
}

std::string SnowflakeSim::Impl::partitionJson(const View& view, std::int64_t first,
                                              std::int64_t count) const {
  std::string out = "[";
  Row row;
  for (std::int64_t i = first; i < first + count; ++i) {
    view.row(i, row);
    out += i == first ? "[" : ",[";
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += ",";
      out += row[c] ? jsonString(*row[c]) : "null";
    }
    out += "]";
  }
  return out + "]";
}

std::string SnowflakeSim::Impl::resultJson(const std::string& handle, const View& view) const {
  const std::int64_t rows = view.size();
  const std::int64_t per = options.rowsPerPartition;
  std::string rowType = "[";
  for (std::size_t c = 0; c < view.columns.size(); ++c) {
    const SimColumn& col = view.table->columns[view.columns[c]];
    rowType += (c ? "," : "") + std::string("{\"name\":") + jsonString(col.name) +
               ",\"type\":" + jsonString(col.type) + ",\"scale\":" + std::to_string(col.scale) +
               ",\"nullable\":true}";
  }
  std::string parts = "[";
  for (std::int64_t first = 0; first < rows || (first == 0 && rows == 0); first += per) {
    const std::int64_t n = std::min(per, rows - first);
    parts += (first ? "," : "") + std::string("{\"rowCount\":") + std::to_string(n) + "}";
    if (rows == 0) break;
  }
  return "{\"resultSetMetaData\":{\"numRows\":" + std::to_string(rows) +
         ",\"format\":\"jsonv2\",\"rowType\":" + rowType + "],\"partitionInfo\":" + parts +
         "]},\"data\":" + partitionJson(view, 0, std::min(per, rows)) +
         ",\"code\":\"090001\",\"statementStatusUrl\":\"/api/v2/statements/" + handle +
         "\",\"statementHandle\":" + jsonString(handle) +
         ",\"message\":\"Statement executed successfully.\"}";
}

Reply SnowflakeSim::Impl::submit(const std::string& body) {
  std::string sql;
  std::vector<SimBinding> bindings;
  try {
    std::istringstream in(body);
    Poco::JSON::Parser parser;
    Poco::JSON::Object::Ptr request = parser.parse(in).extract<Poco::JSON::Object::Ptr>();
    sql = request->getValue<std::string>("statement");
    // "bindings": {"1": {"type": ..., "value": ...}, "2": ...}: every one typed, numbered 1..N.
    Poco::JSON::Object::Ptr bound = request->getObject("bindings");
    for (std::size_t i = 1; bound && i <= bound->size(); ++i) {
      Poco::JSON::Object::Ptr b = bound->getObject(std::to_string(i));
      if (!b || !b->has("type") || !b->has("value")) {
        return error(400, "002049", "22000", "bind variable " + std::to_string(i) + " malformed");
      }
      bindings.push_back({b->getValue<std::string>("type"), b->getValue<std::string>("value")});
    }
  } catch (const Poco::Exception&) {
    return error(400, "390142", "", "Incoming request does not contain a valid payload.");
  }
  lastStatement = sql;
  lastBindings = bindings;
  ++counters.statements;
  View view;
  SqlError err;
  if (!runSelect(sql, tables, view, err, bindings)) {
    return error(422, err.code, err.sqlState, err.message);
  }
  const std::string handle = "01sim-" + std::to_string(nextHandle++);
  statements[handle] = {view, view.table->asyncPolls};
  if (view.table->asyncPolls > 0) {
    return {202,
            "{\"code\":\"333334\",\"message\":\"Asynchronous execution in progress.\","
            "\"statementHandle\":" +
                jsonString(handle) + ",\"statementStatusUrl\":\"/api/v2/statements/" + handle +
                "\"}"};
  }
  return {200, resultJson(handle, view)};
}

Reply SnowflakeSim::Impl::status(const std::string& handle, int partition) {
  auto it = statements.find(handle);
  if (it == statements.end()) return error(404, "333333", "", "Statement not found");
  Statement& st = it->second;
  if (st.pollsLeft > 0) {
    --st.pollsLeft;
    ++counters.pendingPolls;
    if (st.pollsLeft > 0) {
      return {202,
              "{\"code\":\"333334\",\"message\":\"Asynchronous execution in progress.\","
              "\"statementHandle\":" +
                  jsonString(handle) + "}"};
    }
  }
  counters.partitionsFetched.push_back(partition);
  if (partition > 0 && partition == failingPartition) {
    return error(500, "000603", "XX000", "SQL execution internal error (simulated)");
  }
  if (partition == 0) return {200, resultJson(handle, st.view)};
  const std::int64_t first = partition * options.rowsPerPartition;
  if (partition < 0 || first >= st.view.size()) {
    return error(422, "333335", "", "partition out of range");
  }
  const std::int64_t n = std::min(options.rowsPerPartition, st.view.size() - first);
  return {200, "{\"data\":" + partitionJson(st.view, first, n) + "}"};
}

Reply SnowflakeSim::Impl::handle(Poco::Net::HTTPServerRequest& request, const std::string& body,
                                 bool gzip) {
  (void)gzip;
  std::lock_guard<std::mutex> lock(mu);
  const Poco::URI uri(request.getURI());
  const std::string path = uri.getPath();
  if (path == "/oauth/token-request" && request.getMethod() == "POST") return token(request, body);
  if (path.rfind("/api/v2/statements", 0) != 0) return error(404, "", "", "not found");
  if (!authorised(request)) {
    ++counters.authRefused;
    return error(401, "390144", "", "JWT token is invalid.");
  }
  if (request.getMethod() == "POST" && path == "/api/v2/statements") return submit(body);
  if (request.getMethod() == "GET" && path.size() > 19) {
    int partition = 0;
    for (const auto& [k, v] : uri.getQueryParameters()) {
      if (k == "partition") partition = std::atoi(v.c_str());
    }
    return status(path.substr(19), partition);
  }
  return error(405, "", "", "method not allowed");
}

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(SnowflakeSim::Impl& impl) : impl_(impl) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    // The request body, capped at 1 MiB (the server's own timeout bounds the wait).
    std::string body(1 << 20, '\0');
    request.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
    body.resize(static_cast<std::size_t>(request.stream().gcount()));
    const bool gzip = request.get("Accept-Encoding", "").find("gzip") != std::string::npos;
    const Reply reply = impl_.handle(request, body, gzip);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType("application/json");
    if (gzip && reply.body.size() > 256) {
      std::ostringstream packed;
      {
        Poco::DeflatingOutputStream deflate(packed, Poco::DeflatingStreamBuf::STREAM_GZIP);
        deflate << reply.body;
        deflate.close();
      }
      response.set("Content-Encoding", "gzip");
      send(response, packed.str(), reply.status, reply.body.size());
    } else {
      send(response, reply.body, reply.status, reply.body.size());
    }
  }

 private:
  // Sends `body` (maybe gzip); a 200 answer of at least 64 KiB (`plainSize`, before gzip) is sent
  // in two halves with SnowSimOptions::midBody called between them (without the mutex).
  void send(Poco::Net::HTTPServerResponse& response, const std::string& body, int status,
            std::size_t plainSize) {
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    std::ostream& out = response.send();
    if (status != 200 || !impl_.options.midBody || plainSize < (64u << 10)) {
      out << body;
      return;
    }
    const std::size_t half = body.size() / 2;
    out.write(body.data(), static_cast<std::streamsize>(half));
    out.flush();
    impl_.options.midBody();
    out.write(body.data() + half, static_cast<std::streamsize>(body.size() - half));
  }

  SnowflakeSim::Impl& impl_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(SnowflakeSim::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(impl_);
  }

 private:
  SnowflakeSim::Impl& impl_;
};

}  // namespace

SnowflakeSim::SnowflakeSim(SnowSimOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

SnowflakeSim::~SnowflakeSim() { stop(); }

void SnowflakeSim::start() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (impl_->server) return;
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
  socket.listen(64);
  impl_->port = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);
  params->setTimeout(Poco::Timespan(30, 0));  // the deadline of every read from a client
  params->setThreadIdleTime(Poco::Timespan(0, 50000));
  impl_->pool = std::make_unique<Poco::ThreadPool>(2, 8);
  impl_->server =
      std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl_), *impl_->pool, socket, params);
  impl_->socket = socket;
  impl_->server->start();
}

void SnowflakeSim::stop() {
  std::unique_ptr<Poco::Net::HTTPServer> server;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (!impl_->server) return;
    ::shutdown(impl_->socket.impl()->sockfd(), SHUT_RDWR);
    server = std::move(impl_->server);
  }
  server->stopAll(true);  // handlers take the mutex: not held here
  server.reset();
  impl_->pool->joinAll();
  impl_->pool.reset();
}

std::string SnowflakeSim::baseUrl() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

void SnowflakeSim::setTable(const std::string& name, SimTable table) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->tables[Poco::toUpper(name)] = std::move(table);
}

void SnowflakeSim::setFailingPartition(int partition) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->failingPartition = partition;
}

void SnowflakeSim::expireRefreshTokens() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->refreshExpired = true;
  impl_->accessTokens.clear();
}

SnowflakeSim::Counters SnowflakeSim::counters() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->counters;
}

std::string SnowflakeSim::lastStatement() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->lastStatement;
}

std::vector<SimBinding> SnowflakeSim::lastBindings() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->lastBindings;
}

}  // namespace sfsync::snowsim
