// Conversions between the API's plain messages (http_message.h) and Beast's, shared by the
// server side (http_session.cc) and the forwarding client (forwarder.cc). Include only from
// those .cc files: it pulls in Beast.
//
// Guarantees: hop-by-hop headers (Connection, Keep-Alive, Transfer-Encoding, TE, Trailer,
// Upgrade, Proxy-*), Expect, Host and Content-Length never cross a conversion: the sending side sets
// its own framing. A Response's Content-Type travels in Response::content_type.
#pragma once

#include <boost/beast/http.hpp>

#include "api/http_message.h"

namespace taskraft::api {

namespace http = boost::beast::http;

Request from_beast(http::request<http::string_body>&& r);
Response from_beast(http::response<http::string_body>&& r);
// The request as the forwarding client sends it to `host`.
http::request<http::string_body> to_beast(const Request& r, const std::string& host);
http::response<http::string_body> to_beast(Response&& r, unsigned version, bool keep_alive);

}  // namespace taskraft::api
