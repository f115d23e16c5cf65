#include "config/DuplicateKeyHandler.h"

#include "config/ProblemCollector.h"

namespace sfsync::config {

DuplicateKeyHandler::DuplicateKeyHandler()
    : Poco::JSON::ParseHandler(/*preserveObjectOrder=*/true) {}

void DuplicateKeyHandler::reset() {
  ParseHandler::reset();
  frames_.clear();
  duplicates_.clear();
}

void DuplicateKeyHandler::beginElement() {
  if (!frames_.empty() && frames_.back().isArray) {
    Frame& f = frames_.back();
    f.index = f.elements++;
  }
}

std::string DuplicateKeyHandler::currentPath(const std::string& lastKey) const {
  std::string path;
  for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
    const Frame& f = frames_[i];
    path =
        f.isArray ? ProblemCollector::element(path, f.index) : ProblemCollector::child(path, f.key);
  }
  return ProblemCollector::child(path, lastKey);
}

void DuplicateKeyHandler::startObject() {
  beginElement();
  frames_.push_back(Frame{});
  ParseHandler::startObject();
}

void DuplicateKeyHandler::endObject() {
  if (!frames_.empty()) frames_.pop_back();
  ParseHandler::endObject();
}

void DuplicateKeyHandler::startArray() {
  beginElement();
  Frame f;
  f.isArray = true;
  frames_.push_back(f);
  ParseHandler::startArray();
}

void DuplicateKeyHandler::endArray() {
  if (!frames_.empty()) frames_.pop_back();
  ParseHandler::endArray();
}

void DuplicateKeyHandler::key(const std::string& k) {
  if (!frames_.empty() && !frames_.back().isArray) {
    Frame& f = frames_.back();
    if (!f.keys.insert(k).second) duplicates_.push_back(currentPath(k));
    f.key = k;
  }
  ParseHandler::key(k);
}

void DuplicateKeyHandler::value(int v) {
  beginElement();
  ParseHandler::value(v);
}

void DuplicateKeyHandler::value(unsigned v) {
  beginElement();
  ParseHandler::value(v);
}

void DuplicateKeyHandler::value(Poco::Int64 v) {
  beginElement();
  ParseHandler::value(v);
}

void DuplicateKeyHandler::value(Poco::UInt64 v) {
  beginElement();
  ParseHandler::value(v);
}

void DuplicateKeyHandler::value(const std::string& s) {
  beginElement();
  ParseHandler::value(s);
}

void DuplicateKeyHandler::value(double d) {
  beginElement();
  ParseHandler::value(d);
}

void DuplicateKeyHandler::value(bool b) {
  beginElement();
  ParseHandler::value(b);
}

void DuplicateKeyHandler::null() {
  beginElement();
  ParseHandler::null();
}

}  // namespace sfsync::config
