#include "admin/RequestTarget.h"

#include <cstddef>

namespace sfsync::admin {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hexValue(text[i + 1]);
      const int low = hexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plusIsSpace) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

Result<RequestTarget> RequestTarget::parse(const std::string& target) {
  if (target.empty() || target.front() != '/') {
    return Status::InvalidArgument("request target must start with '/'");
  }
  std::string_view view(target);
  const std::size_t fragment = view.find('#');
  if (fragment != std::string_view::npos) view = view.substr(0, fragment);
  const std::size_t question = view.find('?');
  const std::string_view path = view.substr(0, question);
  RequestTarget out;
  for (std::string_view raw : split(path.substr(1), '/')) {
    if (raw.empty()) continue;
    std::optional<std::string> segment = percentDecode(raw, false);
    if (!segment) return Status::InvalidArgument("malformed percent escape in the path");
    out.segments_.push_back(std::move(*segment));
  }
  if (question != std::string_view::npos) {
    for (std::string_view pair : split(view.substr(question + 1), '&')) {
      if (pair.empty()) continue;
      const std::size_t equals = pair.find('=');
      std::optional<std::string> name = percentDecode(pair.substr(0, equals), true);
      std::optional<std::string> value = percentDecode(
          equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
      if (!name || !value) return Status::InvalidArgument("malformed percent escape in the query");
      out.query_.emplace_back(std::move(*name), std::move(*value));
    }
  }
  return out;
}

std::optional<ParameterError> RequestTarget::checkParameters(
    std::initializer_list<std::string_view> allowed) const {
  for (std::size_t i = 0; i < query_.size(); ++i) {
    const std::string& name = query_[i].first;
    bool known = false;
    for (std::string_view a : allowed) known = known || a == name;
    if (!known) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return ParameterError{
          name, "unknown parameter '" + name + "'" +
                    (list.empty() ? "; this endpoint takes none" : "; expected one of " + list)};
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (query_[j].first == name) {
        return ParameterError{name, "parameter '" + name + "' is given more than once"};
      }
    }
  }
  return std::nullopt;
}

const std::string* RequestTarget::parameter(std::string_view name) const {
  for (const auto& [key, value] : query_) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string percentEncodeSegment(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace sfsync::admin
