// PrefetchingSource frees the pages the loader is done with on the fetching thread: freeing a
// page's rows is thousands of frees the loading thread (the bottleneck of a load) should not pay.
// The test replaces the global operator new/delete of this test binary with malloc/free plus a
// check: when the buffer of a watched page's rows is freed, the freeing thread is recorded.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <new>
#include <thread>

#include "sfsync/source/PrefetchingSource.h"

namespace {

constexpr int kPages = 8;
std::array<std::atomic<void*>, kPages> gWatched{};
std::array<std::atomic<bool>, kPages> gFreed{};
std::array<std::thread::id, kPages> gFreedBy{};

void noteFree(void* p) {
  if (p == nullptr) return;
  for (int i = 0; i < kPages; ++i) {
    void* expected = p;
    if (gWatched[i].compare_exchange_strong(expected, nullptr)) {
      gFreedBy[i] = std::this_thread::get_id();
      gFreed[i].store(true);
      return;
    }
  }
}

}  // namespace

void* operator new(std::size_t size) {
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  noteFree(p);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  noteFree(p);
  std::free(p);
}
// Every other replaceable form too, so no allocation of the binary (the runtime's nothrow new in
// pthread_create, arrays) pairs a sanitizer's operator new with this malloc-based delete.
void* operator new[](std::size_t size) { return ::operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete[](void* p) noexcept { ::operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { ::operator delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { ::operator delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { ::operator delete(p); }

namespace sfsync::source {
namespace {

// Hands kPages pages of 200 rows; after each hand-over returns it counts it, so the loader can wait
// for the fetcher deterministically.
class CountingSource : public Source {
 public:
  const char* api() const override { return "rest"; }
  Result<salesforce::ObjectDescribe> describe(const std::string&) override {
    return Status::Internal("not needed");
  }
  Status extract(const ExtractRequest&, const salesforce::PageHandler& onPage) override {
    fetcherId = std::this_thread::get_id();
    for (int i = 0; i < kPages; ++i) {
      salesforce::RecordPage page;
      page.columns = {"Name"};
      page.pageIndex = i;
      for (int r = 0; r < 200; ++r) page.rows.push_back({Value(std::string(40, 'x'))});
      if (Status s = onPage(page); !s.ok()) return s;
      std::lock_guard<std::mutex> lock(mu);
      ++returned;
      changed.notify_all();
    }
    return Status::OK();
  }
  const std::string& bulkJobId() const override { return empty_; }
  const std::string& note() const override { return empty_; }

  // Waits (generous deadline) until `n` hand-overs have returned.
  bool awaitReturned(int n) {
    std::unique_lock<std::mutex> lock(mu);
    return changed.wait_for(lock, std::chrono::seconds(30), [&] { return returned >= n; });
  }

  std::thread::id fetcherId;

 private:
  std::mutex mu;
  std::condition_variable changed;
  int returned = 0;
  const std::string empty_;
};

TEST(PrefetchingFreeTest, PagesTheLoaderIsDoneWithAreFreedOnTheFetchingThread) {
  auto inner = std::make_unique<CountingSource>();
  CountingSource& counting = *inner;
  PrefetchingSource prefetching(std::move(inner), nullptr);
  const std::thread::id loader = std::this_thread::get_id();
  Status s = prefetching.extract(ExtractRequest{}, [&](salesforce::RecordPage& page) {
    const int k = page.pageIndex;
    gWatched[k].store(page.rows.data());
    // Hand-over k+1 has returned: the fetcher collected the page before this one, so this page
    // finds the hand-back free when it is done.
    EXPECT_TRUE(counting.awaitReturned(std::min(k + 2, kPages))) << "page " << k;
    return Status::OK();
  });
  ASSERT_TRUE(s.ok()) << s.toString();
  ASSERT_NE(counting.fetcherId, loader);
  // The last two pages have no later hand-over to collect them: extract() frees them at its end.
  for (int k = 0; k < kPages; ++k) {
    ASSERT_TRUE(gFreed[k].load()) << "page " << k << " was not freed";
    if (k < kPages - 2) {
      EXPECT_EQ(gFreedBy[k], counting.fetcherId) << "page " << k << " was freed by the loader";
    }
  }
}

}  // namespace
}  // namespace sfsync::source
