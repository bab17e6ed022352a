// Header lookup and resend rules of the CLI's HTTP values (see http_message.h).
#include "cli/http_message.h"

#include <algorithm>
#include <cctype>

namespace taskraft::cli {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (same_name(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

bool HttpRequest::resendable() const {
  return method == "GET" || method == "HEAD" || find_header(headers, "Idempotency-Key").has_value();
}

std::optional<std::string_view> HttpResponse::header(std::string_view name) const { return find_header(headers, name); }

}  // namespace taskraft::cli
