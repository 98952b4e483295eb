// client::Client against the real server: keep-alive, the one resend when the server has closed
// an idle connection, and cancel() from another thread. Here because the CLI is its first user.
#include "client/client.hpp"

#include "support/corral_process.hpp"
#include "support/metrics.hpp"

#include <boost/json/object.hpp>
#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace corral::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

TEST(Client, ReconnectsWhenTheServerClosedAnIdleConnection) {
  CorralProcess server;
  server.start({}, 0, {{"CORRAL_IDLE_TIMEOUT_S", "0.2"}});
  auto client = server.client();
  ASSERT_EQ(client.get("/api/v1/queues").status, 200);
  // The behaviour under test is what happens after the connection has been idle past the
  // server's timeout, so here time itself has to pass.
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(client.post("/api/v1/jobs", json::object{{"type", "after.idle"}}).status, 201);
  auto list = client.get("/api/v1/jobs?type=after.idle");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json().at("jobs").as_array().size(), 1u);   // resent once, not twice
  EXPECT_TRUE(server.stop());
}

TEST(Client, CancelEndsARequestThatIsWaiting) {
  CorralProcess server;
  server.start();
  auto client = server.client();
  auto fetch = std::async(std::launch::async, [&] {
    return client.post("/api/v1/fetch", json::object{{"queues", json::array{"empty"}}, {"wait_s", 30}});
  });
  // Uncancelled, it would answer an empty list after 30 s; cancelled while it waits, it ends at
  // once with an error.
  auto observer = server.client();
  ASSERT_TRUE(wait_for_parked(observer, 1));
  client.cancel();
  EXPECT_THROW(fetch.get(), std::runtime_error);
  EXPECT_THROW(client.get("/api/v1/queues"), std::runtime_error);   // and it stays cancelled
  EXPECT_TRUE(server.stop());
}

TEST(Client, RejectsAUrlItCannotUse) {
  EXPECT_THROW(client::Client("ftp://example.com"), std::invalid_argument);
  EXPECT_THROW(client::Client("http://:80"), std::invalid_argument);
  EXPECT_THROW(client::Client("http://host:port"), std::invalid_argument);
  EXPECT_NO_THROW(client::Client("http://127.0.0.1:7878/"));
  EXPECT_NO_THROW(client::Client("http://[::1]:7878"));
  EXPECT_NO_THROW(client::Client("https://example.com"));
}

}  // namespace
}  // namespace corral::test
