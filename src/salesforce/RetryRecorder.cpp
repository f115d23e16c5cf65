#include "salesforce/RetryRecorder.h"

#include <Poco/Logger.h>

#include "salesforce/HttpTransport.h"

namespace sfsync::salesforce {

namespace {

const char* causeName(RetryCause cause) {
  switch (cause) {
    case RetryCause::kReauthentication:
      return "session rejected, re-authenticating";
    case RetryCause::kServerError:
      return "server error";
    case RetryCause::kNetworkError:
      return "network error";
    case RetryCause::kMalformedResponse:
      return "malformed response";
    case RetryCause::kNone:
      break;
  }
  return "retry";
}

}  // namespace

bool RetryRecorder::retryable(const Status& status) {
  return status.code() == StatusCode::kUnavailable &&
         status.remoteCode() != kCertificateVerifyFailed && status.remoteCode() != kCancelled;
}

std::string RetryRecorder::withoutQuery(const std::string& target) {
  return target.substr(0, target.find('?'));
}

void RetryRecorder::note(RetryCause cause, int attempt, int maxRetries, const std::string& what,
                         const Status& failure) {
  std::string line = "connection '" + connection_ + "': " + causeName(cause) + " on " + what;
  switch (cause) {
    case RetryCause::kReauthentication:
      ++reauthentications_;
      break;
    case RetryCause::kServerError:
      ++serverErrors_;
      break;
    case RetryCause::kNetworkError:
      ++networkErrors_;
      break;
    case RetryCause::kMalformedResponse:
      ++malformedResponses_;
      break;
    case RetryCause::kNone:
      return;
  }
  if (cause == RetryCause::kReauthentication) {
    line += "; repeating the call once";
  } else {
    line += "; retry " + std::to_string(attempt) + " of " + std::to_string(maxRetries);
  }
  line += " (" + failure.toString() + ")";
  Poco::Logger::get("sfsync.salesforce").warning(line);
}

RetryStats RetryRecorder::snapshot() const {
  RetryStats stats;
  stats.reauthentications = reauthentications_.load();
  stats.serverErrors = serverErrors_.load();
  stats.networkErrors = networkErrors_.load();
  stats.malformedResponses = malformedResponses_.load();
  return stats;
}

}  // namespace sfsync::salesforce
