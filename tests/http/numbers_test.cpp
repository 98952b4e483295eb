// Numbers in replies are written as people write them, in the raw text of every reply that
// carries a job: 0.1 and 1.308405313, never Boost.JSON's 1E-1 and 1.308405313E0.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class Numbers : public ApiTest {};

TEST_F(Numbers, AProgressPercentOfOneTenthComesBackAsWritten) {
  auto lease = start_job(api());
  ASSERT_EQ(api().request("POST", job_path(lease.id) + "/heartbeat",
                          R"({"lease_token":")" + lease.token + R"(","progress":{"percent":0.1,"current":1.308}})")
                .status,
            200);
  std::string const expected = R"("progress":{"percent":0.1,"stage":null,"message":null,"current":1.308,"total":null})";
  EXPECT_TRUE(has_substr(api().get(job_path(lease.id)).body, expected));
  EXPECT_TRUE(has_substr(api().get("/api/v1/jobs").body, expected));
}

TEST_F(Numbers, PayloadAndSettingsComeBackAsWritten) {
  std::string const payload = R"({"amount":0.1,"ratio":1.308405313,"big":1e+21,"tiny":1e-7,"whole":30})";
  auto created = api().request("POST", "/api/v1/jobs",
                               R"({"type":"t","queue":"numbers","timeout_s":2.5,"backoff":{"jitter":0.1},"payload":)" +
                                   payload + "}");
  ASSERT_EQ(created.status, 201) << describe(created);
  std::string const id = str(created.json().as_object(), "id");
  for (auto const& reply : {created, api().get(job_path(id)), api().get("/api/v1/jobs")}) {
    EXPECT_TRUE(has_substr(reply.body, R"("payload":)" + payload));
    EXPECT_TRUE(has_substr(reply.body, R"("timeout_s":2.5,)"));
    EXPECT_TRUE(has_substr(reply.body, R"("jitter":0.1})"));
  }
  auto fetched = api().request("POST", "/api/v1/fetch", R"({"queues":["numbers"]})");
  EXPECT_TRUE(has_substr(fetched.body, R"("payload":)" + payload));
}

}  // namespace
}  // namespace corral::test
