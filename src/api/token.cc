// Signed bearer tokens (see token.h).
#include "api/token.h"

#include <sodium.h>

#include <boost/json.hpp>
#include <optional>

namespace taskraft::api {
namespace {

constexpr std::string_view kDomain = "taskraft-token-v1";
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    kVariant);
  out.resize(out.size() - 1);  // the NUL terminator
  return out;
}

std::optional<std::string> unbase64(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, &end, kVariant) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::optional<Claims> parse_claims(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const boost::json::object& o = v.get_object();
  const auto* sub = o.if_contains("sub");
  const auto* role = o.if_contains("role");
  const auto* exp = o.if_contains("exp_ms");
  if (!sub || !sub->is_string() || !role || !role->is_string() || !exp || !exp->is_int64()) return std::nullopt;
  auto parsed_role = store::parse_role(role->get_string());
  if (!parsed_role) return std::nullopt;
  return Claims{std::string(sub->get_string()), *parsed_role, exp->get_int64()};
}

}  // namespace

const char* describe(TokenError e) {
  switch (e) {
    case TokenError::kMalformed: return "the token is malformed";
    case TokenError::kBadSignature: return "the token's signature is not valid";
    case TokenError::kExpired: return "the token has expired; log in again";
  }
  return "the token is not valid";
}

std::string sign_token(const Hmac& key, const Claims& claims) {
  boost::json::object o;
  o["sub"] = claims.user;
  o["role"] = store::to_string(claims.role);
  o["exp_ms"] = claims.expires_at_ms;
  std::string payload = base64(boost::json::serialize(o));
  return payload + "." + base64(key.mac(kDomain, payload));
}

std::variant<Claims, TokenError> verify_token(const Hmac& key, std::string_view token, std::int64_t now_ms) {
  auto dot = token.find('.');
  if (dot == std::string_view::npos) return TokenError::kMalformed;
  std::string_view payload = token.substr(0, dot);
  auto mac = unbase64(token.substr(dot + 1));
  if (!mac) return TokenError::kMalformed;
  if (!key.verify(kDomain, payload, *mac)) return TokenError::kBadSignature;
  auto json = unbase64(payload);
  std::optional<Claims> claims = json ? parse_claims(*json) : std::nullopt;
  if (!claims) return TokenError::kMalformed;  // signed by us, so only an incompatible version
  if (claims->expires_at_ms <= now_ms) return TokenError::kExpired;
  return *claims;
}

}  // namespace taskraft::api
