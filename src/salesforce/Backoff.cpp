#include "salesforce/Backoff.h"

#include <algorithm>

namespace sfsync::salesforce {

std::chrono::milliseconds Backoff::delayFor(int retry) const {
  const auto cap = std::max(max_, std::chrono::milliseconds(0));
  auto delay = std::max(initial_, std::chrono::milliseconds(0));
  for (int i = 0; i < retry && delay < cap; ++i) delay *= 2;
  return std::min(delay, cap);
}

bool Backoff::sleepBeforeRetry() {
  if (used_ >= maxRetries_) return false;
  const auto delay = delayFor(used_);
  ++used_;
  if (delay.count() > 0) clock_.sleepFor(delay);
  return true;
}

}  // namespace sfsync::salesforce
