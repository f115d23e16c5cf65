// ValueCodec: a compact binary form of rows of Values - per value a type tag and its payload
// (int64 and double in host byte order, strings length-prefixed) - for data that never leaves the
// machine that wrote it: a job's page spill file and the store's deferred-row queue. Decoding
// checks every length against the input: a truncated or malformed buffer is an error, never a read
// past its end.
//
// Thread-safety: stateless functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sfsync/core/Value.h"

namespace sfsync {

// Appends `row` (its value count, then each value) to `out`.
void appendRow(const std::vector<Value>& row, std::string& out);
// Decodes one row written by appendRow from `in` at `pos`, advancing `pos`; false when the input is
// truncated or malformed (pos and row are then unspecified).
bool readRow(std::string_view in, std::size_t& pos, std::vector<Value>& row);

}  // namespace sfsync
