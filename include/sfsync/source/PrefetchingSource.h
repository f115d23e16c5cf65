// PrefetchingSource: a Source decorator that fetches page N+1 while the caller loads page N (a
// one-slot prefetch). The wrapped source's extract runs on a worker thread that owns the
// SalesforceClient for the duration of extract(); pages are handed to the calling thread through
// one slot, so at most three pages exist at a time (being parsed, waiting, being loaded; a page
// the caller is done with counts as one until the worker frees it at its next hand-over, so its
// thousands of frees do not cost the loading thread). A failed onPage stops the fetching (the
// worker's next hand-over returns an error, which ends the wrapped extract) and extract() returns
// onPage's status; otherwise the wrapped extract's status. While onPage runs, the page's
// nextPageReady tells whether the next page is already waiting in the slot (issue 11: the loader
// then keeps its transaction open for it).
// `observer` runs on the worker thread for each page before it is handed over: the place to read
// anything of the client (e.g. usage()), which other threads must not touch during extract().
//
// Thread-safety: not thread-safe itself; extract() joins its worker before returning, so the
// wrapped source and its client are single-threaded again afterwards.
#pragma once

#include <functional>

#include "sfsync/source/Source.h"

namespace sfsync::source {

class PrefetchingSource : public Source {
 public:
  using Observer = std::function<void(const salesforce::RecordPage&)>;
  PrefetchingSource(SourcePtr inner, Observer observer)
      : inner_(std::move(inner)), observer_(std::move(observer)) {}

  const char* api() const override { return inner_->api(); }
  Result<salesforce::ObjectDescribe> describe(const std::string& object) override {
    return inner_->describe(object);
  }
  Status extract(const ExtractRequest& request, const salesforce::PageHandler& onPage) override;
  // Set before the first page is handed over; safe to read from onPage.
  const std::string& bulkJobId() const override { return inner_->bulkJobId(); }
  const std::string& note() const override { return inner_->note(); }
  // Delete detection runs after extract() (its worker joined): straight to the wrapped source.
  Status deletedIds(const std::string& object, const DeleteWindowQuery& window, const IdSink& sink,
                    DeletedIdsAnswer* answer) override {
    return inner_->deletedIds(object, window, sink, answer);
  }
  Status listIds(const std::string& object, const std::string& filter,
                 const IdSink& sink) override {
    return inner_->listIds(object, filter, sink);
  }

 private:
  SourcePtr inner_;
  Observer observer_;
};

}  // namespace sfsync::source
