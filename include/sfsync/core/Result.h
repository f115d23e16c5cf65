// Result<T>: either a value or a non-ok Status. Used for runtime operations that return data.
//
// Thread-safety: a value type; no internal synchronisation.
#pragma once

#include <cassert>
#include <optional>
#include <utility>

#include "sfsync/core/Status.h"

namespace sfsync {

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "Result(Status) needs a non-ok status");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace sfsync
