// One client connection (see http_session.h).
#include "api/http_session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "api/beast_convert.h"
#include "api/call.h"
#include "api/context.h"
#include "api/pipeline.h"
#include "api/problems.h"
#include "api/request_metrics.h"
#include "transport/send_now.h"

namespace taskraft::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxDrainBytes = 8 * 1024 * 1024;
constexpr std::chrono::seconds kDrainTime{2};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The message as it goes on the wire.
std::string serialize(http::response<http::string_body>& message) {
  http::response_serializer<http::string_body> serializer(message);
  std::string out;
  out.reserve(message.body().size() + 512);  // the body and a header
  boost::system::error_code ec;
  while (!ec && !serializer.is_done()) {
    serializer.next(ec, [&](boost::system::error_code&, const auto& buffers) {
      for (const auto b : beast::buffers_range_ref(buffers)) out.append(static_cast<const char*>(b.data()), b.size());
      serializer.consume(beast::buffer_bytes(buffers));
    });
  }
  return out;
}

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Context& ctx, const Router& router, SessionSet& set)
      : stream_(std::move(socket)), fd_(stream_.socket().native_handle()), ctx_(ctx), router_(router), set_(set) {}
  ~Session() { set_.remove(this); }

  asio::awaitable<void> run(std::shared_ptr<Session> self, bool reject);

  // On the session's strand.
  void close_if_idle() {
    if (idle_) stream_.cancel();
  }
  void close() { stream_.cancel(); }
  asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  // A request that could not be read in full: its answer, and whether to stop reading (timeouts
  // and closed connections get no answer at all).
  struct ReadFailure {
    bool answer = false;
    Response response;
  };
  asio::awaitable<bool> wait_for_request(beast::flat_buffer& buffer);
  asio::awaitable<std::optional<ReadFailure>> read_request(beast::flat_buffer& buffer,
                                                           http::request_parser<http::string_body>& parser);
  // A request's answer once the thread that answered it has written what the socket took.
  struct Answered {
    std::string bytes;  // the answer as encoded
    std::size_t sent;   // how many of them the answering thread wrote; the io thread writes the rest
    bool keep_alive;
  };
  // What a request's answer goes out with.
  struct Reply {
    std::string method;
    unsigned version;
    bool keep_alive;
    std::chrono::steady_clock::time_point start;
  };
  asio::awaitable<Answered> answer(Request request, Reply reply);
  // The answer's bytes: stamped with the X-Raft-* headers and counted in the request metrics.
  std::string encode(Response response, std::string_view route, const Reply& reply) const;
  asio::awaitable<bool> send(Response response, const Reply& reply);
  asio::awaitable<bool> write(asio::const_buffer bytes);
  asio::awaitable<void> drain_and_close();

  beast::tcp_stream stream_;
  const int fd_;  // stream_'s descriptor, for the answering thread's direct write
  const Context& ctx_;
  const Router& router_;
  SessionSet& set_;
  bool idle_ = true;
};

asio::awaitable<void> Session::run(std::shared_ptr<Session> self, bool reject) {
  beast::flat_buffer buffer;
  if (reject) {
    Response r = problem_response(problems::unavailable("too many open connections; retry shortly"),
                                  ctx_.limits.retry_after_seconds);
    co_await send(std::move(r), Reply{"-", 11, false, std::chrono::steady_clock::now()});
    co_await drain_and_close();
    co_return;
  }
  while (co_await wait_for_request(buffer)) {
    auto start = std::chrono::steady_clock::now();
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(ctx_.limits.max_header_bytes));
    parser.body_limit(ctx_.limits.max_body_bytes);
    if (auto failure = co_await read_request(buffer, parser)) {
      if (failure->answer) {
        co_await send(std::move(failure->response), Reply{"-", 11, false, start});
        co_await drain_and_close();
      }
      co_return;
    }
    http::request<http::string_body> request = parser.release();
    Reply reply{std::string(request.method_string()), request.version(), request.keep_alive(), start};
    Answered answered = co_await answer(from_beast(std::move(request)), std::move(reply));
    if (answered.sent < answered.bytes.size() &&
        !co_await write(asio::buffer(answered.bytes) + answered.sent))
      break;
    if (!answered.keep_alive) break;
  }
  boost::system::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

// Waits, up to idle_timeout, until a request starts (buffered bytes count). False: close.
asio::awaitable<bool> Session::wait_for_request(beast::flat_buffer& buffer) {
  idle_ = true;
  if (set_.stopping()) co_return false;
  if (buffer.size() == 0) {
    stream_.expires_after(ctx_.limits.idle_timeout);
    auto [ec, n] = co_await stream_.async_read_some(buffer.prepare(4096), kTuple);
    if (ec) co_return false;
    buffer.commit(n);
  }
  idle_ = false;
  co_return true;
}

