#include "sfsync/activity/CsvReader.h"

namespace sfsync::activity {

Result<bool> CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  if (bytes_ >= maxTotalBytes_) {
    capped_ = in_.peek() != std::char_traits<char>::eof();
    return false;
  }
  std::string field;
  std::size_t recordBytes = 0;
  bool quoted = false;
  bool any = false;
  for (int c = in_.get(); c != std::char_traits<char>::eof(); c = in_.get()) {
    ++bytes_;
    any = true;
    if (++recordBytes > maxRecordBytes_) {
      return Status::DataError("a CSV record is longer than " + std::to_string(maxRecordBytes_) +
                               " bytes");
    }
    const char ch = static_cast<char>(c);
    if (quoted) {
      if (ch != '"') {
        field += ch;
      } else if (in_.peek() == '"') {
        in_.get();
        ++bytes_;
        field += '"';
      } else {
        quoted = false;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (ch == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      fields.push_back(std::move(field));
      return true;
    } else {
      field += ch;
    }
  }
  if (quoted) return Status::DataError("a CSV file ends inside a quoted field");
  if (!any) return false;
  fields.push_back(std::move(field));  // last record without a line break
  return true;
}

}  // namespace sfsync::activity
