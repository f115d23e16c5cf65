// DeliveryFailures: collects the failed deliveries of one notify() call - across recipients of one
// channel or across channels - and folds them into the single Status the caller gets back.
//
// Thread-safety: not thread-safe; one instance per notify() call.
#pragma once

#include <cstddef>
#include <vector>

#include "sfsync/core/Status.h"

namespace sfsync::notify {

class DeliveryFailures {
 public:
  // Records `status` if it is not ok.
  void add(const Status& status);

  bool empty() const { return failures_.empty(); }

  // OK when nothing failed; the one failure unchanged; several: the first one's code (and remote
  // code / HTTP status) with "<n> notification deliveries failed: <msg>; <msg>; ...".
  Status toStatus() const;

 private:
  std::vector<Status> failures_;
};

}  // namespace sfsync::notify
