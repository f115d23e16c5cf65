#include "sfsync/salesforce/SoqlBuilder.h"

#include <strings.h>

namespace sfsync::salesforce {

namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::string();
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

bool equalsIgnoreCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && ::strncasecmp(a.c_str(), b.c_str(), a.size()) == 0;
}

}  // namespace

SoqlBuilder& SoqlBuilder::select(const std::string& field) {
  const std::string name = trim(field);
  if (name.empty()) return *this;
  for (const std::string& existing : fields_) {
    if (equalsIgnoreCase(existing, name)) return *this;
  }
  fields_.push_back(name);
  return *this;
}

SoqlBuilder& SoqlBuilder::select(const std::vector<std::string>& fields) {
  for (const std::string& field : fields) select(field);
  return *this;
}

SoqlBuilder& SoqlBuilder::where(const std::string& condition) {
  const std::string c = trim(condition);
  if (!c.empty()) conditions_.push_back(c);
  return *this;
}

SoqlBuilder& SoqlBuilder::orderBy(const std::string& expr) {
  orderBy_ = trim(expr);
  return *this;
}

SoqlBuilder& SoqlBuilder::limit(long n) {
  if (n >= 0) {
    limit_ = n;
  } else {
    limit_.reset();
  }
  return *this;
}

std::string SoqlBuilder::build() const {
  std::string soql = "SELECT ";
  if (fields_.empty()) {
    soql += "Id";
  } else {
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (i > 0) soql += ", ";
      soql += fields_[i];
    }
  }
  soql += " FROM " + object_;
  for (std::size_t i = 0; i < conditions_.size(); ++i) {
    soql += i == 0 ? " WHERE (" : " AND (";
    soql += conditions_[i];
    soql += ')';
  }
  if (!orderBy_.empty()) soql += " ORDER BY " + orderBy_;
  if (limit_) soql += " LIMIT " + std::to_string(*limit_);
  return soql;
}

std::string SoqlBuilder::quote(const std::string& literal) {
  std::string out;
  out.reserve(literal.size() + 2);
  out.push_back('\'');
  for (const char c : literal) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

}  // namespace sfsync::salesforce
