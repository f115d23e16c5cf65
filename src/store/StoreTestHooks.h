// StoreTestHooks: fault injection for the store conformance tests (leveldb FaultInjectionTestEnv
// style), implemented by every concrete Store next to the Store interface. Tests reach it with
// dynamic_cast<StoreTestHooks*>(store); production code never uses it.
//
// Thread-safety: as the store itself; the hooks run on the thread calling upsert(), while the
// store's lock is held - a hook must not call back into the same store.
#pragma once

#include <cstddef>
#include <functional>

namespace sfsync::store {

class StoreTestHooks {
 public:
  virtual ~StoreTestHooks() = default;

  // Called inside every later upsert() after each row has been written (transaction still open),
  // with the row's index in its request. Pass an empty function to remove. Lets a test kill the
  // process mid-transaction.
  virtual void setAfterRowHookForTest(std::function<void(std::size_t row)> hook) = 0;

  // Arms a one-shot fault for the next upsert() call: the insert/update statement of the row with
  // index `row` fails as a store-level I/O error (so the request must roll back entirely).
  virtual void failRowWithIoErrorForTest(std::size_t row) = 0;
};

}  // namespace sfsync::store
