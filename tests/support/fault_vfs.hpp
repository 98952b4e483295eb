// A SQLite VFS for fault tests: power loss and injected I/O errors at the durability seam, in the
// manner of leveldb's fault_injection_test. Registered in the test process under kFaultVfsName; it
// wraps the default (unix) VFS, and the embedded queue uses it when opened with
// queue::StorageOptions{.sqlite_vfs = kFaultVfsName}.
//
// The model of a disk: a write is seen at once by every connection, as the page cache shows it,
// but it is durable only once a sync of its file has returned success. Until then the VFS keeps,
// in memory, what each written range held at the last sync (and the size the file had then). A
// power cut is a point in the sequence of writes and syncs: from it on every write, sync,
// truncate and delete fails with an I/O error, so nothing more reaches the disk and nothing more
// is acknowledged. restore_power() (the reboot) then puts back exactly the unsynced writes' old
// contents, cuts each file to its synced size and drops the shared-memory index, which is not
// durable either; SQLite recovers from what is left, as after a real power loss.
//
// A sync that fails poisons its file, as on Linux, where the kernel may drop the dirty pages and
// a later fsync succeed without them: nothing written to that file since its last good sync ever
// becomes durable. Software that treats a failed fsync as success therefore loses work at the
// next restore_power(), and the tests see it.
//
// Real fsyncs are not issued: durability is what the model says, which keeps the tests off the
// shared disk's sync queue.
//
// Thread-safe: every method, and every VFS call from any connection, takes one mutex.
#pragma once

#include <cstdint>
#include <optional>

namespace corral::test {

inline constexpr char const kFaultVfsName[] = "corral-fault";

class FaultVfs {
 public:
  // The VFS, registered (not as the default) on first use.
  static FaultVfs& instance();

  struct Counters {
    std::int64_t writes = 0;          // xWrite calls that reached the file
    std::int64_t syncs = 0;           // xSync calls that made writes durable
    std::int64_t failed_writes = 0;   // refused: injected, or after the power cut
    std::int64_t failed_syncs = 0;
  };

  // The power goes before the n-th write or sync from now (n >= 1): that call and all later ones
  // fail. Replaces any earlier arming.
  void cut_power_after(std::int64_t n);
  void cut_power_now();
  bool power_is_on() const;
  // The reboot: every file back to its durable image, power on, nothing armed. Call it with no
  // connection open on the files (close the queue first).
  void restore_power();

  // How an injected write fails: an I/O error (SQLITE_IOERR_WRITE), or a full disk (SQLITE_FULL),
  // which the server treats as recoverable.
  enum class WriteFault { io_error, disk_full };

  // The n-th write (or sync) from now fails with SQLITE_IOERR_WRITE (SQLITE_IOERR_FSYNC), once.
  void fail_write_after(std::int64_t n, WriteFault fault = WriteFault::io_error);
  void fail_sync_after(std::int64_t n);
  // From the next write that fails on (injected, or after a power cut), every read of a database
  // file fails too, with SQLITE_IOERR_READ, until heal_reads() or restore_power(): a disk that
  // stops answering altogether, in the middle of a batch.
  void fail_reads_from_next_failed_write();
  void heal_reads();

  Counters counters() const;
};

}  // namespace corral::test
