// API keys on two nodes sharing one PostgreSQL database: a key made on one node works on the
// other at once (unknown keys are never cached), the other node closes within the cache's
// lifetime (5 s), and a key revoked on one node stops working on the other within it too. The
// waits allow twice that.
#include "multinode/two_nodes.hpp"

namespace corral::test {
namespace {

constexpr auto kCacheBound = std::chrono::seconds(10);

TEST_F(TwoNodes, AKeyMadeOnOneNodeWorksOnTheOtherAndARevokeReachesIt) {
  auto admin_key = str(expect_json(a().post("/api/v1/keys", json::object{{"role", "admin"}}), 201), "key");
  Client admin_a(a_.url(), client::Options{.token = admin_key});
  EXPECT_TRUE(is_error(a().get("/api/v1/queues"), 401, "unauthenticated")) << "closed at once where it was made";
  EXPECT_TRUE(wait_until(kCacheBound, [&] { return b().get("/api/v1/queues").status == 401; }))
      << "the other node closes within the bound";

  auto viewer = expect_json(admin_a.post("/api/v1/keys", json::object{{"role", "viewer"}}), 201);
  Client viewer_a(a_.url(), client::Options{.token = str(viewer, "key")});
  Client viewer_b(b_.url(), client::Options{.token = str(viewer, "key")});
  EXPECT_EQ(viewer_b.get("/api/v1/queues").status, 200) << "a new key works on the other node at once";

  expect_json(admin_a.del("/api/v1/keys/" + str(viewer, "id")), 200);
  EXPECT_TRUE(is_error(viewer_a.get("/api/v1/queues"), 401, "unauthenticated")) << "at once where it was revoked";
  EXPECT_TRUE(wait_until(kCacheBound, [&] { return viewer_b.get("/api/v1/queues").status == 401; }))
      << "within the bound on the other node";
}

}  // namespace
}  // namespace corral::test
