#include "sfsync/source/PrefetchingSource.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace sfsync::source {

namespace {

// Takes the page (the producer may keep reusing its page object: it is left empty but for its
// columns).
salesforce::RecordPage takePage(salesforce::RecordPage& from) {
  salesforce::RecordPage page = std::move(from);
  from = salesforce::RecordPage{};
  from.columns = page.columns;
  return page;
}

// The slot between the fetching thread and the loading thread.
struct Handover {
  std::mutex mu;
  std::condition_variable changed;
  std::optional<salesforce::RecordPage> slot;
  bool fetchDone = false;
  bool loadFailed = false;
  Status fetched;
};

}  // namespace

Status PrefetchingSource::extract(const ExtractRequest& request,
                                  const salesforce::PageHandler& onPage) {
  Handover h;
  auto handOver = [&](salesforce::RecordPage& page) -> Status {
    if (observer_) observer_(page);
    std::unique_lock<std::mutex> lock(h.mu);
    h.changed.wait(lock, [&] { return !h.slot.has_value() || h.loadFailed; });
    if (h.loadFailed) return Status::Unavailable("extract stopped: loading a page failed");
    h.slot = takePage(page);
    h.changed.notify_all();
    return Status::OK();
  };
  std::thread fetcher([&] {
    Status s;
    try {
      s = inner_->extract(request, handOver);
    } catch (const std::exception& e) {
      s = Status::Internal(std::string("extract threw: ") + e.what());
    } catch (...) {
      s = Status::Internal("extract threw");
    }
    std::lock_guard<std::mutex> lock(h.mu);
    h.fetched = s;
    h.fetchDone = true;
    h.changed.notify_all();
  });
  Status loaded;
  for (;;) {
    salesforce::RecordPage page;
    {
      std::unique_lock<std::mutex> lock(h.mu);
      h.changed.wait(lock, [&] { return h.slot.has_value() || h.fetchDone; });
      if (!h.slot) break;
      page = std::move(*h.slot);
      h.slot.reset();
      h.changed.notify_all();
    }
    try {
      loaded = onPage(page);  // no lock held: the fetcher parses the next page meanwhile
    } catch (const std::exception& e) {
      loaded = Status::Internal(std::string("page handler threw: ") + e.what());
    } catch (...) {
      loaded = Status::Internal("page handler threw");
    }
    if (!loaded.ok()) {
      std::lock_guard<std::mutex> lock(h.mu);
      h.loadFailed = true;
      h.changed.notify_all();
      break;
    }
  }
  fetcher.join();
  return loaded.ok() ? h.fetched : loaded;
}

}  // namespace sfsync::source
