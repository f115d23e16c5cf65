#include "jobs/PageSpill.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <cstdio>

#include "sfsync/core/ValueCodec.h"

namespace sfsync::jobs {

namespace {

template <class T>
void put(std::ofstream& out, const T& v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof v);
}

template <class T>
bool get(std::ifstream& in, T& v) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&v), sizeof v));
}

}  // namespace

PageSpill::~PageSpill() {
  if (out_.is_open()) out_.close();
  std::remove(path_.c_str());
}

Status PageSpill::append(const salesforce::RecordPage& page) {
  if (!out_.is_open()) {
    try {
      Poco::File(Poco::Path(path_).parent()).createDirectories();
    } catch (const Poco::Exception& e) {
      return Status::IoError("cannot create directory for " + path_ + ": " + e.displayText());
    }
    out_.open(path_, std::ios::binary | std::ios::trunc);
    if (!out_) return Status::IoError("cannot create extract buffer " + path_);
    columns_ = page.columns;
    totalSize_ = page.totalSize;
  }
  std::string rows;  // the rows as one length-prefixed block (ValueCodec)
  for (const auto& row : page.rows) appendRow(row, rows);
  put(out_, static_cast<std::uint32_t>(page.rows.size()));
  put(out_, static_cast<std::uint64_t>(rows.size()));
  out_.write(rows.data(), static_cast<std::streamsize>(rows.size()));
  put(out_, static_cast<std::uint32_t>(page.structuredCells.size()));
  for (const auto& [row, column] : page.structuredCells) {
    put(out_, row);
    put(out_, column);
  }
  put(out_, static_cast<std::uint32_t>(page.bulkLocator.size()));
  out_.write(page.bulkLocator.data(), static_cast<std::streamsize>(page.bulkLocator.size()));
  put(out_, page.bulkRowsIntoSet);
  put(out_, static_cast<std::uint32_t>(page.sourceCursor.size()));
  out_.write(page.sourceCursor.data(), static_cast<std::streamsize>(page.sourceCursor.size()));
  ++pages_;
  if (!out_) return Status::IoError("cannot write extract buffer " + path_ + " (disk full?)");
  return Status::OK();
}

Status PageSpill::replay(const salesforce::PageHandler& onPage) {
  if (!out_.is_open()) return Status::OK();  // nothing was extracted
  out_.close();                              // flushes: a full disk shows here at the latest
  if (out_.fail()) return Status::IoError("cannot write extract buffer " + path_ + " (disk full?)");
  std::ifstream in(path_, std::ios::binary);
  if (!in) return Status::IoError("cannot read extract buffer " + path_);
  salesforce::RecordPage page;
  page.columns = columns_;
  page.totalSize = totalSize_;
  for (int p = 0; p < pages_; ++p) {
    std::uint32_t rows = 0;
    std::uint64_t bytes = 0;
    if (!get(in, rows) || !get(in, bytes)) {
      return Status::IoError("extract buffer truncated: " + path_);
    }
    std::string block(bytes, '\0');
    if (!in.read(block.data(), static_cast<std::streamsize>(bytes))) {
      return Status::IoError("extract buffer truncated: " + path_);
    }
    page.rows.resize(rows);
    std::size_t pos = 0;
    for (auto& row : page.rows) {
      if (!readRow(block, pos, row)) return Status::IoError("extract buffer corrupt: " + path_);
    }
    std::uint32_t structured = 0;
    if (!get(in, structured)) return Status::IoError("extract buffer truncated: " + path_);
    page.structuredCells.clear();
    for (std::uint32_t i = 0; i < structured; ++i) {
      std::pair<std::uint32_t, std::uint32_t> cell;
      if (!get(in, cell.first) || !get(in, cell.second)) {
        return Status::IoError("extract buffer truncated: " + path_);
      }
      page.structuredCells.push_back(cell);
    }
    std::uint32_t locator = 0;
    if (!get(in, locator)) return Status::IoError("extract buffer truncated: " + path_);
    page.bulkLocator.assign(locator, '\0');
    if (!in.read(page.bulkLocator.data(), locator) || !get(in, page.bulkRowsIntoSet)) {
      return Status::IoError("extract buffer truncated: " + path_);
    }
    std::uint32_t cursor = 0;
    if (!get(in, cursor)) return Status::IoError("extract buffer truncated: " + path_);
    page.sourceCursor.assign(cursor, '\0');
    if (!in.read(page.sourceCursor.data(), cursor)) {
      return Status::IoError("extract buffer truncated: " + path_);
    }
    page.pageIndex = p;
    page.done = p + 1 == pages_;
    // The next page is in this local file: a loader may keep its transaction open for it.
    page.nextPageReady = [done = page.done] { return !done; };
    Status s = onPage(page);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace sfsync::jobs
