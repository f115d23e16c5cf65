// JsonSyntaxLocator: finds where a JSON text first breaks the RFC 8259 grammar, as a 1-based line
// and column, so that syntax problems can say where they are (Poco's parser reports only what went
// wrong). It validates syntax only and builds nothing; the loader runs it after Poco::JSON::Parser
// has failed.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace sfsync::config {

struct JsonSyntaxError {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in characters (UTF-8 continuation bytes are not counted)
  std::size_t offset = 0;  // byte offset of the offending byte (== text.size() at end of text)
  bool atEnd = false;      // the text ended before the document was complete
  std::string message;     // e.g. "expected ',' or '}'"
};

class JsonSyntaxLocator {
 public:
  // The first syntax error in `text`, or nullopt if `text` is one well-formed JSON value.
  static std::optional<JsonSyntaxError> locate(const std::string& text);
};

}  // namespace sfsync::config
