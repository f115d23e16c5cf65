#include "jobs/ScratchIdSet.h"

#include <utility>

namespace sfsync::jobs {

Result<ScratchIdSet> ScratchIdSet::create(store::Store& store) {
  Result<std::string> name = store.createIdSet();
  if (!name.ok()) return name.status();
  return ScratchIdSet(store, std::move(name).value());
}

ScratchIdSet::ScratchIdSet(ScratchIdSet&& other) noexcept
    : store_(other.store_), name_(std::exchange(other.name_, std::string())) {}

ScratchIdSet& ScratchIdSet::operator=(ScratchIdSet&& other) noexcept {
  if (this != &other) {
    drop();
    store_ = other.store_;
    name_ = std::exchange(other.name_, std::string());
  }
  return *this;
}

void ScratchIdSet::drop() {
  if (name_.empty()) return;
  // Best effort: a scratch set left behind only costs temporary space until the store closes,
  // and a failed drop must not replace the run's own outcome.
  store_->dropIdSet(name_).ignoreError();
  name_.clear();
}

}  // namespace sfsync::jobs
