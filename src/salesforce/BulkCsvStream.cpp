#include "salesforce/BulkCsvStream.h"

#include <csv.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <utility>

#include "salesforce/ColumnNames.h"
#include "salesforce/HttpTransport.h"
#include "sfsync/core/Utf8.h"

namespace sfsync::salesforce {

namespace {

// More header columns than any SOQL select list can have: a CSV "width bomb" (a header of
// millions of empty fields would cost ~56 bytes of bookkeeping per field).
constexpr std::size_t kMaxHeaderFields = 20000;

template <typename T>
bool parseWhole(std::string_view text, T& out) {
  if (text.empty()) return false;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

// Parsing state of one result set, reached from libcsv's C callbacks.
struct SetParse {
  const BulkCsvReader::PageSink* sink = nullptr;
  const std::vector<std::string>* columns = nullptr;
  const std::vector<BulkCellType>* types = nullptr;
  std::size_t pageRows = 1;
  std::int64_t maxRecordBytes = 0;
  std::int64_t skipRows = 0;

  bool inHeader = true;
  std::vector<std::string> header;
  std::vector<std::vector<int>> targets;  // csv column -> requested columns
  std::size_t field = 0;                  // index of the next field in the current row
  std::int64_t rows = 0;                  // data rows started
  RecordPage page;
  std::int64_t pageBytes = 0;  // field text in `page`
  std::int64_t rowBytes = 0;   // field text of the current row so far
  std::int64_t delivered = 0;
  std::string error;      // set: malformed, stop
  bool tooLarge = false;  // with `error`: a record over maxRecordBytes, not malformed
  Status sinkStatus;      // not ok: the sink stopped us

  bool stopped() const { return !error.empty() || !sinkStatus.ok(); }
  bool skipping() const { return rows <= skipRows; }

  Value convert(std::string_view text, BulkCellType type) {
    switch (type) {
      case BulkCellType::kInt: {
        std::int64_t i = 0;
        if (parseWhole(text, i)) return i;
        double d = 0;
        if (parseWhole(text, d)) return d;
        break;
      }
      case BulkCellType::kDouble: {
        double d = 0;
        if (parseWhole(text, d)) return d;
        break;
      }
      case BulkCellType::kBool:
        if (text == "true") return true;
        if (text == "false") return false;
        break;
      case BulkCellType::kDateTime:
        if (text.size() > 1 && text.back() == 'Z') {
          return std::string(text.substr(0, text.size() - 1)) + "+0000";
        }
        break;
      case BulkCellType::kString:
        break;
    }
    if (isValidUtf8(text)) return std::string(text);  // the common case: one copy
    std::string repaired;
    repaired.reserve(text.size());
    appendUtf8Sanitized(repaired, text);
    ++page.invalidUtf8Strings;
    return repaired;
  }

  void deliver(bool lastOfSet) {
    delivered += static_cast<std::int64_t>(page.rows.size());
    page.bulkRowsIntoSet = skipRows + delivered;
    try {
      sinkStatus = (*sink)(page, lastOfSet);
    } catch (const std::exception& e) {
      sinkStatus = Status::Internal(std::string("bulk page handler threw: ") + e.what());
    } catch (...) {
      sinkStatus = Status::Internal("bulk page handler threw");
    }
    page.rows.clear();
    page.invalidUtf8Strings = 0;
    pageBytes = 0;
  }

  // A record of more than maxRecordBytes (with `pending` bytes of a field still being read).
  bool recordTooLarge(std::int64_t pending) {
    if (rowBytes + pending <= maxRecordBytes) return false;
    error = "a CSV record after data row " + std::to_string(delivered + page.rows.size()) +
            " holds more than " + std::to_string(maxRecordBytes) +
            " bytes of field text (maxResponseBytes)";
    tooLarge = true;
    return true;
  }

  void startRow() {
    ++rows;
    rowBytes = 0;
    if (skipping()) return;
    if (page.rows.size() >= pageRows || pageBytes >= BulkCsvReader::kMaxPageTextBytes) {
      deliver(false);
      if (stopped()) return;
    }
    page.rows.emplace_back(columns->size());
  }

  void onField(const char* data, std::size_t len) {
    if (stopped()) return;
    if (inHeader) {
      rowBytes += static_cast<std::int64_t>(len);
      if (recordTooLarge(0)) return;
      if (header.size() >= kMaxHeaderFields) {
        error = "the header has more than " + std::to_string(kMaxHeaderFields) + " columns";
        return;
      }
      header.emplace_back(data ? std::string_view(data, len) : std::string_view());
      return;
    }
    if (field == 0) startRow();
    if (stopped()) return;
    rowBytes += static_cast<std::int64_t>(len);
    if (recordTooLarge(0)) return;
    if (!skipping()) pageBytes += static_cast<std::int64_t>(len);
    if (field >= header.size()) {
      error = "row " + std::to_string(rows) + " has more fields than the header's " +
              std::to_string(header.size());
      return;
    }
    if (!skipping() && data != nullptr) {
      std::vector<Value>& row = page.rows.back();
      for (int col : targets[field]) {
        const BulkCellType type = (*types)[static_cast<std::size_t>(col)];
        if (len == 0 && type != BulkCellType::kString) continue;  // "" of a non-text field: null
        row[static_cast<std::size_t>(col)] = convert(std::string_view(data, len), type);
      }
    }
    ++field;
  }

  void onRowEnd() {
    if (stopped()) return;
    rowBytes = 0;
    if (inHeader) {
      inHeader = false;
      mapHeader();
      return;
    }
    if (field != header.size()) {
      error = "row " + std::to_string(rows) + " has " + std::to_string(field) +
              " fields, the header " + std::to_string(header.size());
    }
    field = 0;
  }

  void mapHeader() {
    targets.assign(header.size(), {});
    std::vector<std::string> wanted;
    for (const std::string& c : *columns) wanted.push_back(lowerTrimmedColumn(c));
    std::vector<bool> taken(wanted.size(), false);
    for (std::size_t h = 0; h < header.size(); ++h) {
      const std::string name = lowerTrimmedColumn(header[h]);
      for (std::size_t c = 0; c < wanted.size(); ++c) {
        if (!taken[c] && wanted[c] == name) {
          targets[h].push_back(static_cast<int>(c));
          taken[c] = true;  // a duplicated header name: the first one wins
        }
      }
    }
  }
};

void fieldCallback(void* data, std::size_t len, void* state) {
  static_cast<SetParse*>(state)->onField(static_cast<const char*>(data), len);
}

void rowCallback(int, void* state) { static_cast<SetParse*>(state)->onRowEnd(); }

}  // namespace

struct BulkCsvStream::State {
  SetParse parse;
  csv_parser parser{};
  bool initialised = false;
  std::int64_t bytes = 0;  // fed so far
  char last = '\n';        // the last byte fed
  Status failed;           // sticky: the first error
};

BulkCsvStream::BulkCsvStream(const BulkCsvReader& reader, std::int64_t skipRows,
                             const BulkCsvReader::PageSink& sink)
    : state_(std::make_unique<State>()) {
  SetParse& parse = state_->parse;
  parse.sink = &sink;
  parse.columns = &reader.columns();
  parse.types = &reader.types();
  parse.pageRows = reader.pageRows();
  parse.maxRecordBytes = reader.maxRecordBytes();
  parse.skipRows = std::max<std::int64_t>(skipRows, 0);
  parse.page.columns = reader.columns();
  state_->initialised =
      csv_init(&state_->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) == 0;
}

BulkCsvStream::~BulkCsvStream() {
  if (state_->initialised) csv_free(&state_->parser);
}

Status BulkCsvStream::feed(const char* data, std::size_t size) {
  State& s = *state_;
  if (!s.failed.ok()) return s.failed;
  SetParse& parse = s.parse;
  if (!s.initialised) {
    parse.error = "the CSV parser could not be initialised";
  } else if (size > 0) {
    if (csv_parse(&s.parser, data, size, fieldCallback, rowCallback, &parse) != size &&
        parse.error.empty() && parse.sinkStatus.ok()) {
      parse.error = std::string("CSV error near byte ") + std::to_string(s.bytes) + ": " +
                    csv_strerror(csv_error(&s.parser));
    }
    s.bytes += static_cast<std::int64_t>(size);
    s.last = data[size - 1];
    // A field still being read sits in libcsv's buffer: cap it too (checked per chunk fed).
    if (!parse.stopped()) {
      parse.recordTooLarge(static_cast<std::int64_t>(s.parser.entry_pos));
    }
  }
  outcome_.rowsInSet = parse.rows;
  outcome_.delivered = parse.delivered;
  if (!parse.sinkStatus.ok()) {
    outcome_.sinkStopped = true;
    s.failed = parse.sinkStatus;
  } else if (parse.tooLarge) {
    s.failed = Status::DataError("Bulk result set too large: " + parse.error)
                   .withRemote(kResponseTooLarge);
  } else if (!parse.error.empty()) {
    s.failed = Status::DataError("malformed Bulk result set: " + parse.error);
  }
  return s.failed;
}

Status BulkCsvStream::finish(std::int64_t expectedRows) {
  State& s = *state_;
  if (!s.failed.ok()) return s.failed;
  SetParse& parse = s.parse;
  const auto malformed = [&s](const std::string& what) {
    s.failed = Status::DataError("malformed Bulk result set: " + what);
    return s.failed;
  };
  if (s.last != '\n') return malformed("it does not end with a line break");
  if (csv_fini(&s.parser, fieldCallback, rowCallback, &parse) != 0 && parse.error.empty()) {
    parse.error = "the CSV ends inside a quoted value (truncated)";
  }
  outcome_.rowsInSet = parse.rows;
  if (!parse.sinkStatus.ok()) {
    outcome_.sinkStopped = true;
    return s.failed = parse.sinkStatus;
  }
  if (!parse.error.empty()) return malformed(parse.error);
  if (parse.inHeader && expectedRows != 0) return malformed("no header row");
  if (expectedRows >= 0 && parse.rows != expectedRows) {
    return malformed(std::to_string(parse.rows) + " rows where Sforce-NumberOfRecords said " +
                     std::to_string(expectedRows));
  }
  if (parse.skipRows > parse.rows) {
    outcome_.beyondSet = true;
    return s.failed = Status::InvalidArgument(
               "Bulk resume position " + std::to_string(parse.skipRows) +
               " is beyond the result set's " + std::to_string(parse.rows) + " rows");
  }
  parse.deliver(true);
  outcome_.delivered = parse.delivered;
  if (!parse.sinkStatus.ok()) {
    outcome_.sinkStopped = true;
    s.failed = parse.sinkStatus;
  }
  return parse.sinkStatus;
}

}  // namespace sfsync::salesforce
