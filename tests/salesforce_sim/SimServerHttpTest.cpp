// HTTP-level tests: a started SimServer on a loopback port 0, driven with raw Poco HTTP requests.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimHttpClient.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync::sim {
namespace {

using test::HttpReply;
using test::SimHttpClient;

class SimServerHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<SimServer>(options());
    sim_->start();
    http_ = std::make_unique<SimHttpClient>(sim_->port());
  }
  virtual SimOptions options() { return {}; }

  std::string token() {
    if (token_.empty()) token_ = http_->loginToken();
    return token_;
  }
  HttpReply query(const std::string& soql,
                  std::vector<std::pair<std::string, std::string>> h = {}) {
    return http_->get(SimHttpClient::queryPath(soql), token(), std::move(h));
  }
  // Follows nextRecordsUrl to the end; returns the pages.
  std::vector<Poco::JSON::Object::Ptr> allPages(
      const std::string& soql, std::vector<std::pair<std::string, std::string>> h = {}) {
    std::vector<Poco::JSON::Object::Ptr> pages;
    HttpReply r = query(soql, h);
    while (true) {
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      pages.push_back(r.object());
      if (pages.back()->getValue<bool>("done")) break;
      r = http_->get(pages.back()->getValue<std::string>("nextRecordsUrl"), token(), h);
    }
    return pages;
  }

  std::unique_ptr<SimServer> sim_;
  std::unique_ptr<SimHttpClient> http_;
  std::string token_;
};

TEST_F(SimServerHttpTest, PasswordGrantReturnsSalesforceTokenShape) {
  const HttpReply r = http_->login();
  ASSERT_EQ(r.status, 200) << r.body;
  const auto o = r.object();
  EXPECT_FALSE(o->getValue<std::string>("access_token").empty());
  EXPECT_EQ(o->getValue<std::string>("instance_url"), sim_->baseUrl());
  EXPECT_EQ(o->getValue<std::string>("token_type"), "Bearer");
  EXPECT_EQ(o->getValue<std::string>("refresh_token"), "sample-refresh-token");
  EXPECT_EQ(o->getValue<std::string>("id").rfind(sim_->baseUrl() + "/id/00D", 0), 0u);
  EXPECT_FALSE(o->getValue<std::string>("issued_at").empty());
  EXPECT_EQ(o->getValue<std::string>("signature").size(), 44u);  // base64 of 32 bytes
  EXPECT_EQ(sim_->tokenRequests(), 1);
  EXPECT_EQ(sim_->dataRequests(), 0);
  EXPECT_EQ(r.contentType, "application/json;charset=UTF-8");
}

TEST_F(SimServerHttpTest, TokenFailures) {
  struct Case {
    std::vector<std::pair<std::string, std::string>> form;
    const char* error;
    const char* description;
  };
  const std::vector<Case> cases = {
      {{{"grant_type", "password"},
        {"client_id", "sfsync-sample-client"},
        {"client_secret", "sample-secret"},
        {"username", "admin@sample.sfsync"},
        {"password", "sample-password"}},  // security token missing
       "invalid_grant",
       "authentication failure"},
      {{{"grant_type", "password"},
        {"client_id", "sfsync-sample-client"},
        {"client_secret", "sample-secret"},
        {"username", "someone@else"},
        {"password", "sample-passwordSAMPLETOKEN"}},
       "invalid_grant",
       "authentication failure"},
      {{{"grant_type", "password"},
        {"client_id", "wrong"},
        {"client_secret", "sample-secret"},
        {"username", "admin@sample.sfsync"},
        {"password", "sample-passwordSAMPLETOKEN"}},
       "invalid_client_id",
       "client identifier invalid"},
      {{{"grant_type", "password"},
        {"client_id", "sfsync-sample-client"},
        {"client_secret", "wrong"},
        {"username", "admin@sample.sfsync"},
        {"password", "sample-passwordSAMPLETOKEN"}},
       "invalid_client",
       "invalid client credentials"},
      {{{"grant_type", "client_credentials"}, {"client_id", "sfsync-sample-client"}},
       "unsupported_grant_type",
       "grant type not supported"},
      {{{"grant_type", "refresh_token"},
        {"client_id", "sfsync-sample-client"},
        {"client_secret", "sample-secret"},
        {"refresh_token", "stale"}},
       "invalid_grant",
       "expired access/refresh token"},
  };
  for (const Case& c : cases) {
    const HttpReply r = http_->postForm("/services/oauth2/token", c.form);
    EXPECT_EQ(r.status, 400) << r.body;
    const auto o = r.object();
    EXPECT_EQ(o->getValue<std::string>("error"), c.error) << r.body;
    EXPECT_EQ(o->getValue<std::string>("error_description"), c.description) << r.body;
  }
  EXPECT_EQ(sim_->tokenRequests(), static_cast<std::int64_t>(cases.size()));
}

