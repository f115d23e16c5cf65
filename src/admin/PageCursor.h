// PageCursor: the opaque "cursor" of paginated API responses. It carries the sort key of the last
// row of the page - (startTime, executionId) for activity, (time, id) for updates - so the next
// page is a keyset query ("rows after this one"): stable while new rows are inserted, unlike an
// offset. Encoding: base64url (no padding) of "1\n<time>\n<id>"; clients must treat it as opaque.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

namespace sfsync::admin {

struct PageKey {
  std::string time;  // the row's time in the store's form (formatIso8601)
  std::string id;    // the row's id, breaking ties between equal times
};

class PageCursor {
 public:
  static std::string encode(const PageKey& key);
  // nullopt for anything encode() did not produce (bad base64, wrong version, a time that is not
  // ISO-8601, an empty id).
  static std::optional<PageKey> decode(const std::string& cursor);
};

}  // namespace sfsync::admin
