// CsvReader: reads an RFC 4180 CSV stream (what CsvFile writes) one record at a time, with caps: a
// record longer than maxRecordBytes, or a stream read past maxTotalBytes, stops the read with an
// error / end flag instead of growing memory. Fields may hold quoted commas, quotes and line
// breaks.
//
// Thread-safety: not thread-safe; one reader per stream.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"

namespace sfsync::activity {

class CsvReader {
 public:
  CsvReader(std::istream& in, std::size_t maxRecordBytes, std::uint64_t maxTotalBytes)
      : in_(in), maxRecordBytes_(maxRecordBytes), maxTotalBytes_(maxTotalBytes) {}

  // Reads the next record into `fields`: true when one was read, false at the end of the stream
  // (or when the byte budget is used up: then capped() is true). kDataError for a record over
  // maxRecordBytes or an unterminated quoted field.
  Result<bool> next(std::vector<std::string>& fields);

  // True when the read stopped because maxTotalBytes was reached (the rest was not read).
  bool capped() const { return capped_; }
  std::uint64_t bytesRead() const { return bytes_; }

 private:
  std::istream& in_;
  std::size_t maxRecordBytes_;
  std::uint64_t maxTotalBytes_;
  std::uint64_t bytes_ = 0;
  bool capped_ = false;
};

}  // namespace sfsync::activity
