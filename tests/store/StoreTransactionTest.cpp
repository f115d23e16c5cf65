// Conformance: Store::transaction - every write of the body commits together or not at all (body
// error, exception, a failed store call inside, nested transactions), reads inside see the body's
// writes, and other threads wait for the transaction to end. Kills mid-transaction are in
// StoreAtomicityTest.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

using ::testing::HasSubstr;

class StoreTransactionTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store().ensureTable(tableSpec("Person", {col("Id"), col("Name")}), {"Id"}).ok());
    ASSERT_TRUE(
        store().ensureTable(tableSpec("Company Person", {col("Id"), col("Person")}), {"Id"}).ok());
    seed_ = upsertOk(request("Person", {"Id", "Name"}, {"Id"}, {{text("p0"), text("seed")}}));
  }

  Result<std::vector<RowOutcome>> upsertPerson(const char* id, const char* name) {
    return store().upsert(request("Person", {"Id", "Name"}, {"Id"}, {{text(id), text(name)}}));
  }
  Result<std::vector<RowOutcome>> upsertCompanyPerson(const char* id, const char* person) {
    return store().upsert(
        request("Company Person", {"Id", "Person"}, {"Id"}, {{text(id), text(person)}}));
  }

  // Both writes of the page, as a job does them.
  Status writePage() {
    Result<std::vector<RowOutcome>> person = upsertPerson("p1", "Ann");
    if (!person.ok()) return person.status();
    Result<std::vector<RowOutcome>> link = upsertCompanyPerson("cp1", "p1");
    return link.ok() ? Status::OK() : link.status();
  }

  // True when nothing of writePage() (or the other writes of these tests) is visible.
  void expectUntouched() {
    EXPECT_EQ(selectOk("Person", {"Id", "Name"}), (std::vector<Row>{{text("p0"), text("seed")}}));
    EXPECT_EQ(countOf("Company Person"), 0);
    Result<std::vector<ExecutionRecord>> executions = store().listExecutions({});
    ASSERT_TRUE(executions.ok());
    EXPECT_TRUE(executions->empty());
    Result<std::optional<std::string>> state = store().getState("k");
    ASSERT_TRUE(state.ok());
    EXPECT_FALSE(state->has_value());
  }

  std::vector<RowOutcome> seed_;
};

TEST_P(StoreTransactionTest, CommitsEveryWriteOfTheBodyTogether) {
  Status s = store().transaction([&] {
    Status page = writePage();
    if (!page.ok()) return page;
    // Reads inside the body see its uncommitted writes.
    EXPECT_EQ(countOf("Person"), 2);
    EXPECT_EQ(selectOk("Company Person", {"Person"}), (std::vector<Row>{{text("p1")}}));
    Result<std::int64_t> n =
        store().updateColumns("Person", {"Name"}, {{seed_[0].gsid, {text("x")}}});
    return n.ok() ? Status::OK() : n.status();
  });
  ASSERT_TRUE(s.ok()) << s.toString();
  reopen();
  EXPECT_EQ(countOf("Person"), 2);
  EXPECT_EQ(selectOk("Person", {"Name"}, {{"Id", text("p0")}}), (std::vector<Row>{{text("x")}}));
  EXPECT_EQ(selectOk("Company Person", {"Id", "Person"}),
            (std::vector<Row>{{text("cp1"), text("p1")}}));
}

TEST_P(StoreTransactionTest, BodyErrorRollsBackEveryWriteAndIsReturned) {
  Status s = store().transaction([&] {
    EXPECT_TRUE(writePage().ok());
    EXPECT_TRUE(
        store().updateColumns("Person", {"Name"}, {{seed_[0].gsid, {text("changed")}}}).ok());
    ExecutionRecord e;
    e.executionId = "e1";
    EXPECT_TRUE(store().saveExecution(e).ok());
    EXPECT_TRUE(store().putState("k", "v").ok());
    return Status::NotFound("mapping says no");
  });
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "mapping says no");
  expectUntouched();
  reopen();
  expectUntouched();
}

