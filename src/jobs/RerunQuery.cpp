#include "jobs/RerunQuery.h"

#include <Poco/URI.h>

#include "sfsync/salesforce/SoqlBuilder.h"

namespace sfsync::jobs {

namespace {

std::string statement(const config::JobConfig& job, const std::vector<std::string>& columns,
                      const std::vector<std::string>& ids, std::size_t from, std::size_t to) {
  std::string in = "Id IN (";
  for (std::size_t i = from; i < to; ++i) {
    in += (i > from ? "," : "") + salesforce::SoqlBuilder::quote(ids[i]);
  }
  in += ")";
  salesforce::SoqlBuilder soql(job.sourceObject);
  soql.select(columns);
  if (!job.filter.empty()) soql.where(job.filter);
  soql.where(in);
  soql.orderBy("Id");
  return soql.build();
}

std::size_t encodedSize(const std::string& soql) {
  std::string encoded;
  Poco::URI::encode(soql, "!#$&'()*+,/:;=?@[]", encoded);
  return encoded.size();
}

}  // namespace

std::vector<std::string> RerunQuery::batches(const config::JobConfig& job,
                                             const std::vector<std::string>& columns,
                                             const std::vector<std::string>& ids,
                                             std::size_t maxIds, std::size_t maxEncodedChars) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < ids.size()) {
    std::size_t to = std::min(ids.size(), from + maxIds);
    std::string soql = statement(job, columns, ids, from, to);
    // Halve the batch until it fits the URL (one Id always goes).
    while (to - from > 1 && encodedSize(soql) > maxEncodedChars) {
      to = from + (to - from) / 2;
      soql = statement(job, columns, ids, from, to);
    }
    out.push_back(std::move(soql));
    from = to;
  }
  return out;
}

}  // namespace sfsync::jobs