asio::awaitable<std::optional<Session::ReadFailure>> Session::read_request(
    beast::flat_buffer& buffer, http::request_parser<http::string_body>& parser) {
  auto failure = [](const boost::system::error_code& ec) -> ReadFailure {
    if (ec == http::error::header_limit) {
      return {true, problem_response(problems::headers_too_large("the request's header is over the limit"))};
    }
    if (ec == http::error::body_limit) {
      return {true, problem_response(problems::too_large("the request body is over the 1 MiB limit"))};
    }
    if (ec == beast::error::timeout || ec == asio::error::operation_aborted || ec == http::error::end_of_stream ||
        ec == asio::error::eof || ec == asio::error::connection_reset) {
      return {false, {}};
    }
    return {true, problem_response(problems::malformed("the request is not valid HTTP/1.1: " + ec.message()))};
  };
  stream_.expires_after(ctx_.limits.read_timeout);
  auto [hec, header_bytes] = co_await http::async_read_header(stream_, buffer, parser, kTuple);
  if (hec) co_return failure(hec);
  if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
    http::response<http::empty_body> go_on(http::status::continue_, parser.get().version());
    auto [wec, written] = co_await http::async_write(stream_, go_on, kTuple);
    if (wec) co_return ReadFailure{};
  }
  auto [bec, body_bytes] = co_await http::async_read(stream_, buffer, parser, kTuple);
  if (bec) co_return failure(bec);
  co_return std::nullopt;
}

// Hands the request to the pipeline and waits for its answer. The thread that answers (an apply
// thread, a query thread, this io thread) encodes it and writes what the socket takes at once,
// so the client has its answer without waiting for this io thread to be scheduled. Meanwhile
// nothing else touches the socket: this coroutine, its only other user, waits here, and the
// descriptor is closed only after it has resumed.
asio::awaitable<Session::Answered> Session::answer(Request request, Reply reply) {
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Answered)>(
      [&](auto handler) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        Call::Send send = [this, h, reply = std::move(reply)](const Call& call, Response r) mutable {
          reply.keep_alive = reply.keep_alive && !set_.stopping();  // a Call is answered once
          std::string bytes = encode(std::move(r), call.route(), reply);
          const std::size_t sent = transport::send_now(fd_, bytes);
          asio::post(executor(), [h, a = Answered{std::move(bytes), sent, reply.keep_alive}]() mutable {
            (*h)(std::move(a));
          });
        };
        handle(ctx_, router_,
               std::make_shared<Call>(std::move(request), node::Clock::now() + ctx_.limits.request_deadline,
                                      std::move(send)));
      },
      asio::use_awaitable);
}

std::string Session::encode(Response response, std::string_view route, const Reply& reply) const {
  stamp_raft_headers(ctx_, response);
  record_request(ctx_.metrics, route, reply.method, response.status, seconds_since(reply.start));
  auto message = to_beast(std::move(response), reply.version, reply.keep_alive);
  return serialize(message);
}

// Answers a request that could not be read (route "-"); false when the connection failed.
asio::awaitable<bool> Session::send(Response response, const Reply& reply) {
  const std::string bytes = encode(std::move(response), "-", reply);
  co_return co_await write(asio::buffer(bytes));
}

// False when the connection failed.
asio::awaitable<bool> Session::write(asio::const_buffer bytes) {
  stream_.expires_after(ctx_.limits.write_timeout);
  auto [ec, n] = co_await asio::async_write(stream_, bytes, kTuple);
  co_return !ec;
}

// Stops sending, then reads and drops what the client still sends (briefly), so that closing
// with unread bytes does not reset the connection before the client has read the answer.
asio::awaitable<void> Session::drain_and_close() {
  boost::system::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(kDrainTime);
  std::array<char, 16384> sink;
  for (std::size_t drained = 0; drained < kMaxDrainBytes;) {
    auto [rec, n] = co_await stream_.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
    drained += n;
  }
  stream_.socket().close(ec);
}

std::size_t SessionSet::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

bool SessionSet::stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

void SessionSet::add(const std::shared_ptr<Session>& s) {
  std::lock_guard lock(mu_);
  sessions_.emplace(s.get(), s);
}

void SessionSet::remove(Session* s) {
  std::lock_guard lock(mu_);
  sessions_.erase(s);
  if (sessions_.empty()) drained_.notify_all();
}

// The sessions still alive; released outside the lock (a last reference ends in remove()).
std::vector<std::shared_ptr<Session>> SessionSet::live() {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard lock(mu_);
  for (auto& [raw, weak] : sessions_) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

void SessionSet::close_idle() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  for (auto& s : live()) asio::post(s->executor(), [s] { s->close_if_idle(); });
}

void SessionSet::close_all() {
  for (auto& s : live()) asio::post(s->executor(), [s] { s->close(); });
}

bool SessionSet::wait_empty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return drained_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
}

void start_session(tcp::socket socket, const Context& ctx, const Router& router, SessionSet& sessions, bool reject) {
  boost::system::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  auto s = std::make_shared<Session>(std::move(socket), ctx, router, sessions);
  sessions.add(s);
  asio::co_spawn(s->executor(), s->run(s, reject), asio::detached);
}

}  // namespace taskraft::api
