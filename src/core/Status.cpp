#include "sfsync/core/Status.h"

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
