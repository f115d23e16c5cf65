// LogCapture: records the messages logged on one Poco logger (and the loggers below it) while it
// lives, for tests that check what sfsync logs; the logger's channel and level are restored when it
// is destroyed. Loggers are process-wide: one capture per logger at a time.
//
// Thread-safety: messages may be logged from any thread; the accessors are safe from any thread.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <mutex>
#include <string>
#include <vector>

#include "sfsync/core/LogLine.h"

namespace sfsync::testing {

class LogCapture {
 public:
  explicit LogCapture(const std::string& logger, int level = Poco::Message::PRIO_TRACE)
      : name_(logger), channel_(new Sink) {
    Poco::Logger& l = Poco::Logger::get(name_);
    savedChannel_ = l.getChannel();
    savedLevel_ = l.getLevel();
    Poco::Logger::setChannel(name_, channel_);
    Poco::Logger::setLevel(name_, level);
  }
  ~LogCapture() {
    Poco::Logger::setChannel(name_, savedChannel_);
    Poco::Logger::setLevel(name_, savedLevel_);
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::vector<Poco::Message> messages() const {
    std::lock_guard<std::mutex> lock(channel_->mu);
    return channel_->messages;
  }

  // The messages whose LogLine field "event" is `event`.
  std::vector<Poco::Message> events(const std::string& event) const {
    std::vector<Poco::Message> out;
    for (const Poco::Message& m : messages()) {
      if (field(m, "event") == event) out.push_back(m);
    }
    return out;
  }

  // The value of LogLine field `name` on `message`, or "".
  static std::string field(const Poco::Message& message, const std::string& name) {
    for (const LogField& f : LogLine::fieldsOf(message)) {
      if (f.name == name) return f.value;
    }
    return "";
  }

 private:
  struct Sink : Poco::Channel {
    void log(const Poco::Message& message) override {
      std::lock_guard<std::mutex> lock(mu);
      messages.push_back(message);
    }
    mutable std::mutex mu;
    std::vector<Poco::Message> messages;
  };

  std::string name_;
  Poco::AutoPtr<Sink> channel_;  // const accessors lock its mutable mutex
  Poco::Channel::Ptr savedChannel_;
  int savedLevel_;
};

}  // namespace sfsync::testing
