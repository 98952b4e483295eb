// Push settings across two nodes on one PostgreSQL: a push_url set by PATCH on one node is
// followed by the other (within its refresh of the queues' push settings), and so is its clearing.
#include "http/limits_support.hpp"
#include "multinode/two_nodes.hpp"
#include "push/push_endpoint.hpp"

namespace corral::test {
namespace {

using namespace std::chrono_literals;

// Far longer than the nodes' refresh of the push settings (3 s), for a loaded machine.
constexpr auto kFollowDeadline = 60s;

class PushAcrossNodes : public TwoNodes {
 protected:
  std::string enqueue_in(Client& api, std::string const& queue) {
    return enqueue_id(api, {{"type", "t"}, {"queue", queue}, {"payload", {{"reply", "json"}}}});
  }
  bool pushed(std::string const& id) {
    auto const all = endpoint_.receiver().received();
    return std::any_of(all.begin(), all.end(), [&](auto const& r) { return r.header("x-corral-job") == id; });
  }
  PushEndpoint endpoint_;
};

TEST_F(PushAcrossNodes, APushUrlSetOnOneNodeIsFollowedByTheOther) {
  expect_json(patch_queue(a(), "hooked", {{"push_url", endpoint_.url()}}), 200);
  // Only node b is left to push: the job shows that b follows a PATCH it did not take.
  ASSERT_TRUE(a_.stop()) << a_.log();
  auto const id = enqueue_in(b(), "hooked");
  EXPECT_TRUE(wait_for_status(b(), id, "completed", kFollowDeadline)) << json::serialize(get_job(b(), id));
  EXPECT_TRUE(pushed(id));
}

TEST_F(PushAcrossNodes, AClearedPushUrlIsFollowedByTheOtherNode) {
  expect_json(patch_queue(a(), "unhooked", {{"push_url", endpoint_.url()}}), 200);
  auto const first = enqueue_in(b(), "unhooked");
  ASSERT_TRUE(wait_for_status(b(), first, "completed", kFollowDeadline));
  expect_json(patch_queue(a(), "unhooked", {{"push_url", nullptr}}), 200);
  ASSERT_TRUE(a_.stop()) << a_.log();
  // Until b has followed, it may still push a job; after, a worker on b gets every job.
  std::optional<std::string> fetched;
  ASSERT_TRUE(wait_until(kFollowDeadline, [&] {
    auto const id = enqueue_in(b(), "unhooked");
    auto const jobs = fetch(b(), {{"queues", json::array{"unhooked"}}, {"wait_s", 1}});
    if (jobs.empty() || pushed(id)) return false;
    fetched = str(jobs[0].as_object(), "id");
    return true;
  }));
  EXPECT_FALSE(pushed(*fetched));
}

}  // namespace
}  // namespace corral::test
