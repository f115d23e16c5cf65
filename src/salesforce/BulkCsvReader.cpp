#include "salesforce/BulkCsvReader.h"

#include "salesforce/BulkCsvStream.h"

#include <algorithm>
#include <utility>

namespace sfsync::salesforce {

namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;  // bytes handed to the stream per feed()

}  // namespace

BulkCellType bulkCellTypeOf(const std::string& describeType) {
  if (describeType == "int") return BulkCellType::kInt;
  if (describeType == "double" || describeType == "currency" || describeType == "percent") {
    return BulkCellType::kDouble;
  }
  if (describeType == "boolean") return BulkCellType::kBool;
  if (describeType == "datetime") return BulkCellType::kDateTime;
  return BulkCellType::kString;
}

BulkCsvReader::BulkCsvReader(std::vector<std::string> columns, std::vector<BulkCellType> types,
                             std::size_t pageRows, std::int64_t maxRecordBytes)
    : columns_(std::move(columns)),
      types_(std::move(types)),
      pageRows_(std::max<std::size_t>(pageRows, 1)),
      maxRecordBytes_(std::max<std::int64_t>(maxRecordBytes, 1)) {
  types_.resize(columns_.size(), BulkCellType::kString);
}

Status BulkCsvReader::parseSet(std::string_view body, std::int64_t skipRows,
                               std::int64_t expectedRows, const PageSink& sink,
                               BulkSetOutcome& outcome) const {
  BulkCsvStream stream(*this, skipRows, sink);
  Status status;
  for (std::size_t at = 0; at < body.size() && status.ok(); at += kChunkBytes) {
    status = stream.feed(body.data() + at, std::min(kChunkBytes, body.size() - at));
  }
  if (status.ok()) status = stream.finish(expectedRows);
  outcome = stream.outcome();
  return status;
}

}  // namespace sfsync::salesforce
