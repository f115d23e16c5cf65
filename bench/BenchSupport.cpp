#include "BenchSupport.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/PipeStream.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <vector>

#include "salesforce_sim/SimHttpClient.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/salesforce/SoqlBuilder.h"

namespace sfsync::bench {

namespace {

using Clock = std::chrono::steady_clock;

const char kApiVersion[] = "/services/data/v62.0";
constexpr int kDrainBytes = 64 * 1024;  // bytes per receive of a drain
// What a floor keeps of a query page without onBody: "nextRecordsUrl" comes before "records".
constexpr std::size_t kHeadBytes = 4096;

const char kCompanyJob10[] = R"({
  "name": "Company Replication", "connection": "sample",
  "source": {"object": "Account"},
  "target": {"object": "Company"},
  "mappings": [
    {"source": "Id", "target": "SfdcAccountId", "type": "text", "upsertKey": true},
    {"source": "Name", "target": "Name", "type": "text"},
    {"source": "NumberOfEmployees", "target": "Employees", "type": "integer"},
    {"source": "Industry", "target": "Industry", "type": "text"},
    {"source": "Type", "target": "Type", "type": "text"},
    {"source": "AnnualRevenue", "target": "AnnualRevenue", "type": "real"},
    {"source": "Phone", "target": "Phone", "type": "text"},
    {"source": "Website", "target": "Website", "type": "text"},
    {"source": "BillingCity", "target": "BillingCity", "type": "text"},
    {"source": "BillingCountry", "target": "BillingCountry", "type": "text"}
  ]})";

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct RawReply {
  int status = 0;
  std::string body;     // the first `keep` bytes of the body
  long long bytes = 0;  // the whole body's length
  std::string locator;  // Sforce-Locator (Bulk results)
};

// The receive buffer of the drains (64 KiB reads, as the client's), one per thread.
char* drainBuffer() {
  static thread_local char buffer[kDrainBytes];
  return buffer;
}

// Appends the first bytes of `data` to reply.body while it holds fewer than `keep`; counts all.
void keepHead(const char* data, std::size_t n, std::size_t keep, RawReply& reply) {
  if (reply.body.size() < keep) reply.body.append(data, std::min(keep - reply.body.size(), n));
  reply.bytes += static_cast<long long>(n);
}

// Reads the body the way the client does (64 KiB reads as the bytes arrive), keeping only its
// first `keep` bytes, so the drain costs no copy beyond the socket's.
void drainBody(std::istream& in, std::size_t keep, RawReply& reply) {
  char* buffer = drainBuffer();
  std::streambuf& from = *in.rdbuf();
  for (;;) {
    std::streamsize avail = from.in_avail();
    if (avail <= 0) {
      if (std::streambuf::traits_type::eq_int_type(from.sgetc(),
                                                   std::streambuf::traits_type::eof())) {
        return;
      }
      avail = std::max<std::streamsize>(from.in_avail(), 1);
    }
    const std::streamsize n = from.sgetn(buffer, std::min<std::streamsize>(avail, kDrainBytes));
    if (n <= 0) return;
    keepHead(buffer, static_cast<std::size_t>(n), keep, reply);
  }
}

// `keep`: how much of the body the caller needs (the drain reads it all regardless).
RawReply rawRequest(Poco::Net::HTTPClientSession& session, const std::string& method,
                    const std::string& path, const std::string& token,
                    const std::string& jsonBody = "",
                    std::size_t keep = std::numeric_limits<std::size_t>::max()) {
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("Authorization", "Bearer " + token);
  RawReply reply;
  try {
    if (!jsonBody.empty()) {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(jsonBody.size()));
      session.sendRequest(request) << jsonBody;
    } else {
      session.sendRequest(request);
    }
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    drainBody(in, keep, reply);
    reply.status = static_cast<int>(response.getStatus());
    reply.locator = response.get("Sforce-Locator", "");
  } catch (const Poco::Exception& e) {
    reply.body = e.displayText();
  }
  return reply;
}

