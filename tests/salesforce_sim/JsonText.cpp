#include "salesforce_sim/JsonText.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace sfsync::sim {

void JsonText::appendString(std::string& out, std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t runStart = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + runStart, i - runStart);
    runStart = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
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
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(text.data() + runStart, text.size() - runStart);
  out.push_back('"');
}

void JsonText::appendInt(std::string& out, std::int64_t value) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, res.ptr);
}

void JsonText::appendDouble(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  if (value == 0) {
    out += std::signbit(value) ? "-0.0" : "0.0";
    return;
  }
  // Shortest round-trip digits in scientific form, e.g. "1.5e+07", then re-laid out Java style.
  char buf[40];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  bool negative = false;
  if (!sci.empty() && sci.front() == '-') {
    negative = true;
    sci.remove_prefix(1);
  }
  const std::size_t ePos = sci.find('e');
  std::string digitsOnly;
  for (char c : sci.substr(0, ePos)) {
    if (c != '.') digitsOnly.push_back(c);
  }
  const int exponent = std::atoi(std::string(sci.substr(ePos + 1)).c_str());
  if (negative) out.push_back('-');
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      const std::size_t intLen = static_cast<std::size_t>(exponent) + 1;
      if (digitsOnly.size() <= intLen) {
        out += digitsOnly;
        out.append(intLen - digitsOnly.size(), '0');
        out += ".0";
      } else {
        out.append(digitsOnly, 0, intLen);
        out.push_back('.');
        out.append(digitsOnly, intLen, std::string::npos);
      }
    } else {
      out += "0.";
      out.append(static_cast<std::size_t>(-exponent - 1), '0');
      out += digitsOnly;
    }
    return;
  }
  out.push_back(digitsOnly[0]);
  out.push_back('.');
  if (digitsOnly.size() > 1) {
    out.append(digitsOnly, 1, std::string::npos);
  } else {
    out.push_back('0');
  }
  out.push_back('E');
  appendInt(out, exponent);
}

void JsonText::appendBool(std::string& out, bool value) { out += value ? "true" : "false"; }

void JsonText::appendKey(std::string& out, std::string_view key) {
  appendString(out, key);
  out.push_back(':');
}

std::string JsonText::errorArray(std::string_view errorCode, std::string_view message) {
  std::string out = "[{";
  appendKey(out, "message");
  appendString(out, message);
  out.push_back(',');
  appendKey(out, "errorCode");
  appendString(out, errorCode);
  out += "}]";
  return out;
}

}  // namespace sfsync::sim
