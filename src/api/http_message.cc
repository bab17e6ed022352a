// Plain HTTP messages (see http_message.h).
#include "api/http_message.h"

#include <algorithm>

namespace taskraft::api {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const Header& h : items_) {
    if (iequals(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

void Headers::set(std::string_view name, std::string value) {
  remove(name);
  add(name, std::move(value));
}

void Headers::add(std::string_view name, std::string value) { items_.push_back({std::string(name), std::move(value)}); }

void Headers::remove(std::string_view name) {
  std::erase_if(items_, [&](const Header& h) { return iequals(h.name, name); });
}

std::string_view Request::path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view Request::query() const {
  std::string_view t = target;
  auto q = t.find('?');
  return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
}

Response json_response(int status, std::string body) {
  return {status, {}, std::string(store::kJsonContentType), std::move(body)};
}

Response outcome_response(const store::Outcome& o) { return {o.http_status, {}, o.content_type, o.body}; }

Response problem_response(const store::Problem& p, int retry_after_seconds) {
  Response r = outcome_response(store::problem_outcome(p));
  if (p.status == 503) r.headers.set("Retry-After", std::to_string(retry_after_seconds));
  return r;
}

}  // namespace taskraft::api
