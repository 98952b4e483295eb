// A failed fsync in the real server process, over HTTP: the LD_PRELOAD shim fails one fsync at
// the moment the test chooses. The request whose commit it was gets 503 storage_unavailable,
// never a 2xx; /readyz turns 503 with the reason; every later write is refused though the disk
// works again; reads still answer. After a restart every acknowledged job is there and the
// server is ready again.
#include "faults/final_state.hpp"
#include "faults/history.hpp"
#include "http/api_helpers.hpp"

#include <cstdlib>
#include <fstream>

namespace corral::test {
namespace {

constexpr int kAcknowledgedBefore = 20;

class ServerFsync : public ApiTest {
 protected:
  void SetUp() override {
    trigger_ = (server_.data_dir() / "fail-next-fsync").string();
    std::string asan = std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "";
    // An ASan build wants its runtime first; the shim is plain C++ and needs none of it.
    server_.start({}, 0, {{"LD_PRELOAD", CORRAL_FSYNC_FAULT}, {"FAULT_FSYNC_TRIGGER", trigger_},
                          {"ASAN_OPTIONS", asan + (asan.empty() ? "" : ":") + "verify_asan_link_order=0"}});
    api_.emplace(server_.url());
  }

  std::string trigger_;
};

TEST_F(ServerFsync, AFailedFsyncIsA503ThenWritesAreRefusedUntilARestart) {
  History h;
  auto enqueue_keyed = [&](std::string const& key) {
    auto reply = api().post("/api/v1/jobs", json::object{{"type", "t"}, {"idempotency_key", key}});
    h.enqueue(key, reply.status == 201 ? Outcome::acknowledged : Outcome::failed,
              reply.status == 201 ? str(reply.json().as_object(), "id") : "");
    return reply;
  };
  for (int i = 0; i < kAcknowledgedBefore; ++i) ASSERT_EQ(enqueue_keyed("before-" + std::to_string(i)).status, 201);
  auto lease = start_job(api());

  std::ofstream(trigger_) << "now\n";
  EXPECT_TRUE(is_error(enqueue_keyed("failed"), 503, "storage_unavailable"));

  auto const ready = api().get("/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_TRUE(has_substr(str(ready.json().as_object(), "reason"), "refuses writes until restarted"));
  // The shim fails one fsync only: the disk works again, and the server still refuses.
  EXPECT_TRUE(is_error(enqueue_keyed("after"), 503, "storage_unavailable"));
  EXPECT_TRUE(is_error(complete(api(), lease), 503, "storage_unavailable"));
  EXPECT_TRUE(is_error(api().post("/api/v1/fetch", json::object{}), 503, "storage_unavailable"));
  EXPECT_EQ(api().get("/livez").status, 200);
  EXPECT_EQ(status_of(api(), lease.id), "running") << "reads still answer, from what was committed";

  restart_server();
  EXPECT_EQ(api().get("/readyz").status, 200);
  auto final_jobs = listed_jobs(api());
  for (auto& job : final_jobs) {
    if (!job.idempotency_key) job.idempotency_key = "lease";   // the one job enqueued without a key
  }
  h.enqueue("lease", Outcome::acknowledged, lease.id);
  auto const found = h.check(final_jobs);
  report_fault("fsync error in the server process (HTTP)", found, "see the raw SQLite control");
  EXPECT_TRUE(found.lost.empty() && found.unexpected.empty() && found.duplicated.empty()) << found.problems();
}

}  // namespace
}  // namespace corral::test
