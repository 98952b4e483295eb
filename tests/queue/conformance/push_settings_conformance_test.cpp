// Conformance, push settings: a queue's push_url, push_concurrency and push_timeout_s, stored by
// update_queue field by field (absent kept, null cleared), shown by queues() and the update's
// reply, kept apart from the limits, and there after a reopen; the config file's settings at
// open go over them as the limits' do.
#include "queue/conformance/queue_conformance.hpp"

namespace corral::test {
namespace {

constexpr char kUrl[] = "http://127.0.0.1:9000/run";

queue::QueueUpdate push_update(std::optional<std::string> url, std::optional<int> concurrency = std::nullopt,
                               std::optional<double> timeout_s = std::nullopt) {
  queue::QueueUpdate u;
  u.push_url.emplace(std::move(url));
  if (concurrency) u.push_concurrency.emplace(concurrency);
  if (timeout_s) u.push_timeout_s.emplace(timeout_s);
  return u;
}

// The queue as queues() lists it; none if it is not listed.
std::optional<queue::QueueInfo> listed_queue(std::vector<queue::QueueInfo> const& all, std::string const& name) {
  for (auto const& q : all) {
    if (q.name == name) return q;
  }
  return std::nullopt;
}

TEST_P(QueueConformance, UpdateStoresThePushSettingsAndQueuesListsThem) {
  auto const info = must(run(svc().update_queue("hooks", push_update(kUrl, 3, 1.5))));
  api::QueuePush const want{kUrl, 3, 1.5};
  EXPECT_EQ(info.push, want);
  auto const seen = listed_queue(must(run(svc().queues())), "hooks");
  ASSERT_TRUE(seen) << "a queue with only push settings is listed";
  EXPECT_EQ(seen->push, want);
  EXPECT_FALSE(seen->limits.any()) << "the push settings leave the limits alone";
}

TEST_P(QueueConformance, AnAbsentSettingIsKeptAndANullOneCleared) {
  must(run(svc().update_queue("hooks", push_update(kUrl, 3, 1.5))));
  queue::QueueUpdate concurrency_only;
  concurrency_only.push_concurrency.emplace(std::nullopt);
  EXPECT_EQ(must(run(svc().update_queue("hooks", concurrency_only))).push, (api::QueuePush{kUrl, std::nullopt, 1.5}));
  queue::QueueUpdate limit_only;
  limit_only.max_running.emplace(2);
  auto const limited = must(run(svc().update_queue("hooks", limit_only)));
  EXPECT_EQ(limited.push, (api::QueuePush{kUrl, std::nullopt, 1.5})) << "a limit's update keeps the push settings";
  EXPECT_EQ(limited.limits.max_running, 2);
  EXPECT_EQ(must(run(svc().update_queue("hooks", push_update(std::nullopt)))).push, (api::QueuePush{std::nullopt, std::nullopt, 1.5}));
  EXPECT_FALSE(listed_queue(must(run(svc().queues())), "hooks")->push.url) << "no longer pushed";
}

TEST_P(QueueConformance, PushSettingsSurviveAReopen) {
  must(run(svc().update_queue("hooks", push_update(kUrl, 4, 2.25))));
  close();
  open();
  auto const seen = listed_queue(must(run(svc().queues())), "hooks");
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->push, (api::QueuePush{kUrl, 4, 2.25}));
}

TEST_P(QueueConformance, TheConfigFilesSettingsAtOpenGoOverTheStoredOnes) {
  must(run(svc().update_queue("hooks", push_update("http://127.0.0.1:9001/old", 4))));
  close();
  options_.queue_settings["hooks"] = push_update(kUrl, 2, 5);
  open();
  EXPECT_EQ(listed_queue(must(run(svc().queues())), "hooks")->push, (api::QueuePush{kUrl, 2, 5.0}));
}

}  // namespace
}  // namespace corral::test
