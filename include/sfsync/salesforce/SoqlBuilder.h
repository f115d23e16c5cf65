// SoqlBuilder: builds SOQL SELECT statements from a field list, object, optional WHERE clause,
// ORDER BY and LIMIT; quotes literals per SOQL escaping rules. Pure functions, no I/O.
//
// Thread-safety: value type.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace sfsync::salesforce {

class SoqlBuilder {
 public:
  explicit SoqlBuilder(std::string object) : object_(std::move(object)) {}

  // Adds a field or relationship path; duplicates (case-insensitive) are ignored.
  SoqlBuilder& select(const std::string& field);
  SoqlBuilder& select(const std::vector<std::string>& fields);
  // Makes select({"Id", "Name"}) unambiguous (two string literals could also form std::string's
  // iterator-pair constructor).
  SoqlBuilder& select(std::initializer_list<std::string> fields) {
    for (const std::string& field : fields) select(field);
    return *this;
  }
  // ANDs a condition (raw SOQL boolean expression; wrapped in parentheses).
  SoqlBuilder& where(const std::string& condition);
  SoqlBuilder& orderBy(const std::string& expr);
  SoqlBuilder& limit(long n);

  const std::vector<std::string>& fields() const { return fields_; }
  // "SELECT Id, Name FROM Account WHERE (a) AND (b) ORDER BY Id LIMIT 10". "Id" is selected when
  // empty.
  std::string build() const;

  // 'O''Brien' -> 'O\'Brien' : a quoted SOQL string literal with \ ' " \n \r \t escaped.
  static std::string quote(const std::string& literal);

 private:
  std::string object_;
  std::vector<std::string> fields_;
  std::vector<std::string> conditions_;
  std::string orderBy_;
  std::optional<long> limit_;
};

}  // namespace sfsync::salesforce
