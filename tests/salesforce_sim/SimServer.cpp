#include "salesforce_sim/SimServer.h"

#include <sys/socket.h>

#include <mutex>
#include <stdexcept>

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include "salesforce_sim/SimRequestHandlerFactory.h"
#include "salesforce_sim/SimService.h"
#include "salesforce_sim/SimTime.h"

namespace sfsync::sim {

struct SimServer::Impl {
  explicit Impl(const SimOptions& o) : options(o), service(o) {}

  SimOptions options;
  SimService service;
  std::mutex mutex;  // guards server, pool, port
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  Poco::Net::ServerSocket socket;  // shares the listening socket with the server
  std::uint16_t port = 0;
};

SimServer::SimServer(SimOptions options) : impl_(std::make_unique<Impl>(options)) {}

SimServer::~SimServer() { stop(); }

void SimServer::start() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (impl_->server) return;
  Poco::Net::ServerSocket socket;
  // Explicit bind without SO_REUSEPORT (see toolchain note 3).
  socket.bind(Poco::Net::SocketAddress(impl_->options.host, impl_->options.port), true, false);
  socket.listen(128);
  impl_->port = socket.address().port();
  impl_->service.setBaseUrl("http://" + impl_->options.host + ":" + std::to_string(impl_->port));
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(32);
  params->setMaxQueued(256);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);
  params->setTimeout(Poco::Timespan(60, 0));
  // Idle dispatcher threads re-check for shutdown this often; with Poco's default (10 s) a stop()
  // racing an idle dispatcher thread could wait that long in joinAll().
  params->setThreadIdleTime(Poco::Timespan(0, 50000));
  impl_->pool = std::make_unique<Poco::ThreadPool>(2, 40);
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(
      new SimRequestHandlerFactory(impl_->service), *impl_->pool, socket, params);
  impl_->socket = socket;
  impl_->server->start();
}

void SimServer::stop() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (!impl_->server) return;
  impl_->service.releaseHeldPage();  // a held request must not keep stopAll() waiting
  // Poco's acceptor thread polls the listening socket in 250 ms slices; shutting the socket down
  // wakes it at once, so stop() (and every test fixture) does not wait for the slice to end.
  ::shutdown(impl_->socket.impl()->sockfd(), SHUT_RDWR);
  impl_->server->stopAll(true);
  impl_->server.reset();
  impl_->pool->joinAll();
  impl_->pool.reset();
}

std::uint16_t SimServer::port() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->port;
}

std::string SimServer::baseUrl() const {
  return "http://" + impl_->options.host + ":" + std::to_string(port());
}

void SimServer::upsertRecord(const std::string& object, const std::string& jsonRecord) {
  impl_->service.upsertRecord(object, jsonRecord);
}

std::string SimServer::insertRecord(const std::string& object, const std::string& jsonRecord) {
  return impl_->service.upsertRecord(object, jsonRecord);
}

void SimServer::setField(const std::string& object, const std::string& id, const std::string& field,
                         const std::string& jsonValue) {
  impl_->service.setField(object, id, field, jsonValue);
}

void SimServer::deleteRecord(const std::string& object, const std::string& id) {
  impl_->service.deleteRecord(object, id);
}

void SimServer::undeleteRecord(const std::string& object, const std::string& id) {
  impl_->service.undeleteRecord(object, id);
}

std::string SimServer::commitLate(const std::string& object, const std::string& jsonRecord,
                                  const std::string& stampIso) {
  std::int64_t ms = 0;
  if (!SimTime::parseDateTime(stampIso, ms)) {
    throw std::invalid_argument("not a datetime: " + stampIso);
  }
  return impl_->service.commitLate(object, jsonRecord, ms);
}

void SimServer::hardDeleteRecord(const std::string& object, const std::string& id) {
  impl_->service.hardDeleteRecord(object, id);
}

void SimServer::setEarliestDateAvailable(const std::string& isoDatetime) {
  std::int64_t ms = 0;
  if (!isoDatetime.empty() && !SimTime::parseDateTime(isoDatetime, ms)) {
    throw std::invalid_argument("not a datetime: " + isoDatetime);
  }
  impl_->service.setEarliestDateAvailable(ms);
}

void SimServer::clearObject(const std::string& object) { impl_->service.clearObject(object); }

void SimServer::generateAccounts(std::size_t n) { impl_->service.generateAccounts(n); }

