// CRC-32C (Castagnoli), the checksum of every WAL record and segment header.
//
// Guarantees: the standard CRC-32C (reflected, polynomial 0x82F63B78, initial and final XOR
// 0xFFFFFFFF), so crc32c("123456789") == 0xE3069283. It detects every single-bit error and every
// burst error up to 32 bits long in a record, which is what recovery relies on to tell a damaged
// record from an intact one. `extend` continues a checksum over more bytes, so checksumming a
// buffer in pieces gives the same value as checksumming it at once.
#pragma once

#include <cstdint>
#include <string_view>

namespace taskraft::wal {

std::uint32_t crc32c_extend(std::uint32_t crc, std::string_view bytes);

inline std::uint32_t crc32c(std::string_view bytes) { return crc32c_extend(0, bytes); }

}  // namespace taskraft::wal
