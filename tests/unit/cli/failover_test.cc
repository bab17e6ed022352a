// The failover loop (cli/failover_client.h) and the kept-alive connection under it, against
// tiny scripted HTTP servers on 127.0.0.1.
#include "cli/failover_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "cli/failure.h"

namespace taskraft::cli {
namespace {

using namespace std::chrono_literals;

struct Seen {
  std::string method, target, idempotency_key;
};

// An HTTP/1.1 server answering every request with `script(request number)`, over kept-alive
// connections; records what it was sent and how many connections it accepted.
class FakeNode {
 public:
  explicit FakeNode(std::function<std::string(int)> script) : script_(std::move(script)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    listen(listener_, 16);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeNode() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
  }

  NodeAddress address() const { return {"127.0.0.1", port_}; }
  std::vector<Seen> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  int connections() const { return connections_; }

  static std::string answer(int status, const std::string& headers = "", const std::string& body = "") {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\n" + headers + "Content-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
  }

 private:
  void serve() {
    while (true) {
      int c = accept(listener_, nullptr, nullptr);
      if (c < 0) return;
      ++connections_;
      std::string buffer;
      char chunk[4096];
      while (true) {
        auto end = buffer.find("\r\n\r\n");
        if (end == std::string::npos) {
          ssize_t n = read(c, chunk, sizeof chunk);
          if (n <= 0) break;
          buffer.append(chunk, static_cast<std::size_t>(n));
          continue;
        }
        std::string head = buffer.substr(0, end);
        std::size_t length = 0;
        if (auto at = head.find("Content-Length: "); at != std::string::npos) length = std::stoul(head.substr(at + 16));
        while (buffer.size() < end + 4 + length) {
          ssize_t n = read(c, chunk, sizeof chunk);
          if (n <= 0) break;
          buffer.append(chunk, static_cast<std::size_t>(n));
        }
        buffer.erase(0, end + 4 + length);
        Seen s;
        s.method = head.substr(0, head.find(' '));
        s.target = head.substr(s.method.size() + 1, head.find(' ', s.method.size() + 1) - s.method.size() - 1);
        if (auto at = head.find("Idempotency-Key: "); at != std::string::npos) {
          s.idempotency_key = head.substr(at + 17, head.find("\r\n", at) - at - 17);
        }
        int number;
        {
          std::lock_guard lock(mutex_);
          seen_.push_back(s);
          number = static_cast<int>(seen_.size());
        }
        std::string reply = script_(number);
        if (write(c, reply.data(), reply.size()) < 0) break;
      }
      close(c);
    }
  }

  std::function<std::string(int)> script_;
  int listener_ = -1;
  unsigned port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Seen> seen_;
  std::atomic<int> connections_{0};
};

// An address where nothing listens (connections are refused).
NodeAddress refusing() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return {"127.0.0.1", ntohs(a.sin_port)};
}

HttpRequest write_request(std::string key) {
  return {"POST", "/v1/tasks", {{"Idempotency-Key", std::move(key)}}, R"({"title":"t"})"};
}

TEST(Failover, ARefusedNodeIsPassedForTheNextOne) {
  FakeNode up([](int) { return FakeNode::answer(200, "", "{}"); });
  FailoverClient client({refusing(), up.address()}, {});
  EXPECT_EQ(client.send({"GET", "/v1/tasks", {}, ""}).status, 200);
  ASSERT_EQ(up.seen().size(), 1u);
}

TEST(Failover, A503IsRetriedElsewhereWithTheSameIdempotencyKey) {
  FakeNode busy([](int) { return FakeNode::answer(503, "Retry-After: 0\r\n"); });
  FakeNode leader([](int) { return FakeNode::answer(201, "", R"({"id":1})"); });
  FailoverClient client({busy.address(), leader.address()}, {});
  HttpResponse r = client.send(write_request("key-1"));
  EXPECT_EQ(r.status, 201);
  ASSERT_EQ(busy.seen().size(), 1u);
  ASSERT_EQ(leader.seen().size(), 1u);
  EXPECT_EQ(busy.seen()[0].idempotency_key, "key-1");
  EXPECT_EQ(leader.seen()[0].idempotency_key, "key-1");
}

TEST(Failover, OtherErrorsAreTheCallersAndSentOnce) {
  FakeNode refusing_write([](int) { return FakeNode::answer(422, "", R"({"type":"x","title":"Invalid request"})"); });
  FakeNode other([](int) { return FakeNode::answer(201); });
  FailoverClient client({refusing_write.address(), other.address()}, {});
  EXPECT_EQ(client.send(write_request("k")).status, 422);
  EXPECT_TRUE(other.seen().empty());
}

TEST(Failover, NoAnswerWithinTheDeadlineIsUnavailableNamingTheLastFailure) {
  FakeNode busy([](int) { return FakeNode::answer(503, "", R"({"type":"x","detail":"no leader"})"); });
  FailoverClient client({busy.address(), refusing()}, {300ms, 100ms});
  auto start = std::chrono::steady_clock::now();
  try {
    client.send({"GET", "/v1/cluster", {}, ""});
    FAIL() << "expected UnavailableError";
  } catch (const UnavailableError& e) {
    std::string what = e.what();
    EXPECT_TRUE(what.find("HTTP 503") != std::string::npos || what.find("cannot connect") != std::string::npos) << what;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_GE(busy.seen().size(), 2u) << "rounds repeat until the deadline";
}

TEST(Failover, LaterRequestsStartAtTheLeaderOnceItsAddressIsKnown) {
  // Node 2 leads. Node 1 answers as a follower naming it, after one refusal that sends the
  // client to node 2 (which says who it is).
  FakeNode follower([](int n) {
    return n == 1 ? FakeNode::answer(503, "X-Raft-Node: 1\r\nX-Raft-Leader: 2\r\nRetry-After: 0\r\n")
                  : FakeNode::answer(200, "X-Raft-Node: 1\r\nX-Raft-Leader: 2\r\n");
  });
  FakeNode leader([](int) { return FakeNode::answer(200, "X-Raft-Node: 2\r\nX-Raft-Leader: 2\r\n"); });
  FailoverClient client({follower.address(), leader.address()}, {});
  EXPECT_EQ(client.send({"GET", "/a", {}, ""}).status, 200);
  EXPECT_EQ(client.send({"GET", "/b", {}, ""}).status, 200);
  EXPECT_EQ(client.send({"GET", "/c", {}, ""}).status, 200);
  ASSERT_EQ(follower.seen().size(), 1u);
  ASSERT_EQ(leader.seen().size(), 3u);
  EXPECT_EQ(leader.connections(), 1) << "one kept-alive connection carries every request";
}

}  // namespace
}  // namespace taskraft::cli
