// SecretRedaction: keeps webhook URLs (whose path and query carry the secret for Slack, Teams and
// most webhook services) out of everything that is stored or shown - update activity diffs, the
// configuration snapshots in the store's state, the job and chain definitions the admin API
// serves, logs. A URL is shown as its scheme and host only: "https://hooks.slack.com/<redacted>".
//
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace sfsync::config {

class SecretRedaction {
 public:
  // "scheme://host[:port]", plus "/<redacted>" when the URL has anything more (user info, path,
  // query, fragment); "<redacted URL>" when it does not parse.
  static std::string url(const std::string& url);

  // `text` (a job or chain file, or any text holding JSON strings) with every JSON string whose
  // value starts with http:// or https:// replaced by url() of it. Everything else is kept byte
  // for byte, so line structure and diffs stay readable; invalid JSON is handled lexically.
  static std::string jsonText(const std::string& text);
};

}  // namespace sfsync::config
