// Hexadecimal text (see hex.h).
#include "store/hex.h"

namespace taskraft::store {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string hex_encode(std::string_view bytes) {
  std::string out;
  hex_append(out, bytes);
  return out;
}

void hex_append(std::string& out, std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::size_t at = out.size();
  out.resize(at + bytes.size() * 2);
  for (unsigned char c : bytes) {
    out[at++] = kDigits[c >> 4];
    out[at++] = kDigits[c & 15];
  }
}

std::optional<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace taskraft::store
