// sObject Collections writes over real HTTP (issue 13): update by Id, create and upsert by an
// external-id field, allOrNone false with per-record results, a validation rule, a read-only field
// and a row locked once, and SystemModstamp advancing on write (read back through the REST record
// endpoint).
#include <gtest/gtest.h>

#include "salesforce_sim/SimHttpClient.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync::sim {
namespace {

using test::HttpReply;
using test::SimHttpClient;

class SimCollectionsHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    http_ = std::make_unique<SimHttpClient>(sim_.port());
    token_ = http_->loginToken();
    sim_.setNowForTest("2025-03-01T12:00:00Z");
    a_ = sim_.insertRecord("Account", R"({"Name":"A","Phone":"1"})");
    b_ = sim_.insertRecord("Account", R"({"Name":"B","Phone":"2"})");
    sim_.setNowForTest("2025-03-01T13:00:00Z");
  }

  Poco::JSON::Array::Ptr collections(const std::string& method, const std::string& rest,
                                     const std::string& body, int status = 200) {
    const HttpReply r =
        http_->send(method, "/services/data/v62.0/composite/sobjects" + rest, token_, body);
    EXPECT_EQ(r.status, status) << r.body;
    Poco::JSON::Parser parser;
    return status == 200 ? parser.parse(r.body).extract<Poco::JSON::Array::Ptr>() : nullptr;
  }
  Poco::JSON::Object::Ptr record(const std::string& object, const std::string& id) {
    const HttpReply r = http_->get("/services/data/v62.0/sobjects/" + object + "/" + id, token_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.object();
  }
  static std::string code(const Poco::JSON::Array::Ptr& results, unsigned i) {
    return results->getObject(i)->getArray("errors")->getObject(0)->getValue<std::string>(
        "statusCode");
  }

  SimServer sim_;
  std::unique_ptr<SimHttpClient> http_;
  std::string token_, a_, b_;
};

TEST_F(SimCollectionsHttpTest, UpdateByIdAnswersPerRecordAndAdvancesSystemModstamp) {
  sim_.addValidationRule("Account", "Phone", "\"bad\"", "Phone may not be bad");
  auto results = collections("PATCH", "",
                             R"({"allOrNone": false, "records": [
      {"attributes": {"type": "Account"}, "id": ")" +
                                 a_ + R"(", "Phone": "new"},
      {"attributes": {"type": "Account"}, "id": ")" +
                                 b_ + R"(", "Phone": "bad"},
      {"attributes": {"type": "Account"}, "id": ")" +
                                 b_ + R"(", "CreatedDate": "2020-01-01T00:00:00Z"}]})");
  ASSERT_EQ(results->size(), 3u);
  EXPECT_TRUE(results->getObject(0)->getValue<bool>("success"));
  EXPECT_EQ(results->getObject(0)->getValue<std::string>("id"), a_);
  EXPECT_FALSE(results->getObject(1)->getValue<bool>("success"));
  EXPECT_EQ(code(results, 1), "FIELD_CUSTOM_VALIDATION_EXCEPTION");
  EXPECT_EQ(code(results, 2), "INVALID_FIELD_FOR_INSERT_UPDATE");
  auto a = record("Account", a_);
  EXPECT_EQ(a->getValue<std::string>("Phone"), "new");
  EXPECT_EQ(a->getValue<std::string>("SystemModstamp").substr(0, 19), "2025-03-01T13:00:00");
  auto b = record("Account", b_);
  EXPECT_EQ(b->getValue<std::string>("Phone"), "2") << "the failed records changed nothing";
  EXPECT_EQ(b->getValue<std::string>("SystemModstamp").substr(0, 19), "2025-03-01T12:00:00");
  EXPECT_EQ(sim_.collectionCalls(), 1);
}

TEST_F(SimCollectionsHttpTest, LockedRowFailsOnceThenSucceeds) {
  sim_.lockRowOnce(a_);
  const std::string body = R"({"allOrNone": false, "records": [
      {"attributes": {"type": "Account"}, "id": ")" +
                           a_ + R"(", "Phone": "x"}]})";
  EXPECT_EQ(code(collections("PATCH", "", body), 0), "UNABLE_TO_LOCK_ROW");
  EXPECT_TRUE(collections("PATCH", "", body)->getObject(0)->getValue<bool>("success"));
}

TEST_F(SimCollectionsHttpTest, CreateAndUpsertByExternalId) {
  sim_.addObject(R"({"name": "Plan__c", "keyPrefix": "a0P", "custom": true, "fields": [
      {"name": "Id", "type": "id"}, {"name": "Code__c", "type": "string", "externalId": true},
      {"name": "Value__c", "type": "string"}, {"name": "SystemModstamp", "type": "datetime"}]})");
  auto created = collections("POST", "", R"({"allOrNone": false, "records": [
      {"attributes": {"type": "Plan__c"}, "Code__c": "C-1", "Value__c": "v1"}]})");
  ASSERT_TRUE(created->getObject(0)->getValue<bool>("success"));
  EXPECT_TRUE(created->getObject(0)->getValue<bool>("created"));
  const std::string id = created->getObject(0)->getValue<std::string>("id");

  auto upserted = collections("PATCH", "/Plan__c/Code__c", R"({"allOrNone": false, "records": [
      {"attributes": {"type": "Plan__c"}, "Code__c": "C-1", "Value__c": "v2"},
      {"attributes": {"type": "Plan__c"}, "Code__c": "C-2", "Value__c": "w"}]})");
  EXPECT_EQ(upserted->getObject(0)->getValue<std::string>("id"), id);
  EXPECT_FALSE(upserted->getObject(0)->getValue<bool>("created"));
  EXPECT_TRUE(upserted->getObject(1)->getValue<bool>("created"));
  EXPECT_EQ(record("Plan__c", id)->getValue<std::string>("Value__c"), "v2");
  EXPECT_EQ(sim_.recordCount("Plan__c"), 2u);
}

TEST_F(SimCollectionsHttpTest, MoreThan200RecordsIsRefused) {
  std::string body = R"({"allOrNone": false, "records": [)";
  for (int i = 0; i < 201; ++i) {
    body += std::string(i ? "," : "") + R"({"attributes": {"type": "Account"}, "Name": "n"})";
  }
  collections("POST", "", body + "]}", 400);
}

}  // namespace
}  // namespace sfsync::sim
