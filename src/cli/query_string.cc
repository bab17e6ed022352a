// Query strings (see query_string.h), percent-encoded by store/percent_encoding.h.
#include "cli/query_string.h"

#include "store/percent_encoding.h"

namespace taskraft::cli {

QueryString& QueryString::add(std::string_view name, std::string_view value) {
  text_ += text_.empty() ? "?" : "&";
  text_ += store::percent_encode(name) + "=" + store::percent_encode(value);
  return *this;
}

std::string QueryString::after(std::string_view path) const { return std::string(path) + text_; }

}  // namespace taskraft::cli
