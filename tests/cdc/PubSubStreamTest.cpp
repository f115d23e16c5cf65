// The Pub/Sub client against the simulator's Pub/Sub server: topics, schemas, Avro decoding of
// real change events (header, bitmaps, compound fields), replay ids, flow control, keepalives and
// the error statuses the runner reacts to.
#include <algorithm>

#include "cdc/PubSubTestFixture.h"

namespace sfsync::testing {
namespace {

const Value* field(const cdc::ChangeEvent& e, const std::string& name) {
  for (const auto& [n, v] : e.fields) {
    if (n == name) return &v;
  }
  return nullptr;
}

source::StreamRequest request(source::ReplayStart start = source::ReplayStart::kEarliest,
                              std::string replayId = "") {
  source::StreamRequest r;
  r.topic = "/data/AccountChangeEvent";
  r.start = start;
  r.replayId = std::move(replayId);
  r.batchSize = 50;
  return r;
}

using PubSubStreamTest = PubSubFixture;

TEST_F(PubSubStreamTest, CreateUpdateDeleteUndeleteArriveDecoded) {
  auto stream = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(stream.ok()) << stream.status().message();
  const std::string id =
      sim_.insertRecord("Account", R"({"Name":"Acme CDC","BillingCity":"Paris",)"
                                   R"("BillingCountry":"France","NumberOfEmployees":7})");
  sim_.setField("Account", id, "NumberOfEmployees", "8");
  sim_.setField("Account", id, "BillingCity", "null");
  sim_.deleteRecord("Account", id);
  sim_.undeleteRecord("Account", id);
  EventCollector collector;
  Status result;
  std::thread t = subscribeAsync(*stream.value(), request(), collector, result);
  ASSERT_TRUE(collector.waitForEvents(5));
  stream.value()->cancel();
  t.join();
  EXPECT_TRUE(result.ok()) << result.message();
  const auto events = collector.events();
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].changeType, cdc::ChangeType::kCreate);
  EXPECT_EQ(events[0].entityName, "Account");
  ASSERT_EQ(events[0].recordIds, std::vector<std::string>{id});
  ASSERT_NE(field(events[0], "Name"), nullptr);
  EXPECT_EQ(std::get<std::string>(*field(events[0], "Name")), "Acme CDC");
  ASSERT_NE(field(events[0], "BillingCity"), nullptr) << "compound BillingAddress.City flattened";
  EXPECT_EQ(std::get<std::string>(*field(events[0], "BillingCity")), "Paris");
  EXPECT_EQ(std::get<std::int64_t>(*field(events[0], "NumberOfEmployees")), 7);
  EXPECT_GT(events[0].commitTimestamp, 0);
  // Partial update: only the changed field (and the stamps) are present.
  EXPECT_EQ(events[1].changeType, cdc::ChangeType::kUpdate);
  EXPECT_EQ(std::get<std::int64_t>(*field(events[1], "NumberOfEmployees")), 8);
  EXPECT_EQ(field(events[1], "Name"), nullptr);
  EXPECT_EQ(field(events[1], "BillingCity"), nullptr);
  // nulledFields: the compound part is listed and comes back null; its sibling is untouched.
  ASSERT_NE(field(events[2], "BillingCity"), nullptr);
  EXPECT_TRUE(isNull(*field(events[2], "BillingCity")));
  EXPECT_EQ(field(events[2], "BillingCountry"), nullptr);
  EXPECT_FALSE(events[2].nulledBitmaps.empty());
  EXPECT_EQ(events[3].changeType, cdc::ChangeType::kDelete);
  EXPECT_TRUE(events[3].fields.empty());
  EXPECT_EQ(events[4].changeType, cdc::ChangeType::kUndelete);
  EXPECT_NE(field(events[4], "Name"), nullptr);
  for (std::size_t i = 1; i < events.size(); ++i) {
    EXPECT_GT(events[i].replayId, events[i - 1].replayId) << "replay ids grow";
    EXPECT_GT(events[i].commitNumber, events[i - 1].commitNumber);
  }
}

