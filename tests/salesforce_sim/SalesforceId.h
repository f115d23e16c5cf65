// SalesforceId: Salesforce record Id helpers. A record Id is 15 case-sensitive base-62 characters
// (a 3-character key prefix naming the object, e.g. 001 Account, then instance and serial
// characters); the 18-character "case-safe" form appends 3 checksum characters, each encoding which
// of 5 characters of one 5-character chunk are upper-case letters. The simulator stores and returns
// only 18-character Ids.
//
// Thread-safety: stateless; every function may be called from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sfsync::sim {

class SalesforceId {
 public:
  // The 3 checksum characters for a 15-character Id (no validation beyond the length).
  static std::string checksumSuffix(std::string_view id15);
  // True for 15 base-62 characters, or 18 whose suffix matches (suffix compared case-insensitively,
  // as Salesforce does).
  static bool isValid(std::string_view id);
  // The canonical 18-character form of a valid 15- or 18-character Id (an 18-character Id gets its
  // suffix recomputed, so a lower-cased suffix comes back upper-case). Throws
  // std::invalid_argument.
  static std::string to18(std::string_view id);
  // A new Id: keyPrefix (3 chars) + pod (2 chars) + serial in base 62, zero-padded to 10 chars,
  // plus the checksum. Serials sort in the same order as the Ids they produce.
  static std::string make(std::string_view keyPrefix, std::string_view pod, std::uint64_t serial);
};

}  // namespace sfsync::sim
