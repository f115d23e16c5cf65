// RequestTarget: an HTTP request target ("/api/jobs/Company%20Sync/run?limit=5") split into decoded
// path segments and decoded query parameters. The path is split BEFORE decoding, so "%2F" inside a
// job name stays part of that segment. Also the checks every endpoint applies to its query string.
//
// Thread-safety: immutable value after parse().
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sfsync/core/Result.h"

namespace sfsync::admin {

// A query parameter the endpoint cannot use: answered with 400 {"error": message, "parameter":
// name}.
struct ParameterError {
  std::string parameter;
  std::string message;
};

class RequestTarget {
 public:
  // Errors: kInvalidArgument for a target that is not origin-form ("/...") or has a malformed
  // percent escape.
  static Result<RequestTarget> parse(const std::string& target);

  // Decoded, non-empty segments: "/api/jobs/" -> {"api", "jobs"}; "/" -> {}.
  const std::vector<std::string>& segments() const { return segments_; }
  // Decoded (name, value) pairs in request order ('+' means a space in the query).
  const std::vector<std::pair<std::string, std::string>>& query() const { return query_; }

  // The first parameter not in `allowed`, or one given twice, as an error; nullopt when all fine.
  std::optional<ParameterError> checkParameters(
      std::initializer_list<std::string_view> allowed) const;
  // The value of parameter `name`, or nullptr when absent.
  const std::string* parameter(std::string_view name) const;

 private:
  std::vector<std::string> segments_;
  std::vector<std::pair<std::string, std::string>> query_;
};

// Percent-decodes `text` (and '+' as a space when plusIsSpace); nullopt for a malformed escape.
std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace);

// Percent-encodes everything but unreserved characters (RFC 3986), for one path segment.
std::string percentEncodeSegment(std::string_view text);

}  // namespace sfsync::admin
