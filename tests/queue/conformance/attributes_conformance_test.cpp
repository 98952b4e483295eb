// Conformance, queue attribute records: created once (a second create finds the first unchanged),
// read, replaced, listed by prefix in pages, deleted; each write survives a reopen.
#include "queue/conformance/queue_conformance.hpp"

namespace corral::test {
namespace {

using core::Errc;

TEST_P(QueueConformance, QueueAttributesAreCreatedOnceAndASecondCreateFindsTheFirstUnchanged) {
  auto first = must(run(svc().create_queue_attributes("orders", R"({"VisibilityTimeout":"30"})")));
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.record.queue, "orders");
  EXPECT_EQ(first.record.attributes, R"({"VisibilityTimeout":"30"})");
  EXPECT_EQ(first.record.created_at, first.record.updated_at);

  auto second = must(run(svc().create_queue_attributes("orders", R"({"VisibilityTimeout":"60"})")));
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.record, first.record) << "the record already there is kept as it was";
  EXPECT_EQ(must(run(svc().get_queue_attributes("orders"))), first.record);
}

TEST_P(QueueConformance, QueueAttributesOfAQueueWithoutARecordAreNotFound) {
  enqueue(job_request("plain"));
  auto got = run(svc().get_queue_attributes("plain"));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::not_found) << "a queue of jobs alone has no record";
  auto set = run(svc().set_queue_attributes("plain", "{}"));
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, Errc::not_found);
  auto removed = run(svc().delete_queue_attributes("plain"));
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().code, Errc::not_found);
}

TEST_P(QueueConformance, QueueAttributesAreReplacedAndDeletedDurably) {
  auto created = must(run(svc().create_queue_attributes("orders", R"({"a":"1"})"))).record;
  auto set = must(run(svc().set_queue_attributes("orders", R"({"a":"2","b":"3"})")));
  EXPECT_EQ(set.attributes, R"({"a":"2","b":"3"})");
  EXPECT_EQ(set.created_at, created.created_at);
  EXPECT_GE(set.updated_at, created.updated_at);
  must(run(svc().create_queue_attributes("gone", "{}")));
  must(run(svc().delete_queue_attributes("gone")));

  close();
  open();
  EXPECT_EQ(must(run(svc().get_queue_attributes("orders"))), set);
  auto gone = run(svc().get_queue_attributes("gone"));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::not_found);
  EXPECT_TRUE(must(run(svc().create_queue_attributes("gone", "{}"))).created) << "a deleted record can be made anew";
}

TEST_P(QueueConformance, QueueAttributesAreListedByPrefixInPagesInNameOrder) {
  for (auto const* name : {"b-2", "a-1", "b-1", "b-3", "c-1", "b"}) must(run(svc().create_queue_attributes(name, "{}")));
  auto names = [](std::vector<queue::QueueAttributes> const& records) {
    std::vector<std::string> out;
    for (auto const& r : records) out.push_back(r.queue);
    return out;
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(names(must(run(svc().list_queue_attributes({})))), (Names{"a-1", "b", "b-1", "b-2", "b-3", "c-1"}));
  EXPECT_EQ(names(must(run(svc().list_queue_attributes({"b-", "", 2})))), (Names{"b-1", "b-2"}));
  EXPECT_EQ(names(must(run(svc().list_queue_attributes({"b-", "b-2", 2})))), (Names{"b-3"}));
  EXPECT_TRUE(must(run(svc().list_queue_attributes({"z", "", 10}))).empty());
}

}  // namespace
}  // namespace corral::test
