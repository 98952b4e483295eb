// The auth matrix, generated from the router's table (http::routes()): every route with no key,
// a wrong key, a revoked key and a key of each role and scope, expecting what the route declares.
//
// Each request carries an unknown query parameter (?probe=1), which every route refuses with 400
// invalid_argument once it is let through: the key is checked before the input, so a 400 means
// "allowed" and a 401 or 403 "refused", and no request of the matrix changes anything or streams.
#include "http/auth_keys.hpp"
#include "http/router.hpp"

namespace corral::test {
namespace {

using auth::Need;

class AuthMatrix : public KeyedApiTest {
 protected:
  void SetUp() override {
    KeyedApiTest::SetUp();
    auto c = admin();
    job_ = str(expect_json(c.post("/api/v1/jobs", json::object{{"type", "t"}, {"owner", "globex"}}), 201), "id");
  }

  // The route's pattern with its parameters filled in: {id} is a job of owner globex.
  std::string target(http::Route const& route) const {
    std::string path(route.pattern);
    for (auto [name, value] : {std::pair<std::string, std::string>{"{id}", job_}, {"{name}", "q"}, {"{key_id}", "key_0"}}) {
      if (auto at = path.find(name); at != std::string::npos) path.replace(at, name.size(), value);
    }
    return path + "?probe=1";
  }

  Response call(Client& c, http::Route const& route) {
    return c.request(std::string(http::to_string(route.method)), target(route));
  }

  static std::string name_of(http::Route const& route) {
    return std::string(http::to_string(route.method)) + " " + std::string(route.pattern);
  }

  std::string job_;
};

::testing::AssertionResult let_through(Response const& r) { return is_error(r, 400, "invalid_argument", {"probe"}); }

// Open: the probes, and the dashboard's sign-in, which checks the key or cookie it is given itself.
TEST_F(AuthMatrix, EveryRouteDeclaresANeedAndTheProbesAndSignInAreTheOnlyOpenOnes) {
  std::set<std::string> open;
  for (auto const& route : http::routes()) {
    if (route.access.need == Need::open) open.insert(std::string(route.pattern));
  }
  EXPECT_EQ(open, (std::set<std::string>{"/livez", "/readyz", "/api/v1/session"}));
}

TEST_F(AuthMatrix, EveryRouteButTheProbesRefusesNoKeyAWrongKeyAndARevokedKeyAlike) {
  auto revoked = create_key({{"role", "admin"}});
  expect_json(admin().del("/api/v1/keys/" + str(revoked, "id")), 200);
  std::vector<std::pair<std::string, Client>> callers;
  callers.emplace_back("no key", new_client());
  callers.emplace_back("an unknown key", as(kUnknownKey));
  callers.emplace_back("a malformed key", as("not a key at all"));
  callers.emplace_back("a revoked key", as(str(revoked, "key")));
  for (auto const& route : http::routes()) {
    std::optional<std::string> wrong_key_body;
    for (auto& [who, c] : callers) {
      auto r = call(c, route);
      if (route.access.need == Need::open) {
        EXPECT_TRUE(let_through(r)) << name_of(route) << " with " << who;
        continue;
      }
      EXPECT_TRUE(is_error(r, 401, "unauthenticated")) << name_of(route) << " with " << who;
      EXPECT_EQ(r.headers["www-authenticate"], "Bearer realm=\"corral\"") << name_of(route) << " with " << who;
      if (who == "no key") continue;
      // Nothing tells a wrong key from an unknown or revoked one.
      if (!wrong_key_body) wrong_key_body = r.body;
      EXPECT_EQ(r.body, *wrong_key_body) << name_of(route) << " with " << who;
    }
  }
}

TEST_F(AuthMatrix, EachRoleReachesExactlyTheRoutesItsRoleAllows) {
  for (auto role : {auth::Role::admin, auth::Role::producer, auth::Role::worker, auth::Role::viewer}) {
    auto c = as(key_of({{"role", std::string(auth::to_string(role))}}));
    for (auto const& route : http::routes()) {
      auto r = call(c, route);
      if (auth::allows(role, route.access.need)) {
        EXPECT_TRUE(let_through(r)) << name_of(route) << " as " << auth::to_string(role);
      } else {
        EXPECT_TRUE(is_error(r, 403, "forbidden")) << name_of(route) << " as " << auth::to_string(role);
      }
    }
  }
}

TEST_F(AuthMatrix, AnOwnersKeyGets404ForAnotherOwnersJobAnd403ForViewsOfEveryOwner) {
  auto c = as(key_of({{"role", "admin"}, {"owner", "acme"}}));
  for (auto const& route : http::routes()) {
    auto r = call(c, route);
    bool const on_a_job = std::string_view(route.pattern).starts_with("/api/v1/jobs/{id}");
    if (!auth::owner_scopable(route.access.need)) {
      EXPECT_TRUE(is_error(r, 403, "forbidden")) << name_of(route);
    } else if (on_a_job) {
      EXPECT_TRUE(is_error(r, 404, "not_found", {job_})) << name_of(route);
    } else {
      EXPECT_TRUE(let_through(r)) << name_of(route);
    }
  }
}

TEST_F(AuthMatrix, AnOwnersKeyReachesTheQueueCountsAndStatsButNotTheOtherViewsOfEveryOwner) {
  auto c = as(key_of({{"role", "viewer"}, {"owner", "acme"}}));
  std::set<std::string> const kept_to_the_owner{"GET /api/v1/queues", "GET /api/v1/stats"};
  std::set<std::string> const of_every_owner{"GET /api/v1/schedules", "GET /api/v1/schedules/{name}",
                                             "GET /api/v1/health", "GET /metrics"};
  std::set<std::string> seen;
  for (auto const& route : http::routes()) {
    auto const name = name_of(route);
    if (kept_to_the_owner.contains(name)) {
      EXPECT_TRUE(auth::owner_scopable(route.access.need)) << name;
      EXPECT_TRUE(let_through(call(c, route))) << name;
    } else if (of_every_owner.contains(name)) {
      EXPECT_FALSE(auth::owner_scopable(route.access.need)) << name;
      EXPECT_TRUE(is_error(call(c, route), 403, "forbidden", {"acme"})) << name;
    } else {
      continue;
    }
    seen.insert(name);
  }
  EXPECT_EQ(seen.size(), kept_to_the_owner.size() + of_every_owner.size()) << "every route named is in the table";
}

TEST_F(AuthMatrix, AKeyOfTheJobsOwnerIsLetThroughToIt) {
  auto c = as(key_of({{"role", "admin"}, {"owner", "globex"}}));
  for (auto const& route : http::routes()) {
    if (!auth::owner_scopable(route.access.need)) continue;
    EXPECT_TRUE(let_through(call(c, route))) << name_of(route);
  }
}

TEST_F(AuthMatrix, AKeyScopedToQueuesIsRefusedJobsOfOtherQueuesOnTheWorkRoutes) {
  auto c = as(key_of({{"role", "worker"}, {"queues", json::array{"a"}}}));   // the job is in "default"
  for (auto const& route : http::routes()) {
    if (route.access.need != Need::work) continue;
    auto r = call(c, route);
    if (std::string_view(route.pattern).find("{id}") != std::string_view::npos) {
      EXPECT_TRUE(is_error(r, 403, "forbidden", {"default"})) << name_of(route);
    } else {
      EXPECT_TRUE(let_through(r)) << name_of(route) << ": the body is checked by the handler";
    }
  }
}

}  // namespace
}  // namespace corral::test
