// Parsing of MySQL DSNs (see dsn.h).
#include "store/dsn.h"

#include <charconv>

#include "store/percent_encoding.h"

namespace taskraft::store {
namespace {

bool plain_identifier(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::optional<Dsn> parse_dsn(std::string_view text) {
  constexpr std::string_view kScheme = "mysql://";
  if (!text.starts_with(kScheme)) return std::nullopt;
  text.remove_prefix(kScheme.size());
  Dsn dsn;

  std::string_view query;
  if (auto q = text.find('?'); q != std::string_view::npos) {
    query = text.substr(q + 1);
    text = text.substr(0, q);
  }
  std::string_view path;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    path = text.substr(slash + 1);
    text = text.substr(0, slash);
  }
  if (auto at = text.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = text.substr(0, at);
    text = text.substr(at + 1);
    std::string_view user = userinfo, password;
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      password = userinfo.substr(colon + 1);
    }
    auto u = percent_decode(user);
    auto p = percent_decode(password);
    if (!u || !p || u->empty()) return std::nullopt;
    dsn.user = *u;
    dsn.password = *p;
  }
  if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = text.substr(colon + 1);
    text = text.substr(0, colon);
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), dsn.port);
    if (ec != std::errc() || end != port.data() + port.size() || dsn.port == 0 || dsn.port > 65535) {
      return std::nullopt;
    }
  }
  if (!text.empty()) dsn.host = std::string(text);
  if (!path.empty()) {
    if (!plain_identifier(path)) return std::nullopt;
    dsn.database = std::string(path);
  }
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    constexpr std::string_view kSocket = "socket=";
    if (!param.starts_with(kSocket)) return std::nullopt;
    auto socket = percent_decode(param.substr(kSocket.size()));
    if (!socket || socket->empty()) return std::nullopt;
    dsn.socket = *socket;
  }
  return dsn;
}

std::string describe(const Dsn& dsn) {
  std::string where = dsn.socket.empty() ? dsn.host + ":" + std::to_string(dsn.port) : dsn.socket;
  return "mysql://" + dsn.user + "@" + where + "/" + dsn.database;
}

}  // namespace taskraft::store
