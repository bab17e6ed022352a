// Reading a JSON request body field by field, collecting every problem instead of stopping at the
// first, so that one 422 answer names each bad field (API.md "Errors").
//
// Guarantees:
// - parse_object() accepts only a JSON object (else a 400 Problem); invalid UTF-8 inside strings
//   does not make the document malformed: it is reported against the field that holds it.
// - Each getter records a FieldError for its field when the value has the wrong type or is not
//   valid UTF-8, and then returns "absent": callers never see a value of the wrong type.
// - check_names() reports every member that is read-only or unknown, so a misspelt field is an
//   error rather than silently ignored.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "store/problem.h"

namespace taskraft::api {

// A member a PATCH may set to a value, set to null (clear), or leave out.
template <typename T>
struct Settable {
  bool present = false;
  std::optional<T> value;  // nullopt with present: JSON null
};

std::variant<boost::json::object, store::Problem> parse_object(std::string_view body);
store::Problem validation_problem(std::vector<store::FieldError> errors);  // 422

class JsonFields {
 public:
  JsonFields(const boost::json::object& o, std::vector<store::FieldError>& errors) : o_(o), errors_(errors) {}

  bool has(std::string_view name) const { return o_.contains(name); }
  void require(std::string_view name);  // error "is required" when absent
  void check_names(std::initializer_list<std::string_view> writable,
                   std::initializer_list<std::string_view> read_only = {});

  std::optional<std::string> string(std::string_view name);  // null is a wrong type here
  Settable<std::string> nullable_string(std::string_view name);
  std::optional<std::vector<std::string>> string_array(std::string_view name);
  std::optional<std::uint64_t> positive_integer(std::string_view name);

  void error(std::string_view name, std::string message) { errors_.push_back({std::string(name), std::move(message)}); }
  bool failed() const { return !errors_.empty(); }

 private:
  std::optional<std::string> string_value(std::string_view name, const boost::json::value& v);

  const boost::json::object& o_;
  std::vector<store::FieldError>& errors_;
};

// The one way a route reads its body: parse_object(), then `read` (which records field errors
// and returns what it read); any error makes the answer a Problem (400 or 422).
template <typename Read>
auto read_body(std::string_view body, Read read)
    -> std::variant<decltype(read(std::declval<JsonFields&>())), store::Problem> {
  auto parsed = parse_object(body);
  if (auto* p = std::get_if<store::Problem>(&parsed)) return std::move(*p);
  std::vector<store::FieldError> errors;
  JsonFields fields(std::get<boost::json::object>(parsed), errors);
  auto value = read(fields);
  if (!errors.empty()) return validation_problem(std::move(errors));
  return value;
}

}  // namespace taskraft::api
