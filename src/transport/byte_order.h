// Big-endian integers in byte strings: the one byte order of every integer on the peer link.
//
// Guarantees: put_* appends exactly sizeof(T) bytes; get_* reads exactly that many and is only
// called by parsers that have already checked the length (asserted).
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>

namespace taskraft::transport {

template <typename T>
void put_be(std::string& out, T value) {
  for (int shift = 8 * (static_cast<int>(sizeof(T)) - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

template <typename T>
T get_be(std::string_view in, std::size_t pos) {
  assert(pos + sizeof(T) <= in.size());
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value = static_cast<T>((value << 8) | static_cast<unsigned char>(in[pos + i]));
  }
  return value;
}

}  // namespace taskraft::transport