// One GET over a plain socket, with no HTTP library: the request written by hand, the response
// head read to its blank line, the body (Content-Length, as the simulator sends it) received in
// 64 KiB reads. The least any client must do to get the pages, hence the lower-bound floor.
RawReply socketGet(Poco::Net::StreamSocket& socket, const std::string& host,
                   const std::string& path, const std::string& token, std::size_t keep) {
  char* buffer = drainBuffer();
  RawReply reply;
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host +
                              "\r\nAuthorization: Bearer " + token + "\r\n\r\n";
  try {
    for (std::size_t sent = 0; sent < request.size();) {
      const int n =
          socket.sendBytes(request.data() + sent, static_cast<int>(request.size() - sent));
      if (n <= 0) throw Poco::Exception("the request could not be sent");
      sent += static_cast<std::size_t>(n);
    }
    std::string head;
    std::size_t blank;
    while ((blank = head.find("\r\n\r\n")) == std::string::npos) {
      const int n = socket.receiveBytes(buffer, kDrainBytes);
      if (n <= 0 || head.size() > (1 << 20)) throw Poco::Exception("no complete response head");
      head.append(buffer, static_cast<std::size_t>(n));
    }
    const std::string early = head.substr(blank + 4);
    head.resize(blank);
    Poco::toLowerInPlace(head);
    const std::size_t length = head.find("\r\ncontent-length:");
    if (head.rfind("http/1.1 ", 0) != 0 || length == std::string::npos) {
      throw Poco::Exception("a response without a status line or a Content-Length");
    }
    long long remaining = std::atoll(head.c_str() + length + 17);
    keepHead(early.data(), early.size(), keep, reply);
    remaining -= static_cast<long long>(early.size());
    while (remaining > 0) {
      const int n = socket.receiveBytes(
          buffer, static_cast<int>(std::min<long long>(remaining, kDrainBytes)));
      if (n <= 0) throw Poco::Exception("connection closed inside the body");
      keepHead(buffer, static_cast<std::size_t>(n), keep, reply);
      remaining -= n;
    }
    reply.status = std::atoi(head.c_str() + 9);
  } catch (const Poco::Exception& e) {
    reply.body = e.displayText();
  }
  return reply;
}

// The value of "key":"..." in a JSON text, found without parsing the rest ("" when absent).
std::string jsonStringField(const std::string& body, const std::string& key) {
  const std::string marker = "\"" + key + "\":\"";
  const std::size_t at = body.find(marker);
  if (at == std::string::npos) return "";
  const std::size_t end = body.find('"', at + marker.size());
  return end == std::string::npos ? "" : body.substr(at + marker.size(), end - at - marker.size());
}

std::string encoded(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]", out);
  return out;
}

}  // namespace

long peakRssKb() {
  // VmHWM is the high-water mark of this process image. getrusage's ru_maxrss is not: Linux keeps
  // it across execve, so a child forked from a big parent would report the parent's size.
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);  // "VmHWM:  1234 kB"
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // kilobytes on Linux
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

config::JobConfig parseJobOrExit(const std::string& path, const std::string& text) {
  std::vector<config::ConfigProblem> problems;
  std::optional<config::JobConfig> job = config::parseJob(path, text, problems);
  if (!job) {
    std::cerr << "bench: " << (problems.empty() ? path : problems.front().toString()) << std::endl;
    std::exit(1);
  }
  return *job;
}

config::JobConfig shippedJob(const std::string& file) {
  const std::string path = std::string(SFSYNC_SOURCE_DIR) + "/jobs/" + file;
  return parseJobOrExit(path, readFile(path));
}

config::JobConfig companyJob10() { return parseJobOrExit("company_job_10.json", kCompanyJob10); }

std::string firstRunSoql(const config::JobConfig& job, bool ordered) {
  salesforce::SoqlBuilder soql(job.sourceObject);
  soql.select(job.sourceFields());
  if (!job.filter.empty()) soql.where(job.filter);
  if (ordered) soql.orderBy("SystemModstamp, Id");
  return soql.build();
}

double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

std::string selfPath() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) {
    std::perror("bench: readlink /proc/self/exe");
    std::exit(1);
  }
  return std::string(buf, static_cast<std::size_t>(n));
}

std::vector<std::string> runSelf(const std::vector<std::string>& args, int& exitCode) {
  Poco::Pipe out;
  Poco::ProcessHandle child = Poco::Process::launch(selfPath(), args, nullptr, &out, nullptr);
  Poco::PipeInputStream stream(out);
  std::vector<std::string> lines;
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  exitCode = child.wait();
  return lines;
}

std::string simLoginToken(const std::string& url) {
  const Poco::URI uri(url);
  return sim::test::SimHttpClient(uri.getPort()).loginToken();
}