TEST_P(StoreTransactionTest, ThrowingBodyIsInternalAndRollsBack) {
  Status s = store().transaction([&]() -> Status {
    EXPECT_TRUE(writePage().ok());
    throw std::runtime_error("body exploded");
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("body exploded"));
  expectUntouched();
  // The store is usable afterwards.
  EXPECT_TRUE(store().transaction([&] { return writePage(); }).ok());
  EXPECT_EQ(countOf("Company Person"), 1);
}

// A failed store call inside the body returns its Status to the body and makes the transaction
// rollback-only: even a body that ignores the failure and returns OK commits nothing.
TEST_P(StoreTransactionTest, FailedStoreCallInsideMakesTheTransactionRollbackOnly) {
  struct Case {
    const char* name;
    StatusCode code;
    std::function<Status()> failingCall;
  };
  const Case cases[] = {
      {"store-level I/O error", StatusCode::kIoError,
       [this] {
         hooks().failRowWithIoErrorForTest(0);
         return upsertCompanyPerson("cp2", "p1").status();
       }},
      {"exception inside upsert", StatusCode::kInternal,
       [this] {
         hooks().setAfterRowHookForTest([](std::size_t) { throw std::runtime_error("hook"); });
         Status s = upsertCompanyPerson("cp2", "p1").status();
         hooks().setAfterRowHookForTest(nullptr);
         return s;
       }},
      {"unknown table", StatusCode::kInvalidArgument,
       [this] { return store().upsert(request("Nope", {"A"}, {"A"}, {{text("1")}})).status(); }},
      {"value that does not fit", StatusCode::kDataError,
       [this] {
         EXPECT_TRUE(
             store().ensureTable(tableSpec("Typed", {col("N", ColumnType::kInteger)}), {}).ok());
         std::vector<RowOutcome> row = upsertOk(request("Typed", {"N"}, {"N"}, {{integer(1)}}));
         if (row.empty()) return Status::Internal("no row");
         return store().updateColumns("Typed", {"N"}, {{row[0].gsid, {text("NaN")}}}).status();
       }},
      {"invalid execution record", StatusCode::kInvalidArgument,
       [this] { return store().saveExecution(ExecutionRecord{}); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Status inner;
    Status s = store().transaction([&] {
      EXPECT_TRUE(writePage().ok());
      inner = c.failingCall();
      EXPECT_TRUE(store().putState("k", "after the failure").ok());
      return Status::OK();
    });
    EXPECT_EQ(inner.code(), c.code) << inner.toString();
    EXPECT_EQ(s.code(), c.code) << s.toString();
    EXPECT_EQ(s.message(), inner.message());
    expectUntouched();
    EXPECT_EQ(store().select("Typed", {"N"}).status().code(), StatusCode::kNotFound);
  }
}

TEST_P(StoreTransactionTest, ValueRejectedAtRowLevelDoesNotAbortTheTransaction) {
  ASSERT_TRUE(
      store().ensureTable(tableSpec("Typed", {col("K"), col("N", ColumnType::kInteger)}), {}).ok());
  Status s = store().transaction([&] {
    Result<std::vector<RowOutcome>> out = store().upsert(request(
        "Typed", {"K", "N"}, {"K"}, {{text("a"), integer(1)}, {text("b"), text("not a number")}}));
    EXPECT_TRUE(out.ok());
    if (out.ok()) {
      EXPECT_EQ((*out)[1].reasonCode, "LOAD_FAILED");
    }
    return writePage();
  });
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(countOf("Typed"), 1);
  EXPECT_EQ(countOf("Company Person"), 1);
}

TEST_P(StoreTransactionTest, EnsureTableInsideJoinsAndRollsBackToo) {
  Status s = store().transaction([&] {
    EXPECT_TRUE(store().ensureTable(tableSpec("Fresh", {col("A")}), {"A"}).ok());
    EXPECT_TRUE(store().upsert(request("Fresh", {"A"}, {"A"}, {{text("1")}})).ok());
    EXPECT_EQ(countOf("Fresh"), 1);
    return Status::Unavailable("try later");
  });
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(store().select("Fresh", {"A"}).status().code(), StatusCode::kNotFound);
  // Created for real outside a transaction afterwards.
  EXPECT_TRUE(store().ensureTable(tableSpec("Fresh", {col("A")}), {"A"}).ok());
}

TEST_P(StoreTransactionTest, NestedTransactionJoinsTheEnclosingOne) {
  // Inner success: committed with the outer.
  Status s = store().transaction([&] {
    Status inner = store().transaction([&] { return writePage(); });
    EXPECT_TRUE(inner.ok()) << inner.toString();
    return store().putState("k", "v");
  });
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(countOf("Company Person"), 1);

  // Inner failure: the outer is rollback-only even though its body returns OK.
  s = store().transaction([&] {
    EXPECT_TRUE(upsertCompanyPerson("cp2", "p1").ok());
    Status inner = store().transaction([] { return Status::RemoteError("inner failed"); });
    EXPECT_EQ(inner.code(), StatusCode::kRemoteError);
    return Status::OK();
  });
  EXPECT_EQ(s.code(), StatusCode::kRemoteError);
  EXPECT_EQ(countOf("Company Person"), 1);
}

TEST_P(StoreTransactionTest, OtherThreadsWaitUntilTheTransactionEnds) {
  for (const bool commit : {true, false}) {
    SCOPED_TRACE(commit ? "commit" : "rollback");
    std::atomic<bool> otherStarted{false};
    std::atomic<bool> bodyDone{false};
    std::atomic<bool> otherSawBodyDone{false};
    std::atomic<bool> otherOk{false};
    std::atomic<std::int64_t> otherCount{-1};
    const char* otherId = commit ? "other-1" : "other-2";
    std::thread other;
    Status s = store().transaction([&] {
      EXPECT_TRUE(writePage().ok());
      other = std::thread([&] {
        otherStarted = true;
        Result<std::vector<RowOutcome>> out = upsertCompanyPerson(otherId, "p0");
        otherSawBodyDone = bodyDone.load();
        otherOk = out.ok();
        Result<std::int64_t> n = store().count("Company Person");
        otherCount = n.ok() ? *n : -1;
      });
      while (!otherStarted) std::this_thread::yield();
      // Were the other thread not waiting for the transaction, it would finish meanwhile.
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      EXPECT_TRUE(selectOk("Company Person", {"Id"}, {{"Id", text(otherId)}}).empty());
      bodyDone = true;
      return commit ? Status::OK() : Status::Unavailable("roll back");
    });
    other.join();
    EXPECT_EQ(s.ok(), commit) << s.toString();
    EXPECT_TRUE(otherOk);
    EXPECT_TRUE(otherSawBodyDone) << "another thread wrote while the transaction was open";
    // commit pass: cp1 + other-1; rollback pass (after it): cp1 + other-1 + other-2.
    EXPECT_EQ(otherCount.load(), commit ? 2 : 3);
  }
}

// Store::begin (issue 11): the same transaction, left open across calls.
TEST_P(StoreTransactionTest, AnOpenTransactionCommitsEveryWriteMadeUntilItsCommit) {
  Result<std::unique_ptr<Store::OpenTransaction>> open = store().begin();
  ASSERT_TRUE(open.ok()) << open.status().toString();
  ASSERT_TRUE(writePage().ok());
  // A transaction() call meanwhile joins it instead of committing on its own.
  ASSERT_TRUE(store().transaction([&] { return store().putState("k", "v"); }).ok());
  EXPECT_EQ(countOf("Person"), 2);  // reads see the open transaction's writes
  Status committed = (*open)->commit();
  ASSERT_TRUE(committed.ok()) << committed.toString();
  EXPECT_EQ((*open)->commit().code(), StatusCode::kInvalidArgument);  // it has ended
  open->reset();
  reopen();
  EXPECT_EQ(countOf("Person"), 2);
  EXPECT_EQ(countOf("Company Person"), 1);
  Result<std::optional<std::string>> state = store().getState("k");
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->value_or(""), "v");
}

TEST_P(StoreTransactionTest, AnOpenTransactionDestroyedWithoutCommitRollsBack) {
  {
    Result<std::unique_ptr<Store::OpenTransaction>> open = store().begin();
    ASSERT_TRUE(open.ok()) << open.status().toString();
    ASSERT_TRUE(writePage().ok());
    ASSERT_TRUE(store().putState("k", "v").ok());
  }
  expectUntouched();
  // The store is usable again, for another open transaction too.
  Result<std::unique_ptr<Store::OpenTransaction>> again = store().begin();
  ASSERT_TRUE(again.ok()) << again.status().toString();
  ASSERT_TRUE(writePage().ok());
  ASSERT_TRUE((*again)->commit().ok());
  EXPECT_EQ(countOf("Company Person"), 1);
}

TEST_P(StoreTransactionTest, AFailedCallInsideAnOpenTransactionFailsItsCommit) {
  Result<std::unique_ptr<Store::OpenTransaction>> open = store().begin();
  ASSERT_TRUE(open.ok()) << open.status().toString();
  ASSERT_TRUE(writePage().ok());
  Status inner = store().saveExecution(ExecutionRecord{});
  EXPECT_EQ(inner.code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store().putState("k", "after the failure").ok());
  Status committed = (*open)->commit();
  EXPECT_EQ(committed.code(), StatusCode::kInvalidArgument) << committed.toString();
  EXPECT_EQ(committed.message(), inner.message());
  expectUntouched();
}

TEST_P(StoreTransactionTest, BeginInsideAnOpenTransactionIsInvalid) {
  Result<std::unique_ptr<Store::OpenTransaction>> open = store().begin();
  ASSERT_TRUE(open.ok()) << open.status().toString();
  ASSERT_TRUE(writePage().ok());
  EXPECT_EQ(store().begin().status().code(), StatusCode::kInvalidArgument);
  Status inTransaction = store().transaction(
      [&] { return store().begin().ok() ? Status::OK() : Status::Unavailable("refused"); });
  EXPECT_EQ(inTransaction.code(), StatusCode::kUnavailable);
  // The refusal did not end the open transaction; the failed transaction() body made it
  // rollback-only, as any failed call inside does.
  EXPECT_EQ((*open)->commit().code(), StatusCode::kUnavailable);
  expectUntouched();
}

TEST_P(StoreTransactionTest, OtherThreadsWaitUntilAnOpenTransactionCommits) {
  Result<std::unique_ptr<Store::OpenTransaction>> open = store().begin();
  ASSERT_TRUE(open.ok()) << open.status().toString();
  ASSERT_TRUE(writePage().ok());
  std::atomic<bool> otherStarted{false};
  std::atomic<bool> committed{false};
  std::atomic<bool> otherSawCommit{false};
  std::thread other([&] {
    otherStarted = true;
    Result<std::vector<RowOutcome>> out = upsertCompanyPerson("other", "p0");
    otherSawCommit = committed.load();
    EXPECT_TRUE(out.ok());
  });
  while (!otherStarted) std::this_thread::yield();
  // Were the other thread not waiting for the transaction, it would finish meanwhile.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(selectOk("Company Person", {"Id"}, {{"Id", text("other")}}).empty());
  committed = true;
  ASSERT_TRUE((*open)->commit().ok());
  other.join();
  EXPECT_TRUE(otherSawCommit) << "another thread wrote while the transaction was open";
  EXPECT_EQ(countOf("Company Person"), 2);
}

TEST_P(StoreTransactionTest, MissingBodyIsInvalid) {
  EXPECT_EQ(store().transaction(nullptr).code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTransactionTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