TEST_F(PubSubStreamTest, ContactNameArrivesAsCompoundAndIsFlattened) {
  auto stream = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(stream.ok());
  sim_.setField("Contact", "0035g0000000tvxAAA", "FirstName", "\"Mary\"");
  EventCollector collector;
  Status result;
  source::StreamRequest r = request();
  r.topic = "/data/ContactChangeEvent";
  std::thread t = subscribeAsync(*stream.value(), r, collector, result);
  ASSERT_TRUE(collector.waitForEvents(1));
  stream.value()->cancel();
  t.join();
  const auto e = collector.events().front();
  ASSERT_NE(field(e, "FirstName"), nullptr);
  EXPECT_EQ(std::get<std::string>(*field(e, "FirstName")), "Mary");
  EXPECT_EQ(field(e, "LastName"), nullptr) << "only the changed part of Name";
  EXPECT_TRUE(std::any_of(e.changedBitmaps.begin(), e.changedBitmaps.end(),
                          [](const std::string& b) { return b.find('-') != std::string::npos; }))
      << "a nested bitmap entry for the compound Name";
}

TEST_F(PubSubStreamTest, OneEventCarriesSeveralRecordIds) {
  auto stream = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(stream.ok());
  pubsub_->transaction([&] {
    sim_.setField("Account", "0015g0000000tvxAAA", "Industry", "\"Energy\"");
    sim_.setField("Account", "0015g0000000xq6AAA", "Industry", "\"Energy\"");
  });
  EventCollector collector;
  Status result;
  std::thread t = subscribeAsync(*stream.value(), request(), collector, result);
  ASSERT_TRUE(collector.waitForEvents(1));
  stream.value()->cancel();
  t.join();
  const auto events = collector.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].recordIds.size(), 2u);
}

TEST_F(PubSubStreamTest, ResumesAfterAReplayIdAndRefusesAnExpiredOne) {
  auto stream = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(stream.ok());
  for (int i = 0; i < 3; ++i) {
    sim_.setField("Account", "0015g0000000tvxAAA", "NumberOfEmployees", std::to_string(100 + i));
  }
  EventCollector first;
  Status result;
  std::thread t = subscribeAsync(*stream.value(), request(), first, result);
  ASSERT_TRUE(first.waitForEvents(3));
  stream.value()->cancel();
  t.join();
  const std::string afterFirst = first.events()[0].replayId;

  auto again = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(again.ok());
  EventCollector second;
  t = subscribeAsync(*again.value(), request(source::ReplayStart::kAfterReplayId, afterFirst),
                     second, result);
  ASSERT_TRUE(second.waitForEvents(2));
  again.value()->cancel();
  t.join();
  ASSERT_EQ(second.events().size(), 2u);
  EXPECT_EQ(second.events()[0].replayId, first.events()[1].replayId);

  pubsub_->expireRetainedEvents();
  auto stale = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(stale.ok());
  EventCollector none;
  const Status s =
      stale.value()->subscribe(request(source::ReplayStart::kAfterReplayId, afterFirst),
                               [&](const source::ChangeBatch& b) { return none.onBatch(b); });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
}

TEST_F(PubSubStreamTest, KeepalivesArriveWhileIdle) {
  auto stream = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(stream.ok());
  EventCollector collector;
  Status result;
  std::thread t =
      subscribeAsync(*stream.value(), request(source::ReplayStart::kLatest), collector, result);
  EXPECT_TRUE(collector.waitForKeepalive());
  stream.value()->cancel();
  t.join();
  EXPECT_TRUE(result.ok());
  EXPECT_GT(pubsub_->keepalivesSent(), 0);
}

TEST_F(PubSubStreamTest, FlowControlNeverSendsMoreThanRequested) {
  for (int i = 0; i < 30; ++i) {
    sim_.setField("Account", "0015g0000000tvxAAA", "NumberOfEmployees", std::to_string(i));
  }
  auto stream = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(stream.ok());
  std::size_t largest = 0, total = 0;
  source::StreamRequest r = request();
  r.batchSize = 4;
  auto* s = stream.value().get();
  const Status st = s->subscribe(r, [&](const source::ChangeBatch& b) {
    largest = std::max(largest, b.events.size());
    total += b.events.size();
    if (total >= 30) return Status::Internal("enough");  // ends the subscription
    return Status::OK();
  });
  EXPECT_EQ(st.message(), "enough");
  EXPECT_EQ(total, 30u);
  EXPECT_LE(largest, 4u);
}

