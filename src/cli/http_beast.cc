// Conversions between the CLI's HTTP values and Beast's, and the kept-alive stream (see
// http_beast.h).
#include "cli/http_beast.h"

namespace taskraft::cli {

namespace http = boost::beast::http;

http::request<http::string_body> to_beast(const HttpRequest& request, const std::string& host) {
  http::request<http::string_body> req{http::string_to_verb(request.method), request.target, 11};
  req.set(http::field::host, host);
  req.set(http::field::user_agent, "taskraft-cli");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = request.body;
  }
  req.keep_alive(true);
  req.prepare_payload();
  return req;
}

HttpResponse from_beast(http::response<http::string_body>&& response) {
  HttpResponse out;
  out.status = static_cast<int>(response.result_int());
  for (const auto& field : response) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = std::move(response.body());
  return out;
}

std::string host_header(const NodeAddress& node) { return node.host + ":" + std::to_string(node.port); }

boost::beast::error_code KeptAliveStream::resolve(const NodeAddress& node) {
  boost::beast::error_code ec;
  if (endpoints) return ec;
  boost::asio::ip::tcp::resolver resolver(stream.get_executor());
  auto found = resolver.resolve(node.host, std::to_string(node.port), ec);
  if (!ec) endpoints = std::move(found);
  return ec;
}

void KeptAliveStream::close() {
  boost::beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream.socket().close(ignored);
  buffer.clear();
  open = false;
}

TransportError::Kind KeptAliveStream::failure(boost::beast::error_code ec, TransportError::Kind otherwise) {
  return ec == boost::beast::error::timeout ? TransportError::Kind::kTimeout : otherwise;
}

}  // namespace taskraft::cli
