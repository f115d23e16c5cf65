// Shared pieces of the store conformance suite: the backends every TEST_P runs against, a fixture
// that gives each test a fresh store in its own temporary directory, and small builders for specs
// and requests. A backend is named by a string: "sqlite", or "postgresql" (the throwaway cluster of
// the ctest fixture `postgres`, one schema per test directory; no cluster makes the test fail).
//
// Thread-safety: test code; a fixture belongs to one test.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "fakes/PgTestCluster.h"
#include "fakes/TempDir.h"
#include "sfsync/store/Store.h"
#include "store/StoreTestHooks.h"

namespace sfsync::store::testing {

// Names of the backends the conformance suite runs against.
inline std::vector<std::string> storeBackends() { return {"sqlite", "postgresql"}; }

// Opens the store of `backend` whose data lives under `dir`; opening the same dir again reopens the
// same data. (The SQLite file sits in a subdirectory the store must create itself.)
inline Result<StorePtr> openBackend(const std::string& backend, const std::string& dir) {
  if (backend == "sqlite") return openSqliteStore(dir + "/data/sfsync.db");
  if (backend == "postgresql") return ::sfsync::testing::openPgTestStore(dir);
  return Status::InvalidArgument("unknown store backend " + backend);
}

// A fresh temporary directory per test (tests/fakes), removed on destruction.
using ::sfsync::testing::TempDir;

inline ColumnSpec col(std::string name, ColumnType type = ColumnType::kText) {
  ColumnSpec c;
  c.name = std::move(name);
  c.type = type;
  return c;
}

inline TableSpec tableSpec(std::string name, std::vector<ColumnSpec> columns) {
  TableSpec spec;
  spec.name = std::move(name);
  spec.columns = std::move(columns);
  return spec;
}

inline UpsertRequest request(std::string table, std::vector<std::string> columns,
                             std::vector<std::string> keys, std::vector<std::vector<Value>> rows,
                             bool updateOnly = false) {
  UpsertRequest r;
  r.table = std::move(table);
  r.columns = std::move(columns);
  r.keyColumns = std::move(keys);
  r.rows = std::move(rows);
  r.updateOnly = updateOnly;
  return r;
}

inline Value text(const char* s) { return Value{std::string(s)}; }
inline Value integer(std::int64_t i) { return Value{i}; }

// Fixture: a fresh store of the parameter's backend in a fresh directory.
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { reopen(); }

  // Closes the store (if open) and opens it again on the same data.
  void reopen() {
    store_.reset();
    Result<StorePtr> opened = openBackend(GetParam(), dir_.path());
    ASSERT_TRUE(opened.ok()) << opened.status().toString();
    store_ = std::move(opened).value();
  }

  Store& store() { return *store_; }
  StoreTestHooks& hooks() {
    auto* h = dynamic_cast<StoreTestHooks*>(store_.get());
    EXPECT_NE(h, nullptr) << "backend " << GetParam() << " has no StoreTestHooks";
    return *h;
  }

  std::int64_t countOf(const std::string& table) {
    Result<std::int64_t> n = store_->count(table);
    EXPECT_TRUE(n.ok()) << n.status().toString();
    return n.ok() ? *n : -1;
  }

  std::vector<RowOutcome> upsertOk(const UpsertRequest& r) {
    Result<std::vector<RowOutcome>> out = store_->upsert(r);
    EXPECT_TRUE(out.ok()) << out.status().toString();
    if (!out.ok()) return {};
    EXPECT_EQ(out->size(), r.rows.size());
    return std::move(out).value();
  }

  std::vector<Row> selectOk(const std::string& table, const std::vector<std::string>& columns,
                            const std::vector<std::pair<std::string, Value>>& equals = {}) {
    Result<std::vector<Row>> rows = store_->select(table, columns, equals);
    EXPECT_TRUE(rows.ok()) << rows.status().toString();
    return rows.ok() ? std::move(rows).value() : std::vector<Row>{};
  }

  TempDir dir_;
  StorePtr store_;
};

// "sqlite" / "postgresql" -> test name suffix.
inline std::string backendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace sfsync::store::testing
