// ResultMeta: what Snowflake's resultSetMetaData says about a statement's result: the columns
// (rowType: name, type, scale) and how the rows are split into partitions (partitionInfo).
//
// Thread-safety: plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sfsync::snowflake {

struct ResultColumn {
  std::string name;
  std::string type;  // lower case, as rowType gives it: fixed, real, text, boolean, date, ...
  int scale = 0;
};

struct ResultMeta {
  std::string statementHandle;
  std::vector<ResultColumn> columns;
  std::int64_t numRows = 0;
  std::vector<std::int64_t> partitionRows;  // rowCount of each partition, in order
};

}  // namespace sfsync::snowflake
