#include "sfsync/jobs/DryRun.h"

#include <optional>

#include "jobs/DryRunPlanner.h"
#include "jobs/WriteBack.h"
#include "sfsync/jobs/SnowflakeJobSource.h"
#include "sfsync/salesforce/DescribeCodec.h"
#include "sfsync/salesforce/SoqlBuilder.h"

namespace sfsync::jobs {

namespace {

// The source object's describe: the store's cached one (any age), else one describe call whose
// result is not cached (a dry run writes nothing).
Result<salesforce::ObjectDescribe> describeSource(const config::JobConfig& job,
                                                  salesforce::SalesforceClient& client,
                                                  store::Store& store, DryRunReport& report) {
  Result<std::optional<store::MetadataEntry>> cached =
      store.getMetadata(job.connection, job.sourceObject);
  if (cached.ok() && cached->has_value()) {
    Result<salesforce::ObjectDescribe> decoded =
        salesforce::DescribeCodec::decode((*cached)->describeJson);
    if (decoded.ok()) {
      report.notes.push_back("described " + job.sourceObject + " from the metadata cache (" +
                             (*cached)->fetchedAt + ")");
      return decoded;
    }
  }
  report.notes.push_back("described " + job.sourceObject + " from Salesforce (not cached)");
  return client.describe(job.sourceObject);
}

Result<std::vector<mapping::TargetMapper>> mappersFor(const config::JobConfig& job,
                                                      const salesforce::ObjectDescribe& describe,
                                                      const std::vector<std::string>& columns) {
  std::vector<mapping::TargetMapper> mappers;
  for (const config::TargetConfig& target : job.targets) {
    Result<mapping::TargetMapper> mapper = mapping::TargetMapper::create(target, describe, columns);
    if (!mapper.ok()) return mapper.status();
    mappers.push_back(std::move(mapper).value());
  }
  return mappers;
}

}  // namespace

std::int64_t DryRun::maxRecordsFor(const config::JobConfig& job,
                                   const salesforce::ConnectionSettings& connection,
                                   std::int64_t requested) {
  if (requested > 0) return requested;
  return job.dryRunMaxRecords.value_or(connection.dryRunMaxRecords);
}

Result<DryRunReport> DryRun::run(const config::JobConfig& job, salesforce::SalesforceClient& client,
                                 store::Store& store, Clock& clock, const DryRunOptions& options) {
  if (job.snowflakeSource() && options.snowflake == nullptr) {
    return Status::InvalidArgument("job '" + job.name + "': connection '" + job.connection +
                                   "' is not a Snowflake connection");
  }
  DryRunReport report;
  report.job = job.name;
  report.connection = job.connection;
  report.sourceObject = job.sourceObject;
  report.startedAt = formatIso8601(clock.now());
  report.maxRecords = options.maxRecords;
  report.maxSamples = options.maxSamples;
  const std::vector<std::string> columns = job.sourceFields();
  source::SourcePtr snowflakeSource;  // issue 14
  if (job.snowflakeSource()) {
    snowflake::SnowflakeSourceSpec spec = snowflakeSpecFor(job, columns);
    spec.query.incrementalColumn.clear();       // a full extract, no cursor, in the table's order
    spec.query.limit = options.maxRecords + 1;  // +1: were there more?
    snowflakeSource = snowflake::makeSnowflakeSource(*options.snowflake, clock, spec);
    report.notes.push_back("described " + job.sourceObject + " from Snowflake's rowType");
  }
  Result<salesforce::ObjectDescribe> describe = snowflakeSource
                                                    ? snowflakeSource->describe(job.sourceObject)
                                                    : describeSource(job, client, store, report);
  if (!describe.ok()) return describe.status();
  Result<std::vector<mapping::TargetMapper>> mappers = mappersFor(job, *describe, columns);
  if (!mappers.ok()) return mappers.status();
  DryRunPlanner planner(job, std::move(mappers).value(), columns, store, report);

  const salesforce::PageHandler onPage = [&](salesforce::RecordPage& page) -> Status {
    const auto left = static_cast<std::size_t>(options.maxRecords - report.recordsRead);
    std::size_t take = page.rows.size();
    if (take > left) {
      take = left;
      report.truncated = true;
    }
    report.recordsRead += static_cast<std::int64_t>(take);
    return take == 0 ? Status::OK() : planner.plan(page, take);
  };
  Status read;
  if (snowflakeSource) {
    source::ExtractRequest request;
    request.object = job.sourceObject;
    request.columns = columns;
    read = snowflakeSource->extract(request, onPage);
  } else {
    salesforce::SoqlBuilder soql(job.sourceObject);
    soql.select(columns);
    if (!job.filter.empty()) soql.where(job.filter);
    soql.orderBy("Id").limit(static_cast<long>(options.maxRecords) + 1);  // +1: were there more?
    read = client.query(soql.build(), columns, onPage);
  }
  if (!read.ok()) return read;
  report.notes.push_back(snowflakeSource
                             ? "full read of the job's statement and filter (not the incremental "
                               "window); source deletes are not compared"
                             : "full extract of the job's filter, ordered by Id (not the "
                               "incremental window); source deletes are not compared");
  if (snowflakeSource && !snowflakeSource->note().empty()) {
    report.notes.push_back(snowflakeSource->note());
  }
  if (report.deferredLookups > 0) {
    report.notes.push_back(std::to_string(report.deferredLookups) +
                           " self-lookup value(s) found nothing yet: a real run resolves them "
                           "after its extract; they are not compared");
  }
  if (job.writesBack()) {
    Status preview =
        previewWriteBack(job, client, store, clock, *describe, options.maxSamples, report.notes);
    if (!preview.ok()) return preview;
  }
  report.finishedAt = formatIso8601(clock.now());
  return report;
}

}  // namespace sfsync::jobs
