// LogLine: one structured log line - a human-readable text plus named fields (execution id, status,
// counts, ...). The fields travel as parameters of the Poco::Message, so the text formatter prints
// the text alone and the JSON-lines formatter (log.format = json) adds them as a "fields" object.
// Field values must never hold secrets; the text is what a text log shows.
//
//   LogLine(Poco::Message::PRIO_INFORMATION, "job 'X' started")
//       .field("executionId", id).field("attempt", 1).emit(Poco::Logger::get("sfsync.jobs"));
//
// Thread-safety: a LogLine is a value owned by one thread; emit() is as thread-safe as Poco's
// loggers (it may be called from any thread).
#pragma once

#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sfsync {

struct LogField {
  std::string name;
  std::string value;
  bool number = false;  // value is a decimal integer (JSON number, not string)
};

class LogLine {
 public:
  LogLine(Poco::Message::Priority priority, std::string text);

  LogLine& field(const std::string& name, const std::string& value);
  LogLine& field(const std::string& name, const char* value);
  LogLine& field(const std::string& name, std::int64_t value);
  LogLine& field(const std::string& name, int value) {
    return field(name, static_cast<std::int64_t>(value));
  }

  // Logs the line on `logger` when its level lets the priority through; nothing otherwise.
  void emit(Poco::Logger& logger) const;

  // The fields a message carries (set by emit()), in the order they were added; empty for a plain
  // Poco message.
  static std::vector<LogField> fieldsOf(const Poco::Message& message);

 private:
  Poco::Message::Priority priority_;
  std::string text_;
  std::vector<LogField> fields_;
};

}  // namespace sfsync
