// RedactedUrls: the editor (issue 17) serves job and chain files with webhook URLs redacted
// (config::SecretRedaction: "https://hooks.slack.com/<redacted>"), so a token that may read a
// definition never sees the secret in a URL. When the edited text comes back, each redacted URL is
// put back to the URL it stands for in the file on disk - the k-th occurrence of a redacted form
// gets the k-th original URL with that form - so saving an edit never replaces a secret with its
// redaction. A URL the admin typed (or one whose original is gone) is kept as written.
//
// Thread-safety: pure function.
#pragma once

#include <string>

namespace sfsync::app {

// `edited` with the redacted URLs of `original` (the file's current bytes) restored.
std::string restoreRedactedUrls(const std::string& original, const std::string& edited);

}  // namespace sfsync::app
