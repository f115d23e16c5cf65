#include "sfsync/scheduling/RetryPolicy.h"

#include <algorithm>
#include <cstdint>

namespace sfsync::scheduling {

std::chrono::milliseconds RetryPolicy::backoffAfter(int attempt) const {
  const double factor = std::max(multiplier, 1.0);
  const double cap = static_cast<double>(std::max<std::int64_t>(maxBackoff.count(), 0));
  double delay = static_cast<double>(std::max<std::int64_t>(initialBackoff.count(), 0));
  for (int i = 1; i < attempt && delay < cap; ++i) delay *= factor;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(delay, cap)));
}

}  // namespace sfsync::scheduling
