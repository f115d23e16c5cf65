// RerunQuery: the SOQL of a re-run of failed records - the job's query (its fields, object and
// filter) restricted to given record Ids: "... WHERE (filter) AND (Id IN ('a','b',...)) ORDER BY
// Id", split so that one statement holds at most kMaxIdsPerQuery Ids and its URL-encoded form
// stays under kMaxEncodedChars (REST queries travel in the URL).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"

namespace sfsync::jobs {

class RerunQuery {
 public:
  static constexpr std::size_t kMaxIdsPerQuery = 200;
  static constexpr std::size_t kMaxEncodedChars = 12000;

  // One statement per batch, in the order of `ids`; empty for no ids.
  static std::vector<std::string> batches(const config::JobConfig& job,
                                          const std::vector<std::string>& columns,
                                          const std::vector<std::string>& ids,
                                          std::size_t maxIds = kMaxIdsPerQuery,
                                          std::size_t maxEncodedChars = kMaxEncodedChars);
};

}  // namespace sfsync::jobs
