// Injected I/O errors: a write or an fsync of the database fails. The batch it belonged to gets an
// error, never a success; after a failed fsync the writer refuses every later write with
// storage_unavailable and readiness turns red (the kernel may have dropped the pages, so nothing
// after it can be trusted); and what was acknowledged before is intact after a restart. The fault
// VFS poisons a file whose fsync failed, as Linux does, so a writer that carried on after one
// would lose its later acknowledgements: the raw-SQLite control shows that this happens.
#include "faults/storage_fault.hpp"

#include <sqlite3.h>

namespace corral::test {
namespace {

using core::Errc;

constexpr int kAcknowledgedBefore = 20;

class IoError : public StorageFault {
 protected:
  // Enqueues kAcknowledgedBefore jobs that must survive, arms `fault`, then runs the load.
  History::Check fail_during_load(std::function<void()> const& fault) {
    History h;
    open();
    if (HasFatalFailure()) return {};
    for (int i = 0; i < kAcknowledgedBefore; ++i) enqueue_into(h, "before-" + std::to_string(i));
    fault();
    run_load(h, "load");

    // The fault turned the writer sticky-failed: readiness is red and writes are refused.
    auto const ready = svc().readiness();
    EXPECT_FALSE(ready.ready);
    EXPECT_NE(ready.reason.find("refuses writes"), std::string::npos) << ready.reason;
    EXPECT_TRUE(fails_with(enqueue_keyed("after"), Errc::storage_unavailable));
    EXPECT_TRUE(fails_with(call(svc().fetch(fetch_request({"work"}))), Errc::storage_unavailable));
    h.enqueue("after", Outcome::failed);

    // Reads still answer, from what was committed.
    auto const before_restart = h.check(all_jobs());
    EXPECT_TRUE(before_restart.lost.empty()) << "before the restart:" << before_restart.problems();

    // Then the power goes too, so that only what reached the disk counts: a clean close could
    // still checkpoint pages the page cache kept.
    vfs().cut_power_now();
    close();
    vfs().restore_power();
    open();
    if (HasFatalFailure()) return {};
    auto found = h.check(all_jobs());
    found.merge(before_restart);
    EXPECT_EQ(integrity(), "ok");
    EXPECT_TRUE(svc().readiness().ready) << "a restart clears the failure";
    return found;
  }
};

TEST_F(IoError, FailedWriteFailsItsBatchAndLaterWritesAreRefused) {
  auto const found = fail_during_load([] { vfs().fail_write_after(60); });
  report_fault("write error (60th write under load)", found, "n/a");
  EXPECT_GT(found.failed, 0);
  EXPECT_TRUE(found.lost.empty() && found.unexpected.empty() && found.duplicated.empty()) << found.problems();
}

TEST_F(IoError, FailedFsyncIsNeverTakenForSuccess) {
  auto const found = fail_during_load([] { vfs().fail_sync_after(15); });
  report_fault("fsync error (15th sync under load)", found, "yes: raw SQLite carrying on loses its commit");
  EXPECT_GT(found.failed, 0);
  EXPECT_TRUE(found.lost.empty() && found.unexpected.empty() && found.duplicated.empty()) << found.problems();
}

// The control: a plain SQLite connection that, like a careless writer, carries on after a failed
// fsync. Its next commit returns success, yet is gone after the restart, since the poisoned file
// never made it durable. Corral's writer must therefore stop at the first failure, as above.
TEST_F(IoError, ControlCarryingOnAfterAFailedFsyncLosesTheNextCommit) {
  auto db = sqlite::Database::open(db_path(), sqlite::Database::Mode::read_write, kFaultVfsName);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(db->exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (v TEXT)"));
  ASSERT_TRUE(db->exec("INSERT INTO t VALUES ('before')"));
  vfs().fail_sync_after(1);
  EXPECT_FALSE(db->exec("INSERT INTO t VALUES ('failed')"));
  ASSERT_TRUE(db->exec("INSERT INTO t VALUES ('acknowledged after the failure')"))
      << "SQLite refused to carry on; the control needs it to";
  vfs().cut_power_now();
  *db = {};
  vfs().restore_power();

  auto reopened = sqlite::Database::open(db_path(), sqlite::Database::Mode::read_write, kFaultVfsName);
  ASSERT_TRUE(reopened);
  auto st = reopened->prepare("SELECT group_concat(v, ',') FROM t");
  ASSERT_TRUE(st.step().value());
  EXPECT_EQ(st.text(0), "before") << "the commit after the failed fsync should be lost";
}

}  // namespace
}  // namespace corral::test
