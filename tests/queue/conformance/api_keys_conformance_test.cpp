// Conformance, API key records: stored as given with the store's time, found by digest, listed in
// order of creation, revoked once (a second revoke keeps the first time), counted with the
// revoked ones; each write survives a reopen.
#include "queue/conformance/queue_conformance.hpp"

namespace corral::test {
namespace {

using core::Errc;

queue::ApiKey key_record(std::string id, std::string hash) {
  return {std::move(id), "name of " + hash, "worker", std::string("acme"), {"a", "b,c"}, std::move(hash), {}, std::nullopt};
}

TEST_P(QueueConformance, ApiKeysAreFoundByDigestListedInOrderAndRevokedOnceDurably) {
  EXPECT_EQ(must(run(svc().count_api_keys())), 0);
  auto first = must(run(svc().create_api_key(key_record("key_1", "digest-1"))));
  EXPECT_EQ(first.id, "key_1");
  EXPECT_EQ(first.queues, (std::vector<std::string>{"a", "b,c"})) << "a queue name may hold a comma";
  EXPECT_EQ(first.owner, std::optional<std::string>("acme"));
  EXPECT_FALSE(first.revoked_at);
  EXPECT_GT(first.created_at.time_since_epoch().count(), 0) << "the store sets the time";
  auto second = must(run(svc().create_api_key(key_record("key_2", "digest-2"))));

  EXPECT_EQ(must(run(svc().find_api_key("digest-2"))), std::optional(second));
  EXPECT_EQ(must(run(svc().find_api_key("digest-3"))), std::nullopt);
  EXPECT_FALSE(run(svc().create_api_key(key_record("key_3", "digest-1")))) << "a digest is stored once";

  auto revoked = must(run(svc().revoke_api_key("key_1")));
  ASSERT_TRUE(revoked.revoked_at);
  auto again = must(run(svc().revoke_api_key("key_1")));
  EXPECT_EQ(again.revoked_at, revoked.revoked_at) << "the first revocation's time stays";
  auto unknown = run(svc().revoke_api_key("key_9"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::not_found);

  close();
  open();
  EXPECT_EQ(must(run(svc().list_api_keys())), (std::vector<queue::ApiKey>{revoked, second}));
  EXPECT_EQ(must(run(svc().find_api_key("digest-1"))), std::optional(revoked)) << "a revoked key is still found";
  EXPECT_EQ(must(run(svc().count_api_keys())), 2) << "revoked keys count";
}

}  // namespace
}  // namespace corral::test
