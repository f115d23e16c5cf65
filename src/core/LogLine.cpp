#include "sfsync/core/LogLine.h"

namespace sfsync {

namespace {

// The message parameter listing the fields in order: "name,#count,..." ('#': a number). Field
// names are identifiers (letters and digits), so ',' cannot occur in them.
const char* const kFieldList = "sfsync.fields";

}  // namespace

LogLine::LogLine(Poco::Message::Priority priority, std::string text)
    : priority_(priority), text_(std::move(text)) {}

LogLine& LogLine::field(const std::string& name, const std::string& value) {
  fields_.push_back({name, value, false});
  return *this;
}

LogLine& LogLine::field(const std::string& name, const char* value) {
  return field(name, std::string(value == nullptr ? "" : value));
}

LogLine& LogLine::field(const std::string& name, std::int64_t value) {
  fields_.push_back({name, std::to_string(value), true});
  return *this;
}

void LogLine::emit(Poco::Logger& logger) const {
  if (!logger.is(priority_)) return;
  Poco::Message message(logger.name(), text_, priority_);
  std::string list;
  for (const LogField& f : fields_) {
    if (!list.empty()) list += ',';
    list += (f.number ? "#" : "") + f.name;
    message.set("f." + f.name, f.value);
  }
  if (!list.empty()) message.set(kFieldList, list);
  logger.log(message);
}

std::vector<LogField> LogLine::fieldsOf(const Poco::Message& message) {
  std::vector<LogField> fields;
  if (!message.has(kFieldList)) return fields;
  const std::string& list = message.get(kFieldList);
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string name = list.substr(start, end - start);
    const bool number = !name.empty() && name[0] == '#';
    if (number) name.erase(0, 1);
    if (!name.empty()) fields.push_back({name, message.get("f." + name, ""), number});
    start = end + 1;
  }
  return fields;
}

}  // namespace sfsync