TEST_F(SimServerHttpTest, RefreshTokenGrant) {
  const HttpReply r =
      http_->postForm("/services/oauth2/token", {{"grant_type", "refresh_token"},
                                                 {"client_id", "sfsync-sample-client"},
                                                 {"client_secret", "sample-secret"},
                                                 {"refresh_token", "sample-refresh-token"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto o = r.object();
  EXPECT_FALSE(o->has("refresh_token"));
  const std::string t = o->getValue<std::string>("access_token");
  EXPECT_EQ(http_->get("/services/data/v62.0/limits", t).status, 200);
}

TEST_F(SimServerHttpTest, DataCallsNeedALiveSession) {
  for (const std::string& bad : {std::string(), std::string("not-a-token")}) {
    const HttpReply r = http_->get("/services/data/v62.0/sobjects/", bad);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body,
              R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])");
    EXPECT_EQ(r.limitInfo, "api-usage=0/15000");
  }
  EXPECT_EQ(http_->get("/services/data/", "").status, 401);
  const HttpReply ok = http_->get("/services/data/", token());
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(ok.array()->getObject(ok.array()->size() - 1)->getValue<std::string>("version"),
            "62.0");
  EXPECT_EQ(ok.limitInfo, "api-usage=1/15000");
  EXPECT_EQ(sim_->dataRequests(), 4);
}

TEST_F(SimServerHttpTest, DescribeGlobalAndDescribe) {
  const HttpReply global = http_->get("/services/data/v62.0/sobjects/", token());
  ASSERT_EQ(global.status, 200);
  std::set<std::string> names;
  const auto list = global.object()->getArray("sobjects");
  for (std::size_t k = 0; k < list->size(); ++k) {
    names.insert(list->getObject(static_cast<unsigned>(k))->getValue<std::string>("name"));
  }
  EXPECT_EQ(names, (std::set<std::string>{"Account", "Case", "Contact", "CurrencyType",
                                          "Opportunity", "Renewal__c", "User"}));

  const HttpReply d = http_->get("/services/data/v62.0/sobjects/account/describe", token());
  ASSERT_EQ(d.status, 200) << d.body;
  const auto o = d.object();
  EXPECT_EQ(o->getValue<std::string>("name"), "Account");
  EXPECT_TRUE(o->getValue<bool>("queryable"));
  std::map<std::string, Poco::JSON::Object::Ptr> fields;
  const auto fl = o->getArray("fields");
  for (std::size_t k = 0; k < fl->size(); ++k) {
    const auto f = fl->getObject(static_cast<unsigned>(k));
    fields[f->getValue<std::string>("name")] = f;
    for (const char* key :
         {"label", "type", "length", "precision", "scale", "nillable", "externalId", "unique",
          "createable", "updateable", "calculated", "referenceTo", "relationshipName"}) {
      EXPECT_TRUE(f->has(key)) << f->getValue<std::string>("name") << " lacks " << key;
    }
  }
  const auto owner = fields.at("OwnerId");
  EXPECT_EQ(owner->getValue<std::string>("type"), "reference");
  EXPECT_EQ(owner->getArray("referenceTo")->getElement<std::string>(0), "User");
  EXPECT_EQ(owner->getValue<std::string>("relationshipName"), "Owner");
  EXPECT_TRUE(fields.at("Name")->isNull("relationshipName"));
  EXPECT_EQ(fields.at("NumberOfEmployees")->getValue<std::string>("type"), "int");
  EXPECT_EQ(fields.at("AnnualRevenue")->getValue<std::string>("type"), "currency");
  EXPECT_TRUE(fields.at("Legacy_Employee_Count__c")->getValue<bool>("custom"));
  EXPECT_FALSE(fields.at("Id")->getValue<bool>("nillable"));
  EXPECT_FALSE(fields.at("SystemModstamp")->getValue<bool>("updateable"));
  EXPECT_TRUE(fields.count("CurrencyIsoCode"));

  const HttpReply renewal =
      http_->get("/services/data/v62.0/sobjects/Renewal__c/describe", token());
  ASSERT_EQ(renewal.status, 200);
  EXPECT_TRUE(renewal.object()->getValue<bool>("custom"));

  const HttpReply missing = http_->get("/services/data/v62.0/sobjects/Foo__c/describe", token());
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body,
            R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
  EXPECT_EQ(http_->get("/services/data/v99.0/sobjects/", token()).status, 404);
  EXPECT_EQ(http_->get("/services/data/v62.0/nothing", token()).status, 404);
}

TEST_F(SimServerHttpTest, QueryReturnsSalesforceRecordShape) {
  const HttpReply r = query(
      "select id, NAME, numberofemployees, AnnualRevenue, CreatedDate, IsDeleted, Owner.Name "
      "from Account where Name = 'Stark Robotics'");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto o = r.object();
  EXPECT_EQ(o->getValue<int>("totalSize"), 1);
  EXPECT_TRUE(o->getValue<bool>("done"));
  EXPECT_FALSE(o->has("nextRecordsUrl"));
  const auto rec = o->getArray("records")->getObject(0);
  const std::string id = rec->getValue<std::string>("Id");
  EXPECT_EQ(rec->getObject("attributes")->getValue<std::string>("type"), "Account");
  EXPECT_EQ(rec->getObject("attributes")->getValue<std::string>("url"),
            "/services/data/v62.0/sobjects/Account/" + id);
  // Canonical key case and SELECT order, raw value formats.
  const std::size_t keys = r.body.find(R"("Id":")");
  EXPECT_NE(r.body.find(R"(","Name":"Stark Robotics","NumberOfEmployees":2100,)"
                        R"("AnnualRevenue":6.4E8,"CreatedDate":"2024-01-11T10:00:00.000+0000",)"
                        R"("IsDeleted":false,"Owner":{"attributes":{"type":"User",)"),
            std::string::npos)
      << r.body;
  EXPECT_NE(keys, std::string::npos);
  EXPECT_EQ(rec->getObject("Owner")->getValue<std::string>("Name"), "Alice Nguyen");
  EXPECT_EQ(sim_->queryRequests(), 1);
}

