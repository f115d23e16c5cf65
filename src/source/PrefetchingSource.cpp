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
  // A page the loader is done with, destroyed by the fetcher at its next hand-over: freeing a
  // page's rows and strings is thousands of frees that would otherwise cost the loading thread
  // (the bottleneck), and they return to the allocator of the thread that allocated them.
  std::optional<salesforce::RecordPage> spent;
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
    // Pages the loader is done with, destroyed after the lock is released (declared before it).
    std::optional<salesforce::RecordPage> doneBefore;
    std::optional<salesforce::RecordPage> doneWhileWaiting;
    std::unique_lock<std::mutex> lock(h.mu);
    doneBefore.swap(h.spent);
    h.changed.wait(lock, [&] { return !h.slot.has_value() || h.loadFailed; });
    if (h.loadFailed) return Status::Unavailable("extract stopped: loading a page failed");
    h.slot = takePage(page);
    h.changed.notify_all();
    doneWhileWaiting.swap(h.spent);
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
  salesforce::RecordPage page;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(h.mu);
      if (!h.spent) h.spent = std::move(page);
    }
    page = salesforce::RecordPage{};  // the fetcher had not collected the last one: freed here
    {
      std::unique_lock<std::mutex> lock(h.mu);
      h.changed.wait(lock, [&] { return h.slot.has_value() || h.fetchDone; });
      if (!h.slot) break;
      page = std::move(*h.slot);
      h.slot.reset();
      h.changed.notify_all();
    }
    page.nextPageReady = [&h] {  // the fetcher has handed the next page over already
      std::lock_guard<std::mutex> lock(h.mu);
      return h.slot.has_value();
    };
    try {
      loaded = onPage(page);  // no lock held: the fetcher parses the next page meanwhile
    } catch (const std::exception& e) {
      loaded = Status::Internal(std::string("page handler threw: ") + e.what());
    } catch (...) {
      loaded = Status::Internal("page handler threw");
    }
    page.nextPageReady = nullptr;
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
