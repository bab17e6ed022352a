// Plain messages to and from Beast's (see beast_convert.h).
#include "api/beast_convert.h"

#include <array>

namespace taskraft::api {
namespace {

bool is_framing(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kNames = {
      "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Host", "Content-Length", "Expect"};
  for (std::string_view n : kNames) {
    if (iequals(name, n)) return true;
  }
  return name.size() >= 6 && iequals(name.substr(0, 6), "Proxy-");
}

Headers end_to_end(const http::fields& from, bool keep_content_type) {
  Headers out;
  for (const auto& f : from) {
    if (is_framing(f.name_string())) continue;
    if (!keep_content_type && iequals(f.name_string(), "Content-Type")) continue;
    out.add(f.name_string(), std::string(f.value()));
  }
  return out;
}

}  // namespace

Request from_beast(http::request<http::string_body>&& r) {
  return {std::string(r.method_string()), std::string(r.target()), end_to_end(r, true), std::move(r.body())};
}

Response from_beast(http::response<http::string_body>&& r) {
  return {static_cast<int>(r.result_int()), end_to_end(r, false), std::string(r[http::field::content_type]),
          std::move(r.body())};
}

http::request<http::string_body> to_beast(const Request& r, const std::string& host) {
  http::request<http::string_body> out;
  out.method_string(r.method);
  out.target(r.target);
  out.version(11);
  for (const Header& h : r.headers.all()) {
    if (!is_framing(h.name)) out.insert(h.name, h.value);
  }
  out.set(http::field::host, host);
  out.keep_alive(true);
  out.body() = r.body;
  out.prepare_payload();
  return out;
}

http::response<http::string_body> to_beast(Response&& r, unsigned version, bool keep_alive) {
  http::response<http::string_body> out(static_cast<http::status>(r.status), version);
  for (const Header& h : r.headers.all()) {
    if (!is_framing(h.name)) out.insert(h.name, h.value);
  }
  if (!r.content_type.empty()) out.set(http::field::content_type, r.content_type);
  out.body() = std::move(r.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

}  // namespace taskraft::api