TEST_F(SimServerHttpTest, RelationshipPathsAndNulls) {
  const HttpReply r = query(
      "SELECT CaseNumber, Contact.Email, Account.Name, Owner.Manager.Email FROM Case "
      "ORDER BY CaseNumber");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto records = r.object()->getArray("records");
  ASSERT_EQ(records->size(), 10u);
  const auto first = records->getObject(0);
  EXPECT_EQ(first->getObject("Contact")->getValue<std::string>("Email"),
            "maria.lopez@acme-sample.com");
  EXPECT_EQ(first->getObject("Owner")->getObject("Manager")->getValue<std::string>("Email"),
            "hiro.tanaka@acme-sample.com");
  const auto noContact = records->getObject(8);
  EXPECT_EQ(noContact->getValue<std::string>("CaseNumber"), "00001009");
  EXPECT_TRUE(noContact->isNull("Contact"));
  EXPECT_NE(r.body.find(R"("CaseNumber":"00001009","Contact":null,"Account":{)"),
            std::string::npos);

  const HttpReply c = query(
      "SELECT Name, Account.Name, ReportsTo.Email FROM Contact "
      "WHERE Name = 'Riley Jordan'");
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_NE(c.body.find(R"("Name":"Riley Jordan","Account":null,"ReportsTo":null})"),
            std::string::npos)
      << c.body;
  const HttpReply u = query(
      "SELECT Name, Manager.Name FROM User WHERE Manager.Name = null "
      "ORDER BY Name");
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(u.object()->getValue<int>("totalSize"), 2);  // Kim Park, Automated Process
}

