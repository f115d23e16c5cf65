// ConfigText: small text helpers shared by the config parsers - which names are acceptable for
// fields, columns and connections, strict number/boolean parsing of property values,
// case-insensitive comparison, trimming, and "did you mean" suggestions for misspelt keys and
// names.
//
// Thread-safety: pure functions.
#pragma once

#include "sfsync/core/Names.h"

#include <string>
#include <vector>

namespace sfsync::config::text {

// A Salesforce API name such as "Account", "My_Field__c": a letter, then letters, digits, '_'.
bool isApiName(const std::string& s);
// A field or relationship path: API names joined by '.', e.g. "Owner.Profile.Name".
bool isFieldPath(const std::string& s);
// A target object name such as "Company" or "Company Person": words of letters, digits and '_'
// separated by single spaces, starting with a letter (the store quotes it as a table name).
bool isObjectName(const std::string& s);
// A connection or admin token name: letters, digits, '_' and '-' (it becomes part of property
// keys).
bool isConnectionName(const std::string& s);

// A decimal integer (optional sign, surrounding blanks allowed, nothing else); false on overflow.
bool parseInteger(const std::string& s, long long* out);
// true/false, yes/no, on/off, 1/0 (case-insensitive).
bool parseBoolean(const std::string& s, bool* out);

std::string toLower(std::string s);
bool equalsIgnoreCase(const std::string& a, const std::string& b);
std::string trim(const std::string& s);
// Splits on `sep` and trims each part; empty parts are kept (callers decide).
std::vector<std::string> splitTrimmed(const std::string& s, char sep);

// "Did you mean": the rule lives in core (sfsync/core/Names.h), shared with the notify module.
using ::sfsync::closestName;
using ::sfsync::didYouMean;

// "a, b, c"
std::string join(const std::vector<std::string>& parts, const std::string& sep = ", ");
// The allowed JSON string values of a key: "\"a\" or \"b\"", "\"a\", \"b\" or \"c\"".
std::string quotedChoices(const std::vector<std::string>& choices);

}  // namespace sfsync::config::text
