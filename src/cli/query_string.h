// Query strings for request targets, their names and values percent-encoded.
//
// Guarantees: every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~) is percent-encoded, so a
// value (a search text, a tag with spaces or '&') reaches the server exactly as given.
#pragma once

#include <string>
#include <string_view>

namespace taskraft::cli {

class QueryString {
 public:
  QueryString& add(std::string_view name, std::string_view value);
  // `path` followed by "?name=value&..." (or `path` alone when nothing was added).
  std::string after(std::string_view path) const;

 private:
  std::string text_;
};

}  // namespace taskraft::cli