TEST_F(SimServerHttpTest, PagingFollowsNextRecordsUrl) {
  sim_->setBatchSize(3);
  const auto pages = allPages("SELECT Id, Name FROM Account ORDER BY Name, Id");
  ASSERT_EQ(pages.size(), 4u);
  std::set<std::string> ids;
  for (std::size_t p = 0; p < pages.size(); ++p) {
    EXPECT_EQ(pages[p]->getValue<int>("totalSize"), 10);
    EXPECT_EQ(pages[p]->getValue<bool>("done"), p == 3);
    const auto recs = pages[p]->getArray("records");
    EXPECT_EQ(recs->size(), p == 3 ? 1u : 3u);
    for (std::size_t k = 0; k < recs->size(); ++k) {
      ids.insert(recs->getObject(static_cast<unsigned>(k))->getValue<std::string>("Id"));
    }
  }
  EXPECT_EQ(ids.size(), 10u);
  const std::string next = pages[0]->getValue<std::string>("nextRecordsUrl");
  EXPECT_EQ(next.rfind("/services/data/v62.0/query/01g", 0), 0u) << next;
  EXPECT_EQ(next.substr(next.size() - 2), "-3");
  EXPECT_EQ(next.size(), std::string("/services/data/v62.0/query/").size() + 18 + 2);
  EXPECT_EQ(sim_->queryRequests(), 4);
}

TEST_F(SimServerHttpTest, BatchSizeHeaderIsClampedAndServerSizeWinsWhenSmaller) {
  sim_->generateAccounts(450);
  auto firstPage = [&](const std::string& header) {
    std::vector<std::pair<std::string, std::string>> h;
    if (!header.empty()) h.emplace_back("Sforce-Query-Options", header);
    const HttpReply r = query("SELECT Id FROM Account", h);
    EXPECT_EQ(r.status, 200);
    return r.object()->getArray("records")->size();
  };
  EXPECT_EQ(firstPage(""), 460u);  // fits the default 2000
  EXPECT_EQ(firstPage("batchSize=250"), 250u);
  EXPECT_EQ(firstPage("batchSize=10"), 200u);  // clamped up to 200
  EXPECT_EQ(firstPage("batchSize=5000"), 460u);
  sim_->setBatchSize(7);
  EXPECT_EQ(firstPage("batchSize=250"), 7u);
  const auto pages =
      allPages("SELECT Id FROM Account", {{"Sforce-Query-Options", "batchSize=300"}});
  EXPECT_EQ(pages.size(), 66u);  // 460 / 7
}

TEST_F(SimServerHttpTest, PagingIsStableWhileTheOrgChanges) {
  sim_->setBatchSize(4);
  HttpReply r = query("SELECT Id, Name FROM Account ORDER BY Name, Id");
  ASSERT_EQ(r.status, 200);
  auto page = r.object();
  std::vector<std::string> seen;
  auto collect = [&](const Poco::JSON::Object::Ptr& p) {
    const auto recs = p->getArray("records");
    for (std::size_t k = 0; k < recs->size(); ++k) {
      seen.push_back(recs->getObject(static_cast<unsigned>(k))->getValue<std::string>("Name"));
    }
  };
  collect(page);
  // Changes after the query started must not shift or alter the following pages.
  sim_->insertRecord("Account", R"({"Name":"AAA Inserted Later"})");
  sim_->clearObject("User");
  sim_->generateAccounts(50);
  while (!page->getValue<bool>("done")) {
    r = http_->get(page->getValue<std::string>("nextRecordsUrl"), token());
    ASSERT_EQ(r.status, 200);
    page = r.object();
    collect(page);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "Acme Corporation", "Acme Corporation", "Cyberdyne Systems",
                      "Globex Industries", "Initech GmbH", "Soylent Foods", "Stark Robotics",
                      "Tyrell Biotech K.K.", "Umbrella Pharma plc", "Wayne Logistics"}));
}

TEST_F(SimServerHttpTest, QueryErrors) {
  HttpReply r = query("SELECT Id, Foo FROM Account");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALID_FIELD");
  EXPECT_EQ(r.errorMessage(),
            "\nSELECT Id, Foo FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column "
            "'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to "
            "append the '__c' after the custom field name. Please reference your WSDL or the "
            "describe call for the appropriate names.");
  r = query("SELECT Id FROM Foo");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALID_TYPE");
  EXPECT_NE(r.errorMessage().find("sObject type 'Foo' is not supported."), std::string::npos);
  r = query("SELECT Id FROM Account WHERE");
  EXPECT_EQ(r.errorCode(), "MALFORMED_QUERY");
  r = http_->get("/services/data/v62.0/query", token());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "MALFORMED_QUERY");
  r = http_->get("/services/data/v62.0/query/01gSm0000000000AAA-2000", token());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALID_QUERY_LOCATOR");
}

