// PostgresRunClaims (issue 12) against the test cluster (fixture `postgres`): two daemons' claims
// on one schema. A slot is granted once; a slot whose entry (or a member job) runs on another
// daemon is recorded as skipped for everyone; run-now is refused while the entry runs; heartbeats
// and leases show in the view; a claim whose daemon stopped beating is adopted by the other once
// the lease expired (and the old holder can no longer finish it); release() hands a claim over at
// once.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "fakes/PgTestCluster.h"
#include "fakes/TempDir.h"
#include "sfsync/store/PostgresRunClaims.h"
#include "store/PgConnection.h"

namespace sfsync::store {
namespace {

using scheduling::ClaimRequest;
using scheduling::RunClaimsPtr;

// A schedule claim for the slot `epochSeconds` after 1970 (slots only need to differ).
ClaimRequest slotOf(const std::string& name, const std::string& epochSeconds,
                    std::vector<std::string> members = {}) {
  ClaimRequest r;
  r.name = name;
  r.trigger = "schedule";
  r.slot = Clock::TimePoint(std::chrono::seconds(std::stoll(epochSeconds)));
  r.locks = {name};
  r.locks.insert(r.locks.end(), members.begin(), members.end());
  return r;
}

class PostgresRunClaimsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_.url = testing::pgTestUrl();
    ASSERT_FALSE(settings_.url.empty()) << "no test PostgreSQL cluster (fixture pg_cluster_start)";
    settings_.schema = testing::pgTestSchema(dir_.path());
    auto a = openPostgresRunClaims(settings_, 2);
    auto b = openPostgresRunClaims(settings_, 2);
    ASSERT_TRUE(a.ok()) << a.status().toString();
    ASSERT_TRUE(b.ok()) << b.status().toString();
    a_ = std::move(a).value();
    b_ = std::move(b).value();
    ASSERT_NE(a_->daemonId(), b_->daemonId());
  }

  testing::TempDir dir_;
  PostgresSettings settings_;
  RunClaimsPtr a_;
  RunClaimsPtr b_;
};

TEST_F(PostgresRunClaimsTest, ASlotIsGrantedOnceAndBusyEntriesSkipTheirSlotForEveryone) {
  auto first = a_->claim(slotOf("Nightly", "3600", {"Company Sync"}));
  ASSERT_TRUE(first.ok()) << first.status().toString();
  EXPECT_TRUE(first->granted);
  auto again = b_->claim(slotOf("Nightly", "3600", {"Company Sync"}));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->granted);
  EXPECT_EQ(again->holder, a_->daemonId());
  EXPECT_NE(again->reason.find("claimed by daemon " + a_->daemonId()), std::string::npos);

  // Company Sync runs inside Nightly on A: its own slot is skipped, for both daemons.
  auto member = b_->claim(slotOf("Company Sync", "7200"));
  ASSERT_TRUE(member.ok());
  EXPECT_FALSE(member->granted);
  EXPECT_NE(member->reason.find("'Nightly' is running on daemon " + a_->daemonId()),
            std::string::npos)
      << member->reason;
  ASSERT_TRUE(a_->finish(first->key, "Success", "exec-1").ok());
  auto later = a_->claim(slotOf("Company Sync", "7200"));
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later->granted);
  EXPECT_NE(later->reason.find("(Skipped)"), std::string::npos) << later->reason;

  // run-now: refused while the entry runs elsewhere, granted (a unique key) otherwise.
  auto running = a_->claim(slotOf("Company Sync", "10800"));
  ASSERT_TRUE(running.ok() && running->granted);
  ClaimRequest now;
  now.name = "Company Sync";
  now.trigger = "run-now";
  now.locks = {"Company Sync"};
  auto refused = b_->claim(now);
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->granted);
  ASSERT_TRUE(a_->finish(running->key, "Success", "exec-2").ok());
  auto granted = b_->claim(now);
  ASSERT_TRUE(granted.ok());
  EXPECT_TRUE(granted->granted);
  auto second = b_->claim(now);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->key, granted->key);
}

