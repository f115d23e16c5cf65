// EventLog: the Pub/Sub simulator's retained events, per topic, in publish order. Every appended
// event gets the next replay id (8 bytes, big-endian sequence number, shared by all topics so ids
// never repeat). Retention: expireAll() ages out everything published so far (the oldest retained
// position moves past it), as 72 hours passing would.
//
// Thread-safety: all methods may be called from any thread; waitFor() blocks without holding the
// lock for other callers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "pubsub_api.pb.h"

namespace sfsync::sim {

class EventLog {
 public:
  static std::string encodeReplayId(std::uint64_t seq);
  // False when `bytes` is not 8 bytes.
  static bool decodeReplayId(const std::string& bytes, std::uint64_t& seq);

  // Stores the event under the next replay id; returns that sequence number.
  std::uint64_t append(const std::string& topic, eventbus::v1::ProducerEvent event);
  // Up to `max` retained events of `topic` with a sequence number above `after`.
  std::vector<eventbus::v1::ConsumerEvent> read(const std::string& topic, std::uint64_t after,
                                                std::size_t max) const;
  // The newest sequence number handed out (0: none yet).
  std::uint64_t latest() const;
  // Events with a sequence number at or below this are no longer retained.
  std::uint64_t expiredUpTo() const;
  void expireAll();
  std::size_t retained(const std::string& topic) const;

  // Waits until something is appended or notify() is called, at most `timeout`.
  void waitFor(std::chrono::milliseconds timeout);
  void notify();

 private:
  struct Stored {
    std::uint64_t seq;
    eventbus::v1::ConsumerEvent event;
  };
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t generation_ = 0;
  std::uint64_t next_ = 1;
  std::uint64_t expiredUpTo_ = 0;
  std::map<std::string, std::vector<Stored>> topics_;
};

}  // namespace sfsync::sim