TEST_F(SimServerHttpTest, PlusAndPercentEncodedQueries) {
  const HttpReply r = http_->get(
      "/services/data/v62.0/query?q=SELECT+Name+FROM+Account+WHERE+Name+LIKE+%27Acme%25%27",
      token());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.object()->getValue<int>("totalSize"), 2);
}

TEST_F(SimServerHttpTest, QueryAllSeesSoftDeletedRecords) {
  const std::string id = sim_->insertRecord("Account", R"({"Name":"Doomed Ltd"})");
  EXPECT_EQ(sim_->recordCount("Account"), 11u);
  sim_->deleteRecord("Account", id);
  EXPECT_EQ(sim_->recordCount("Account"), 10u);
  const std::string soql = "SELECT Id, IsDeleted FROM Account WHERE Name = 'Doomed Ltd'";
  EXPECT_EQ(query(soql).object()->getValue<int>("totalSize"), 0);
  const HttpReply all = http_->get(SimHttpClient::queryPath(soql, "queryAll"), token());
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.object()->getValue<int>("totalSize"), 1);
  EXPECT_TRUE(all.object()->getArray("records")->getObject(0)->getValue<bool>("IsDeleted"));
}

TEST_F(SimServerHttpTest, GetDeletedListsSoftDeletesInRange) {
  sim_->setNowForTest("2025-06-10T12:00:30Z");
  const std::string id = sim_->insertRecord("Account", R"({"Name":"Gone Inc."})");
  sim_->deleteRecord("Account", id);
  const std::string base = "/services/data/v62.0/sobjects/Account/deleted/";
  HttpReply r =
      http_->get(base + "?start=2025-06-01T00:00:00%2B00:00&end=2025-06-11T00:00:00Z", token());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"deletedRecords":[{"id":")" + id +
                        R"(","deletedDate":"2025-06-10T12:00:30.000+0000"}],)"
                        R"("earliestDateAvailable":"2025-05-26T12:00:00.000+0000",)"
                        R"("latestDateCovered":"2025-06-10T12:00:00.000+0000"})");
  r = http_->get(base + "?start=2025-06-10T13:00:00Z&end=2025-06-11T00:00:00Z", token());
  EXPECT_NE(r.body.find(R"("deletedRecords":[],)"), std::string::npos) << r.body;
  r = http_->get(base + "?start=2025-06-10T13:00:00Z", token());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALID_REPLICATION_DATE");
  sim_->setNowForTest("");
}

TEST_F(SimServerHttpTest, RecordById) {
  const std::string id = sim_->insertRecord("Contact", R"({"FirstName":"Ada","LastName":"Byron"})");
  const HttpReply r = http_->get("/services/data/v62.0/sobjects/Contact/" + id, token());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.object()->getValue<std::string>("Name"), "Ada Byron");
  EXPECT_EQ(http_->get("/services/data/v62.0/sobjects/Contact/003Sm0000000zzzAAA", token()).status,
            404);
}

TEST_F(SimServerHttpTest, ExpireSessionOnce) {
  const std::string t = token();
  ASSERT_EQ(http_->get("/services/data/v62.0/limits", t).status, 200);
  sim_->expireSessionOnce();
  HttpReply r = http_->get("/services/data/v62.0/limits", t);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.errorCode(), "INVALID_SESSION_ID");
  EXPECT_EQ(http_->get("/services/data/v62.0/limits", t).status, 401);  // token revoked
  const std::string fresh = http_->loginToken();
  EXPECT_EQ(http_->get("/services/data/v62.0/limits", fresh).status, 200);
}

TEST_F(SimServerHttpTest, RevokeAllSessionsAndPasswordChange) {
  const std::string t = token();
  sim_->revokeAllSessions();
  EXPECT_EQ(http_->get("/services/data/v62.0/limits", t).status, 401);
  sim_->setPasswordForTest("new-password");
  EXPECT_EQ(http_->login().status, 400);
  const HttpReply r = http_->login("new-password");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(
      http_->get("/services/data/v62.0/limits", r.object()->getValue<std::string>("access_token"))
          .status,
      200);
}

