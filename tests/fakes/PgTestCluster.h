// PgTestCluster: where the tests find the throwaway PostgreSQL cluster the ctest fixture
// `postgres` starts (scripts/pg-test-cluster; URL in <build>/pg-test/url), or the one named by
// the environment variable SFSYNC_TEST_PG_URL. No cluster is an error, never a skip: the
// PostgreSQL tests fail with the reason.
//
// Thread-safety: pure functions (they read a file).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sfsync/store/Store.h"

namespace sfsync::testing {

// The cluster's URL, or "" when there is none.
inline std::string pgTestUrl() {
  if (const char* env = std::getenv("SFSYNC_TEST_PG_URL"); env != nullptr && *env != '\0') {
    return env;
  }
#ifdef SFSYNC_PG_STATE_DIR
  std::ifstream in(std::string(SFSYNC_PG_STATE_DIR) + "/url");
  std::string url;
  if (in && std::getline(in, url)) return url;
#endif
  return "";
}

// A schema name of at most 19 bytes unique to `key` (e.g. a test's temporary directory).
inline std::string pgTestSchema(const std::string& key) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ULL;
  char name[24];
  std::snprintf(name, sizeof name, "t_%016llx", static_cast<unsigned long long>(h));
  return name;
}

// Opens a PostgreSQL store in the test cluster, in the schema named for `key`.
inline Result<store::StorePtr> openPgTestStore(const std::string& key) {
  store::PostgresSettings settings;
  settings.url = pgTestUrl();
  if (settings.url.empty()) {
    return Status::Unavailable(
        "no test PostgreSQL cluster: run the tests through ctest (fixture pg_cluster_start) or "
        "start one with scripts/pg-test-cluster start build/pg-test");
  }
  settings.schema = pgTestSchema(key);
  return store::openPostgresStore(settings);
}

}  // namespace sfsync::testing
