// Room kept on the database's filesystem so that work already running can finish when the disk
// fills: a file, PATH.reserve, of `bytes` allocated in advance (posix_fallocate).
//
// While the filesystem has at least `bytes` free besides the reserve, the reserve is held and
// every write is accepted. When free space drops below that, the reserve file is emptied, which
// gives its space back to the filesystem, and new work (enqueue, fetch) is refused with
// storage_full; reports on running jobs (heartbeat, complete, fail, release), cancel and retry go
// on, and use the space the reserve gave back. Once twice `bytes` is free, the reserve is
// allocated again and new work is accepted again.
//
// Why a file rather than only a free-space threshold: another program filling the disk takes
// every free byte, threshold or not, while space held in a file of ours stays ours until we let
// it go. The same file lets a server started on a full disk open its database (SQLite needs room
// for the -shm index and the WAL before it reads anything): the reserve left by the last run is
// released first.
//
// Thread-safe: refusal() is called by the writer for each new-work op and by readiness checks.
// It looks at the filesystem (statvfs) at most every kRecheck; in between it answers from memory.
#pragma once

#include "core/error.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace corral::sqlite {

class DiskReserve {
 public:
  static constexpr auto kRecheck = std::chrono::milliseconds(50);

  // `bytes` 0 keeps no reserve and never refuses: a full disk then shows only as SQLITE_FULL.
  DiskReserve(std::string const& db_path, std::uint64_t bytes);
  DiskReserve(DiskReserve const&) = delete;
  DiskReserve& operator=(DiskReserve const&) = delete;
  ~DiskReserve();

  // storage_full, saying why, while the reserve is released; nullopt while new work is accepted.
  std::optional<core::Error> refusal();
  // Looks at the filesystem now rather than at the next kRecheck: called when a write has just
  // hit a full disk, so that the reserve is released before the next report needs it.
  void recheck();
  // Bytes free on the database's filesystem (for messages); nullopt if statvfs fails.
  std::optional<std::uint64_t> free_bytes() const;
  // The bytes the reserve holds now: its size while held, 0 once released (for /metrics).
  std::uint64_t held_bytes();

 private:
  void refresh_locked(std::chrono::steady_clock::time_point now);
  bool allocate_locked();
  void release_locked();

  std::string path_;        // PATH.reserve
  std::string dir_;         // the directory whose filesystem is measured
  std::uint64_t bytes_;
  std::mutex mutex_;
  int fd_ = -1;                                      // GUARDED_BY(mutex_)
  bool held_ = false;                                // GUARDED_BY(mutex_)
  std::optional<std::uint64_t> last_free_;           // GUARDED_BY(mutex_)
  std::chrono::steady_clock::time_point checked_{};  // GUARDED_BY(mutex_)
};

}  // namespace corral::sqlite
