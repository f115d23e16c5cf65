// DescribeParser: turns the body of GET /sobjects/{Object}/describe into an ObjectDescribe (name,
// label, queryable and per field: name, label, type, length, precision, scale, nillable,
// externalId, unique, createable, updateable, calculated, referenceTo, relationshipName). Describe
// bodies are small and rare, so this uses Poco's JSON DOM.
//
// Thread-safety: pure function.
#pragma once

#include <string>

#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ObjectDescribe.h"

namespace sfsync::salesforce {

class DescribeParser {
 public:
  // kDataError when the body is not JSON or lacks "name" / "fields".
  static Result<ObjectDescribe> parse(const std::string& body);
};

}  // namespace sfsync::salesforce
