// A full disk under the real server: its database lives on a small tmpfs the test mounts, which
// the test fills with a filler file, then frees by deleting it. While the disk is full, writes of
// new work get 503 storage_full and write nothing, reads and the probes answer, /readyz says why,
// and reports on jobs already running still succeed (the server's disk reserve). Once the filler
// is gone, writes succeed again by themselves, without a restart. Without a reserve, a batch that
// runs out of space in the middle of its transaction writes nothing, and is not sticky either. A
// server started on a full disk starts, serves reads and takes writes once space returns.
#include "faults/final_state.hpp"
#include "faults/history.hpp"
#include "http/api_helpers.hpp"
#include "support/skip_without_root.hpp"

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace corral::test {
namespace {

constexpr char const* kFsSize = "size=32m";
constexpr char const* kReserve = "2097152";

// A tmpfs mounted on a fresh directory for the test's life; unmounted by the destructor, so
// also when an assertion ends the test early.
class Tmpfs {
 public:
  Tmpfs() : dir_(temp_ / "fs") {
    std::filesystem::create_directory(dir_);
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, kFsSize) != 0) error_ = std::strerror(errno);
  }
  ~Tmpfs() {
    if (error_.empty() && ::umount(dir_.c_str()) != 0) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  Tmpfs(Tmpfs const&) = delete;
  Tmpfs& operator=(Tmpfs const&) = delete;

  std::string const& error() const { return error_; }   // empty once mounted
  std::filesystem::path const& dir() const { return dir_; }

 private:
  TempDir temp_;
  std::filesystem::path dir_;
  std::string error_;
};

class DiskFull : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs_.error().empty()) CORRAL_SKIP_WITHOUT_ROOT("cannot mount a tmpfs to fill (needs root): " + fs_.error());
    server_.use_db("sqlite:" + db_path().string());
  }

  void TearDown() override {
    if (server_.running()) {
      EXPECT_TRUE(server_.stop()) << server_.log();
      EXPECT_EQ(server_.exit_code(), 0) << server_.log();
    }
  }

  std::filesystem::path db_path() const { return fs_.dir() / "corral.db"; }
  std::filesystem::path filler() const { return fs_.dir() / "filler"; }

  void start(char const* reserve = kReserve) {
    server_.start({"--disk-reserve-bytes", reserve});
    api_.emplace(server_.url());
  }
  Client& api() { return *api_; }

  // Writes the filler until the filesystem refuses another byte.
  void fill_disk() {
    std::ofstream out(filler(), std::ios::binary);
    std::string const chunk(64 * 1024, 'f');
    for (std::size_t size : {chunk.size(), std::size_t{512}, std::size_t{1}}) {
      while (out.write(chunk.data(), static_cast<std::streamsize>(size)) && out.flush()) {}
      out.clear();
    }
  }
  void free_disk() { std::filesystem::remove(filler()); }

  Response enqueue_keyed(std::string const& key, std::size_t payload_bytes = 10) {
    auto reply = api().post("/api/v1/jobs", json::object{{"type", "t"}, {"idempotency_key", key},
                                                         {"payload", std::string(payload_bytes, 'p')}});
    history_.enqueue(key, reply.status == 201 ? Outcome::acknowledged : Outcome::failed,
                     reply.status == 201 ? str(reply.json().as_object(), "id") : "");
    return reply;
  }

  // Enqueues until one is acknowledged; false if none is by the deadline.
  bool writes_resume(std::string const& prefix) {
    int attempt = 0;
    return wait_until(kDeadline, [&] { return enqueue_keyed(prefix + std::to_string(attempt++)).status == 201; });
  }

  // After a restart: what the history says against every job, and the file's integrity.
  void expect_nothing_lost(std::string const& fault, std::string const& control = "n/a") {
    ASSERT_TRUE(server_.stop()) << server_.log();
    ASSERT_EQ(server_.exit_code(), 0) << server_.log();
    start();
    auto const final_jobs = listed_jobs(api());
    ASSERT_TRUE(server_.stop()) << server_.log();
    EXPECT_EQ(server_.exit_code(), 0) << server_.log();
    auto const found = history_.check(final_jobs);
    report_fault(fault, found, control);
    EXPECT_TRUE(found.lost.empty() && found.unexpected.empty() && found.duplicated.empty()) << found.problems();
    EXPECT_EQ(integrity_of(db_path()), "ok");
  }

  Tmpfs fs_;               // first: unmounted after the server is gone
  CorralProcess server_;   // its logs stay off the full disk, in a directory of their own
  std::optional<Client> api_;
  History history_;
};

// Leases one job, recording its enqueue and fetch in the history (keyed by its id).
Lease leased(Client& api, History& h) {
  auto lease = start_job(api, {{"type", "t"}, {"idempotency_key", "lease-" + std::to_string(h.acknowledged())}});
  h.enqueue(str(lease.job, "idempotency_key"), Outcome::acknowledged, lease.id);
  h.fetch(lease.id, 1);
  return lease;
}

