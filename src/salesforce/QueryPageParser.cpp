#include "salesforce/QueryPageParser.h"

#include "salesforce/ColumnNames.h"
#include "salesforce/JsonReader.h"

namespace sfsync::salesforce {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

QueryPageParser::QueryPageParser(const std::vector<std::string>& columns)
    : columnCount_(columns.size()) {
  nodes_.emplace_back();
  for (std::size_t col = 0; col < columns.size(); ++col) {
    std::string_view path = columns[col];
    int node = 0;
    for (;;) {
      const std::size_t dot = path.find('.');
      const std::string segment = lowerTrimmedColumn(path.substr(0, dot));
      int child = -1;
      for (int c : nodes_[node].children) {
        if (nodes_[c].name == segment) child = c;
      }
      if (child < 0) {
        child = static_cast<int>(nodes_.size());
        nodes_.push_back(Node{segment, {}, {}});
        nodes_[node].children.push_back(child);
      }
      node = child;
      if (dot == std::string_view::npos) break;
      path.remove_prefix(dot + 1);
    }
    nodes_[node].columns.push_back(static_cast<int>(col));
  }
}

int QueryPageParser::findChild(const Node& node, std::string_view key) const {
  for (int idx : node.children) {
    const std::string& name = nodes_[idx].name;
    if (name.size() != key.size()) continue;
    std::size_t i = 0;
    while (i < key.size() && lower(key[i]) == name[i]) ++i;
    if (i == key.size()) return idx;
  }
  return -1;
}

bool QueryPageParser::parseObject(JsonReader& reader, const Node& node, RecordPage& page,
                                  std::string& scratch) const {
  std::vector<Value>& row = page.rows.back();
  if (!reader.expect('{')) return false;
  if (reader.tryConsume('}')) return true;
  for (;;) {
    std::string_view key;
    if (!reader.readString(key, scratch) || !reader.expect(':')) return false;
    const int child = findChild(node, key);
    if (child < 0) {
      if (!reader.skipValue()) return false;
    } else {
      const Node& target = nodes_[child];
      const char next = reader.peek();
      if (next == '{' || next == '[') {
        const char* start = reader.position();
        const bool descend = next == '{' && !target.children.empty();
        if (!(descend ? parseObject(reader, target, page, scratch) : reader.skipValue())) {
          return false;
        }
        // A compound value (address, child subquery) requested as a column: keep its JSON text.
        const auto rowIndex = static_cast<std::uint32_t>(page.rows.size() - 1);
        for (int col : target.columns) {
          row[col].emplace<std::string>(reader.since(start));
          page.structuredCells.emplace_back(rowIndex, static_cast<std::uint32_t>(col));
        }
      } else if (target.columns.empty()) {
        // A scalar (usually null) where a relationship object was expected: its paths stay null.
        if (!reader.skipValue()) return false;
      } else {
        if (!reader.readScalar(row[target.columns.front()])) return false;
        for (std::size_t i = 1; i < target.columns.size(); ++i) {
          row[target.columns[i]] = row[target.columns.front()];
        }
      }
    }
    if (reader.tryConsume(',')) continue;
    if (reader.tryConsume('}')) return true;
    return reader.fail("expected ',' or '}'");
  }
}

bool QueryPageParser::parseRecords(JsonReader& reader, RecordPage& page) const {
  if (!reader.expect('[')) return false;
  if (reader.tryConsume(']')) return true;
  std::string scratch;
  for (;;) {
    // Each record costs a row of every column however short its JSON (`{}`): the page is bounded.
    if (page.rows.size() >= kMaxRecordsPerPage) {
      static_assert(kMaxRecordsPerPage == 10000, "the message below");
      return reader.fail("more than 10000 records in one page (Salesforce sends at most 2000)");
    }
    page.rows.emplace_back(columnCount_);
    if (!parseObject(reader, nodes_[0], page, scratch)) return false;
    if (reader.tryConsume(',')) continue;
    if (reader.tryConsume(']')) return true;
    return reader.fail("expected ',' or ']'");
  }
}

Status QueryPageParser::parse(std::string_view body, RecordPage& page,
                              std::string& nextRecordsUrl) const {
  page.rows.clear();
  page.structuredCells.clear();
  page.invalidUtf8Strings = 0;
  page.totalSize = 0;
  page.done = false;
  nextRecordsUrl.clear();

  JsonReader reader(body);
  std::string scratch;
  bool sawDone = false;
  bool sawRecords = false;
  const auto malformed = [&reader]() {
    return Status::DataError("malformed query page at byte " + std::to_string(reader.offset()) +
                             ": " + reader.error());
  };

  if (!reader.expect('{')) return malformed();
  if (!reader.tryConsume('}')) {
    for (;;) {
      std::string_view key;
      if (!reader.readString(key, scratch) || !reader.expect(':')) return malformed();
      if (key == "records") {
        if (!parseRecords(reader, page)) return malformed();
        sawRecords = true;
      } else if (key == "done" || key == "totalSize" || key == "nextRecordsUrl") {
        const std::string name(key);
        Value v;
        if (!reader.readScalar(v)) return malformed();
        if (name == "done") {
          if (!std::holds_alternative<bool>(v))
            return Status::DataError("\"done\" is not a boolean");
          page.done = std::get<bool>(v);
          sawDone = true;
        } else if (name == "totalSize") {
          if (!std::holds_alternative<std::int64_t>(v)) {
            return Status::DataError("\"totalSize\" is not an integer");
          }
          page.totalSize = std::get<std::int64_t>(v);
        } else if (std::holds_alternative<std::string>(v)) {
          nextRecordsUrl = std::get<std::string>(v);
        } else if (!isNull(v)) {
          return Status::DataError("\"nextRecordsUrl\" is not a string");
        }
      } else if (!reader.skipValue()) {
        return malformed();
      }
      if (reader.tryConsume(',')) continue;
      if (reader.tryConsume('}')) break;
      reader.fail("expected ',' or '}'");
      return malformed();
    }
  }
  if (!reader.atEnd()) {
    reader.fail("unexpected data after the page");
    return malformed();
  }
  page.invalidUtf8Strings = static_cast<std::int64_t>(reader.invalidUtf8Strings());
  if (!sawDone || !sawRecords) {
    return Status::DataError(std::string("query page lacks \"") + (sawDone ? "records" : "done") +
                             "\"");
  }
  return Status::OK();
}

}  // namespace sfsync::salesforce
