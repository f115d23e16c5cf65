// RedactedUrls: the editor (issue 17) serves job and chain files with webhook URLs redacted
// (config::SecretRedaction: "https://hooks.slack.com/<redacted>"), so a token that may read a
// definition never sees the secret in a URL. When the edited text comes back, each placeholder is
// put back by JSON path: a placeholder at path P gets the URL that was at P in the file on disk,
// and only when that URL redacts to the very same placeholder (values compared decoded, so
// "https:\/\/" escapes do not matter). A placeholder with no such original (the webhook was
// reordered, deleted or is new) cannot be restored: the save is refused naming the path, and the
// admin re-enters the URL. A URL the admin typed is kept as written.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

namespace sfsync::app {

struct RestoredText {
  std::string text;  // `edited` with the placeholders that had an original restored
  std::vector<std::string> unmatched;  // JSON paths of placeholders left without an original
};

// `edited` with the redacted URLs of `original` (the file's current bytes) restored by JSON path.
// Text that is not valid JSON is returned unchanged (the loader reports its syntax).
RestoredText restoreRedactedUrls(const std::string& original, const std::string& edited);

// True when `value` is a redaction placeholder (what SecretRedaction::url leaves of a URL with a
// secret part).
bool isRedactedPlaceholder(const std::string& value);

// `message` (a problem reported about an edited definition) with every webhook URL of `original`
// (the file on disk) replaced by its redacted form, and any other http(s) URL in it redacted too:
// loader messages may echo a rejected value, which must never hand a viewer a secret.
std::string redactMessage(const std::string& message, const std::string& original);

}  // namespace sfsync::app