TEST_F(DiskFull, NewWorkGets503ReadsAndReportsGoOnAndWritesResumeOnceSpaceReturns) {
  start();
  for (int i = 0; i < 20; ++i) ASSERT_EQ(enqueue_keyed("before-" + std::to_string(i)).status, 201);
  auto const finishing = leased(api(), history_);
  auto const beating = leased(api(), history_);

  fill_disk();
  EXPECT_TRUE(is_error(enqueue_keyed("full"), 503, "storage_full"));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/batch", json::object{{"jobs", json::array{json::object{{"type", "t"}}}}}),
                       503, "storage_full"));
  EXPECT_TRUE(is_error(api().post("/api/v1/fetch", json::object{}), 503, "storage_full"));

  auto const ready = api().get("/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_TRUE(has_substr(str(ready.json().as_object(), "reason"), "nearly full"));
  EXPECT_EQ(api().get("/livez").status, 200);
  EXPECT_EQ(status_of(api(), finishing.id), "running");
  EXPECT_EQ(list_jobs(api(), "limit=1000").at("jobs").as_array().size(), 22u);
  EXPECT_EQ(api().get("/api/v1/queues").status, 200);

  // Work already running finishes on the reserve.
  EXPECT_EQ(heartbeat(api(), beating).status, 200);
  auto const completed = complete(api(), finishing);
  history_.complete(finishing.id, completed.status == 200 ? Outcome::acknowledged : Outcome::failed);
  EXPECT_EQ(completed.status, 200) << describe(completed);

  free_disk();
  EXPECT_TRUE(writes_resume("after-")) << "writes did not resume once the disk had room";
  EXPECT_EQ(api().get("/readyz").status, 200);
  EXPECT_EQ(complete(api(), beating).status, 200);
  history_.complete(beating.id, Outcome::acknowledged);
  expect_nothing_lost("disk full, then freed (tmpfs, 2 MiB reserve)",
                      "yes: without the reserve the running job cannot complete");
}

// The control: without the reserve, the same full disk fails the report of a running job, so the
// test above holds because of the reserve, not because a report happens to fit.
TEST_F(DiskFull, ControlWithoutAReserveARunningJobCannotCompleteOnAFullDisk) {
  start("0");
  auto const lease = leased(api(), history_);
  fill_disk();
  EXPECT_TRUE(is_error(complete(api(), lease), 503, "storage_full"));
  free_disk();
  EXPECT_TRUE(wait_until(kDeadline, [&] { return complete(api(), lease).status == 200; }));
}

TEST_F(DiskFull, WithoutAReserveABatchThatRunsOutOfSpaceWritesNothingAndLaterWritesSucceed) {
  start("0");
  for (int i = 0; i < 10; ++i) ASSERT_EQ(enqueue_keyed("before-" + std::to_string(i)).status, 201);
  fill_disk();
  // Far more than the WAL has room for: SQLite fails the write in the middle of the transaction.
  json::array big;
  for (int i = 0; i < 50; ++i) {
    big.push_back(json::object{{"type", "t"}, {"idempotency_key", "big-" + std::to_string(i)},
                               {"payload", std::string(10000, 'b')}});
  }
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/batch", json::object{{"jobs", big}}), 503, "storage_full"));
  for (auto const& spec : big) history_.enqueue(str(spec.as_object(), "idempotency_key"), Outcome::failed);
  EXPECT_TRUE(is_error(enqueue_keyed("full", 100000), 503, "storage_full"));
  EXPECT_EQ(list_jobs(api(), "limit=1000").at("jobs").as_array().size(), 10u) << "nothing of the batch was written";
  EXPECT_EQ(api().get("/livez").status, 200);

  free_disk();
  EXPECT_TRUE(writes_resume("after-")) << "a full disk must not stop writes for good";
  for (auto const& job : enqueue_batch(api(), big)) {
    history_.enqueue(str(job.as_object(), "idempotency_key"), Outcome::acknowledged, str(job.as_object(), "id"));
  }
  EXPECT_EQ(api().get("/readyz").status, 200);
  expect_nothing_lost("disk full mid-transaction, no reserve (tmpfs)");
}

TEST_F(DiskFull, AServerStartedOnAFullDiskServesReadsAndTakesWritesOnceSpaceReturns) {
  start();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(enqueue_keyed("before-" + std::to_string(i)).status, 201);
  ASSERT_TRUE(server_.stop()) << server_.log();
  fill_disk();

  ASSERT_NO_THROW(start()) << "the server must start on a full disk";
  EXPECT_EQ(list_jobs(api()).at("jobs").as_array().size(), 5u);
  EXPECT_TRUE(is_error(enqueue_keyed("full"), 503, "storage_full"));
  EXPECT_EQ(api().get("/readyz").status, 503);

  free_disk();
  EXPECT_TRUE(writes_resume("after-"));
  expect_nothing_lost("server started on a full disk (tmpfs)");
}

}  // namespace
}  // namespace corral::test
