// Problems from answers, and their one-or-few-line rendering (see failure.h).
#include "cli/failure.h"

#include <boost/json.hpp>

namespace taskraft::cli {
namespace {

std::string string_member(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string summary(int status, const std::string& title, const std::string& detail) {
  std::string s = (title.empty() ? "HTTP error" : title) + " (" + std::to_string(status) + ")";
  if (!detail.empty()) s += ": " + detail;
  return s;
}

// For answers whose body is no problem document (a 412 carries the current task instead).
std::string status_title(int status) {
  switch (status) {
    case 400: return "Bad request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not found";
    case 409: return "Conflict";
    case 412: return "Precondition failed";
    case 413: return "Payload too large";
    case 422: return "Invalid request";
    case 503: return "Service unavailable";
    default: return "HTTP error";
  }
}

}  // namespace

ApiError::ApiError(int status, std::string title, std::string detail, std::vector<FieldError> errors, std::string body)
    : std::runtime_error(summary(status, title, detail)),
      status_(status),
      title_(std::move(title)),
      detail_(std::move(detail)),
      errors_(std::move(errors)),
      body_(std::move(body)) {}

ApiError ApiError::from_response(const HttpResponse& response) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(response.body, ec);
  const boost::json::object* o = ec ? nullptr : v.if_object();
  if (o && !o->contains("type") && o->contains("version")) {
    std::string detail = "the task is at version " + boost::json::serialize(o->at("version")) + " now";
    return ApiError(response.status, status_title(response.status), detail, {}, response.body);
  }
  if (!o || !o->contains("type")) {
    return ApiError(response.status, status_title(response.status), response.body.substr(0, 200), {}, response.body);
  }
  std::vector<FieldError> errors;
  if (const boost::json::value* list = o->if_contains("errors"); list && list->is_array()) {
    for (const boost::json::value& e : list->get_array()) {
      if (const boost::json::object* eo = e.if_object()) {
        errors.push_back({string_member(*eo, "field"), string_member(*eo, "message")});
      }
    }
  }
  return ApiError(response.status, string_member(*o, "title"), string_member(*o, "detail"), std::move(errors),
                  response.body);
}

std::string ApiError::lines() const {
  std::string out = "error: " + std::string(what());
  for (const FieldError& e : errors_) out += "\n  " + e.field + ": " + e.message;
  return out;
}

}  // namespace taskraft::cli
