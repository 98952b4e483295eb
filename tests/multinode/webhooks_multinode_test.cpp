// Two nodes on one PostgreSQL send each webhook once: each delivery is claimed by one node (FOR
// UPDATE SKIP LOCKED, then a lease), whichever node ended the job.
#include "multinode/two_nodes.hpp"
#include "support/hook_receiver.hpp"

#include <map>

namespace corral::test {
namespace {

using namespace std::chrono_literals;

TEST_F(TwoNodes, EachWebhookIsDeliveredExactlyOnceByOneOfTheNodes) {
  HookReceiver hooks;
  constexpr int kJobs = 40;
  std::vector<std::string> ids;
  for (int i = 0; i < kJobs; ++i) {
    auto& api = i % 2 == 0 ? a() : b();
    ids.push_back(enqueue_id(api, {{"type", "t"}, {"queue", "hooks"}, {"callback_url", hooks.url()}}));
  }
  // Each node completes the jobs it leases, so both nodes' batches end jobs.
  for (int i = 0; i < kJobs; ++i) {
    auto& api = i % 2 == 0 ? b() : a();
    auto lease = fetch_one(api, {{"queues", json::array{"hooks"}}, {"worker_id", "w"}});
    ASSERT_EQ(complete(api, lease).status, 200);
  }
  ASSERT_TRUE(hooks.wait_for(kJobs, 60s)) << hooks.received().size() << " of " << kJobs;
  // Every job shows its delivery done; only then is the count final.
  ASSERT_TRUE(wait_until(60s, [&] {
    for (auto const& id : ids) {
      auto job = get_job(a(), id);
      if (!job.at("webhook").is_object() || str(job.at("webhook").as_object(), "state") != "delivered") return false;
    }
    return true;
  }));
  std::map<std::string, int> by_delivery;
  std::set<std::string> jobs;
  for (auto const& r : hooks.received()) {
    ++by_delivery[r.header("x-corral-delivery")];
    jobs.insert(std::string(json::parse(r.body).as_object().at("id").as_string()));
  }
  EXPECT_EQ(hooks.received().size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(by_delivery.size(), static_cast<std::size_t>(kJobs));
  for (auto const& [id, n] : by_delivery) EXPECT_EQ(n, 1) << "delivery " << id << " sent " << n << " times";
  EXPECT_EQ(jobs, std::set<std::string>(ids.begin(), ids.end()));
}

}  // namespace
}  // namespace corral::test
