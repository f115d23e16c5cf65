// CsvFile: an RFC 4180 CSV file created lazily on the first row (so a run without rows leaves no
// file), with a fixed header. The building block of error and success files.
//
// Thread-safety: not thread-safe; one writer per file.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "sfsync/core/Status.h"

namespace sfsync::activity {

class CsvFile {
 public:
  CsvFile(std::string path, std::vector<std::string> header);
  ~CsvFile();
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;

  // Appends one row (fields are quoted as needed); creates the file and its directory first.
  Status addRow(const std::vector<std::string>& fields);
  // Flushes and closes; kIoError when any buffered row could not be written (e.g. disk full).
  // Rows still held are dropped (release() them first).
  Status close();

  // Issue 11: from hold() on, added rows are kept in memory (as CSV text) until release() writes
  // them (creating the file if needed) or discard() drops them, and the file is not created before
  // that. A run holds its files while its store transaction is open, so they list only what was
  // committed. rows() counts written rows only.
  void hold() { held_ = true; }
  Status release();
  void discard();

  // Path of the created file, or empty when no row was added.
  const std::string& path() const { return createdPath_; }
  long rows() const { return rows_; }

  // RFC 4180 field quoting.
  static std::string field(const std::string& text);

 private:
  Status open();
  static void appendLine(const std::vector<std::string>& fields, std::string& to);

  std::string targetPath_;
  std::string createdPath_;
  std::vector<std::string> header_;
  std::ofstream out_;
  long rows_ = 0;
  std::string line_;  // scratch: the row being written
  bool held_ = false;
  std::string heldText_;  // rows added while held, as CSV lines
  long heldRows_ = 0;
};

}  // namespace sfsync::activity
