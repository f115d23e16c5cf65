#include "pubsub_sim/EventLog.h"

#include <algorithm>

namespace sfsync::sim {

std::string EventLog::encodeReplayId(std::uint64_t seq) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(seq & 0xFF);
    seq >>= 8;
  }
  return out;
}

bool EventLog::decodeReplayId(const std::string& bytes, std::uint64_t& seq) {
  if (bytes.size() != 8) return false;
  seq = 0;
  for (char c : bytes) seq = (seq << 8) | static_cast<unsigned char>(c);
  return true;
}

std::uint64_t EventLog::append(const std::string& topic, eventbus::v1::ProducerEvent event) {
  std::uint64_t seq;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    seq = next_++;
    Stored stored{seq, {}};
    *stored.event.mutable_event() = std::move(event);
    stored.event.set_replay_id(encodeReplayId(seq));
    topics_[topic].push_back(std::move(stored));
    ++generation_;
  }
  changed_.notify_all();
  return seq;
}

std::vector<eventbus::v1::ConsumerEvent> EventLog::read(const std::string& topic,
                                                        std::uint64_t after,
                                                        std::size_t max) const {
  std::vector<eventbus::v1::ConsumerEvent> out;
  std::lock_guard<std::mutex> lock(mutex_);
  const auto t = topics_.find(topic);
  if (t == topics_.end()) return out;
  auto it = std::upper_bound(t->second.begin(), t->second.end(), after,
                             [](std::uint64_t a, const Stored& s) { return a < s.seq; });
  for (; it != t->second.end() && out.size() < max; ++it) {
    if (it->seq > expiredUpTo_) out.push_back(it->event);
  }
  return out;
}

std::uint64_t EventLog::latest() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return next_ - 1;
}

std::uint64_t EventLog::expiredUpTo() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return expiredUpTo_;
}

void EventLog::expireAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  expiredUpTo_ = next_ - 1;
  for (auto& [topic, events] : topics_) events.clear();
}

std::size_t EventLog::retained(const std::string& topic) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto t = topics_.find(topic);
  return t == topics_.end() ? 0 : t->second.size();
}

void EventLog::waitFor(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  const std::uint64_t seen = generation_;
  changed_.wait_for(lock, timeout, [&] { return generation_ != seen; });
}

void EventLog::notify() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++generation_;
  }
  changed_.notify_all();
}

}  // namespace sfsync::sim