TEST_F(SimServerHttpTest, Fail500Times) {
  const std::string t = token();
  sim_->fail500Once(2);
  for (int k = 0; k < 2; ++k) {
    const HttpReply r = query("SELECT Id FROM Account");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body,
              R"([{"message":"An unexpected error occurred","errorCode":"UNKNOWN_EXCEPTION"}])");
  }
  EXPECT_EQ(query("SELECT Id FROM Account").status, 200);
  EXPECT_EQ(sim_->queryRequests(), 3);
}

TEST_F(SimServerHttpTest, MalformedPageOnce) {
  sim_->setBatchSize(4);
  const HttpReply first = query("SELECT Id, Name FROM Account");
  ASSERT_EQ(first.status, 200);
  const std::string next = first.object()->getValue<std::string>("nextRecordsUrl");
  sim_->malformedPageOnce();
  const HttpReply bad = http_->get(next, token());
  EXPECT_EQ(bad.status, 200);
  EXPECT_THROW(bad.object(), Poco::Exception);
  const HttpReply retry = http_->get(next, token());  // the locator survives; page is whole again
  ASSERT_EQ(retry.status, 200);
  EXPECT_EQ(retry.object()->getArray("records")->size(), 4u);
  EXPECT_EQ(bad.body, retry.body.substr(0, bad.body.size()));
}

TEST_F(SimServerHttpTest, LatencyKeepsAnswersIntact) {
  sim_->setLatencyMs(5);
  const HttpReply r = query("SELECT COUNT() FROM Contact");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"totalSize":20,"done":true,"records":[]})");
}

TEST_F(SimServerHttpTest, ExpiredQueryLocator) {
  sim_->setBatchSize(4);
  const HttpReply first = query("SELECT Id FROM Account");
  const std::string next = first.object()->getValue<std::string>("nextRecordsUrl");
  sim_->expireQueryLocators();
  const HttpReply r = http_->get(next, token());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALID_QUERY_LOCATOR");
}

TEST_F(SimServerHttpTest, LimitsAndApiUsage) {
  const std::string t = token();
  HttpReply r = http_->get("/services/data/v62.0/limits", t);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.limitInfo, "api-usage=1/15000");
  const auto daily = r.object()->getObject("DailyApiRequests");
  EXPECT_EQ(daily->getValue<int>("Max"), 15000);
  EXPECT_EQ(daily->getValue<int>("Remaining"), 14999);
  sim_->setApiLimit(100, 99);
  EXPECT_EQ(http_->get("/services/data/v62.0/limits", t).status, 200);
  r = http_->get("/services/data/v62.0/limits", t);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.errorCode(), "REQUEST_LIMIT_EXCEEDED");
  EXPECT_EQ(r.limitInfo, "api-usage=101/100");
  EXPECT_EQ(sim_->apiUsage(), 101);
}

TEST_F(SimServerHttpTest, GenerateAccountsAndContacts) {
  sim_->generateAccounts(1000);
  sim_->generateContacts(2500);
  EXPECT_EQ(sim_->recordCount("Account"), 1010u);
  EXPECT_EQ(sim_->recordCount("Contact"), 2520u);
  const HttpReply count = query("SELECT COUNT() FROM Contact WHERE Account.Name LIKE '% Ltd'");
  ASSERT_EQ(count.status, 200);
  EXPECT_GT(count.object()->getValue<int>("totalSize"), 0);
  const auto pages = allPages(
      "SELECT Id, Name, NumberOfEmployees, Industry, AnnualRevenue, Phone, Website, BillingCity, "
      "BillingCountry, CreatedDate, SystemModstamp FROM Account WHERE Id LIKE '001Gn%'");
  ASSERT_EQ(pages.size(), 1u);
  const auto recs = pages[0]->getArray("records");
  ASSERT_EQ(recs->size(), 1000u);
  std::set<std::string> ids;
  for (std::size_t k = 0; k < recs->size(); ++k) {
    const auto rec = recs->getObject(static_cast<unsigned>(k));
    const std::string id = rec->getValue<std::string>("Id");
    EXPECT_EQ(id.size(), 18u);
    EXPECT_EQ(id.substr(0, 3), "001");
    EXPECT_TRUE(SalesforceId::isValid(id)) << id;
    EXPECT_EQ(SalesforceId::to18(id.substr(0, 15)), id);
    ids.insert(id);
    for (const char* f :
         {"Name", "NumberOfEmployees", "Industry", "AnnualRevenue", "Phone", "Website",
          "BillingCity", "BillingCountry", "CreatedDate", "SystemModstamp"}) {
      EXPECT_FALSE(rec->isNull(f)) << f;
    }
  }
  EXPECT_EQ(ids.size(), 1000u);
  const HttpReply contacts = query(
      "SELECT Id, Account.Id, ReportsTo.Account.Id FROM Contact WHERE ReportsToId != null "
      "AND Id LIKE '003Gn%' LIMIT 50");
  ASSERT_EQ(contacts.status, 200);
  const auto crecs = contacts.object()->getArray("records");
  ASSERT_EQ(crecs->size(), 50u);
  for (std::size_t k = 0; k < crecs->size(); ++k) {
    const auto c = crecs->getObject(static_cast<unsigned>(k));
    EXPECT_EQ(c->getObject("Account")->getValue<std::string>("Id"),
              c->getObject("ReportsTo")->getObject("Account")->getValue<std::string>("Id"));
  }
}

