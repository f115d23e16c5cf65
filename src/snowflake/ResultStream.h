// ResultStream: parses ONE answer of Snowflake's SQL API as it arrives from the socket, in chunks
// (yajl, a push parser: the counterpart of libcsv in salesforce::BulkCsvStream), handing each row
// of its "data" array on as soon as the row is complete. The answer is either a statement's 200
// answer ({"resultSetMetaData": {...}, "data": [[...], ...], "statementHandle": ..., ...}) or a
// further partition ({"data": [...]}). Memory: the row being read plus yajl's buffer for the token
// being read; resultSetMetaData (small: rowType and partitionInfo) is re-serialised by yajl_gen
// and parsed with Poco's DOM when it is complete. Rows that arrive before resultSetMetaData (key
// order is not guaranteed by JSON) wait in memory until it has arrived (bounded by the transport's
// cap on the response).
//
// Cells are jsonv2 strings or nulls; numbers and booleans are tolerated (their text); a nested
// array or object in a row is malformed. Strings with invalid UTF-8 have the bad bytes replaced by
// U+FFFD (as salesforce::JsonReader does). Nesting deeper than kMaxDepth is malformed.
//
// Thread-safety: one instance per answer, used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "sfsync/core/Status.h"
#include "sfsync/core/Value.h"
#include "sfsync/snowflake/ResultMeta.h"

namespace sfsync::snowflake {

class ResultStream {
 public:
  // One complete row's cells (Value() for null, else text). A non-OK Status stops the stream;
  // feed() returns it and sinkStopped() is true.
  using RowSink = std::function<Status(std::vector<Value>& cells)>;

  // `meta` (not null): a statement's answer; its resultSetMetaData and statementHandle are
  // required and filled in, and rows reach `sink` only once `meta` is complete. Null: a partition
  // ({"data": [...]}). The first `skipRows` rows are parsed but not handed on (a retried
  // download: those were handed on by an earlier attempt).
  ResultStream(ResultMeta* meta, std::int64_t skipRows, RowSink sink);
  ~ResultStream();
  ResultStream(const ResultStream&) = delete;
  ResultStream& operator=(const ResultStream&) = delete;

  // The next bytes of the answer. kDataError when it is malformed so far; the sink's own Status
  // when it stopped. After an error, further calls return it.
  Status feed(const char* data, std::size_t size);
  // The end of the answer: kDataError when it is incomplete, has no "data" array, or (a
  // statement's answer) no resultSetMetaData.
  Status finish();

  std::int64_t rows() const;       // rows parsed (skipped ones included)
  std::int64_t delivered() const;  // rows handed to the sink
  bool sinkStopped() const;

  static constexpr int kMaxDepth = 64;

  struct State;  // the parse state, reached from yajl's C callbacks (ResultStream.cpp only)

 private:
  std::unique_ptr<State> state_;
};

// resultSetMetaData's JSON text into `meta` (rowType, partitionInfo, numRows); kDataError when
// malformed.
Status parseResultMeta(std::string_view text, ResultMeta& meta);

}  // namespace sfsync::snowflake
