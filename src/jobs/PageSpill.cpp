#include "jobs/PageSpill.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <cstdio>

namespace sfsync::jobs {

namespace {

enum Tag : char { kNull = 0, kBool = 1, kInt = 2, kDouble = 3, kString = 4 };

template <class T>
void put(std::ofstream& out, const T& v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof v);
}

template <class T>
bool get(std::ifstream& in, T& v) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&v), sizeof v));
}

void putValue(std::ofstream& out, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) {
    put(out, kNull);
  } else if (const bool* b = std::get_if<bool>(&v)) {
    put(out, kBool);
    put(out, static_cast<char>(*b));
  } else if (const std::int64_t* i = std::get_if<std::int64_t>(&v)) {
    put(out, kInt);
    put(out, *i);
  } else if (const double* d = std::get_if<double>(&v)) {
    put(out, kDouble);
    put(out, *d);
  } else {
    const std::string& s = std::get<std::string>(v);
    put(out, kString);
    put(out, static_cast<std::uint32_t>(s.size()));
    out.write(s.data(), static_cast<std::streamsize>(s.size()));
  }
}

bool getValue(std::ifstream& in, Value& v) {
  char tag = 0;
  if (!get(in, tag)) return false;
  switch (tag) {
    case kNull:
      v = Value{};
      return true;
    case kBool: {
      char b = 0;
      if (!get(in, b)) return false;
      v = Value(b != 0);
      return true;
    }
    case kInt: {
      std::int64_t i = 0;
      if (!get(in, i)) return false;
      v = Value(i);
      return true;
    }
    case kDouble: {
      double d = 0;
      if (!get(in, d)) return false;
      v = Value(d);
      return true;
    }
    case kString: {
      std::uint32_t n = 0;
      if (!get(in, n)) return false;
      std::string s(n, '\0');
      if (!in.read(s.data(), n)) return false;
      v = Value(std::move(s));
      return true;
    }
  }
  return false;
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
  put(out_, static_cast<std::uint32_t>(page.rows.size()));
  for (const auto& row : page.rows) {
    for (const Value& v : row) putValue(out_, v);
  }
  put(out_, static_cast<std::uint32_t>(page.structuredCells.size()));
  for (const auto& [row, column] : page.structuredCells) {
    put(out_, row);
    put(out_, column);
  }
  put(out_, static_cast<std::uint32_t>(page.bulkLocator.size()));
  out_.write(page.bulkLocator.data(), static_cast<std::streamsize>(page.bulkLocator.size()));
  put(out_, page.bulkRowsIntoSet);
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
    if (!get(in, rows)) return Status::IoError("extract buffer truncated: " + path_);
    page.rows.assign(rows, std::vector<Value>(columns_.size()));
    for (auto& row : page.rows) {
      for (Value& v : row) {
        if (!getValue(in, v)) return Status::IoError("extract buffer truncated: " + path_);
      }
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
    page.pageIndex = p;
    page.done = p + 1 == pages_;
    Status s = onPage(page);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace sfsync::jobs
