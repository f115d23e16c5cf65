#include "app/JsonLinesFormatter.h"

#include <Poco/Instantiator.h>
#include <Poco/JSON/Object.h>
#include <Poco/LoggingFactory.h>

#include <chrono>
#include <mutex>
#include <sstream>

#include "sfsync/core/Clock.h"
#include "sfsync/core/LogLine.h"
#include "sfsync/core/Utf8.h"

namespace sfsync::app {

namespace {

std::string clean(const std::string& text) {
  if (isValidUtf8(text)) return text;
  std::string out;
  appendUtf8Sanitized(out, text);
  return out;
}

std::string isoTime(const Poco::Timestamp& time) {
  const auto micros = std::chrono::microseconds(time.epochMicroseconds());
  return formatIso8601(
      Clock::TimePoint(std::chrono::duration_cast<Clock::TimePoint::duration>(micros)));
}

}  // namespace

const char* JsonLinesFormatter::levelName(Poco::Message::Priority priority) {
  switch (priority) {
    case Poco::Message::PRIO_FATAL:
      return "fatal";
    case Poco::Message::PRIO_CRITICAL:
      return "critical";
    case Poco::Message::PRIO_ERROR:
      return "error";
    case Poco::Message::PRIO_WARNING:
      return "warning";
    case Poco::Message::PRIO_NOTICE:
      return "notice";
    case Poco::Message::PRIO_INFORMATION:
      return "information";
    case Poco::Message::PRIO_DEBUG:
      return "debug";
    case Poco::Message::PRIO_TRACE:
      return "trace";
  }
  return "information";
}

void JsonLinesFormatter::format(const Poco::Message& message, std::string& text) {
  Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
  line.set("time", isoTime(message.getTime()));
  line.set("level", levelName(message.getPriority()));
  line.set("logger", clean(message.getSource()));
  line.set("thread", clean(message.getThread()));
  line.set("tid", static_cast<Poco::Int64>(message.getTid()));
  line.set("message", clean(message.getText()));
  const std::vector<LogField> fields = LogLine::fieldsOf(message);
  if (!fields.empty()) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const LogField& field : fields) {
      if (field.number) {
        try {
          object->set(clean(field.name), static_cast<Poco::Int64>(std::stoll(field.value)));
          continue;
        } catch (const std::exception&) {
          // Not a number after all: kept as a string below.
        }
      }
      object->set(clean(field.name), clean(field.value));
    }
    line.set("fields", object);
  }
  std::ostringstream out;
  line.stringify(out);
  text += out.str();
}

void JsonLinesFormatter::registerWithPoco() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::LoggingFactory::defaultFactory().registerFormatterClass(
        "JsonLinesFormatter", new Poco::Instantiator<JsonLinesFormatter, Poco::Formatter>);
  });
}

}  // namespace sfsync::app