TEST_F(PostgresRunClaimsTest, AnExpiredLeaseIsAdoptedByAnotherDaemon) {
  ASSERT_TRUE(a_->heartbeat().ok());
  ASSERT_TRUE(b_->heartbeat().ok());
  auto claimed = a_->claim(slotOf("Company Sync", "3600"));
  ASSERT_TRUE(claimed.ok() && claimed->granted);
  auto view = b_->view();
  ASSERT_TRUE(view.ok()) << view.status().toString();
  EXPECT_TRUE(view->clustered);
  EXPECT_EQ(view->leaseSeconds, 2);
  ASSERT_EQ(view->daemons.size(), 2u);
  ASSERT_EQ(view->running.size(), 1u);
  EXPECT_EQ(view->running[0].daemon, a_->daemonId());
  EXPECT_FALSE(view->running[0].expired);
  auto early = b_->adoptExpired(5);
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->empty());  // A's lease still runs

  // A stops beating (as if killed); B keeps beating and adopts the claim once the lease expired.
  std::vector<scheduling::AdoptedRun> adopted;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (adopted.empty() && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(b_->heartbeat().ok());
    auto taken = b_->adoptExpired(5);
    ASSERT_TRUE(taken.ok()) << taken.status().toString();
    adopted = *taken;
    // Paces the polling of the server's clock; the deadline above is what the test relies on.
    if (adopted.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(adopted.size(), 1u);
  EXPECT_EQ(adopted[0].key, claimed->key);
  EXPECT_EQ(adopted[0].name, "Company Sync");
  EXPECT_EQ(adopted[0].trigger, "schedule");
  ASSERT_TRUE(adopted[0].slot.has_value());
  EXPECT_EQ(*adopted[0].slot, Clock::TimePoint(std::chrono::seconds(3600)));
  EXPECT_EQ(adopted[0].previousDaemon, a_->daemonId());
  EXPECT_EQ(a_->finish(claimed->key, "Success", "x").code(), StatusCode::kUnavailable);
  view = a_->view();
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->running.size(), 1u);
  EXPECT_EQ(view->running[0].daemon, b_->daemonId());
  EXPECT_EQ(view->running[0].adoptions, 1);
  EXPECT_TRUE(b_->finish(claimed->key, "Success", "exec-3").ok());

  // release(): the claim is adoptable at once.
  auto mine = b_->claim(slotOf("Person Sync", "3600"));
  ASSERT_TRUE(mine.ok() && mine->granted);
  ASSERT_TRUE(b_->release(mine->key).ok());
  // B's next heartbeat does not take the released claim back.
  ASSERT_TRUE(b_->heartbeat().ok());
  auto handed = a_->adoptExpired(5);
  ASSERT_TRUE(handed.ok());
  ASSERT_EQ(handed->size(), 1u);
  EXPECT_EQ((*handed)[0].key, mine->key);
  EXPECT_EQ((*handed)[0].previousDaemon, b_->daemonId());
}

// A run queued behind another run of the same entry on the same daemon: when the first run ends,
// the queued one may claim its slot before the first claim is finished. This daemon's own open
// claims do not make its slots skipped; another daemon's still do.
TEST_F(PostgresRunClaimsTest, ADaemonsOwnOpenClaimDoesNotSkipItsQueuedRun) {
  auto first = a_->claim(slotOf("Nightly", "3600", {"Company Sync"}));
  ASSERT_TRUE(first.ok() && first->granted);
  auto queued = a_->claim(slotOf("Nightly", "7200", {"Company Sync"}));
  ASSERT_TRUE(queued.ok()) << queued.status().toString();
  EXPECT_TRUE(queued->granted) << queued->reason;
  auto member = a_->claim(slotOf("Company Sync", "7200"));
  ASSERT_TRUE(member.ok());
  EXPECT_TRUE(member->granted) << member->reason;
  auto other = b_->claim(slotOf("Nightly", "10800", {"Company Sync"}));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->granted);
  EXPECT_EQ(other->holder, a_->daemonId());
}

// finish() that fails (here: the claim row is locked past statement_timeout) is retried by the
// next heartbeat() rather than leaving the claim open (and renewed) forever.
TEST_F(PostgresRunClaimsTest, AFailedFinishIsRetriedByTheNextHeartbeat) {
  PostgresSettings quick = settings_;
  quick.statementTimeoutSeconds = 1;
  auto opened = openPostgresRunClaims(quick, 2);
  ASSERT_TRUE(opened.ok()) << opened.status().toString();
  RunClaimsPtr c = std::move(opened).value();
  auto claimed = c->claim(slotOf("Company Sync", "3600"));
  ASSERT_TRUE(claimed.ok() && claimed->granted);
  {
    auto admin = PgConnection::open(settings_);
    ASSERT_TRUE(admin.ok()) << admin.status().toString();
    ASSERT_TRUE((*admin)->begin().ok());
    ASSERT_TRUE((*admin)
                    ->query("SELECT 1 FROM sfsync_claims WHERE slot_key = $1 FOR UPDATE",
                            {std::optional<std::string>(claimed->key)})
                    .ok());
    EXPECT_FALSE(c->finish(claimed->key, "Success", "exec-9").ok());
    (*admin)->rollback();
  }
  ASSERT_TRUE(c->heartbeat().ok());
  auto view = a_->view();
  ASSERT_TRUE(view.ok()) << view.status().toString();
  EXPECT_TRUE(view->running.empty());
  // A later slot of the same entry is not blocked by the old claim (on any daemon).
  auto later = b_->claim(slotOf("Company Sync", "7200"));
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->granted) << later->reason;
}

}  // namespace
}  // namespace sfsync::store
