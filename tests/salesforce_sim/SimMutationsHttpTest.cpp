// Record mutations over real HTTP: the REST write endpoints (create, update, delete) with
// Salesforce's errors, and the test-only mutations replication needs (undelete, late commit with
// an old stamp, hard delete, earliestDateAvailable), through SimServer and through /sim/*.
#include <gtest/gtest.h>

#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimHttpClient.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync::sim {
namespace {

using test::HttpReply;
using test::SimHttpClient;

const std::string kUnknownId = SalesforceId::make("001", "Sm", 999999);

class SimMutationsHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<SimServer>();
    sim_->start();
    http_ = std::make_unique<SimHttpClient>(sim_->port());
    token_ = http_->loginToken();
    sim_->setNowForTest("2025-03-01T12:00:00Z");
  }

  // The records of a (single-page) query or queryAll.
  Poco::JSON::Array::Ptr records(const std::string& soql, const std::string& resource = "query") {
    const HttpReply r = http_->get(SimHttpClient::queryPath(soql, resource), token_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.object()->getArray("records");
  }
  Poco::JSON::Object::Ptr record(const std::string& object, const std::string& id) {
    const HttpReply r = http_->get("/services/data/v62.0/sobjects/" + object + "/" + id, token_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.object();
  }
  std::string cyberdyne() {
    return records("SELECT Id FROM Account WHERE Name = 'Cyberdyne Systems'")
        ->getObject(0)
        ->getValue<std::string>("Id");
  }
  Poco::JSON::Array::Ptr deleted(const std::string& object = "Account") {
    const HttpReply r =
        http_->get("/services/data/v62.0/sobjects/" + object +
                       "/deleted/?start=2025-01-01T00:00:00Z&end=2025-12-31T00:00:00Z",
                   token_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.object()->getArray("deletedRecords");
  }
  HttpReply sobject(const std::string& method, const std::string& rest,
                    const std::string& body = {}) {
    return http_->send(method, "/services/data/v62.0/sobjects/" + rest, token_, body);
  }

  std::unique_ptr<SimServer> sim_;
  std::unique_ptr<SimHttpClient> http_;
  std::string token_;
};

TEST_F(SimMutationsHttpTest, UndeleteRestoresARecord) {
  const std::string id = cyberdyne();
  sim_->setNowForTest("2025-03-01T12:00:00Z");
  sim_->deleteRecord("Account", id);
  EXPECT_EQ(deleted()->size(), 1u);
  EXPECT_EQ(records("SELECT Id FROM Account WHERE Id = '" + id + "'")->size(), 0u);
  sim_->setNowForTest("2025-03-01T12:05:00Z");
  sim_->undeleteRecord("Account", id);
  const auto rec = record("Account", id);
  EXPECT_FALSE(rec->getValue<bool>("IsDeleted"));
  EXPECT_EQ(rec->getValue<std::string>("SystemModstamp"), "2025-03-01T12:05:00.000+0000");
  EXPECT_EQ(rec->getValue<std::string>("LastModifiedDate"), "2025-03-01T12:05:00.000+0000");
  EXPECT_EQ(records("SELECT Id FROM Account WHERE Id = '" + id + "'")->size(), 1u);
  EXPECT_EQ(deleted()->size(), 0u);
  EXPECT_THROW(sim_->undeleteRecord("Account", id), std::invalid_argument);  // not deleted
  EXPECT_THROW(sim_->undeleteRecord("Account", kUnknownId), std::invalid_argument);
}

TEST_F(SimMutationsHttpTest, CommitLateInsertsAndUpdatesWithAnOldStamp) {
  const std::string late =
      sim_->commitLate("Account", R"({"Name":"Late Corp"})", "2025-03-01T11:55:00Z");
  auto rec = record("Account", late);
  EXPECT_EQ(rec->getValue<std::string>("SystemModstamp"), "2025-03-01T11:55:00.000+0000");
  EXPECT_EQ(rec->getValue<std::string>("LastModifiedDate"), "2025-03-01T11:55:00.000+0000");
  EXPECT_EQ(rec->getValue<std::string>("CreatedDate"), "2025-03-01T11:55:00.000+0000");
  // An incremental reader whose cursor is past the stamp misses it; an overlap window finds it.
  EXPECT_EQ(records("SELECT Id FROM Account WHERE SystemModstamp >= 2025-03-01T11:58:00Z "
                    "AND Name = 'Late Corp'")
                ->size(),
            0u);
  EXPECT_EQ(records("SELECT Id FROM Account WHERE SystemModstamp >= 2025-03-01T11:50:00Z "
                    "AND Name = 'Late Corp'")
                ->size(),
            1u);

  const std::string id = cyberdyne();
  const std::string industry = record("Account", id)->getValue<std::string>("Industry");
  EXPECT_EQ(sim_->commitLate("Account", R"({"Id":")" + id + R"(","Name":"Cyberdyne Late"})",
                             "2025-02-28T08:00:00+00:00"),
            id);
  rec = record("Account", id);
  EXPECT_EQ(rec->getValue<std::string>("Name"), "Cyberdyne Late");
  EXPECT_EQ(rec->getValue<std::string>("Industry"), industry);  // other fields kept
  EXPECT_EQ(rec->getValue<std::string>("SystemModstamp"), "2025-02-28T08:00:00.000+0000");
  EXPECT_THROW(sim_->commitLate("Account", R"({"Name":"x"})", "yesterday"), std::invalid_argument);
  EXPECT_THROW(sim_->commitLate("Account", R"({"Nope":"x"})", "2025-01-01T00:00:00Z"),
               std::invalid_argument);
}

TEST_F(SimMutationsHttpTest, HardDeleteEmptiesTheRecycleBin) {
  const std::string id = cyberdyne();
  const std::size_t before = sim_->recordCount("Account");
  sim_->deleteRecord("Account", id);
  EXPECT_EQ(deleted()->size(), 1u);
  EXPECT_EQ(records("SELECT Id FROM Account WHERE Id = '" + id + "'", "queryAll")->size(), 1u);
  sim_->hardDeleteRecord("Account", id);
  EXPECT_EQ(deleted()->size(), 0u);
  EXPECT_EQ(records("SELECT Id FROM Account WHERE Id = '" + id + "'", "queryAll")->size(), 0u);
  EXPECT_EQ(sim_->recordCount("Account"), before - 1);
  EXPECT_THROW(sim_->hardDeleteRecord("Account", id), std::invalid_argument);
  // A live row can be hard-deleted too (it never shows in getDeleted).
  const std::string other = records("SELECT Id FROM Account WHERE Name = 'Wayne Logistics'")
                                ->getObject(0)
                                ->getValue<std::string>("Id");
  sim_->hardDeleteRecord("Account", other);
  EXPECT_EQ(records("SELECT Id FROM Account WHERE Id = '" + other + "'", "queryAll")->size(), 0u);
  EXPECT_EQ(deleted()->size(), 0u);
}

TEST_F(SimMutationsHttpTest, EarliestDateAvailableIsTheDeletedHorizon) {
  const std::string id = cyberdyne();
  sim_->setNowForTest("2025-03-01T12:00:00Z");
  sim_->deleteRecord("Account", id);
  auto get = [&] {
    return http_
        ->get(
            "/services/data/v62.0/sobjects/Account/deleted/"
            "?start=2025-01-01T00:00:00Z&end=2025-12-31T00:00:00Z",
            token_)
        .object();
  };
  EXPECT_EQ(get()->getValue<std::string>("earliestDateAvailable"), "2025-02-14T12:00:00.000+0000");
  sim_->setEarliestDateAvailable("2025-03-01T12:30:00Z");
  auto o = get();
  EXPECT_EQ(o->getValue<std::string>("earliestDateAvailable"), "2025-03-01T12:30:00.000+0000");
  EXPECT_EQ(o->getArray("deletedRecords")->size(), 0u);  // deleted before the horizon
  sim_->setEarliestDateAvailable("");
  EXPECT_EQ(get()->getArray("deletedRecords")->size(), 1u);
}

TEST_F(SimMutationsHttpTest, RestCreateUpdateDelete) {
  const std::int64_t used = sim_->apiUsage();
  HttpReply r = sobject("POST", "Account", R"({"Name":"Rest Corp","NumberOfEmployees":7})");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto created = r.object();
  const std::string id = created->getValue<std::string>("id");
  EXPECT_TRUE(created->getValue<bool>("success"));
  EXPECT_EQ(created->getArray("errors")->size(), 0u);
  EXPECT_EQ(id.substr(0, 3), "001");
  auto rec = record("Account", id);
  EXPECT_EQ(rec->getValue<std::string>("Name"), "Rest Corp");
  EXPECT_EQ(rec->getValue<std::string>("CreatedDate"), "2025-03-01T12:00:00.000+0000");
  EXPECT_FALSE(rec->getValue<bool>("IsDeleted"));

  sim_->setNowForTest("2025-03-01T12:10:00Z");
  r = sobject("PATCH", "Account/" + id, R"({"NumberOfEmployees":8})");
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  rec = record("Account", id);
  EXPECT_EQ(rec->getValue<int>("NumberOfEmployees"), 8);
  EXPECT_EQ(rec->getValue<std::string>("Name"), "Rest Corp");
  EXPECT_EQ(rec->getValue<std::string>("SystemModstamp"), "2025-03-01T12:10:00.000+0000");

  r = sobject("DELETE", "Account/" + id);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(records("SELECT Id FROM Account WHERE Id = '" + id + "'")->size(), 0u);
  const auto gone =
      records("SELECT Id, IsDeleted FROM Account WHERE Id = '" + id + "'", "queryAll");
  ASSERT_EQ(gone->size(), 1u);
  EXPECT_TRUE(gone->getObject(0)->getValue<bool>("IsDeleted"));
  const auto bin = deleted();
  ASSERT_EQ(bin->size(), 1u);
  EXPECT_EQ(bin->getObject(0)->getValue<std::string>("id"), id);
  EXPECT_EQ(bin->getObject(0)->getValue<std::string>("deletedDate"),
            "2025-03-01T12:10:00.000+0000");
  EXPECT_EQ(sim_->apiUsage(), used + 8);  // 3 writes + 5 reads

  for (const char* method : {"PATCH", "DELETE"}) {
    r = sobject(method, "Account/" + id, std::string(method) == "PATCH" ? R"({"Name":"x"})" : "");
    EXPECT_EQ(r.status, 404) << method;
    EXPECT_EQ(r.errorCode(), "ENTITY_IS_DELETED") << method;
  }
}

TEST_F(SimMutationsHttpTest, RestWriteErrors) {
  const std::string id = cyberdyne();
  HttpReply r = sobject("PATCH", "Account/" + kUnknownId, R"({"Name":"x"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.errorCode(), "NOT_FOUND");
  r = sobject("DELETE", "Account/" + kUnknownId);
  EXPECT_EQ(r.errorCode(), "NOT_FOUND");
  r = sobject("PATCH", "Account/not-an-id", R"({"Name":"x"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "MALFORMED_ID");
  r = sobject("POST", "Account", R"({"Name":"x","Nope__c":1})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALID_FIELD");
  EXPECT_NE(r.errorMessage().find("No such column 'Nope__c'"), std::string::npos);
  r = sobject("POST", "Account",
              R"({"Name":"x","CreatedDate":"2020-01-01T00:00:00Z","Id":")" + kUnknownId + "\"}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALID_FIELD_FOR_INSERT_UPDATE");
  const auto fields = r.array()->getObject(0)->getArray("fields");
  EXPECT_EQ(fields->size(), 2u);
  r = sobject("PATCH", "Account/" + id, R"({"SystemModstamp":"2020-01-01T00:00:00Z"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALID_FIELD_FOR_INSERT_UPDATE");
  r = sobject("PATCH", "Account/" + id, R"({"NumberOfEmployees":"many"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "JSON_PARSER_ERROR");
  r = sobject("POST", "Account", "{not json");
  EXPECT_EQ(r.errorCode(), "JSON_PARSER_ERROR");
  r = sobject("POST", "Nothing__c", R"({"Name":"x"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.errorCode(), "NOT_FOUND");
  r = sobject("PUT", "Account/" + id, R"({"Name":"x"})");
  EXPECT_EQ(r.status, 405);
  r = sobject("POST", "Account/" + id, R"({"Name":"x"})");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(record("Account", id)->getValue<std::string>("Name"), "Cyberdyne Systems");
  r = http_->send("POST", "/services/data/v62.0/sobjects/Account", "", R"({"Name":"x"})");
  EXPECT_EQ(r.status, 401);  // writes need a session like every data call
}

// A refused write (bad session) must still consume its body, so the kept-alive connection serves
// the next request; an oversized body is refused with 413 and the connection closed.
TEST_F(SimMutationsHttpTest, RefusedWritesKeepTheConnectionUsable) {
  Poco::Net::HTTPClientSession session("127.0.0.1", sim_->port());
  session.setKeepAlive(true);
  const auto exchange = [&](const std::string& method, const std::string& path,
                            const std::string& auth, const std::string& body) {
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    if (!auth.empty()) req.set("Authorization", "Bearer " + auth);
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::string answer;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), answer);
    return std::make_pair(static_cast<int>(resp.getStatus()), answer);
  };
  const std::string path = "/services/data/v62.0/sobjects/Account";
  EXPECT_EQ(exchange("POST", path, "wrong-token", R"({"Name":"Refused"})").first, 401);
  const auto created = exchange("POST", path, token_, R"({"Name":"Accepted"})");
  EXPECT_EQ(created.first, 201) << created.second;
  // Announce a body over the 8 MB cap without sending it: refused before it is read.
  Poco::Net::HTTPRequest req("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
  req.set("Authorization", "Bearer " + token_);
  req.setContentLength(9 * 1024 * 1024);
  session.sendRequest(req);
  Poco::Net::HTTPResponse resp;
  std::string answer;
  Poco::StreamCopier::copyToString(session.receiveResponse(resp), answer);
  const auto big = std::make_pair(static_cast<int>(resp.getStatus()), answer);
  EXPECT_EQ(big.first, 413);
  EXPECT_EQ(records("SELECT Id FROM Account WHERE Name = 'Refused'")->size(), 0u);
  EXPECT_EQ(records("SELECT Id FROM Account WHERE Name = 'Accepted'")->size(), 1u);
}

TEST_F(SimMutationsHttpTest, SimEndpointsNeedNoAuth) {
  const std::string id = cyberdyne();
  sim_->deleteRecord("Account", id);
  HttpReply r = http_->send("POST", "/sim/undelete/Account/" + id, "");
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_FALSE(record("Account", id)->getValue<bool>("IsDeleted"));

  r = http_->send("POST", "/sim/commit-late/Account?stamp=2025-02-01T00:00:00Z", "",
                  R"({"Name":"Late Via Http"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string late = r.object()->getValue<std::string>("id");
  EXPECT_EQ(record("Account", late)->getValue<std::string>("SystemModstamp"),
            "2025-02-01T00:00:00.000+0000");

  r = http_->send("POST", "/sim/hard-delete/Account/" + late, "");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(records("SELECT Id FROM Account WHERE Id = '" + late + "'", "queryAll")->size(), 0u);

  const std::size_t accounts = sim_->recordCount("Account");
  r = http_->send("POST", "/sim/generate?accounts=5&contacts=7", "");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(sim_->recordCount("Account"), accounts + 5);
  EXPECT_EQ(sim_->recordCount("Contact"), 27u);

  EXPECT_EQ(http_->send("POST", "/sim/latency?ms=0", "").status, 204);

  for (const char* bad : {"/sim/latency?ms=-1", "/sim/generate", "/sim/commit-late/Account",
                          "/sim/undelete/Account", "/sim/nothing"}) {
    EXPECT_EQ(http_->send("POST", bad, "").status, 400) << bad;
  }
  r = http_->send("POST", "/sim/undelete/Account/" + id, "");  // not deleted
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(http_->send("POST", "/sim/hard-delete/Nothing__c/" + id, "").status, 404);
  EXPECT_EQ(http_->send("GET", "/sim/latency?ms=0", "").status, 405);
  EXPECT_EQ(sim_->dataRequests(), 4);  // /sim/* is not a data call (only the reads above are)
}

}  // namespace
}  // namespace sfsync::sim
