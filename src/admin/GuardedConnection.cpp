#include "admin/GuardedConnection.h"

#include <Poco/Net/HTTPServerConnection.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <utility>

namespace sfsync::admin {

namespace {

thread_local GuardedConnection* tCurrent = nullptr;

// Clears the thread's current connection however run() ends.
struct CurrentScope {
  explicit CurrentScope(GuardedConnection* c) { tCurrent = c; }
  ~CurrentScope() { tCurrent = nullptr; }
  CurrentScope(const CurrentScope&) = delete;
  CurrentScope& operator=(const CurrentScope&) = delete;
};

}  // namespace

GuardedConnection::GuardedConnection(const Poco::Net::StreamSocket& socket,
                                     Poco::Net::HTTPServerParams::Ptr params,
                                     Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                                     ConnectionWatchdog& watchdog, Limits limits,
                                     std::function<bool()> busy)
    : Poco::Net::TCPServerConnection(socket),
      params_(std::move(params)),
      factory_(std::move(factory)),
      watchdog_(watchdog),
      limits_(limits),
      busy_(std::move(busy)) {}

void GuardedConnection::run() {
  watchId_ = watchdog_.watch(socket(), ConnectionWatchdog::Clock::now() + limits_.requestTimeout);
  struct Unwatch {
    ConnectionWatchdog& watchdog;
    std::uint64_t id;
    ~Unwatch() { watchdog.unwatch(id); }
  } unwatch{watchdog_, watchId_};
  CurrentScope scope(this);
  Poco::Net::HTTPServerConnection http(socket(), params_, factory_);
  http.run();
}

void GuardedConnection::arm(std::chrono::seconds after) {
  watchdog_.rearm(watchId_, ConnectionWatchdog::Clock::now() + after);
}

void GuardedConnection::headReceived() {
  if (tCurrent != nullptr) tCurrent->arm(tCurrent->limits_.requestTimeout);
}

void GuardedConnection::bodyReceived() {
  if (tCurrent != nullptr) tCurrent->watchdog_.rearm(tCurrent->watchId_, std::nullopt);
}

void GuardedConnection::responseSent() {
  if (tCurrent != nullptr)
    tCurrent->arm(tCurrent->limits_.keepAlive + tCurrent->limits_.requestTimeout);
}

void GuardedConnection::writeStarted(std::chrono::seconds within) {
  if (tCurrent != nullptr) tCurrent->arm(within);
}

void GuardedConnection::writeDone() {
  if (tCurrent != nullptr) tCurrent->watchdog_.rearm(tCurrent->watchId_, std::nullopt);
}

void GuardedConnection::armWrite() {
  if (tCurrent != nullptr) tCurrent->arm(tCurrent->limits_.requestTimeout);
}

void GuardedConnection::send(Poco::Net::HTTPServerResponse& response, std::string_view body) {
  armWrite();
  std::ostream& out = response.send();
  for (std::size_t at = 0; at < body.size() && out; at += kWriteChunk) {
    armWrite();
    const std::size_t n = std::min(kWriteChunk, body.size() - at);
    out.write(body.data() + at, static_cast<std::streamsize>(n));
  }
  armWrite();
  out.flush();
  writeDone();
}

void GuardedConnection::send(Poco::Net::HTTPServerResponse& response, std::istream& in) {
  armWrite();
  std::ostream& out = response.send();
  std::string chunk(kWriteChunk, '\0');
  for (;;) {
    armWrite();  // the file's read and the write of what it read
    if (!out || in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())).gcount() <= 0) {
      break;
    }
    out.write(chunk.data(), in.gcount());
  }
  armWrite();
  out.flush();
  writeDone();
}

bool GuardedConnection::othersWaiting() {
  return tCurrent != nullptr && tCurrent->busy_ && tCurrent->busy_();
}

}  // namespace sfsync::admin