void SimServer::generateContacts(std::size_t n, std::size_t duplicateEmailEvery) {
  impl_->service.generateContacts(n, duplicateEmailEvery);
}

std::size_t SimServer::recordCount(const std::string& object) const {
  return impl_->service.recordCount(object);
}

void SimServer::addObject(const std::string& describeJson) {
  impl_->service.addObject(describeJson);
}

void SimServer::setNowForTest(const std::string& isoDatetime) {
  std::int64_t ms = 0;
  if (!isoDatetime.empty() && !SimTime::parseDateTime(isoDatetime, ms)) {
    throw std::invalid_argument("not a datetime: " + isoDatetime);
  }
  impl_->service.setNowForTest(ms);
}

void SimServer::expireSessionOnce() { impl_->service.expireSessionOnce(); }
void SimServer::revokeAllSessions() { impl_->service.revokeAllSessions(); }
void SimServer::setPasswordForTest(const std::string& password) {
  impl_->service.setPassword(password);
}
void SimServer::fail500Once(int times) { impl_->service.fail500(times); }
void SimServer::malformedPageOnce() { impl_->service.malformedPageOnce(); }
void SimServer::claimTotalSize(std::int64_t totalSize) { impl_->service.claimTotalSize(totalSize); }
void SimServer::rewritePages(const std::string& from, const std::string& to) {
  impl_->service.rewritePages(from, to);
}
void SimServer::resetNextResponses(int n) { impl_->service.resetNextResponses(n); }
void SimServer::stallNextResponses(int n, int ms) { impl_->service.stallNextResponses(n, ms); }
void SimServer::holdNextPage(int n) { impl_->service.holdNextPage(n); }
void SimServer::releaseHeldPage() { impl_->service.releaseHeldPage(); }
bool SimServer::holdingPage() const { return impl_->service.holdingPage(); }
void SimServer::setBulkPollsToComplete(int n) { impl_->service.bulk().setPollsToComplete(n); }
void SimServer::holdBulkJobs(bool hold) { impl_->service.bulk().holdJobs(hold); }
void SimServer::failNextBulkJob(const std::string& message) {
  impl_->service.bulk().failNextJob(message);
}
void SimServer::addValidationRule(const std::string& object, const std::string& field,
                                  const std::string& jsonValue, const std::string& message) {
  impl_->service.collections().addValidationRule(object, field, jsonValue, message);
}
void SimServer::lockRowOnce(const std::string& id) { impl_->service.collections().lockOnce(id); }
std::vector<std::string> SimServer::bulkJobQueries() const {
  return impl_->service.bulk().jobQueries();
}
std::int64_t SimServer::collectionCalls() const { return impl_->service.collections().calls(); }
void SimServer::dropCollectionsAnswerOnce() { impl_->service.dropCollectionsAnswerOnce(); }
void SimServer::oversizeCollectionsAnswerOnce(std::size_t bytes) {
  impl_->service.oversizeCollectionsAnswerOnce(bytes);
}
void SimServer::malformedBulkResultOnce() { impl_->service.bulk().malformedResultOnce(); }
void SimServer::setLatencyMs(int ms) { impl_->service.setLatencyMs(ms); }
void SimServer::setBatchSize(int n) { impl_->service.setBatchSize(n); }
void SimServer::setApiLimit(std::int64_t max, std::int64_t used) {
  impl_->service.setApiLimit(max, used);
}
void SimServer::expireQueryLocators() { impl_->service.expireQueryLocators(); }
void SimServer::expireQueryLocatorsAfterPages(int pages) {
  impl_->service.expireQueryLocatorsAfterPages(pages);
}

std::int64_t SimServer::tokenRequests() const { return impl_->service.tokenRequests(); }
std::int64_t SimServer::dataRequests() const { return impl_->service.dataRequests(); }
std::int64_t SimServer::queryRequests() const { return impl_->service.queryRequests(); }
std::int64_t SimServer::apiUsage() const { return impl_->service.apiUsage(); }

void SimServer::setChangeListener(ChangeListener listener) {
  impl_->service.setChangeListener(std::move(listener));
}
bool SimServer::validAccessToken(const std::string& token) const {
  return impl_->service.validAccessToken(token);
}
std::string SimServer::orgId() const { return impl_->service.orgId(); }
std::shared_ptr<const ObjectSchema> SimServer::objectSchema(const std::string& object) const {
  return impl_->service.schemaOf(object);
}

}  // namespace sfsync::sim
