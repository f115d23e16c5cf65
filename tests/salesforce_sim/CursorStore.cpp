#include "salesforce_sim/CursorStore.h"

#include "salesforce_sim/SalesforceId.h"

namespace sfsync::sim {

std::string CursorStore::open(QueryCursor cursor) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string locator = SalesforceId::make("01g", "Sm", ++serial_);
  cursors_[locator] = std::make_shared<const QueryCursor>(std::move(cursor));
  order_.push_back(locator);
  while (order_.size() > maxOpen_) {
    cursors_.erase(order_.front());
    order_.pop_front();
  }
  return locator;
}

std::shared_ptr<const QueryCursor> CursorStore::find(const std::string& locator) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = cursors_.find(locator);
  return it == cursors_.end() ? nullptr : it->second;
}

void CursorStore::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  cursors_.clear();
  order_.clear();
}

std::size_t CursorStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cursors_.size();
}

}  // namespace sfsync::sim
