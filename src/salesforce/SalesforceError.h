// SalesforceError: one entry of a Salesforce REST error body ([{"message", "errorCode", "fields"}])
// and the rules that turn an HTTP error response into a Status:
//   401                           -> kUnauthenticated (the client renews the session once before
//   this) 403 REQUEST_LIMIT_EXCEEDED    -> kPermissionDenied (the 24-hour API quota; not retryable)
//   5xx, SERVER_UNAVAILABLE,
//   UNABLE_TO_LOCK_ROW            -> kUnavailable (retryable)
//   other 4xx                     -> kRemoteError
// Each Status carries Salesforce's errorCode (Status::remoteCode()) and HTTP status; the message is
// Salesforce's message verbatim (further errors of the same body are appended). The OAuth token
// endpoint's {"error", "error_description"} bodies map to kUnauthenticated (5xx: kUnavailable).
// Messages are built only from the response, never from the request, so they hold no secrets.
//
// Thread-safety: value type; the static functions are pure.
#pragma once

#include <string>
#include <vector>

#include "sfsync/core/Status.h"

namespace sfsync::salesforce {

class SalesforceError {
 public:
  std::string errorCode;
  std::string message;
  std::vector<std::string> fields;

  // The errors of a REST error body: a JSON array of error objects, or a single error object. Empty
  // when the body is not JSON of that shape.
  static std::vector<SalesforceError> parseBody(const std::string& body);

  // The Status for a REST response with HTTP status >= 400.
  static Status toStatus(int httpStatus, const std::string& reason, const std::string& body);

  // The Status for a failed OAuth token response (HTTP status >= 400).
  static Status fromTokenResponse(int httpStatus, const std::string& reason,
                                  const std::string& body);

  // The Salesforce error code of the first error in `body`, or "".
  static std::string firstCode(const std::string& body);
};

}  // namespace sfsync::salesforce