TEST_F(PubSubStreamTest, BadCredentialsAreUnauthenticatedAndAnUnknownTopicNotFound) {
  cdc::PubSubOptions o = streamOptions();
  o.auth = [this]() -> Result<cdc::PubSubAuth> {
    return cdc::PubSubAuth{"not-a-token", sim_.baseUrl(), sim_.orgId()};
  };
  auto bad = cdc::openPubSubStream(o);
  ASSERT_TRUE(bad.ok());
  const auto ignore = [](const source::ChangeBatch&) { return Status::OK(); };
  EXPECT_EQ(bad.value()->subscribe(request(), ignore).code(), StatusCode::kUnauthenticated);
  auto good = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(good.ok());
  source::StreamRequest r = request();
  r.topic = "/data/NoSuchObjectChangeEvent";
  EXPECT_EQ(good.value()->subscribe(r, ignore).code(), StatusCode::kNotFound);
}

// What a server sends that the client cannot use is an error, never a crash: a token response
// value gRPC metadata cannot carry (gRPC aborts the process on such a value), and an event whose
// changeType enum index is out of range (avro-c does not check it; looking its symbol up read an
// uninitialised pointer).
TEST_F(PubSubStreamTest, UnusableTokenValuesAndEnumIndexesAreErrorsNotCrashes) {
  const auto ignore = [](const source::ChangeBatch&) { return Status::OK(); };
  for (const std::string& bad : {std::string("tok\xc3\xa9n"), std::string("tok\nen")}) {
    cdc::PubSubOptions o = streamOptions();
    o.auth = [this, bad]() -> Result<cdc::PubSubAuth> {
      return cdc::PubSubAuth{bad, sim_.baseUrl(), sim_.orgId()};
    };
    auto stream = cdc::openPubSubStream(o);
    ASSERT_TRUE(stream.ok());
    const Status s = stream.value()->subscribe(request(), ignore);
    EXPECT_EQ(s.code(), StatusCode::kDataError) << s.toString();
    EXPECT_NE(s.message().find("access token"), std::string::npos) << s.toString();
  }
  auto stream = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(stream.ok());
  pubsub_->publishGap("Account", {"001000000000001AAA"}, "NOT_A_CHANGE_TYPE");
  EventCollector collector;
  Status result;
  std::thread t = subscribeAsync(*stream.value(), request(), collector, result);
  t.join();
  EXPECT_EQ(result.code(), StatusCode::kDataError) << result.toString();
  EXPECT_NE(result.message().find("enum index"), std::string::npos) << result.toString();
  EXPECT_TRUE(collector.events().empty());
}

// A server that ignores flow control (sends more events than were requested) ends the stream
// with an error: the client's queue of answers would otherwise grow while its consumer is busy.
TEST_F(PubSubStreamTest, MoreEventsThanRequestedEndTheStream) {
  pubsub_.reset();  // first: the old one's listener goes before the new one's comes
  pubsub_ = std::make_unique<sim::PubSubSim>(sim_, sim::PubSubSimOptions{200, 100, {}, true});
  pubsub_->start();
  for (int i = 0; i < 10; ++i) sim_.insertRecord("Account", R"({"Name":"Flood"})");
  auto stream = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(stream.ok());
  source::StreamRequest r = request();
  r.batchSize = 3;
  EventCollector collector;
  Status result;
  std::thread t = subscribeAsync(*stream.value(), r, collector, result);
  // A client that took the events would get them at once and then wait for more: cancelled here.
  EXPECT_FALSE(collector.waitForEvents(1, std::chrono::seconds(5)));
  stream.value()->cancel();
  t.join();
  EXPECT_EQ(result.code(), StatusCode::kRemoteError) << result.toString();
  EXPECT_NE(result.message().find("more events than were requested"), std::string::npos)
      << result.toString();
  EXPECT_TRUE(collector.events().empty()) << "the answer that broke flow control is not used";
}

TEST_F(PubSubStreamTest, ARevokedSessionEndsTheStreamUnauthenticated) {
  auto stream = cdc::openPubSubStream(streamOptions());
  ASSERT_TRUE(stream.ok());
  EventCollector collector;
  Status result;
  std::thread t =
      subscribeAsync(*stream.value(), request(source::ReplayStart::kLatest), collector, result);
  ASSERT_TRUE(collector.waitForKeepalive());
  sim_.revokeAllSessions();
  t.join();
  EXPECT_EQ(result.code(), StatusCode::kUnauthenticated) << result.message();
}

TEST_F(PubSubStreamTest, InsecureChannelsOnlyToLoopback) {
  cdc::PubSubOptions o = streamOptions();
  o.endpoint = "api.pubsub.salesforce.com:7443";
  EXPECT_EQ(cdc::openPubSubStream(o).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sfsync::testing
