// JsonText: appends JSON tokens to a std::string. The simulator builds every response body this way
// (no DOM) so that pages of thousands of records render quickly. Doubles are written the way
// Salesforce's Java serializer writes them (15000.0, 1.5E7, 0.25), which is valid JSON.
//
// Thread-safety: stateless; every function may be called from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sfsync::sim {

class JsonText {
 public:
  // A quoted, escaped JSON string (", \, control characters; UTF-8 passes through).
  static void appendString(std::string& out, std::string_view text);
  static void appendInt(std::string& out, std::int64_t value);
  // Java Double.toString style: plain decimal with at least one fraction digit for 1e-3 <= |v| <
  // 1e7, else d.dddE[-]n; NaN and infinities become null.
  static void appendDouble(std::string& out, double value);
  static void appendBool(std::string& out, bool value);
  // `"key":` (key escaped).
  static void appendKey(std::string& out, std::string_view key);
  // A Salesforce error body: [{"message":"...","errorCode":"..."}].
  static std::string errorArray(std::string_view errorCode, std::string_view message);
};

}  // namespace sfsync::sim