Floor restFloor(const std::string& url, const std::string& soql,
                const std::function<void(const std::string&)>& onBody, FloorHttp http) {
  const Poco::URI uri(url);
  const std::string token = simLoginToken(url);
  const std::string host = uri.getHost() + ":" + std::to_string(uri.getPort());
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  std::optional<Poco::Net::StreamSocket> socket;
  Floor floor;
  const auto start = Clock::now();
  if (http == FloorHttp::kSocket) {
    try {
      socket.emplace(Poco::Net::SocketAddress(uri.getHost(), uri.getPort()));
      socket->setReceiveTimeout(Poco::Timespan(60, 0));  // as Poco's session
    } catch (const Poco::Exception& e) {
      floor.note = "connect: " + e.displayText();
      return floor;
    }
  }
  const std::size_t keep = onBody ? std::numeric_limits<std::size_t>::max() : kHeadBytes;
  std::string path = std::string(kApiVersion) + "/query?q=" + encoded(soql);
  while (!path.empty()) {
    RawReply reply = socket ? socketGet(*socket, host, path, token, keep)
                            : rawRequest(session, "GET", path, token, "", keep);
    ++floor.calls;
    floor.bytes += reply.bytes;
    if (reply.status != 200) {
      floor.note = "HTTP " + std::to_string(reply.status) + ": " + reply.body.substr(0, 200);
      return floor;
    }
    if (onBody) onBody(reply.body);
    path = jsonStringField(reply.body, "nextRecordsUrl");
    if (path.empty() && reply.body.find("\"done\":false") != std::string::npos) {
      floor.note = "a page with \"done\":false has no nextRecordsUrl in the part kept";
      return floor;
    }
  }
  floor.secs = secondsSince(start);
  floor.ok = true;
  return floor;
}

// Polls the Bulk query job `id` until JobComplete; false (with floor.note) when it failed.
static bool awaitBulkJob(Poco::Net::HTTPClientSession& session, const std::string& jobs,
                         const std::string& id, const std::string& token, Floor& floor) {
  for (std::string state; state != "JobComplete"; ++floor.calls) {
    const RawReply reply = rawRequest(session, "GET", jobs + "/" + id, token);
    state = jsonStringField(reply.body, "state");
    if (reply.status != 200 || state == "Failed" || state == "Aborted") {
      floor.note = "job state " + state + ", HTTP " + std::to_string(reply.status);
      return false;
    }
  }
  return true;
}

Floor bulkFloor(const std::string& url, const std::string& soql, std::int64_t maxRecords) {
  const Poco::URI uri(url);
  const std::string token = simLoginToken(url);
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  Floor floor;
  const auto start = Clock::now();
  const std::string jobs = std::string(kApiVersion) + "/jobs/query";
  Poco::JSON::Object create;
  create.set("operation", "query");
  create.set("query", soql);
  std::ostringstream createBody;
  create.stringify(createBody);
  RawReply reply = rawRequest(session, "POST", jobs, token, createBody.str());
  ++floor.calls;
  const std::string id = jsonStringField(reply.body, "id");
  if (reply.status != 200 || id.empty()) {
    floor.note = "job creation: HTTP " + std::to_string(reply.status);
    return floor;
  }
  if (!awaitBulkJob(session, jobs, id, token, floor)) return floor;
  for (std::string locator; locator != "null";) {
    std::string path = jobs + "/" + id + "/results?maxRecords=" + std::to_string(maxRecords);
    if (!locator.empty()) path += "&locator=" + encoded(locator);
    reply = rawRequest(session, "GET", path, token, "", 0);  // the locator is a header
    ++floor.calls;
    floor.bytes += reply.bytes;
    if (reply.status != 200 || reply.locator.empty()) {
      floor.note = "results: HTTP " + std::to_string(reply.status);
      return floor;
    }
    locator = reply.locator;
  }
  floor.secs = secondsSince(start);
  floor.ok = true;
  return floor;
}

salesforce::ConnectionSettings simConnection(const std::string& url) {
  salesforce::ConnectionSettings settings;
  settings.orgType = salesforce::OrgType::kCustomDomain;
  settings.customDomainUrl = url;
  settings.clientId = "sfsync-sample-client";
  settings.clientSecret = "sample-secret";
  settings.username = "admin@sample.sfsync";
  settings.password = "sample-password";
  settings.securityToken = "SAMPLETOKEN";
  return settings;
}

std::string freshDir() {
  char dirTemplate[] = "/tmp/sfsync-bench-XXXXXX";
  if (mkdtemp(dirTemplate) == nullptr) {
    std::perror("bench: mkdtemp");
    std::exit(1);
  }
  return dirTemplate;
}

SimProcess::SimProcess(const Poco::Process::Args& args)
    : handle_(Poco::Process::launch(SFSYNC_SIM_PATH, args, nullptr, &out_, nullptr)) {
  Poco::PipeInputStream stream(out_);
  std::string line;
  std::getline(stream, line);
  const std::string marker = "listening on ";
  const auto at = line.find(marker);
  if (at == std::string::npos) {
    std::cerr << "bench: simulator did not start: " << line << std::endl;
    std::exit(1);
  }
  url_ = line.substr(at + marker.size());
}

SimProcess::~SimProcess() {
  Poco::Process::requestTermination(handle_.id());
  handle_.wait();
}

}  // namespace sfsync::bench
