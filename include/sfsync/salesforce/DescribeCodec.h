// DescribeCodec: the compact, stored form of an ObjectDescribe (the describe cache, issue 15). The
// encoding is a JSON object with Salesforce's own describe keys (name, label, queryable, fields[]
// with name, label, type, length, precision, scale, nillable, externalId, unique, createable,
// updateable, calculated, referenceTo, relationshipName) and nothing else, so decode() is the same
// parser as a live describe body and decode(encode(d)) == d for every field sfsync uses.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ObjectDescribe.h"

namespace sfsync::salesforce {

class DescribeCodec {
 public:
  static std::string encode(const ObjectDescribe& describe);
  // kDataError when `json` is not an encoded (or Salesforce) describe.
  static Result<ObjectDescribe> decode(const std::string& json);
};

}  // namespace sfsync::salesforce
