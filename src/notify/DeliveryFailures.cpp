#include "notify/DeliveryFailures.h"

#include <string>

namespace sfsync::notify {
namespace {

Status withCode(StatusCode code, std::string message) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return Status::InvalidArgument(std::move(message));
    case StatusCode::kNotFound:
      return Status::NotFound(std::move(message));
    case StatusCode::kUnauthenticated:
      return Status::Unauthenticated(std::move(message));
    case StatusCode::kPermissionDenied:
      return Status::PermissionDenied(std::move(message));
    case StatusCode::kUnavailable:
      return Status::Unavailable(std::move(message));
    case StatusCode::kRemoteError:
      return Status::RemoteError(std::move(message));
    case StatusCode::kDataError:
      return Status::DataError(std::move(message));
    case StatusCode::kIoError:
      return Status::IoError(std::move(message));
    case StatusCode::kOk:
    case StatusCode::kInternal:
      break;
  }
  return Status::Internal(std::move(message));
}

}  // namespace

void DeliveryFailures::add(const Status& status) {
  if (!status.ok()) failures_.push_back(status);
}

Status DeliveryFailures::toStatus() const {
  if (failures_.empty()) return Status::OK();
  if (failures_.size() == 1) return failures_.front();
  std::string message = std::to_string(failures_.size()) + " notification deliveries failed: ";
  for (std::size_t i = 0; i < failures_.size(); ++i) {
    if (i > 0) message += "; ";
    message += failures_[i].message();
  }
  const Status& first = failures_.front();
  Status joined = withCode(first.code(), std::move(message));
  if (!first.remoteCode().empty() || first.httpStatus() != 0) {
    joined = joined.withRemote(first.remoteCode(), first.httpStatus());
  }
  return joined;
}

}  // namespace sfsync::notify
