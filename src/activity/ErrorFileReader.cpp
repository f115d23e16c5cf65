#include "sfsync/activity/ErrorFileReader.h"

#include <Poco/String.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>

#include "sfsync/activity/CsvReader.h"

namespace sfsync::activity {

namespace {

int columnOf(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (Poco::icompare(header[i], name) == 0) return static_cast<int>(i);
  }
  return -1;
}

std::string fieldAt(const std::vector<std::string>& row, int column) {
  return column >= 0 && static_cast<std::size_t>(column) < row.size() ? row[column] : "";
}

// Streams the file: `onHeader` once, then `onRow` per row until it returns false. Returns whether
// the scan cap stopped the read.
Result<bool> scan(const std::string& path, const ErrorFileLimits& limits,
                  const std::function<Status(const std::vector<std::string>&)>& onHeader,
                  const std::function<bool(const std::vector<std::string>&)>& onRow) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("the file " + path + " no longer exists");
  CsvReader reader(in, limits.maxRecordBytes, limits.maxScanBytes);
  std::vector<std::string> row;
  Result<bool> got = reader.next(row);
  if (!got.ok()) return Status::DataError(path + ": " + got.status().message());
  if (!*got) return Status::DataError(path + ": empty file (no header)");
  Status header = onHeader(row);
  if (!header.ok()) return header;
  for (;;) {
    got = reader.next(row);
    if (!got.ok()) return Status::DataError(path + ": " + got.status().message());
    if (!*got || !onRow(row)) break;
  }
  return reader.capped();
}

struct Grouper {
  const ErrorFileLimits& limits;
  std::map<std::string, ErrorGroup> groups;
  bool overflow = false;

  void add(const std::string& key, const std::vector<std::string>& row) {
    auto it = groups.find(key);
    if (it == groups.end()) {
      if (groups.size() >= limits.maxGroups) {
        overflow = true;
        return;
      }
      it = groups.emplace(key, ErrorGroup{key, 0, {}}).first;
    }
    ++it->second.count;
    if (static_cast<int>(it->second.samples.size()) < limits.samplesPerGroup) {
      it->second.samples.push_back(row);
    }
  }

  std::vector<ErrorGroup> sorted() {
    std::vector<ErrorGroup> out;
    for (auto& entry : groups) out.push_back(std::move(entry.second));
    std::stable_sort(out.begin(), out.end(),
                     [](const ErrorGroup& a, const ErrorGroup& b) { return a.count > b.count; });
    return out;
  }
};

Status needColumn(const std::string& path, int column, const char* name) {
  if (column >= 0) return Status::OK();
  return Status::DataError(path + ": no " + name + " column (not an error or warnings file)");
}

}  // namespace

Result<ErrorSummary> ErrorFileReader::summarize(const std::string& path,
                                                const ErrorFileLimits& limits) {
  ErrorSummary summary;
  Grouper reasons{limits, {}, false};
  Grouper mappings{limits, {}, false};
  int reasonColumn = -1;
  int mappingColumn = -1;
  Result<bool> capped = scan(
      path, limits,
      [&](const std::vector<std::string>& header) {
        summary.header = header;
        reasonColumn = columnOf(header, "reason_code");
        mappingColumn = columnOf(header, "mapping");
        return needColumn(path, reasonColumn, "reason_code");
      },
      [&](const std::vector<std::string>& row) {
        ++summary.rows;
        reasons.add(fieldAt(row, reasonColumn), row);
        mappings.add(fieldAt(row, mappingColumn), row);
        return true;
      });
  if (!capped.ok()) return capped.status();
  summary.byReason = reasons.sorted();
  summary.byMapping = mappings.sorted();
  summary.truncated = *capped || reasons.overflow || mappings.overflow;
  return summary;
}

Result<ErrorRowsPage> ErrorFileReader::page(const std::string& path, const std::string& reason,
                                            std::int64_t offset, int limit,
                                            const ErrorFileLimits& limits) {
  if (limit < 1 || limit > kMaxPageLimit || offset < 0) {
    return Status::InvalidArgument("limit must be 1.." + std::to_string(kMaxPageLimit) +
                                   " and offset >= 0");
  }
  ErrorRowsPage page;
  int reasonColumn = -1;
  Result<bool> capped = scan(
      path, limits,
      [&](const std::vector<std::string>& header) {
        page.header = header;
        reasonColumn = columnOf(header, "reason_code");
        return needColumn(path, reasonColumn, "reason_code");
      },
      [&](const std::vector<std::string>& row) {
        if (!reason.empty() && fieldAt(row, reasonColumn) != reason) return true;
        if (page.matched >= offset && static_cast<int>(page.rows.size()) < limit) {
          page.rows.push_back(row);
        }
        ++page.matched;
        return true;
      });
  if (!capped.ok()) return capped.status();
  page.truncated = *capped;
  return page;
}

Result<std::vector<std::string>> ErrorFileReader::failedIds(const std::string& path,
                                                            const ErrorFileLimits& limits) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  int idColumn = -1;
  int stageColumn = -1;
  bool tooMany = false;
  Result<bool> capped = scan(
      path, limits,
      [&](const std::vector<std::string>& header) {
        idColumn = columnOf(header, "Id");
        stageColumn = columnOf(header, "stage");
        return needColumn(path, idColumn, "Id");
      },
      [&](const std::vector<std::string>& row) {
        const std::string id = fieldAt(row, idColumn);
        // A write-back failure (issue 13) is retried from the outbox, not by re-reading it.
        if (stageColumn >= 0 && fieldAt(row, stageColumn) == "writeback") return true;
        if (id.empty() || !seen.insert(id).second) return true;
        ids.push_back(id);
        tooMany = ids.size() > kMaxRerunIds;
        return !tooMany;
      });
  if (!capped.ok()) return capped.status();
  if (tooMany || *capped) {
    return Status::DataError(path + ": more than " + std::to_string(kMaxRerunIds) +
                             " failed records (or a file over the scan cap); run the job in full");
  }
  return ids;
}

}  // namespace sfsync::activity
