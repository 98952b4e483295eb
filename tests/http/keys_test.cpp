// API keys over the API: made with a random secret shown once, listed without it, revoked at
// once; a server without keys is open until its first key; probes stay open; every change made
// with a key is audited without the key; SQS needs a signature while keys exist, and every live
// key has SQS credentials once auth_secret is set.
#include "http/auth_keys.hpp"

#include <regex>

namespace corral::test {
namespace {

class Keys : public KeyedApiTest {};

TEST_F(Keys, AKeyIsShownOnceAndListedWithoutItsSecret) {
  auto created = create_key({{"role", "producer"}, {"owner", "acme"}, {"queues", json::array{"a", "b"}}, {"name", "billing"}});
  auto const key = str(created, "key");
  EXPECT_TRUE(std::regex_match(key, std::regex("crl_[a-z2-7]{52}"))) << key;
  EXPECT_EQ(str(created, "role"), "producer");
  EXPECT_EQ(str(created, "owner"), "acme");
  EXPECT_EQ(str(created, "name"), "billing");
  EXPECT_EQ(field(created, "queues"), json::value(json::array{"a", "b"}));
  EXPECT_TRUE(field(created, "revoked_at").is_null());
  EXPECT_NE(key_of({{"role", "producer"}}), key) << "every key is new";

  auto c = admin();
  auto list = c.get("/api/v1/keys");
  auto keys = expect_json(list, 200).at("keys").as_array();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(str(keys[0].as_object(), "id"), str(created, "id"));
  EXPECT_FALSE(keys[0].as_object().contains("key"));
  EXPECT_EQ(list.body.find(key), std::string::npos) << "never the secret";
  EXPECT_EQ(list.body.find(key.substr(4)), std::string::npos);
}

TEST_F(Keys, ARevokedKeyStopsWorkingAtOnce) {
  auto created = create_key({{"role", "viewer"}});
  auto viewer = as(str(created, "key"));
  EXPECT_EQ(viewer.get("/api/v1/queues").status, 200);
  auto c = admin();
  auto revoked = expect_json(c.del("/api/v1/keys/" + str(created, "id")), 200);
  EXPECT_TRUE(field(revoked, "revoked_at").is_string());
  EXPECT_TRUE(is_error(viewer.get("/api/v1/queues"), 401, "unauthenticated"));
  auto again = expect_json(c.del("/api/v1/keys/" + str(created, "id")), 200);
  EXPECT_EQ(field(again, "revoked_at"), field(revoked, "revoked_at")) << "the first revocation's time stays";
  EXPECT_TRUE(is_error(c.del("/api/v1/keys/key_0"), 404, "not_found"));
}

TEST_F(Keys, OnlyAnAdminNotScopedToAnOwnerManagesKeys) {
  auto c = admin();
  EXPECT_TRUE(is_error(c.post("/api/v1/keys", json::object{{"role", "root"}}), 400, "invalid_argument", {"role"}));
  EXPECT_TRUE(is_error(c.post("/api/v1/keys", json::object{{"owner", "acme"}}), 400, "invalid_argument", {"role"}));
  EXPECT_TRUE(is_error(c.post("/api/v1/keys", json::object{{"role", "viewer"}, {"secret", "x"}}), 400, "invalid_argument", {"secret"}));
  auto tenant_admin = as(key_of({{"role", "admin"}, {"owner", "acme"}}));
  EXPECT_TRUE(is_error(tenant_admin.post("/api/v1/keys", json::object{{"role", "admin"}}), 403, "forbidden"));
  auto producer = as(key_of({{"role", "producer"}}));
  EXPECT_TRUE(is_error(producer.get("/api/v1/keys"), 403, "forbidden"));
}

TEST_F(Keys, TheProbesStayOpenAndMetricsNeedAViewerOrAdmin) {
  EXPECT_EQ(api().get("/livez").status, 200);
  EXPECT_EQ(api().get("/readyz").status, 200);
  EXPECT_TRUE(is_error(api().get("/metrics"), 401, "unauthenticated"));
  auto viewer = as(key_of({{"role", "viewer"}}));
  EXPECT_EQ(viewer.get("/metrics").status, 200);
  auto worker = as(key_of({{"role", "worker"}}));
  EXPECT_TRUE(is_error(worker.get("/metrics"), 403, "forbidden"));
}

TEST_F(Keys, EveryChangeMadeWithAKeyIsAuditedWithTheKeysIdAndNameNeverTheKey) {
  auto created = create_key({{"role", "producer"}, {"name", "billing"}});
  auto producer = as(str(created, "key"));
  auto const job = enqueue_id(producer);
  expect_json(cancel(producer, job), 200);
  auto const id = str(created, "id");
  EXPECT_TRUE(wait_until(kDeadline, [&] {
    auto const log = server_.log();
    return log.find("\"message\":\"audit\"") != std::string::npos &&
           log.find("\"key_id\":\"" + id + "\",\"key_name\":\"billing\",\"method\":\"POST\",\"path\":\"/api/v1/jobs/" + job +
                    "/cancel\"") != std::string::npos;
  })) << server_.log();
  EXPECT_EQ(server_.log().find(str(created, "key")), std::string::npos) << "the key is never logged";
  EXPECT_EQ(server_.log().find(kAdminKey), std::string::npos) << "nor the admin key";
}

TEST_F(Keys, AnSqsRequestWithoutASignatureIsRefusedWhileKeysExist) {
  for (bool with_key : {false, true}) {   // a bearer key is no signature
    auto c = with_key ? admin() : new_client();
    std::string const error = with_key ? "SignatureDoesNotMatch" : "MissingAuthenticationToken";
    c.add_header("X-Amz-Target", "AmazonSQS.ListQueues");
    auto r = c.request("POST", "/", "{}", "application/x-amz-json-1.0");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_NE(r.body.find(error), std::string::npos) << r.body;
  }
}

TEST_F(Keys, SqsCredentialsNeedTheAuthSecret) {
  auto c = admin();
  auto const id = str(create_key({{"role", "worker"}}), "id");
  EXPECT_TRUE(is_error(c.get("/api/v1/keys/" + id + "/sqs-credentials"), 409, "wrong_state", {"auth_secret"}));
}

class KeysWithAuthSecret : public KeyedApiTest {
  std::vector<std::string> server_args() const override {
    auto args = KeyedApiTest::server_args();
    args.insert(args.end(), {"--auth-secret", std::string(40, 'k')});
    return args;
  }
};

TEST_F(KeysWithAuthSecret, EveryLiveKeyHasItsOwnSqsCredentials) {
  auto c = admin();
  auto const a = str(create_key({{"role", "worker"}}), "id");
  auto const b = str(create_key({{"role", "producer"}}), "id");
  auto ca = expect_json(c.get("/api/v1/keys/" + a + "/sqs-credentials"), 200);
  auto cb = expect_json(c.get("/api/v1/keys/" + b + "/sqs-credentials"), 200);
  auto admins = expect_json(c.get("/api/v1/keys/admin_key/sqs-credentials"), 200);
  EXPECT_EQ(str(ca, "access_key_id"), a);
  EXPECT_EQ(str(ca, "secret_access_key").size(), 64u);
  EXPECT_NE(str(ca, "secret_access_key"), str(cb, "secret_access_key"));
  EXPECT_NE(str(admins, "secret_access_key"), str(ca, "secret_access_key"));
  EXPECT_EQ(expect_json(c.get("/api/v1/keys/" + a + "/sqs-credentials"), 200), ca) << "the same every time";
  EXPECT_TRUE(is_error(c.get("/api/v1/keys/key_0/sqs-credentials"), 404, "not_found"));
  expect_json(c.del("/api/v1/keys/" + a), 200);
  EXPECT_TRUE(is_error(c.get("/api/v1/keys/" + a + "/sqs-credentials"), 409, "wrong_state", {"revoked"}));
  auto producer = as(key_of({{"role", "producer"}}));
  EXPECT_TRUE(is_error(producer.get("/api/v1/keys/" + b + "/sqs-credentials"), 403, "forbidden"));
}

class MetricsOpen : public KeyedApiTest {
  std::vector<std::string> server_args() const override {
    auto args = KeyedApiTest::server_args();
    args.emplace_back("--metrics-open");
    return args;
  }
};

TEST_F(MetricsOpen, MetricsAreServedWithoutAKey) {
  EXPECT_EQ(api().get("/metrics").status, 200);
  EXPECT_TRUE(is_error(api().get("/api/v1/queues"), 401, "unauthenticated"));
}

class NoKeys : public ApiTest {};

TEST_F(NoKeys, EveryRouteIsOpenUntilTheFirstKeyIsMade) {
  EXPECT_EQ(api().get("/api/v1/queues").status, 200);
  auto created = expect_json(api().post("/api/v1/keys", json::object{{"role", "admin"}}), 201);
  EXPECT_TRUE(is_error(api().get("/api/v1/queues"), 401, "unauthenticated")) << "closed at once";
  Client admin(server_.url(), client::Options{.token = str(created, "key")});
  EXPECT_EQ(admin.get("/api/v1/queues").status, 200);
  // Revoking every key does not open the server again.
  expect_json(admin.del("/api/v1/keys/" + str(created, "id")), 200);
  EXPECT_TRUE(is_error(api().get("/api/v1/queues"), 401, "unauthenticated"));
}

}  // namespace
}  // namespace corral::test
