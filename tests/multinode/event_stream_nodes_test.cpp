// Live streams on two nodes of one PostgreSQL database: an event committed on node A reaches a
// stream open on node B, in the cluster's one order, and B's stream resumes over the same ids.
#include "http/api_helpers.hpp"
#include "http/stream_reader.hpp"
#include "support/postgres_db.hpp"

namespace corral::test {
namespace {

class StreamsOnTwoNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    auto const db = pg_fresh_database("corral_streams");
    for (auto* node : {&a_, &b_}) {
      node->use_db(db);
      node->start({"--db-pool-size", "4"});
    }
    api_a_.emplace(a_.url());
  }

  void TearDown() override {
    api_a_.reset();
    for (auto* node : {&a_, &b_}) {
      EXPECT_TRUE(node->stop()) << node->log();
      EXPECT_EQ(node->exit_code(), 0) << node->log();
    }
  }

  Client& a() { return *api_a_; }

  CorralProcess a_, b_;
  std::optional<Client> api_a_;
};

TEST_F(StreamsOnTwoNodes, AnEventCommittedOnNodeAReachesAStreamOnNodeB) {
  StreamReader on_b(b_.url(), "/api/v1/events?queue=shared");
  ASSERT_TRUE(on_b.wait_connected());
  auto const lease = start_job(a(), {{"type", "t"}, {"queue", "shared"}});
  expect_json(complete(a(), lease), 200);
  ASSERT_TRUE(on_b.wait_for(3)) << on_b.error();
  auto const events = on_b.messages();
  std::vector<std::string> kinds;
  for (auto const& m : events) {
    EXPECT_EQ(str(data_of(m), "job_id"), lease.id);
    kinds.push_back(m.event);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"enqueued", "started", "completed"}));

  // Ids are the cluster's: a stream on A resumes after B's last id with what came next.
  auto const later = enqueue_id(a(), {{"type", "t"}, {"queue", "shared"}});
  StreamReader on_a(a_.url(), "/api/v1/events?queue=shared", {{"Last-Event-ID", events.back().last_event_id}});
  ASSERT_TRUE(on_a.wait_for(1)) << on_a.error();
  EXPECT_EQ(str(data_of(on_a.messages().front()), "job_id"), later);
  EXPECT_EQ(on_a.messages().size(), 1u);
}

}  // namespace
}  // namespace corral::test
