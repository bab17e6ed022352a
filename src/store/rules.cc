// Field rules (see rules.h).
#include "store/rules.h"

#include <algorithm>

#include "store/time_format.h"

namespace taskraft::store {
namespace {

void check_length(std::vector<FieldError>& errors, const std::string& field, std::string_view value,
                  std::size_t min, std::size_t max) {
  auto n = utf8_length(value);
  if (!n) {
    errors.push_back({field, "must be valid UTF-8"});
  } else if (*n < min || *n > max) {
    errors.push_back({field, min == 0 ? "must be at most " + std::to_string(max) + " characters"
                                      : "must be " + std::to_string(min) + " to " +
                                            std::to_string(max) + " characters"});
  }
}

bool printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    char32_t cp;
    if (c < 0x80) {
      n = 1, cp = c;
    } else if ((c & 0xe0) == 0xc0) {
      n = 2, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 3, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 4, cp = c & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + n > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
    i += n;
  }
  return count;
}

std::vector<FieldError> check_task(const Task& t) {
  std::vector<FieldError> errors;
  check_length(errors, "title", t.title, 1, kMaxTitle);
  check_length(errors, "description", t.description, 0, kMaxDescription);
  if (t.tags.size() > kMaxTags) {
    errors.push_back({"tags", "at most " + std::to_string(kMaxTags) + " tags"});
  }
  for (std::size_t i = 0; i < t.tags.size(); ++i) {
    check_length(errors, "tags[" + std::to_string(i) + "]", t.tags[i], 1, kMaxTag);
  }
  if (t.assignee) check_length(errors, "assignee", *t.assignee, 1, kMaxAssignee);
  if (t.project) check_length(errors, "project", *t.project, 1, kMaxProject);
  if (t.due_at_ms && (*t.due_at_ms < kMinTimeMs || *t.due_at_ms > kMaxTimeMs)) {
    errors.push_back({"due_at", "must be between years 0001 and 9999"});
  }
  return errors;
}

std::vector<FieldError> check_user(std::string_view username, std::string_view password_hash) {
  std::vector<FieldError> errors;
  check_length(errors, "username", username, 1, kMaxUsername);
  bool spaces = std::any_of(username.begin(), username.end(),
                            [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
  if (spaces) errors.push_back({"username", "must not contain spaces or control characters"});
  if (password_hash.empty() || password_hash.size() > kMaxPasswordHash || !printable_ascii(password_hash)) {
    errors.push_back({"password", "hash must be 1 to 255 printable ASCII characters"});
  }
  return errors;
}

bool valid_idempotency_key(std::string_view key) {
  return !key.empty() && key.size() <= kMaxIdempotencyKey && printable_ascii(key);
}

void dedupe_tags(std::vector<std::string>& tags) {
  std::vector<std::string> kept;
  for (std::string& tag : tags) {
    if (std::find(kept.begin(), kept.end(), tag) == kept.end()) kept.push_back(std::move(tag));
  }
  tags = std::move(kept);
}

}  // namespace taskraft::store
