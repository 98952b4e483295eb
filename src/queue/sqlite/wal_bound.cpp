#include "queue/sqlite/wal_bound.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <spdlog/spdlog.h>

namespace corral::sqlite {

std::uint64_t WalBound::wal_bytes() const {
  // The size alone, never the times: since Linux 6.13 a file whose change time has been read is
  // given a fine-grained time at its next write, so a stat() after each commit made the next
  // commit's write dirty the WAL's inode, and its fdatasync write that inode too: one more
  // synchronous write per commit, about 30 µs on ext4 here (docs/benchmarks.md).
  struct statx stx {};
  if (::statx(AT_FDCWD, wal_path_.c_str(), AT_STATX_DONT_SYNC, STATX_SIZE, &stx) != 0) return 0;
  return (stx.stx_mask & STATX_SIZE) != 0 ? stx.stx_size : 0;
}

core::Result<void> WalBound::after_commit() {
  if (max_bytes_ == 0) return {};
  auto const size = wal_bytes();
  if (size < max_bytes_ / 2) return {};
  int log_frames = 0, checkpointed = 0;
  int const rc = sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
                                           &checkpointed);
  if (rc == SQLITE_OK) {
    spdlog::debug("WAL at {} bytes (bound {}): checkpointed {} frames and truncated it", size, max_bytes_,
                  checkpointed);
    return {};
  }
  if (rc == SQLITE_BUSY) {
    spdlog::warn("WAL at {} bytes (bound {}): readers kept it from being truncated; trying again after the next commit",
                 size, max_bytes_);
    return {};
  }
  return error_from(db_.handle(), rc, "checkpoint of the WAL");
}

}  // namespace corral::sqlite
