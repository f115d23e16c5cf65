// ScratchIdSet: owns one scratch Id set of the store (Store::createIdSet) and drops it
// (Store::dropIdSet) when it goes out of scope, whatever happened in between. The drop is best
// effort: a set left behind only costs temporary space until the store closes. Movable (the moved-
// from object owns nothing), not copyable.
//
// Thread-safety: not thread-safe; owned by one run. Destroy it outside any store transaction when
// the set must outlive the transaction's statements (the drop is a store write).
#pragma once

#include <string>

#include "sfsync/store/Store.h"

namespace sfsync::jobs {

class ScratchIdSet {
 public:
  // A new empty set in `store`, or the store's error.
  static Result<ScratchIdSet> create(store::Store& store);

  ~ScratchIdSet() { drop(); }
  ScratchIdSet(ScratchIdSet&& other) noexcept;
  ScratchIdSet& operator=(ScratchIdSet&& other) noexcept;
  ScratchIdSet(const ScratchIdSet&) = delete;
  ScratchIdSet& operator=(const ScratchIdSet&) = delete;

  // The set's name, for the Store's set operations.
  const std::string& name() const { return name_; }

 private:
  ScratchIdSet(store::Store& store, std::string name) : store_(&store), name_(std::move(name)) {}
  void drop();

  store::Store* store_;
  std::string name_;  // "" once moved from
};

}  // namespace sfsync::jobs
