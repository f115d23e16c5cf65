// Status: the outcome of an operation that can fail at runtime (network, Salesforce error bodies,
// store errors, bad records). Runtime errors cross module boundaries as Status values, never as
// exceptions. A Status optionally carries the remote error code it came from (e.g. Salesforce's
// "INVALID_FIELD").
//
// Thread-safety: a Status is an immutable value; copies may be used from any thread.
#pragma once

#include <string>
#include <utility>

namespace sfsync {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // caller passed something unusable (bad config, bad SOQL input)
  kNotFound,          // a named thing does not exist
  kUnauthenticated,   // credentials rejected or session could not be renewed
  kPermissionDenied,  // authenticated but not allowed (e.g. API quota exhausted)
  kUnavailable,       // transient: network failure, 5xx, timeouts; retryable
  kRemoteError,       // the remote side rejected the request (Salesforce error body)
  kDataError,         // malformed data received or a value that does not convert
  kIoError,           // local file or store failure
  kInternal,          // a bug
};

class [[nodiscard]] Status {
 public:
  Status() = default;

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(StatusCode::kInvalidArgument, std::move(msg));
  }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status Unauthenticated(std::string msg) {
    return Status(StatusCode::kUnauthenticated, std::move(msg));
  }
  static Status PermissionDenied(std::string msg) {
    return Status(StatusCode::kPermissionDenied, std::move(msg));
  }
  static Status Unavailable(std::string msg) {
    return Status(StatusCode::kUnavailable, std::move(msg));
  }
  static Status RemoteError(std::string msg) {
    return Status(StatusCode::kRemoteError, std::move(msg));
  }
  static Status DataError(std::string msg) {
    return Status(StatusCode::kDataError, std::move(msg));
  }
  static Status IoError(std::string msg) { return Status(StatusCode::kIoError, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

  // Returns a copy tagged with the remote error code (e.g. "INVALID_SESSION_ID") and HTTP status.
  Status withRemote(std::string remoteCode, int httpStatus = 0) const {
    Status s = *this;
    s.remoteCode_ = std::move(remoteCode);
    s.httpStatus_ = httpStatus;
    return s;
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Remote error code such as Salesforce's errorCode, or empty.
  const std::string& remoteCode() const { return remoteCode_; }
  // HTTP status of the response the error came from, or 0.
  int httpStatus() const { return httpStatus_; }
  bool retryable() const { return code_ == StatusCode::kUnavailable; }

  // "REMOTE_CODE: message" or "<code name>: message"; "OK" when ok.
  std::string toString() const;
  static const char* codeName(StatusCode code);

  // Explicitly discards this status where an error is deliberately not acted on (best-effort
  // cleanup). Every call site says why in a comment.
  void ignoreError() const {}

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string remoteCode_;
  int httpStatus_ = 0;
};

}  // namespace sfsync
