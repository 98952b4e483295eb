#include "outbound/client.hpp"

#include "support/hook_receiver.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace corral::outbound {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using test::HookReceiver;

// Runs the posts on an io_context of the test's own thread.
std::vector<Reply> post_all(ClientOptions options, std::vector<Request> requests) {
  asio::io_context ioc;
  Client client(ioc.get_executor(), options);
  std::vector<std::future<Reply>> futures;
  for (auto& r : requests) futures.push_back(asio::co_spawn(ioc, client.post(std::move(r)), asio::use_future));
  ioc.run();
  std::vector<Reply> out;
  for (auto& f : futures) out.push_back(f.get());
  return out;
}

Request to(std::string const& url, std::string body = R"({"n":1})") {
  return Request{*parse_destination("url", url), std::move(body), {{"X-Test", "yes"}}};
}

TEST(OutboundClient, PostsJsonAndReadsTheReply) {
  HookReceiver hooks;
  hooks.reply_with({202, 503});
  auto replies = post_all({}, {to(hooks.url("/a?x=1")), to(hooks.url("/b"))});
  ASSERT_EQ(replies.size(), 2u);
  std::multiset<int> statuses{replies[0].status, replies[1].status};
  EXPECT_EQ(statuses, (std::multiset<int>{202, 503}));
  ASSERT_TRUE(hooks.wait_for(2, 10s));
  auto const first = hooks.received()[0];
  EXPECT_EQ(first.method, "POST");
  EXPECT_EQ(first.header("content-type"), "application/json");
  EXPECT_EQ(first.header("x-test"), "yes");
  EXPECT_EQ(first.header("host"), "127.0.0.1:" + std::to_string(hooks.port()));
  EXPECT_EQ(first.body, R"({"n":1})");
}

TEST(OutboundClient, ReusesAConnectionPerDestination) {
  HookReceiver hooks;
  ClientOptions one_at_a_time;
  one_at_a_time.per_destination = 1;
  auto replies = post_all(one_at_a_time, {to(hooks.url()), to(hooks.url()), to(hooks.url())});
  for (auto const& r : replies) EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_TRUE(hooks.wait_for(3, 10s));
  EXPECT_EQ(hooks.connections(), 1u) << "one kept-alive connection served the three, one after another";
}

TEST(OutboundClient, AClosedPortIsAConnectError) {
  int const port = HookReceiver::unused_port();
  auto replies = post_all({}, {to("http://127.0.0.1:" + std::to_string(port) + "/")});
  EXPECT_EQ(replies[0].status, 0);
  EXPECT_NE(replies[0].error.find("cannot connect"), std::string::npos) << replies[0].error;
}

TEST(OutboundClient, AReceiverThatDoesNotAnswerTimesOut) {
  // Listens, accepts into the backlog, never reads nor answers.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ClientOptions quick;
  quick.timeout = 300ms;
  auto replies = post_all(quick, {to("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/")});
  ::close(fd);
  EXPECT_EQ(replies[0].status, 0);
  EXPECT_NE(replies[0].error.find("no reply"), std::string::npos) << replies[0].error;
}

TEST(OutboundClient, HttpsToAPlainHttpReceiverFailsItsHandshake) {
  HookReceiver hooks;
  auto replies = post_all({}, {to("https://127.0.0.1:" + std::to_string(hooks.port()) + "/")});
  EXPECT_EQ(replies[0].status, 0);
  EXPECT_NE(replies[0].error.find("TLS"), std::string::npos) << replies[0].error;
}

}  // namespace
}  // namespace corral::outbound
