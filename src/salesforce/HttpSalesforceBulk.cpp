// The Bulk API 2.0 query members of HttpSalesforceClient (jobs, polling, result sets): see
// HttpSalesforceClient.h and sfsync/salesforce/SalesforceClient.h for the contract.
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <optional>
#include <sstream>
#include <unordered_set>

#include "salesforce/BulkCsvStream.h"
#include "salesforce/BulkPrefetch.h"
#include "salesforce/HttpSalesforceClient.h"
#include "salesforce/ReplicationParsers.h"

namespace sfsync::salesforce {

namespace {

constexpr std::chrono::milliseconds kPollInitial{250};  // first wait between job status polls
constexpr std::chrono::milliseconds kPollMax{10000};    // the waits double up to this
constexpr std::chrono::milliseconds kPollSlice{1000};   // cancellation is checked this often
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
  // Hashes of the locators followed (8 bytes each, however long the server makes them; the
  // number of sets is bounded by maxCallsPerRun).
  std::unordered_set<std::size_t> seenLocators;
  // The next set, asked for while this one loads: two, as the set being streamed may itself
  // come from a prefetch whose window it is still draining.
  std::unique_ptr<BulkPrefetch> prefetch[2];
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

Status HttpSalesforceClient::pollPause(std::chrono::milliseconds pause) {
  // In slices, so a cancel() (shutdown) is noticed within kPollSlice, not after a long wait.
  while (pause.count() > 0) {
    if (transport_.cancellation()->cancelled()) {
      return Status::Unavailable("Bulk job polling cancelled (shutting down)")
          .withRemote(kCancelled);
    }
    const std::chrono::milliseconds slice = std::min(pause, kPollSlice);
    clock_->sleepFor(slice);
    pause -= slice;
  }
  return Status::OK();
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
    if (Status st = pollPause(std::min(delay, maxWait - elapsed)); !st.ok()) return st;
    delay = std::min(delay * 2, kPollMax);
  }
}

Result<const ObjectDescribe*> HttpSalesforceClient::cachedDescribe(const std::string& object) {
  const std::string key = lowerCase(object);
  auto it = describes_.find(key);
  if (it == describes_.end()) {
    Result<ObjectDescribe> d = describe(object);  // fills describes_
    if (!d.ok()) return d.status();
    it = describes_.find(key);
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

namespace {

std::string resultsTarget(const std::string& dataPath, const std::string& jobId,
                          std::int64_t maxRecords, const std::string& locator) {
  std::string target = dataPath + "/jobs/query/" + jobId + "/results?maxRecords=" +
                       std::to_string(std::max<std::int64_t>(maxRecords, 1));
  if (!locator.empty()) target += "&locator=" + HttpTransport::percentEncode(locator);
  return target;
}

}  // namespace

void HttpSalesforceClient::startPrefetch(BulkDownload& download, const std::string& locator) {
  Call c;
  c.target = resultsTarget(dataPath(""), download.jobId, settings_.bulkMaxRecords, locator);
  HttpRequest request;
  if (!prepare(c, request).ok()) return;  // the normal path will meet (and report) the same guard
  for (const auto& p : download.prefetch) {
    if (p && p->pendingFor(request.url)) return;  // asked for already (this set was fetched again)
  }
  for (auto& p : download.prefetch) {
    if (!p) p = std::make_unique<BulkPrefetch>(transportOptions_, transport_.cancellation());
    if (!p->busy()) {
      p->start(std::move(request));
      return;
    }
  }
}

bool HttpSalesforceClient::takePrefetched(BulkDownload& download, const std::string& target,
                                          const BodyStream& stream, const BodyCheck& check,
                                          Status& status) {
  if (!token_) return false;
  Result<std::string> url = instanceUrlFor(target);
  if (!url.ok()) return false;
  BulkPrefetch* pending = nullptr;
  for (const auto& p : download.prefetch) {
    if (p && p->pendingFor(url.value())) pending = p.get();
  }
  if (pending == nullptr) return false;
  RetryCause cause = RetryCause::kNone;
  status = evaluate(pending->take(response_, stream), check, cause);
  bulkPeakBuffered_ = std::max(bulkPeakBuffered_, pending->peakBufferedBytes());
  if (cause == RetryCause::kNone) return true;
  // Fetched again on the normal path, whose own retry budget starts afresh: note this one.
  retries_.note(cause, 1, settings_.maxRetries, "GET " + RetryRecorder::withoutQuery(target),
                status);
  return false;
}

namespace {

// The head of a result set: kDataError (malformed, fetched again) for missing or invalid
// Sforce-Locator / Sforce-NumberOfRecords; `repeated` when the next locator was followed before.
Status checkSetHead(const HttpResponse& head, const std::string& locator,
                    const std::unordered_set<std::size_t>& seen, std::int64_t& expected,
                    bool& repeated) {
  const std::string& next = head.sforceLocator;
  repeated = false;
  if (next.empty() || next.size() > kMaxLocatorLength) {
    return Status::DataError("Bulk result set lacks a valid Sforce-Locator header");
  }
  if (!numberOfRecords(head.sforceNumberOfRecords, expected)) {
    return Status::DataError("Bulk result set has an invalid Sforce-NumberOfRecords header");
  }
  repeated = next != "null" && (next == locator || seen.count(std::hash<std::string>()(next)) > 0);
  return Status::OK();
}

}  // namespace

Status HttpSalesforceClient::handOutBulkPage(BulkDownload& download, const std::string& locator,
                                             std::int64_t setRows, RecordPage& page) {
  page.pageIndex = download.pageIndex++;
  page.totalSize = download.rowsBefore + std::max<std::int64_t>(setRows, 0);
  page.bulkLocator = locator;
  if (page.invalidUtf8Strings > 0) {
    Poco::Logger::get("sfsync.salesforce")
        .warning("connection '" + settings_.name + "': Bulk result page " +
                 std::to_string(page.pageIndex) + ": " + std::to_string(page.invalidUtf8Strings) +
                 " string(s) held invalid UTF-8; each bad byte was replaced by U+FFFD");
  }
  return (*download.onPage)(page);
}

Status HttpSalesforceClient::resultSet(BulkDownload& download, const std::string& locator,
                                       std::int64_t skip, std::string& nextLocator) {
  Call c;
  c.target = resultsTarget(dataPath(""), download.jobId, settings_.bulkMaxRecords, locator);
  std::int64_t deliveredInSet = 0;  // survives retries: those rows are not handed out twice
  std::optional<Status> stop;       // a final answer from inside the stream (not retried)
  std::int64_t expected = -1;       // Sforce-NumberOfRecords of the attempt being streamed
  std::string next;                 // its Sforce-Locator
  std::unique_ptr<BulkCsvStream> csv;
  const BulkCsvReader::PageSink sink = [&](RecordPage& page, bool lastOfSet) {
    page.done = next == "null" && lastOfSet;
    if (page.rows.empty() && !page.done) return Status::OK();
    deliveredInSet += static_cast<std::int64_t>(page.rows.size());
    return handOutBulkPage(download, locator, expected, page);
  };
  const auto stopWith = [&stop](Status st) {
    stop = std::move(st);
    return Status::Internal("stop");  // not retried: resultSet() returns *stop
  };
  BodyStream stream;
  stream.begin = [&](const HttpResponse& head, bool& streamIt) {
    streamIt = false;
    csv.reset();
    if (head.status < 200 || head.status >= 300) return Status::OK();  // an error body, whole
    bool repeated = false;
    Status st = checkSetHead(head, locator, download.seenLocators, expected, repeated);
    if (!st.ok()) return st;
    next = head.sforceLocator;
    if (repeated) {
      return stopWith(Status::DataError("Bulk job " + download.jobId +
                                        ": Salesforce sent the locator '" + next.substr(0, 100) +
                                        "' a second time; stopping, the download would not end")
                          .withRemote(kRepeatedBulkLocator));
    }
    if (next != "null") startPrefetch(download, next);  // the next set's latency overlaps this one
    csv = std::make_unique<BulkCsvStream>(*download.reader, skip + deliveredInSet, sink);
    streamIt = true;
    return Status::OK();
  };
  stream.write = [&](const char* data, std::size_t size) {
    Status st = csv->feed(data, size);
    return csv->outcome().sinkStopped ? stopWith(st) : st;
  };
  std::int64_t rowsInSet = 0;
  const BodyCheck check = [&](const HttpResponse&) {
    if (!csv) return Status::DataError("Bulk result set was not streamed");
    Status st = csv->finish(expected);
    if (csv->outcome().sinkStopped || csv->outcome().beyondSet) return stopWith(st);
    rowsInSet = csv->outcome().rowsInSet;
    nextLocator = next;
    return st;
  };
  Status status;
  if (!takePrefetched(download, c.target, stream, check, status) && !stop) {
    status = call(c, check, &stream);
  }
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
                             static_cast<std::size_t>(std::max(settings_.queryBatchSize, 1)),
                             settings_.maxResponseBytes);
  BulkDownload download;
  download.jobId = jobId;
  download.reader = &reader;
  download.onPage = &onPage;
  std::string locator = from.locator;
  std::int64_t skip = from.rowsIntoSet;
  for (;;) {
    download.seenLocators.insert(std::hash<std::string>()(locator));
    std::string next;
    if (Status st = resultSet(download, locator, skip, next); !st.ok()) return st;
    if (next == "null") return Status::OK();
    locator = next;
    skip = 0;
  }
}

}  // namespace sfsync::salesforce
