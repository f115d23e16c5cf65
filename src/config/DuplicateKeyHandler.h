// DuplicateKeyHandler: a Poco::JSON::ParseHandler that builds the usual DOM (object key order kept
// as written) and also records every key that appears twice in the same object, as a JSON path such
// as "mappings[1].target". Poco silently keeps the last duplicate; config files must not.
//
// Thread-safety: one instance per parse, on one thread.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include <Poco/JSON/ParseHandler.h>

namespace sfsync::config {

class DuplicateKeyHandler : public Poco::JSON::ParseHandler {
 public:
  DuplicateKeyHandler();

  // Paths of duplicated keys, in document order.
  const std::vector<std::string>& duplicates() const { return duplicates_; }

  void reset() override;
  void startObject() override;
  void endObject() override;
  void startArray() override;
  void endArray() override;
  void key(const std::string& k) override;
  void value(int v) override;
  void value(unsigned v) override;
  void value(Poco::Int64 v) override;
  void value(Poco::UInt64 v) override;
  void value(const std::string& s) override;
  void value(double d) override;
  void value(bool b) override;
  void null() override;

 private:
  struct Frame {
    bool isArray = false;
    std::size_t index = 0;       // current element of an array (valid after the first element)
    std::size_t elements = 0;    // elements seen so far in an array
    std::string key;             // current key of an object
    std::set<std::string> keys;  // keys seen so far in an object
  };

  void beginElement();  // a value or container starts at the current position
  std::string currentPath(const std::string& lastKey) const;

  std::vector<Frame> frames_;
  std::vector<std::string> duplicates_;
};

}  // namespace sfsync::config
