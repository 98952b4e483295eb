// One server per database file: an exclusive flock() on PATH.lock. The kernel drops it when the
// process dies, however it dies, so a crash never leaves a stale lock (no PID file to clean up).
#pragma once

#include "core/error.hpp"

#include <string>

namespace corral::sqlite {

class FileLock {
 public:
  // Fails with a message naming the file if another process holds the lock.
  static core::Result<FileLock> acquire(std::string const& db_path);
  FileLock(FileLock&& o) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace corral::sqlite
