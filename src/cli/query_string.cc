// Percent-encoding (see query_string.h).
#include "cli/query_string.h"

#include <cctype>

namespace taskraft::cli {
namespace {

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

QueryString& QueryString::add(std::string_view name, std::string_view value) {
  text_ += text_.empty() ? "?" : "&";
  text_ += percent_encode(name) + "=" + percent_encode(value);
  return *this;
}

std::string QueryString::after(std::string_view path) const { return std::string(path) + text_; }

}  // namespace taskraft::cli
