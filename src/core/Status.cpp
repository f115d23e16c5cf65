#include "sfsync/core/Status.h"

#include <cstdio>
#include <cstdlib>

namespace sfsync {

const char* Status::codeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case StatusCode::kNotFound:
      return "NOT_FOUND";
    case StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case StatusCode::kRemoteError:
      return "REMOTE_ERROR";
    case StatusCode::kDataError:
      return "DATA_ERROR";
    case StatusCode::kIoError:
      return "IO_ERROR";
    case StatusCode::kInternal:
      return "INTERNAL";
  }
  return "UNKNOWN";
}

std::string Status::toString() const {
  if (ok()) return "OK";
  const std::string prefix = remoteCode_.empty() ? codeName(code_) : remoteCode_;
  return prefix + ": " + message_;
}

}  // namespace sfsync

namespace sfsync::detail {

void resultValueOnError(const Status& status) {
  std::fprintf(stderr, "sfsync: Result::value() called on an error: %s\n", status.toString().c_str());
  std::abort();
}

void resultFromOkStatus() {
  std::fprintf(stderr, "sfsync: Result constructed from an ok Status (no value)\n");
  std::abort();
}

}  // namespace sfsync::detail