TEST_F(SimServerHttpTest, GenerationIsDeterministic) {
  SimServer other;
  other.generateAccounts(20);
  sim_->generateAccounts(20);
  other.start();
  SimHttpClient otherHttp(other.port());
  const std::string soql =
      "SELECT Id, Name, AnnualRevenue, SystemModstamp FROM Account ORDER BY Id";
  const HttpReply a = query(soql);
  const HttpReply b = otherHttp.get(SimHttpClient::queryPath(soql), otherHttp.loginToken());
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body, b.body);
}

TEST_F(SimServerHttpTest, ConcurrentPagingClients) {
  sim_->generateAccounts(3000);
  sim_->setBatchSize(500);
  std::vector<std::thread> threads;
  std::vector<std::size_t> counts(4, 0);
  const std::string t = token();
  for (std::size_t k = 0; k < counts.size(); ++k) {
    threads.emplace_back([&, k] {
      SimHttpClient c(sim_->port());
      HttpReply r = c.get(SimHttpClient::queryPath("SELECT Id, Owner.Email FROM Account"), t);
      while (r.status == 200) {
        const auto page = r.object();
        counts[k] += page->getArray("records")->size();
        if (page->getValue<bool>("done")) break;
        r = c.get(page->getValue<std::string>("nextRecordsUrl"), t);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t n : counts) EXPECT_EQ(n, 3010u);
}

class SimServerSingleCurrencyTest : public SimServerHttpTest {
 protected:
  SimOptions options() override {
    SimOptions o;
    o.multiCurrency = false;
    return o;
  }
};

TEST_F(SimServerSingleCurrencyTest, NoCurrencyTypeNoCurrencyIsoCode) {
  EXPECT_EQ(http_->get("/services/data/v62.0/sobjects/CurrencyType/describe", token()).status, 404);
  const HttpReply d = http_->get("/services/data/v62.0/sobjects/Account/describe", token());
  ASSERT_EQ(d.status, 200);
  EXPECT_EQ(d.body.find("CurrencyIsoCode"), std::string::npos);
  EXPECT_EQ(query("SELECT CurrencyIsoCode FROM Account").errorCode(), "INVALID_FIELD");
  EXPECT_EQ(query("SELECT Id FROM CurrencyType").errorCode(), "INVALID_TYPE");
  EXPECT_EQ(sim_->recordCount("Account"), 10u);
}

class SimServerNoOrgTest : public SimServerHttpTest {
 protected:
  SimOptions options() override {
    SimOptions o;
    o.loadOrg = false;
    return o;
  }
};

TEST_F(SimServerNoOrgTest, DescribesWithoutRecords) {
  EXPECT_EQ(sim_->recordCount("Account"), 0u);
  EXPECT_EQ(query("SELECT COUNT() FROM Account").object()->getValue<int>("totalSize"), 0);
  EXPECT_EQ(http_->get("/services/data/v62.0/sobjects/Case/describe", token()).status, 200);
}

}  // namespace
}  // namespace sfsync::sim
