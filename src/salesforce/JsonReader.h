// JsonReader: a small pull-style JSON reader over an in-memory buffer, written for the hot path of
// query pages (QueryPageParser). It validates as it goes, decodes strings (including \uXXXX
// surrogate pairs) to UTF-8, maps numbers to int64 (integers that fit) or double, and skips
// unwanted values without building anything. Strings must be UTF-8: every byte that is not part of
// a well-formed UTF-8 sequence is replaced by U+FFFD (EF BF BD) in what readString() returns, and
// the string is counted (invalidUtf8Strings()); skipped values are not inspected. There is no DOM:
// memory use is the caller's output plus one scratch string, so a page costs about its own size
// (Poco's DOM costs ~8x).
//
// Every reading method returns false on malformed input and records the first problem (error(),
// offset()); after a failure the reader must not be used further.
//
// Thread-safety: an instance belongs to one thread; it only reads the buffer it was given, which
// must outlive it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sfsync/core/Value.h"

namespace sfsync::salesforce {

class JsonReader {
 public:
  explicit JsonReader(std::string_view text)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

  // Skips whitespace and returns the next significant character without consuming it; '\0' at the
  // end of the input.
  char peek();
  // Consumes the next significant character if it is `c`.
  bool tryConsume(char c);
  // Consumes the next significant character, which must be `c`.
  bool expect(char c);

  // Reads a string value. `out` views either the input (no escapes) or `scratch` (decoded); it is
  // valid until the next call that uses the same scratch string.
  bool readString(std::string_view& out, std::string& scratch);
  // Reads a string, number, true, false or null into `out`.
  bool readScalar(Value& out);
  // Skips one complete value of any kind (nested objects and arrays included), validating it.
  bool skipValue();
  // True when only whitespace remains.
  bool atEnd();

  // The input consumed so far, from `from` (a previous position()) to the current position.
  const char* position() const { return p_; }
  std::string_view since(const char* from) const {
    return std::string_view(from, static_cast<std::size_t>(p_ - from));
  }

  // Records `what` as the error (unless one is already recorded) and returns false.
  bool fail(const char* what);
  const std::string& error() const { return error_; }
  // Strings read so far that held invalid UTF-8 (and were repaired).
  std::size_t invalidUtf8Strings() const { return invalidUtf8Strings_; }
  std::size_t offset() const { return static_cast<std::size_t>(p_ - begin_); }

 private:
  static constexpr int kMaxDepth = 256;

  void skipWhitespace();
  bool readNumber(Value& out);
  bool readLiteral(std::string_view word);
  bool readEscape(std::string& out);
  bool readHex4(unsigned& out);
  bool skipString();
  bool skipValueAt(int depth);

  const char* begin_;
  const char* p_;
  const char* end_;
  std::string error_;
  std::size_t invalidUtf8Strings_ = 0;
};

}  // namespace sfsync::salesforce
