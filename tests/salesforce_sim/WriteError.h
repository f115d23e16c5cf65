// WriteError: a failed record write as Salesforce's REST API reports it: HTTP status, errorCode
// (NOT_FOUND, INVALID_FIELD, INVALID_FIELD_FOR_INSERT_UPDATE, ENTITY_IS_DELETED, MALFORMED_ID,
// JSON_PARSER_ERROR, ...), message and the fields concerned. Derives from std::invalid_argument so
// the SimServer data methods keep their documented exception type.
//
// Thread-safety: plain exception type.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "salesforce_sim/JsonText.h"

namespace sfsync::sim {

class WriteError : public std::invalid_argument {
 public:
  WriteError(int status, std::string errorCode, const std::string& message,
             std::vector<std::string> fields = {})
      : std::invalid_argument(message),
        status_(status),
        errorCode_(std::move(errorCode)),
        fields_(std::move(fields)) {}

  int status() const { return status_; }
  const std::string& errorCode() const { return errorCode_; }
  // [{"message","errorCode","fields":[...]}]
  std::string body() const {
    std::string out = "[{\"message\":";
    JsonText::appendString(out, what());
    out += ",\"errorCode\":";
    JsonText::appendString(out, errorCode_);
    out += ",\"fields\":[";
    for (std::size_t k = 0; k < fields_.size(); ++k) {
      if (k > 0) out.push_back(',');
      JsonText::appendString(out, fields_[k]);
    }
    out += "]}]";
    return out;
  }

 private:
  int status_;
  std::string errorCode_;
  std::vector<std::string> fields_;
};

}  // namespace sfsync::sim
