// JsonLinesFormatter: the Poco formatter behind log.format = json - one JSON object per line:
//   {"time":"2026-12-05T07:40:00.123Z","level":"information","logger":"sfsync.jobs",
//    "thread":"worker-1","tid":42,"message":"...","fields":{"executionId":"...","read":10}}
// "fields" (only when the message has any) are the LogLine fields (sfsync/core/LogLine.h); numbers
// stay numbers. Strings are escaped by Poco::JSON (quotes, backslashes, control characters as
// \uXXXX); bytes that are not valid UTF-8 become U+FFFD first, so every line is valid UTF-8 JSON
// and a message can never break the one-object-per-line framing.
//
// It lives in app, not core: only the application wires logging, and it needs Poco::JSON, which
// core does not link. Registered with Poco's LoggingFactory as "JsonLinesFormatter", so logging.*
// configurations may use it too (logging.formatters.f.class = JsonLinesFormatter).
//
// Thread-safety: format() keeps no state; safe from any thread (Poco calls it from the logging
// thread of each message).
#pragma once

#include <Poco/Formatter.h>
#include <Poco/Message.h>

#include <string>

namespace sfsync::app {

class JsonLinesFormatter : public Poco::Formatter {
 public:
  void format(const Poco::Message& message, std::string& text) override;

  // Poco's level name of a priority ("fatal" ... "trace").
  static const char* levelName(Poco::Message::Priority priority);

  // Registers the class with Poco::LoggingFactory::defaultFactory() (idempotent).
  static void registerWithPoco();
};

}  // namespace sfsync::app
