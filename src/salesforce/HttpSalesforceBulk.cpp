// The Bulk API 2.0 query members of HttpSalesforceClient (jobs, polling, result sets): see
// HttpSalesforceClient.h and sfsync/salesforce/SalesforceClient.h for the contract.
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <sstream>
#include <unordered_set>

#include "salesforce/HttpSalesforceClient.h"
#include "salesforce/ReplicationParsers.h"

namespace sfsync::salesforce {

namespace {

constexpr std::chrono::milliseconds kPollInitial{250};  // first wait between job status polls
constexpr std::chrono::milliseconds kPollMax{10000};    // the waits double up to this
constexpr std::size_t kMaxLocatorLength = 1000;

bool equalsIgnoreCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string lowerCase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Status invalidJobId(const std::string& jobId) {
  return Status::InvalidArgument("invalid Bulk job id '" + jobId.substr(0, 40) +
                                 "' (15 or 18 letters and digits)");
}

// Sforce-NumberOfRecords: -1 when absent; false when present but not a count.
bool numberOfRecords(const std::string& header, std::int64_t& out) {
  out = -1;
  if (header.empty()) return true;
  const auto r = std::from_chars(header.data(), header.data() + header.size(), out);
  return r.ec == std::errc() && r.ptr == header.data() + header.size() && out >= 0;
}

}  // namespace

// What bulkQueryResults() carries from one result set to the next.
struct HttpSalesforceClient::BulkDownload {
  std::string jobId;
  const BulkCsvReader* reader = nullptr;
  const PageHandler* onPage = nullptr;
  int pageIndex = 0;
  std::int64_t rowsBefore = 0;  // rows of the sets already read (for totalSize)
  std::unordered_set<std::string> seenLocators;
};

Result<BulkQueryJob> HttpSalesforceClient::jobCall(const std::string& method,
                                                   const std::string& path,
                                                   const std::string& body) {
  Call c;
  c.method = method;
  c.target = dataPath(path);
  c.body = body;
  BulkQueryJob job;
  const Status status = call(c, [&](const HttpResponse& response) {
    Result<BulkQueryJob> parsed = ReplicationParsers::bulkJob(response.body);
    if (!parsed.ok()) return parsed.status();
    job = std::move(parsed).value();
    return Status::OK();
  });
  if (!status.ok()) return status;
  return job;
}

Result<BulkQueryJob> HttpSalesforceClient::createBulkQuery(const std::string& soql,
                                                           bool includeDeleted) {
  if (soql.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("empty SOQL query");
  }
  Poco::JSON::Object request;
  request.set("operation", includeDeleted ? "queryAll" : "query");
  request.set("query", soql);
  request.set("contentType", "CSV");
  request.set("columnDelimiter", "COMMA");
  request.set("lineEnding", "LF");
  std::ostringstream body;
  request.stringify(body);
  return jobCall("POST", "/jobs/query", body.str());
}

Result<BulkQueryJob> HttpSalesforceClient::bulkQueryJob(const std::string& jobId) {
  if (!ReplicationParsers::isSalesforceId(jobId)) return invalidJobId(jobId);
  return jobCall("GET", "/jobs/query/" + jobId, "");
}

Status HttpSalesforceClient::abortBulkQuery(const std::string& jobId) {
  if (!ReplicationParsers::isSalesforceId(jobId)) return invalidJobId(jobId);
  return jobCall("PATCH", "/jobs/query/" + jobId, "{\"state\":\"Aborted\"}").status();
}

Result<BulkQueryJob> HttpSalesforceClient::awaitBulkQuery(const std::string& jobId,
                                                          std::chrono::seconds maxWait) {
  const Clock::TimePoint start = clock_->now();
  std::chrono::milliseconds delay = kPollInitial;
  for (;;) {
    Result<BulkQueryJob> job = bulkQueryJob(jobId);
    if (!job.ok()) return job.status();
    const std::string& state = job.value().state;
    if (state == "JobComplete") return job;
    if (state == "Failed" || state == "Aborted") {
      const std::string why = job.value().errorMessage.empty()
                                  ? std::string("no errorMessage")
                                  : job.value().errorMessage.substr(0, 2000);
      return Status::RemoteError("Bulk query job " + jobId + " ended " + state + ": " + why)
          .withRemote(kBulkJobFailed);
    }
    if (state != "UploadComplete" && state != "InProgress") {
      return Status::DataError("Bulk query job " + jobId + " is in an unknown state '" +
                               state.substr(0, 40) + "'");
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_->now() - start);
    if (elapsed >= maxWait) {
      const Status aborted = abortBulkQuery(jobId);
      if (!aborted.ok()) {
        Poco::Logger::get("sfsync.salesforce")
            .warning("connection '" + settings_.name + "': aborting the stuck Bulk job " + jobId +
                     " failed: " + aborted.message());
      }
      return Status::Unavailable("Bulk query job " + jobId + " still " + state + " after " +
                                 std::to_string(maxWait.count()) + " s (" + "connection." +
                                 settings_.name + "." + "bulkPollTimeoutSeconds); the job was " +
                                 (aborted.ok() ? "aborted" : "NOT aborted: " + aborted.message()))
          .withRemote(kBulkJobTimedOut);
    }
    clock_->sleepFor(std::min(delay, maxWait - elapsed));
    delay = std::min(delay * 2, kPollMax);
  }
}

Result<const ObjectDescribe*> HttpSalesforceClient::cachedDescribe(const std::string& object) {
  const std::string key = lowerCase(object);
  auto it = describes_.find(key);
  if (it == describes_.end()) {
    Result<ObjectDescribe> d = describe(object);
    if (!d.ok()) return d.status();
    it = describes_.emplace(key, std::move(d).value()).first;
  }
  return &it->second;
}

Result<BulkCellType> HttpSalesforceClient::pathType(const std::string& object,
                                                    const std::string& path) {
  std::string current = object;
  std::size_t from = 0;
  for (;;) {
    Result<const ObjectDescribe*> d = cachedDescribe(current);
    if (!d.ok()) return d.status();
    const std::size_t dot = path.find('.', from);
    const std::string segment = path.substr(from, dot == std::string::npos ? dot : dot - from);
    if (dot == std::string::npos) {
      const FieldDescribe* field = d.value()->findField(segment);
      return field ? bulkCellTypeOf(field->type) : BulkCellType::kString;
    }
    const FieldDescribe* hop = nullptr;
    for (const FieldDescribe& f : d.value()->fields) {
      if (!f.relationshipName.empty() && equalsIgnoreCase(f.relationshipName, segment)) hop = &f;
    }
    if (hop == nullptr || hop->referenceTo.empty()) return BulkCellType::kString;
    current = hop->referenceTo.front();
    from = dot + 1;
  }
}

Result<std::vector<BulkCellType>> HttpSalesforceClient::columnTypes(
    const std::string& object, const std::vector<std::string>& columns) {
  std::vector<BulkCellType> types;
  types.reserve(columns.size());
  for (const std::string& column : columns) {
    Result<BulkCellType> type = pathType(object, column);
    if (!type.ok()) return type.status();
    types.push_back(type.value());
  }
  return types;
}

Status HttpSalesforceClient::resultSet(BulkDownload& download, const std::string& locator,
                                       std::int64_t skip, std::string& nextLocator) {
  Call c;
  c.target = dataPath("/jobs/query/" + download.jobId + "/results") +
             "?maxRecords=" + std::to_string(std::max<std::int64_t>(settings_.bulkMaxRecords, 1));
  if (!locator.empty()) c.target += "&locator=" + HttpTransport::percentEncode(locator);
  std::int64_t deliveredInSet = 0;  // survives retries: those rows are not handed out twice
  std::optional<Status> stop;       // a final answer from inside the check (not retried)
  std::int64_t rowsInSet = 0;
  const Status status = call(c, [&](const HttpResponse& response) {
    const std::string& next = response.sforceLocator;
    std::int64_t expected = -1;
    if (next.empty() || next.size() > kMaxLocatorLength) {
      return Status::DataError("Bulk result set lacks a valid Sforce-Locator header");
    }
    if (!numberOfRecords(response.sforceNumberOfRecords, expected)) {
      return Status::DataError("Bulk result set has an invalid Sforce-NumberOfRecords header");
    }
    const bool lastSet = next == "null";
    if (!lastSet && (next == locator || download.seenLocators.count(next) > 0)) {
      stop = Status::DataError("Bulk job " + download.jobId + ": Salesforce sent the locator '" +
                               next + "' a second time; stopping, the download would not end")
                 .withRemote(kRepeatedBulkLocator);
      return Status::Internal("stop");
    }
    const std::int64_t setTotal = expected >= 0 ? expected : 0;
    const BulkCsvReader::PageSink sink = [&](RecordPage& page, bool lastOfSet) {
      page.done = lastSet && lastOfSet;
      if (page.rows.empty() && !page.done) return Status::OK();
      page.pageIndex = download.pageIndex++;
      page.totalSize = download.rowsBefore + setTotal;
      page.bulkLocator = locator;
      return (*download.onPage)(page);
    };
    BulkSetOutcome outcome;
    Status st =
        download.reader->parseSet(response.body, skip + deliveredInSet, expected, sink, outcome);
    deliveredInSet += outcome.delivered;
    if (outcome.sinkStopped || outcome.beyondSet) {
      stop = st;
      return Status::Internal("stop");
    }
    rowsInSet = outcome.rowsInSet;
    nextLocator = next;
    return st;
  });
  if (stop) return *stop;
  if (status.ok()) download.rowsBefore += rowsInSet;
  return status;
}

Status HttpSalesforceClient::bulkQueryResults(const std::string& jobId, const std::string& object,
                                              const std::vector<std::string>& columns,
                                              const BulkResultPosition& from,
                                              const PageHandler& onPage) {
  if (!ReplicationParsers::isSalesforceId(jobId)) return invalidJobId(jobId);
  if (from.locator.size() > kMaxLocatorLength || from.locator == "null" || from.rowsIntoSet < 0) {
    return Status::InvalidArgument("invalid Bulk resume position (locator '" +
                                   from.locator.substr(0, 40) + "', " +
                                   std::to_string(from.rowsIntoSet) + " rows into the set)");
  }
  Result<std::vector<BulkCellType>> types = columnTypes(object, columns);
  if (!types.ok()) return types.status();
  const BulkCsvReader reader(columns, std::move(types).value(),
                             static_cast<std::size_t>(std::max(settings_.queryBatchSize, 1)));
  BulkDownload download;
  download.jobId = jobId;
  download.reader = &reader;
  download.onPage = &onPage;
  std::string locator = from.locator;
  std::int64_t skip = from.rowsIntoSet;
  for (;;) {
    download.seenLocators.insert(locator);
    std::string next;
    if (Status st = resultSet(download, locator, skip, next); !st.ok()) return st;
    if (next == "null") return Status::OK();
    locator = next;
    skip = 0;
  }
}

}  // namespace sfsync::salesforce
