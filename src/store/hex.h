// Hexadecimal text for bytes: SQL byte literals, cursors and percent-decoding all use it.
//
// Guarantees: hex_decode(hex_encode(b)) == b; hex_decode accepts exactly an even number of hex
// digits (either case) and rejects anything else with nullopt.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace taskraft::store {

std::string hex_encode(std::string_view bytes);  // lower case
void hex_append(std::string& out, std::string_view bytes);  // appends hex_encode(bytes)
std::optional<std::string> hex_decode(std::string_view text);
int hex_digit(char c);  // 0-15, or -1 for a character that is not a hex digit

}  // namespace taskraft::store
