// SeededActivity: a realistic activity log for the admin tests and the browser-test server - eight
// nights of the "Nightly" chain (Company Sync, Person Sync), an hourly-ish "Renewal Sync" on
// another connection, a Deferred incremental "Account Replica" run, every status, real error /
// success CSV files (quotes, commas, UTF-8, CRLF) and a few configuration changes, two of them at
// the same millisecond.
//
// Thread-safety: test code; call from one thread.
#pragma once

#include <Poco/File.h>
#include <Poco/Path.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sfsync/store/Store.h"

namespace sfsync::admin::testing {

struct SeededActivity {
  std::vector<store::ExecutionRecord> executions;  // as saved, oldest first
  store::ExecutionRecord partialWithErrors;        // Company Sync, newest night: error file
  std::string errorFileBytes;                      // its exact content
  store::ExecutionRecord withSuccessFile;          // Person Sync, newest night
  std::string successFileBytes;
  store::ExecutionRecord newestChain;       // Nightly, newest night
  store::ExecutionRecord missingErrorFile;  // errorFile recorded, file deleted
  store::ExecutionRecord deferred;          // Account Replica: Deferred, replication fields set
  int failedCount = 0;
  std::vector<store::UpdateRecord> updates;
};

// "0195f000-0000-7000-8000-0000000000NN"-style ids in insertion order (sort like time).
inline std::string seededId(int n) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "0195f000-0000-7000-8000-%012d", n);
  return buffer;
}

