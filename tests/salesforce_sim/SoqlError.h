// SoqlError: a query failure carrying Salesforce's errorCode (MALFORMED_QUERY, INVALID_FIELD,
// INVALID_TYPE, ...) and the message text Salesforce would send, including the
// "\n<query line>\n   ^\nERROR at Row:R:Column:C\n<detail>" prefix for errors with a position.
//
// Thread-safety: plain exception type.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sfsync::sim {

class SoqlError : public std::runtime_error {
 public:
  SoqlError(std::string errorCode, const std::string& message)
      : std::runtime_error(message), errorCode_(std::move(errorCode)) {}

  // An error at byte offset `pos` of `soql`, formatted with the caret line like Salesforce.
  static SoqlError at(std::string errorCode, std::string_view soql, std::size_t pos,
                      std::string_view detail) {
    std::size_t lineStart = 0;
    int row = 1;
    for (std::size_t i = 0; i < pos && i < soql.size(); ++i) {
      if (soql[i] == '\n') {
        ++row;
        lineStart = i + 1;
      }
    }
    std::size_t lineEnd = soql.find('\n', lineStart);
    if (lineEnd == std::string_view::npos) lineEnd = soql.size();
    const std::size_t column = pos - lineStart + 1;
    std::string message = "\n";
    message.append(soql.substr(lineStart, lineEnd - lineStart));
    message += "\n";
    message.append(column - 1, ' ');
    message +=
        "^\nERROR at Row:" + std::to_string(row) + ":Column:" + std::to_string(column) + "\n";
    message.append(detail);
    return SoqlError(std::move(errorCode), message);
  }

  const std::string& errorCode() const { return errorCode_; }

 private:
  std::string errorCode_;
};

}  // namespace sfsync::sim
