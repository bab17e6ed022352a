// Field-by-field JSON body reading (see json_fields.h).
#include "api/json_fields.h"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "api/problems.h"
#include "store/rules.h"

namespace taskraft::api {

std::variant<boost::json::object, store::Problem> parse_object(std::string_view body) {
  if (body.empty()) return problems::malformed("the request needs a JSON object as its body");
  boost::json::parse_options options;
  options.allow_invalid_utf8 = true;  // reported per field by the getters
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec, {}, options);
  if (ec) return problems::malformed("the body is not valid JSON: " + ec.message());
  if (!v.is_object()) return problems::malformed("the body must be a JSON object");
  return std::move(v.get_object());
}

store::Problem validation_problem(std::vector<store::FieldError> errors) {
  return problems::validation(std::move(errors));
}

void JsonFields::require(std::string_view name) {
  if (!has(name)) error(name, "is required");
}

void JsonFields::check_names(std::initializer_list<std::string_view> writable,
                             std::initializer_list<std::string_view> read_only) {
  auto in = [](std::initializer_list<std::string_view> names, std::string_view key) {
    return std::find(names.begin(), names.end(), key) != names.end();
  };
  for (const auto& member : o_) {
    std::string_view key = member.key();
    if (in(writable, key)) continue;
    if (!store::utf8_length(key)) {
      error("(member name)", "must be valid UTF-8");
    } else {
      error(key, in(read_only, key) ? "is read-only" : "is not a known field");
    }
  }
}

std::optional<std::string> JsonFields::string_value(std::string_view name, const boost::json::value& v) {
  if (!v.is_string()) {
    error(name, "must be a string");
    return std::nullopt;
  }
  std::string s(v.get_string());
  if (!store::utf8_length(s)) {
    error(name, "must be valid UTF-8");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> JsonFields::string(std::string_view name) {
  const boost::json::value* v = o_.if_contains(name);
  return v ? string_value(name, *v) : std::nullopt;
}

Settable<std::string> JsonFields::nullable_string(std::string_view name) {
  const boost::json::value* v = o_.if_contains(name);
  if (!v) return {};
  if (v->is_null()) return {true, std::nullopt};
  if (auto s = string_value(name, *v)) return {true, std::move(s)};
  return {};
}

std::optional<std::vector<std::string>> JsonFields::string_array(std::string_view name) {
  const boost::json::value* v = o_.if_contains(name);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    error(name, "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  const boost::json::array& a = v->get_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto s = string_value(std::string(name) + "[" + std::to_string(i) + "]", a[i]);
    ok = ok && s.has_value();
    if (s) out.push_back(std::move(*s));
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::uint64_t> JsonFields::positive_integer(std::string_view name) {
  const boost::json::value* v = o_.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_uint64() && v->get_uint64() > 0) return v->get_uint64();
  if (v->is_int64() && v->get_int64() > 0) return static_cast<std::uint64_t>(v->get_int64());
  error(name, "must be a positive integer");
  return std::nullopt;
}

}  // namespace taskraft::api
