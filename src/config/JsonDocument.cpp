#include "config/JsonDocument.h"

#include <exception>
#include <sstream>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "config/DuplicateKeyHandler.h"
#include "config/JsonSyntaxLocator.h"
#include "config/Utf8Scanner.h"

namespace sfsync::config {

namespace {

constexpr const char* kUtf8Bom = "\xEF\xBB\xBF";

// Poco reports the end of text as the byte 0xFF; such messages are replaced by the locator's.
bool hasEofByte(const std::string& message) { return message.find('\xff') != std::string::npos; }

std::string syntaxMessage(const std::string& text, const std::string& pocoMessage) {
  const auto where = JsonSyntaxLocator::locate(text);
  if (!where) return "invalid JSON: " + pocoMessage;
  const std::string what = (where->atEnd || hasEofByte(pocoMessage) || pocoMessage.empty())
                               ? where->message
                               : pocoMessage;
  return "invalid JSON at line " + std::to_string(where->line) + ", column " +
         std::to_string(where->column) + ": " + what;
}

}  // namespace

Poco::JSON::Object::Ptr JsonDocument::parseObject(const std::string& input,
                                                  ProblemCollector& problems) {
  // Editors on Windows like to start UTF-8 files with a byte order mark; JSON does not allow one.
  const std::string text = input.rfind(kUtf8Bom, 0) == 0 ? input.substr(3) : input;
  if (const auto bad = Utf8Scanner::firstInvalid(text)) {
    problems.add("$", "invalid UTF-8 at line " + std::to_string(bad->line) + ", column " +
                          std::to_string(bad->column));
    return nullptr;
  }
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    problems.add("$", "empty file: expected a JSON object");
    return nullptr;
  }
  if (text[first] != '{') {
    // Poco's messages for a non-object root are confusing ("empty stack"); say it plainly.
    const auto where = JsonSyntaxLocator::locate(text);
    problems.add("$", where ? syntaxMessage(text, where->message)
                            : "expected a JSON object at the top level");
    return nullptr;
  }
  Poco::SharedPtr<DuplicateKeyHandler> handler = new DuplicateKeyHandler();
  Poco::JSON::Parser parser(handler);
  Poco::Dynamic::Var root;
  try {
    root = parser.parse(text);
  } catch (const Poco::Exception& e) {
    problems.add("$", syntaxMessage(text, e.message().empty() ? e.displayText() : e.message()));
    return nullptr;
  } catch (const std::exception& e) {
    problems.add("$", syntaxMessage(text, e.what()));
    return nullptr;
  }
  if (root.type() != typeid(Poco::JSON::Object::Ptr)) {
    problems.add("$", "expected a JSON object at the top level");
    return nullptr;
  }
  for (const std::string& path : handler->duplicates()) {
    problems.add(path, "duplicate key (the last one would silently win)");
  }
  return root.extract<Poco::JSON::Object::Ptr>();
}

std::string JsonDocument::compact(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(object, out);
  return out.str();
}

}  // namespace sfsync::config
