#include "sfsync/activity/ActivityReport.h"

#include <algorithm>
#include <sstream>

namespace sfsync::activity {

namespace {
using Cells = std::vector<std::string>;

void appendRow(std::ostringstream& out, const Cells& cells,
               const std::vector<std::size_t>& widths) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    out << cells[i];
    if (i + 1 < cells.size()) out << std::string(widths[i] - cells[i].size() + 2, ' ');
  }
  out << '\n';
}

// "incremental/bulk", "full/rest", "incremental" (api unknown), "" (a chain, an old row).
std::string modeCell(const store::ExecutionRecord& r) {
  if (r.mode.empty() || r.api.empty()) return r.mode.empty() ? r.api : r.mode;
  return r.mode + "/" + r.api;
}

Cells cellsOf(const store::ExecutionRecord& r) {
  return {r.executionId,
          r.kind,
          (r.parentId.empty() ? "" : "  ") + r.name,
          r.connection,
          r.status,
          modeCell(r),
          r.startTime,
          r.endTime,
          std::to_string(r.recordsRead),
          std::to_string(r.created),
          std::to_string(r.updated),
          std::to_string(r.skipped),
          std::to_string(r.failed),
          std::to_string(r.deleted),
          std::to_string(r.warnings),
          std::to_string(r.retries)};
}

// The lines under the table for one row: targets, cursor, API usage, message, error file.
void appendDetails(std::ostringstream& out, const store::ExecutionRecord& r) {
  if (r.targets.size() > 1) {  // one target: the row's own counts say it all
    for (const auto& t : r.targets) {
      out << r.executionId << " target " << t.target << ": created " << t.created << ", updated "
          << t.updated << ", skipped " << t.skipped << ", failed " << t.failed << '\n';
    }
  }
  if (!r.cursor.empty() || !r.cursorEnd.empty()) {
    out << r.executionId << " cursor: " << (r.cursor.empty() ? "(start)" : r.cursor) << " -> "
        << (r.cursorEnd.empty() ? "(not advanced)" : r.cursorEnd) << '\n';
  }
  if (r.apiRemaining >= 0) {
    out << r.executionId << " API: " << r.apiCalls << " calls, " << r.apiRemaining
        << " remaining in the org's daily allowance\n";
  }
  if (!r.message.empty()) out << r.executionId << " message: " << r.message << '\n';
  if (!r.errorFile.empty()) out << r.executionId << " error file: " << r.errorFile << '\n';
}
}  // namespace

std::string formatActivity(const std::vector<store::ExecutionRecord>& rows) {
  const Cells header = {"EXECUTION", "KIND",    "NAME",     "CONNECTION", "STATUS",  "MODE",
                        "START",     "END",     "READ",     "CREATED",    "UPDATED", "SKIPPED",
                        "FAILED",    "DELETED", "WARNINGS", "RETRIES"};
  std::vector<Cells> table;
  for (const auto& r : rows) table.push_back(cellsOf(r));
  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    widths[i] = header[i].size();
    for (const auto& cells : table) widths[i] = std::max(widths[i], cells[i].size());
  }
  std::ostringstream out;
  appendRow(out, header, widths);
  for (const auto& cells : table) appendRow(out, cells, widths);
  for (const auto& r : rows) appendDetails(out, r);
  return out.str();
}

}  // namespace sfsync::activity
