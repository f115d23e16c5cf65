// JsonWriter: builds one compact JSON document in a string - objects, arrays, strings, integers,
// booleans, null - inserting commas itself. Strings are escaped per RFC 8259; bytes that are not
// valid UTF-8 (e.g. a Salesforce value cut mid-character) become U+FFFD, so the output is always
// valid UTF-8 JSON.
//
// Misuse (a value where a key is due, unbalanced end*) is a bug in the caller and is not diagnosed.
//
// Thread-safety: not thread-safe; one writer per response.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sfsync::admin {

class JsonWriter {
 public:
  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view text);
  JsonWriter& integer(std::int64_t number);
  JsonWriter& boolean(bool flag);
  JsonWriter& null();
  // A complete JSON value produced elsewhere (trusted, inserted as is).
  JsonWriter& raw(std::string_view json);

  // key(name) followed by the value; the *OrNull forms write null for an empty string.
  JsonWriter& stringField(std::string_view name, std::string_view text);
  JsonWriter& stringOrNullField(std::string_view name, std::string_view text);
  JsonWriter& integerField(std::string_view name, std::int64_t number);
  JsonWriter& booleanField(std::string_view name, bool flag);
  JsonWriter& stringArrayField(std::string_view name, const std::vector<std::string>& items);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

  // `text` as a JSON string literal, quotes included.
  static std::string quote(std::string_view text);

 private:
  void beforeValue();

  std::string out_;
  std::vector<bool> hasItems_;  // per open container: something was written already
  bool afterKey_ = false;
};

}  // namespace sfsync::admin
