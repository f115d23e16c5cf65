// Result<T>: either a value or a non-ok Status. Used for runtime operations that return data.
//
// Thread-safety: a value type; no internal synchronisation.
#pragma once

#include <optional>
#include <utility>

#include "sfsync/core/Status.h"

namespace sfsync {

namespace detail {
// Reports "value() called on an error Result" with the status and aborts the process. A defined
// failure (always, not only in debug builds): reading a value that is not there is a bug.
[[noreturn]] void resultValueOnError(const Status& status);
// Same, for Result(Status) constructed with an ok status.
[[noreturn]] void resultFromOkStatus();
}  // namespace detail

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) detail::resultFromOkStatus();
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // value(), -> and * on an error Result abort with the status (see detail::resultValueOnError).
  T& value() & { return checked(); }
  const T& value() const& { return checked(); }
  // By value on an rvalue Result, so `for (auto& x : f().value())` does not dangle.
  T value() && { return std::move(checked()); }
  T* operator->() { return &checked(); }
  const T* operator->() const { return &checked(); }
  T& operator*() { return checked(); }
  const T& operator*() const { return checked(); }

 private:
  T& checked() {
    if (!value_) detail::resultValueOnError(status_);
    return *value_;
  }
  const T& checked() const {
    if (!value_) detail::resultValueOnError(status_);
    return *value_;
  }

  Status status_;
  std::optional<T> value_;
};

}  // namespace sfsync
