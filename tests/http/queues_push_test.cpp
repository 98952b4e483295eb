// PATCH /api/v1/queues/{name} with the push settings (push_url, push_concurrency, push_timeout_s):
// set, shown by the reply and GET /api/v1/queues with the defaults filled in, cleared; a push_url
// outside the allow-list or a bad value is 400 invalid_argument and changes nothing. Whether the
// server then pushes is tests/push/push_by_api_test.cpp's matter.
#include "http/api_helpers.hpp"
#include "http/limits_support.hpp"

namespace corral::test {
namespace {

class QueuePushSettings : public ApiTest {};

// Nobody listens there: the queues of these tests have no jobs to push.
constexpr char kUrl[] = "http://127.0.0.1:9/run";

json::object listed_queue(Client& api, std::string_view name) {
  auto reply = expect_json(api.get("/api/v1/queues"), 200);
  for (auto const& q : reply.at("queues").as_array()) {
    if (str(q.as_object(), "name") == name) return q.as_object();
  }
  throw std::runtime_error("queue " + std::string(name) + " not in " + json::serialize(reply));
}

json::object push_fields(json::object const& queue) {
  return {{"push_url", queue.at("push_url")},
          {"push_concurrency", queue.at("push_concurrency")},
          {"push_timeout_s", queue.at("push_timeout_s")}};
}

TEST_F(QueuePushSettings, PatchSetsThePushSettingsAndTheQueueShowsThem) {
  auto const set = expect_json(
      patch_queue(api(), "hooks", {{"push_url", kUrl}, {"push_concurrency", 2}, {"push_timeout_s", 1.5}}), 200);
  json::object const want{{"push_url", kUrl}, {"push_concurrency", 2}, {"push_timeout_s", 1.5}};
  EXPECT_EQ(push_fields(set), want);
  EXPECT_EQ(push_fields(listed_queue(api(), "hooks")), want);
  EXPECT_TRUE(set.at("max_running").is_null()) << "the limits are left alone";
}

TEST_F(QueuePushSettings, AnUnsetConcurrencyOrTimeoutShowsItsDefault) {
  auto const set = expect_json(patch_queue(api(), "hooks", {{"push_url", kUrl}}), 200);
  EXPECT_EQ(push_fields(set), (json::object{{"push_url", kUrl}, {"push_concurrency", 8}, {"push_timeout_s", 30}}))
      << "a whole number of seconds is written as an integer";
  expect_json(patch_queue(api(), "hooks", {{"push_concurrency", 3}}), 200);
  auto const back = expect_json(patch_queue(api(), "hooks", {{"push_concurrency", nullptr}}), 200);
  EXPECT_EQ(back.at("push_concurrency"), json::value(8)) << "null puts the default back";
}

TEST_F(QueuePushSettings, ANullPushUrlStopsPushingAndShowsEveryPushSettingAsNull) {
  expect_json(patch_queue(api(), "hooks", {{"push_url", kUrl}, {"push_concurrency", 2}}), 200);
  auto const cleared = expect_json(patch_queue(api(), "hooks", {{"push_url", nullptr}}), 200);
  json::object const none{{"push_url", nullptr}, {"push_concurrency", nullptr}, {"push_timeout_s", nullptr}};
  EXPECT_EQ(push_fields(cleared), none);
  enqueue(api(), {{"type", "t"}, {"queue", "plain"}});
  EXPECT_EQ(push_fields(listed_queue(api(), "plain")), none) << "a queue never pushed";
}

TEST_F(QueuePushSettings, APushUrlOutsideTheAllowListIs400AndChangesNothing) {
  expect_json(patch_queue(api(), "hooks", {{"push_url", kUrl}}), 200);
  auto const before = listed_queue(api(), "hooks");
  EXPECT_TRUE(is_error(patch_queue(api(), "hooks", {{"push_url", "http://example.com/run"}, {"max_running", 5}}), 400,
                       "invalid_argument", {"push_url", "example.com:80", "webhook_allowed_hosts"}));
  EXPECT_EQ(listed_queue(api(), "hooks"), before) << "neither the push_url nor the limit in the same body";
}

TEST_F(QueuePushSettings, BadPushSettingsAre400NamingTheField) {
  struct Case {
    json::object body;
    std::string_view field;
  };
  Case const cases[] = {
      {{{"push_url", 5}}, "push_url"},
      {{{"push_url", ""}}, "push_url"},
      {{{"push_url", "ftp://127.0.0.1/run"}}, "push_url"},
      {{{"push_url", "not a url"}}, "push_url"},
      {{{"push_concurrency", 0}}, "push_concurrency"},
      {{{"push_concurrency", 1001}}, "push_concurrency"},
      {{{"push_concurrency", 1.5}}, "push_concurrency"},
      {{{"push_concurrency", "2"}}, "push_concurrency"},
      {{{"push_timeout_s", 0}}, "push_timeout_s"},
      {{{"push_timeout_s", -1}}, "push_timeout_s"},
      {{{"push_timeout_s", 3601}}, "push_timeout_s"},
      {{{"push_timeout_s", "1"}}, "push_timeout_s"},
  };
  for (auto const& c : cases) {
    EXPECT_TRUE(is_error(patch_queue(api(), "hooks", c.body), 400, "invalid_argument", {c.field}))
        << json::serialize(c.body);
  }
  auto const reply = expect_json(api().get("/api/v1/queues"), 200);
  for (auto const& q : reply.at("queues").as_array()) {
    EXPECT_NE(str(q.as_object(), "name"), "hooks") << "no refused PATCH made the queue";
  }
}

}  // namespace
}  // namespace corral::test
