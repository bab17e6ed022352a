// CRC-32C matches the published check values, so segments are readable by any implementation
// of the standard checksum, and checksumming in pieces equals checksumming at once.
#include "wal/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace taskraft::wal {
namespace {

TEST(Crc32c, MatchesStandardCheckValues) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAu);   // RFC 3720 B.4
  EXPECT_EQ(crc32c(std::string(32, '\xFF')), 0x62A8AB43u);
  EXPECT_EQ(crc32c(""), 0u);
}

TEST(Crc32c, ExtendingOverPiecesEqualsWholeForEverySplit) {
  std::string data;
  for (int i = 0; i < 100; ++i) data.push_back(static_cast<char>(i * 37 + 11));
  for (std::size_t cut = 0; cut <= data.size(); ++cut) {
    std::string_view v(data);
    EXPECT_EQ(crc32c_extend(crc32c(v.substr(0, cut)), v.substr(cut)), crc32c(v)) << cut;
  }
}

}  // namespace
}  // namespace taskraft::wal
