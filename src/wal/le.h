// Little-endian fixed-width integer encoding for the WAL's on-disk headers.
//
// Guarantees: put_le then get_le at the same place gives back the value, whatever the host's
// byte order; get_le reads exactly sizeof(T) bytes from `p` and nothing else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

namespace taskraft::wal {

template <typename T>
void put_le(std::string& out, T v) {
  static_assert(std::is_unsigned_v<T>);
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// Overwrites sizeof(T) bytes at `p`.
template <typename T>
void store_le(char* p, T v) {
  static_assert(std::is_unsigned_v<T>);
  for (std::size_t i = 0; i < sizeof(T); ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

template <typename T>
T get_le(const char* p) {
  static_assert(std::is_unsigned_v<T>);
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    v |= static_cast<T>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  return v;
}

}  // namespace taskraft::wal
