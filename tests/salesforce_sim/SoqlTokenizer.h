// SoqlTokenizer: splits SOQL text into tokens for SoqlParser: identifiers (a dotted field path such
// as Owner.Manager.Email is one token), 'string' literals with backslash escapes, numbers, date and
// datetime literals (2025-01-15, 2025-01-15T10:30:00Z), operators and punctuation. Keywords are
// identifiers; the parser compares them case-insensitively. Errors are MALFORMED_QUERY SoqlErrors.
//
// Thread-safety: a tokenizer is used by one thread; the produced tokens are plain values.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sfsync::sim {

struct SoqlToken {
  enum class Kind {
    Identifier,
    String,
    Number,
    Date,
    DateTime,
    Operator,
    LParen,
    RParen,
    Comma,
    Colon,
    End
  };
  Kind kind = Kind::End;
  std::string text;  // identifiers/numbers/dates/operators: source text; strings: unescaped value
                     // with LIKE escapes (\% \_) kept as backslash pairs
  std::size_t pos = 0;  // byte offset in the query
  std::size_t length = 0;

  // True for an identifier equal (case-insensitively) to `keyword`.
  bool is(std::string_view keyword) const;
  // How Salesforce names the token in "unexpected token" messages.
  std::string display() const;
};

class SoqlTokenizer {
 public:
  explicit SoqlTokenizer(std::string_view soql) : soql_(soql) {}
  // The tokens, always ending with one End token. Throws SoqlError.
  std::vector<SoqlToken> tokenize();

 private:
  SoqlToken readString(std::size_t start);
  SoqlToken readNumberOrDate(std::size_t start);

  std::string_view soql_;
  std::size_t pos_ = 0;
};

}  // namespace sfsync::sim
