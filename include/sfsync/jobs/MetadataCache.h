// MetadataCache: Salesforce describe results of one connection, cached in the store (table
// sfsync_metadata, issue 15), so a run or a validation does not describe its objects every time.
// describe() answers from the store while the entry is younger than the connection's
// metadataRefreshDays; a miss or an older entry is described through the given client - or, for a
// job run, the run's source::ConnectionSources (the describe goes through the source layer) - and
// stored (a lazy, age-based refresh). fetch() always asks Salesforce and stores the answer,
// returning the entry it replaced (what a metadata refresh compares against).
//
// Errors: a Salesforce failure is returned as is. The cache is an optimisation: an entry that
// cannot be read or decoded is treated as a miss, and a describe that cannot be stored is still
// returned; both are logged (Poco Logger "sfsync.metadata", warning).
//
// Thread-safety: holds no state of its own beyond its arguments; safe to use from several threads
// when each passes its own client (Store is thread-safe; SalesforceClient is not).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/source/ConnectionSources.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

// What a fetch found in the cache before replacing it.
struct FetchedDescribe {
  salesforce::ObjectDescribe current;
  std::optional<salesforce::ObjectDescribe> previous;  // the cached one, if any
  bool fromCache = false;  // lookup() answered from the cache without asking Salesforce
};

class MetadataCache {
 public:
  MetadataCache(store::Store& store, Clock& clock, std::string connection, int refreshDays);

  // The cached describe when younger than refreshDays, else a fresh one (stored).
  Result<salesforce::ObjectDescribe> describe(salesforce::SalesforceClient& client,
                                              const std::string& object);
  // The same, saying what an age-based refresh replaced (previous is set only when a cached entry
  // older than refreshDays was fetched again).
  Result<FetchedDescribe> lookup(salesforce::SalesforceClient& client, const std::string& object);
  // Always describes through the client and stores the answer.
  Result<FetchedDescribe> fetch(salesforce::SalesforceClient& client, const std::string& object);
  // lookup() and fetch() describing through a run's sources instead of a client.
  Result<FetchedDescribe> lookup(source::ConnectionSources& sources, const std::string& object);
  Result<FetchedDescribe> fetch(source::ConnectionSources& sources, const std::string& object);
  // The cached describe, whatever its age (std::nullopt: none, or unreadable).
  std::optional<salesforce::ObjectDescribe> cached(const std::string& object);
  // True when some cached entry of the connection is older than refreshDays (or unreadable).
  bool anyDue();

  const std::string& connection() const { return connection_; }

 private:
  // The cached entry and its age, std::nullopt when missing or unreadable.
  struct Entry {
    salesforce::ObjectDescribe describe;
    Clock::TimePoint fetchedAt;
  };
  using Describer = std::function<Result<salesforce::ObjectDescribe>(const std::string&)>;
  Result<FetchedDescribe> lookupWith(const Describer& describe, const std::string& object);
  Result<FetchedDescribe> fetchWith(const Describer& describe, const std::string& object);
  std::optional<Entry> load(const std::string& object);
  bool fresh(Clock::TimePoint fetchedAt) const;
  void save(const salesforce::ObjectDescribe& describe);

  store::Store& store_;
  Clock& clock_;
  std::string connection_;
  std::chrono::hours maxAge_;
};

}  // namespace sfsync::jobs
