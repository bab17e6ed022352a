// Percent-encoding (RFC 3986) of the text in DSNs and in query strings (the CLI encodes them,
// the API decodes them).
//
// Guarantees: percent_encode keeps exactly the unreserved bytes (A-Z a-z 0-9 - . _ ~) and writes
// every other byte as %XX (upper case); percent_decode(percent_encode(s)) == s for any bytes s;
// percent_decode rejects a '%' not followed by two hex digits with nullopt.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace taskraft::store {

std::string percent_encode(std::string_view text);
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace taskraft::store
