#include "salesforce_sim/SoqlTokenizer.h"

#include "salesforce_sim/SoqlError.h"

namespace sfsync::sim {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdentStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool SoqlToken::is(std::string_view keyword) const {
  if (kind != Kind::Identifier || text.size() != keyword.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (lower(text[i]) != lower(keyword[i])) return false;
  }
  return true;
}

std::string SoqlToken::display() const {
  if (kind == Kind::End) return "<EOF>";
  return "'" + text + "'";
}

std::vector<SoqlToken> SoqlTokenizer::tokenize() {
  std::vector<SoqlToken> tokens;
  while (true) {
    while (pos_ < soql_.size() && (soql_[pos_] == ' ' || soql_[pos_] == '\t' ||
                                   soql_[pos_] == '\n' || soql_[pos_] == '\r')) {
      ++pos_;
    }
    const std::size_t start = pos_;
    if (pos_ >= soql_.size()) {
      SoqlToken end;
      end.pos = soql_.size();
      tokens.push_back(end);
      return tokens;
    }
    const char c = soql_[pos_];
    SoqlToken t;
    t.pos = start;
    if (isIdentStart(c)) {
      while (pos_ < soql_.size() &&
             (isIdentChar(soql_[pos_]) ||
              (soql_[pos_] == '.' && pos_ + 1 < soql_.size() && isIdentStart(soql_[pos_ + 1])))) {
        ++pos_;
      }
      t.kind = SoqlToken::Kind::Identifier;
      t.text = std::string(soql_.substr(start, pos_ - start));
    } else if (c == '\'') {
      t = readString(start);
    } else if (isDigit(c) || ((c == '-' || c == '+') && pos_ + 1 < soql_.size() &&
                              (isDigit(soql_[pos_ + 1]) || soql_[pos_ + 1] == '.'))) {
      t = readNumberOrDate(start);
    } else if (c == '.' && pos_ + 1 < soql_.size() && isDigit(soql_[pos_ + 1])) {
      t = readNumberOrDate(start);
    } else if (c == '(' || c == ')' || c == ',' || c == ':') {
      ++pos_;
      t.kind = c == '('   ? SoqlToken::Kind::LParen
               : c == ')' ? SoqlToken::Kind::RParen
               : c == ',' ? SoqlToken::Kind::Comma
                          : SoqlToken::Kind::Colon;
      t.text = std::string(1, c);
    } else if (c == '=' || c == '<' || c == '>' || c == '!') {
      ++pos_;
      if (pos_ < soql_.size()) {
        const char n = soql_[pos_];
        if ((c == '<' && (n == '=' || n == '>')) || (c == '>' && n == '=') ||
            (c == '!' && n == '=')) {
          ++pos_;
        }
      }
      t.kind = SoqlToken::Kind::Operator;
      t.text = std::string(soql_.substr(start, pos_ - start));
      if (t.text == "!") {
        throw SoqlError::at("MALFORMED_QUERY", soql_, start, "unexpected token: '!'");
      }
    } else {
      throw SoqlError::at("MALFORMED_QUERY", soql_, start,
                          "unexpected token: '" + std::string(1, c) + "'");
    }
    t.length = pos_ - start;
    tokens.push_back(std::move(t));
  }
}

SoqlToken SoqlTokenizer::readString(std::size_t start) {
  SoqlToken t;
  t.kind = SoqlToken::Kind::String;
  t.pos = start;
  ++pos_;  // opening quote
  while (true) {
    if (pos_ >= soql_.size()) {
      throw SoqlError::at("MALFORMED_QUERY", soql_, soql_.size(), "unexpected token: <EOF>");
    }
    const char c = soql_[pos_++];
    if (c == '\'') break;
    if (c != '\\') {
      t.text.push_back(c);
      continue;
    }
    if (pos_ >= soql_.size()) continue;
    const char e = soql_[pos_++];
    switch (e) {
      case 'n':
        t.text.push_back('\n');
        break;
      case 'r':
        t.text.push_back('\r');
        break;
      case 't':
        t.text.push_back('\t');
        break;
      case 'b':
        t.text.push_back('\b');
        break;
      case 'f':
        t.text.push_back('\f');
        break;
      case '"':
        t.text.push_back('"');
        break;
      case '\'':
        t.text.push_back('\'');
        break;
      case '\\':
        t.text += "\\\\";
        break;  // kept escaped: LIKE treats \\ as a literal backslash
      case '%':
        t.text += "\\%";
        break;
      case '_':
        t.text += "\\_";
        break;
      default:
        throw SoqlError::at(
            "MALFORMED_QUERY", soql_, pos_ - 2,
            "Invalid string literal '" + std::string(soql_.substr(start, pos_ - start)) +
                "'. Illegal character sequence '\\" + std::string(1, e) + "' in string literal.");
    }
  }
  t.length = pos_ - start;
  return t;
}

SoqlToken SoqlTokenizer::readNumberOrDate(std::size_t start) {
  SoqlToken t;
  t.pos = start;
  // Date literal: exactly 4 digits then '-'.
  if (start + 4 < soql_.size() && isDigit(soql_[start]) && isDigit(soql_[start + 1]) &&
      isDigit(soql_[start + 2]) && isDigit(soql_[start + 3]) && soql_[start + 4] == '-') {
    std::size_t p = start;
    while (p < soql_.size() &&
           (isDigit(soql_[p]) || soql_[p] == '-' || soql_[p] == ':' || soql_[p] == 'T' ||
            soql_[p] == 'Z' || soql_[p] == '.' || soql_[p] == '+')) {
      ++p;
    }
    pos_ = p;
    t.text = std::string(soql_.substr(start, p - start));
    t.kind =
        t.text.find('T') == std::string::npos ? SoqlToken::Kind::Date : SoqlToken::Kind::DateTime;
    return t;
  }
  std::size_t p = start;
  if (soql_[p] == '-' || soql_[p] == '+') ++p;
  while (p < soql_.size() && isDigit(soql_[p])) ++p;
  if (p < soql_.size() && soql_[p] == '.') {
    ++p;
    while (p < soql_.size() && isDigit(soql_[p])) ++p;
  }
  if (p < soql_.size() && (soql_[p] == 'e' || soql_[p] == 'E')) {
    std::size_t q = p + 1;
    if (q < soql_.size() && (soql_[q] == '-' || soql_[q] == '+')) ++q;
    if (q < soql_.size() && isDigit(soql_[q])) {
      p = q;
      while (p < soql_.size() && isDigit(soql_[p])) ++p;
    }
  }
  pos_ = p;
  t.kind = SoqlToken::Kind::Number;
  t.text = std::string(soql_.substr(start, p - start));
  return t;
}

}  // namespace sfsync::sim
