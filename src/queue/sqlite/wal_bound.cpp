#include "queue/sqlite/wal_bound.hpp"

#include <sys/stat.h>

#include <spdlog/spdlog.h>

namespace corral::sqlite {

std::uint64_t WalBound::wal_bytes() const {
  struct stat st {};
  if (::stat(wal_path_.c_str(), &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_size);
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