inline void writeBytes(const std::string& path, const std::string& bytes) {
  Poco::File(Poco::Path(path).parent()).createDirectories();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// An incremental Bulk replica that ran out of API budget (issue 10).
inline store::ExecutionRecord deferredReplicaRun(const std::string& executionId) {
  store::ExecutionRecord replica;
  replica.executionId = executionId;
  replica.kind = "job";
  replica.name = "Account Replica";
  replica.connection = "Production";
  replica.trigger = "schedule";
  replica.startTime = "2026-03-07T05:00:00.000Z";
  replica.endTime = "2026-03-07T05:02:00.000Z";
  replica.status = "Deferred";
  replica.recordsRead = 250000;
  replica.updated = 250000;
  replica.apiCalls = 42;
  replica.message =
      "API budget exhausted (90% of the daily 15,000 requests); resumes from the checkpoint";
  replica.mode = "incremental";
  replica.api = "bulk";
  replica.cursor = "2026-03-06T05:00:00.000Z|0015g0000000tvxAAA";
  replica.cursorEnd = "2026-03-06T23:59:59.000Z|0015g0000001T5GAAU";
  replica.deleted = 12;
  replica.apiRemaining = 1500;
  return replica;
}

// Saves the activity into `store`; files go under `dir`. Throws std::runtime_error on a store
// error.
inline SeededActivity seedActivity(store::Store& store, const std::string& dir) {
  SeededActivity seeded;
  int next = 1;
  auto save = [&](store::ExecutionRecord r) {
    const Status s = store.saveExecution(r);
    if (!s.ok()) throw std::runtime_error(s.toString());
    seeded.executions.push_back(r);
    if (r.status == "Failed") ++seeded.failedCount;
    return r;
  };
  const std::string errorCsv =
      "Id,Name,BillingCountry,reason_code,stage,mapping,value,candidates,message\r\n"
      "001A000001,\"Acme, Inc.\",Deutschland,TYPE_CONVERSION,map,Employees,\"12,5\",,"
      "\"cannot convert \"\"12,5\"\" to an integer\"\r\n"
      "001A000002,Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale,France,LOOKUP_NO_MATCH,map,"
      "Parent,0015000000XYZ,,no Company with SFDC Id = 0015000000XYZ\r\n"
      "001A000003,\xe6\x97\xa5\xe6\x9c\xac\xe6\xa0\xaa\xe5\xbc\x8f\xe4\xbc\x9a\xe7\xa4\xbe,Japan,"
      "LOOKUP_MULTIPLE_MATCHES,map,Parent,0015000000ABC,\"a1;a2\",\"two rows match\"\r\n";
  const std::string successCsv =
      "Id,Email,gsid,operation\r\n003A000001,ada@example.com,0195f000-aaaa-7000-8000-1,Created\r\n"
      "003A000002,grace@example.com,0195f000-aaaa-7000-8000-2,Updated\r\n";

  for (int day = 1; day <= 8; ++day) {
    char date[16];
    std::snprintf(date, sizeof date, "2026-03-%02d", day);
    const std::string d = date;
    // The chain, then its two job runs.
    store::ExecutionRecord chain;
    chain.executionId = seededId(next++);
    chain.kind = "chain";
    chain.name = "Nightly";
    chain.connection = "Production";
    chain.trigger = day == 4 ? "run-now" : "schedule";
    chain.startTime = d + "T02:00:00.000Z";
    chain.endTime = d + "T02:09:30.000Z";
    chain.status = day == 3 ? "Failed" : day % 2 == 0 ? "Partial Success" : "Success";
    chain.recordsRead = 1500;
    chain.created = 20;
    chain.updated = 1400;
    chain.failed = day % 2 == 0 ? 3 : 0;
    chain.apiCalls = 12;
    if (day == 3) chain.message = "Company Sync failed: INVALID_SESSION_ID";

    store::ExecutionRecord company;
    company.executionId = seededId(next++);
    company.kind = "job";
    company.name = "Company Sync";
    company.parentId = chain.executionId;
    company.chainName = "Nightly";
    company.connection = "Production";
    company.trigger = chain.trigger;
    company.startTime = d + "T02:00:01.000Z";
    company.endTime = d + "T02:04:59.250Z";
    company.status = day == 3 ? "Failed" : day % 2 == 0 ? "Partial Success" : "Success";
    company.recordsRead = 500;
    company.created = 5;
    company.updated = 492;
    company.failed = day % 2 == 0 ? 3 : 0;
    company.apiCalls = 4;
    company.cursor = day > 1 ? "2026-03-0" + std::to_string(day - 1) + "T02:00:01.000Z" : "";
    if (day == 3) company.message = "INVALID_SESSION_ID: session expired";
    if (day % 2 == 0) {
      company.errorFile = dir + "/errors/company_sync/" + company.executionId + ".errors.csv";
      writeBytes(company.errorFile, errorCsv);
    }

    store::ExecutionRecord person;
    person.executionId = seededId(next++);
    person.kind = "job";
    person.name = "Person Sync";
    person.parentId = chain.executionId;
    person.chainName = "Nightly";
    person.connection = "Production";
    person.trigger = chain.trigger;
    person.startTime = d + "T02:05:00.000Z";
    person.endTime = d + "T02:09:30.000Z";
    person.status = day == 3 ? "Skipped" : "Success";
    person.recordsRead = day == 3 ? 0 : 1000;
    person.created = day == 3 ? 0 : 15;
    person.updated = day == 3 ? 0 : 908;
    person.skipped = day == 3 ? 0 : 77;
    person.apiCalls = day == 3 ? 0 : 8;
    if (day == 3) person.message = "skipped: Company Sync failed";
    if (day == 8) {
      person.successFile = dir + "/success/person_sync/" + person.executionId + ".success.csv";
      writeBytes(person.successFile, successCsv);
    }

    save(chain);
    save(company);
    save(person);
    if (day == 8) {
      seeded.newestChain = chain;
      seeded.partialWithErrors = company;
      seeded.errorFileBytes = errorCsv;
      seeded.withSuccessFile = person;
      seeded.successFileBytes = successCsv;
    }
    if (day == 6) seeded.missingErrorFile = company;

    // Day 7, 05:00: the Deferred replica run (between the nightly chain and Renewal Sync).
    if (day == 7) seeded.deferred = save(deferredReplicaRun(seededId(next++)));

    // Renewal Sync, on the other connection.
    store::ExecutionRecord renewal;
    renewal.executionId = seededId(next++);
    renewal.kind = "job";
    renewal.name = "Renewal Sync";
    renewal.connection = "Sandbox";
    renewal.trigger = day == 5 ? "retry" : day == 2 ? "cli" : "schedule";
    renewal.attempts = day == 5 ? 2 : 1;
    renewal.startTime = d + "T10:00:00.000Z";
    renewal.endTime = day == 8 ? "" : d + "T10:00:42.500Z";
    renewal.status = day == 8 ? "Running" : day == 5 ? "Failed" : "Success";
    renewal.recordsRead = day == 8 ? 120 : 300;
    renewal.updated = day == 8 ? 100 : day == 5 ? 0 : 290;
    renewal.created = day == 8 ? 0 : day == 5 ? 0 : 10;
    renewal.failed = 0;
    renewal.apiCalls = 3;
    if (day == 5) renewal.message = "UNABLE_TO_LOCK_ROW after 2 attempts";
    save(renewal);
  }
  // Retention (or an admin) removed one error file the log still names.
  Poco::File(seeded.missingErrorFile.errorFile).remove();

  const std::vector<store::UpdateRecord> updates = {
      {"0195f000-0000-7000-9000-000000000001", "2026-03-01T09:00:00.000Z", "cli", "job",
       "Company Sync", "added", "+ {\n+   \"name\": \"Company Sync\"\n+ }"},
      {"0195f000-0000-7000-9000-000000000002", "2026-03-05T12:30:00.000Z", "alice", "job",
       "Company Sync", "edited",
       "--- jobs/company.json\n+++ jobs/company.json\n-   \"filter\": \"\"\n"
       "+   \"filter\": \"IsDeleted = false\""},
      {"0195f000-0000-7000-9000-000000000003", "2026-03-05T12:30:00.000Z", "alice", "chain",
       "Nightly", "edited", "-   \"maxParallel\": 1\n+   \"maxParallel\": 2"},
      {"0195f000-0000-7000-9000-000000000004", "2026-03-07T08:15:00.000Z", "admin", "connection",
       "Sandbox", "removed", "- connection.Sandbox.loginUrl = https://test.salesforce.com"},
  };
  for (const store::UpdateRecord& u : updates) {
    const Status s = store.saveUpdate(u);
    if (!s.ok()) throw std::runtime_error(s.toString());
  }
  seeded.updates = updates;
  return seeded;
}

}  // namespace sfsync::admin::testing
