// The field rules of API.md, checked at apply time on the values a command would store.
//
// The API layer validates requests before proposing them (and may call these same functions);
// the store checks again at apply time because what is in the log is applied forever by every
// node: a command breaking a rule deterministically becomes a 422 outcome on every node instead
// of a row MySQL would reject on some nodes only. Lengths count Unicode code points.
//
//   title 1-200; description <= 10,000; tags <= 20, each 1-40; assignee 1-64; project 1-100;
//   username 1-64 with no whitespace or control characters; password hash 1-255 printable ASCII;
//   idempotency key 1-64 printable ASCII; every string valid UTF-8; due_at in years 0001-9999.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/problem.h"
#include "store/task.h"

namespace taskraft::store {

inline constexpr std::size_t kMaxTitle = 200;
inline constexpr std::size_t kMaxDescription = 10000;
inline constexpr std::size_t kMaxTags = 20;
inline constexpr std::size_t kMaxTag = 40;
inline constexpr std::size_t kMaxAssignee = 64;
inline constexpr std::size_t kMaxProject = 100;
inline constexpr std::size_t kMaxUsername = 64;
inline constexpr std::size_t kMaxPasswordHash = 255;
inline constexpr std::size_t kMaxIdempotencyKey = 64;

// The number of code points, or nullopt when `s` is not valid UTF-8 (overlong forms, surrogates
// and values above U+10FFFF are invalid).
std::optional<std::size_t> utf8_length(std::string_view s);

std::vector<FieldError> check_task(const Task& t);
std::vector<FieldError> check_user(std::string_view username, std::string_view password_hash);
bool valid_idempotency_key(std::string_view key);

// Drops repeated tags, keeping the first occurrence (the order given is kept).
void dedupe_tags(std::vector<std::string>& tags);

}  // namespace taskraft::store
