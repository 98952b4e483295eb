// The writer's failures that outlive their batch. A batch that fails with a full disk is not sticky
// by itself (later batches try again), but the writer then rebuilds the engine's memory from the
// database; if that rebuild fails, memory no longer matches the database (jobs would go unfetched,
// or be handed out twice), so the writer refuses every write, and readiness says why, until a
// restart rebuilds it. The disk's failures come from the fault-injecting VFS, under real SQLite.
#include "queue/sqlite/group_writer.hpp"

#include "queue/open/open_queue.hpp"
#include "queue/queue_harness.hpp"
#include "support/fault_vfs.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace corral::test {
namespace {

using core::Errc;

class GroupWriterFailure : public ::testing::Test {
 protected:
  void SetUp() override {
    vfs();   // registers the VFS before the queue opens with it
    open();
  }

  void TearDown() override {
    close();
    vfs().restore_power();   // disarms whatever a failed test left armed
  }

  static FaultVfs& vfs() { return FaultVfs::instance(); }

  void open() {
    auto opened = queue::open_queue("sqlite:" + (dir_.path() / "corral.db").string(), {},
                                    {.sqlite_vfs = kFaultVfsName});
    ASSERT_TRUE(opened) << opened.error().message;
    svc_ = std::move(*opened);
  }

  void close() {
    if (!svc_) return;
    svc_->shutdown();
    svc_->close();
    svc_.reset();
  }

  queue::QueueService& svc() { return *svc_; }

  template <class T>
  T run(asio::awaitable<T> task) { return loop_.run(std::move(task)); }

  core::Result<queue::EnqueueResult> enqueue() { return run(svc().enqueue(job_request())); }

 private:
  TempDir dir_;
  Loop loop_;
  std::unique_ptr<queue::QueueService> svc_;
};

TEST_F(GroupWriterFailure, AFailedRebuildAfterARolledBackBatchRefusesWritesUntilRestart) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(enqueue());

  // The disk fills in the next commit, and stops answering reads from then on: the batch rolls
  // back with storage_full, and the rebuild that follows cannot read the database.
  vfs().fail_reads_from_next_failed_write();
  vfs().fail_write_after(1, FaultVfs::WriteFault::disk_full);
  EXPECT_TRUE(fails_with(enqueue(), Errc::storage_full));

  auto const ready = svc().readiness();
  EXPECT_FALSE(ready.ready);
  EXPECT_NE(ready.reason.find("failed to reload after a failed batch"), std::string::npos) << ready.reason;
  EXPECT_NE(ready.reason.find("refuses writes until restarted"), std::string::npos) << ready.reason;

  // The disk answers again, but what the engine held in memory is gone: still no writes.
  vfs().heal_reads();
  EXPECT_TRUE(fails_with(enqueue(), Errc::storage_unavailable));
  EXPECT_TRUE(fails_with(run(svc().fetch(fetch_request({"default"}))), Errc::storage_unavailable));
  EXPECT_FALSE(svc().readiness().ready);

  // A restart rebuilds memory from the database: ready, and every acknowledged job is handed out.
  close();
  open();
  EXPECT_TRUE(svc().readiness().ready) << svc().readiness().reason;
  auto const jobs = run(svc().fetch(fetch_request({"default"}, 10)));
  ASSERT_TRUE(jobs);
  EXPECT_EQ(jobs->size(), 3u) << "the three acknowledged jobs, and not the one refused";
  EXPECT_TRUE(enqueue());
}

TEST_F(GroupWriterFailure, AFullDiskAloneIsNotSticky) {
  ASSERT_TRUE(enqueue());
  vfs().fail_write_after(1, FaultVfs::WriteFault::disk_full);
  EXPECT_TRUE(fails_with(enqueue(), Errc::storage_full));
  EXPECT_TRUE(svc().readiness().ready) << svc().readiness().reason;
  EXPECT_TRUE(enqueue());
  auto const jobs = run(svc().fetch(fetch_request({"default"}, 10)));
  ASSERT_TRUE(jobs);
  EXPECT_EQ(jobs->size(), 2u);
}

}  // namespace
}  // namespace corral::test
