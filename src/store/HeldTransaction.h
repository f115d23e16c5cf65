// HeldTransaction: the Store::OpenTransaction of the stores that serialise every call on one
// recursive mutex (SqliteStore, PostgresStore). It holds that mutex from begin() until commit() or
// its destruction, and ends the store's outer transaction through the store's `end` function:
// end(OK) commits (or rolls back when the transaction is rollback-only), end(failure) rolls back.
//
// Thread-safety: owned by the thread that began it; commit and destroy it there (the mutex is
// released on that thread).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <utility>

#include "sfsync/store/Store.h"

namespace sfsync::store {

class HeldTransaction final : public Store::OpenTransaction {
 public:
  using End = std::function<Status(Status result)>;

  // Store::begin() of such a store: takes `mu`, refuses when `inTransaction()` (this thread has
  // one open already), opens the store's outer transaction with `begin()` and hands the lock on.
  static Result<std::unique_ptr<Store::OpenTransaction>> open(
      std::recursive_mutex& mu, const std::function<bool()>& inTransaction,
      const std::function<Status()>& begin, End end) {
    std::unique_lock<std::recursive_mutex> lock(mu);
    if (inTransaction()) {
      return Status::InvalidArgument("a transaction is already open on this store");
    }
    Status s = begin();
    if (!s.ok()) return s;
    return std::unique_ptr<Store::OpenTransaction>(
        std::make_unique<HeldTransaction>(std::move(lock), std::move(end)));
  }

  HeldTransaction(std::unique_lock<std::recursive_mutex> lock, End end)
      : lock_(std::move(lock)), end_(std::move(end)) {}
  ~HeldTransaction() override {
    if (lock_.owns_lock()) end_(Status::Internal("open transaction abandoned")).ignoreError();
  }
  HeldTransaction(const HeldTransaction&) = delete;
  HeldTransaction& operator=(const HeldTransaction&) = delete;

  Status commit() override {
    if (!lock_.owns_lock()) return Status::InvalidArgument("the transaction has already ended");
    Status committed = end_(Status::OK());
    lock_.unlock();
    return committed;
  }

 private:
  std::unique_lock<std::recursive_mutex> lock_;
  End end_;
};

}  // namespace sfsync::store
