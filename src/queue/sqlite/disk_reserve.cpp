#include "queue/sqlite/disk_reserve.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace corral::sqlite {

DiskReserve::DiskReserve(std::string const& db_path, std::uint64_t bytes)
    : path_(db_path + ".reserve"), bytes_(bytes) {
  auto const parent = std::filesystem::path(db_path).parent_path();
  dir_ = parent.empty() ? "." : parent.string();
  if (bytes_ == 0) {
    ::unlink(path_.c_str());   // a reserve left by a run with one would hold space for nothing
    return;
  }
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    spdlog::warn("cannot open the disk reserve {}: {}; a full disk will stop reports too", path_,
                 std::strerror(errno));
    return;
  }
  struct stat st {};
  held_ = ::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_blocks) * 512 >= bytes_;
  std::lock_guard lock(mutex_);
  checked_ = std::chrono::steady_clock::now();
  last_free_ = free_bytes();
  if (!held_ && last_free_ && *last_free_ >= 2 * bytes_) {
    // Taking the reserve at start (a new file, or one a past run released) is routine: no work
    // was refused, so "disk space is back" would be news of nothing.
    if (allocate_locked()) last_free_ = free_bytes();
    return;
  }
  bool const was_held = held_;
  refresh_locked(checked_);
  if (!was_held && !held_) {
    spdlog::warn("the disk holding the database is nearly full ({} bytes free): new jobs and fetches get 503 "
                 "storage_full until {} bytes are free",
                 last_free_.value_or(0), 2 * bytes_);
  }
}

DiskReserve::~DiskReserve() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::uint64_t> DiskReserve::free_bytes() const {
  struct statvfs fs {};
  if (::statvfs(dir_.c_str(), &fs) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
}

std::uint64_t DiskReserve::held_bytes() {
  std::lock_guard lock(mutex_);
  return held_ ? bytes_ : 0;
}

std::optional<core::Error> DiskReserve::refusal() {
  if (bytes_ == 0 || fd_ < 0) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto const now = std::chrono::steady_clock::now();
  if (now - checked_ >= kRecheck) refresh_locked(now);
  if (held_) return std::nullopt;
  return core::make_error(core::Errc::storage_full,
                          "the disk holding the database is nearly full (" + std::to_string(last_free_.value_or(0)) +
                              " bytes free; new jobs and fetches resume once " + std::to_string(2 * bytes_) +
                              " are free); reports on running jobs are still accepted");
}

void DiskReserve::recheck() {
  if (bytes_ == 0 || fd_ < 0) return;
  std::lock_guard lock(mutex_);
  refresh_locked(std::chrono::steady_clock::now());
}

void DiskReserve::refresh_locked(std::chrono::steady_clock::time_point now) {
  checked_ = now;
  last_free_ = free_bytes();
  if (!last_free_) return;   // cannot tell: keep the last decision
  if (held_ && *last_free_ < bytes_) {
    release_locked();
  } else if (!held_ && *last_free_ >= 2 * bytes_ && allocate_locked()) {
    last_free_ = free_bytes();
    spdlog::info("disk space is back ({} bytes free); the reserve is held again and new work is accepted",
                 last_free_.value_or(0));
  }
}

bool DiskReserve::allocate_locked() {
  int const rc = ::posix_fallocate(fd_, 0, static_cast<off_t>(bytes_));
  if (rc != 0) {
    // posix_fallocate returns the error rather than setting errno. A half-made reserve is given back.
    spdlog::warn("cannot allocate the disk reserve {}: {}", path_, std::strerror(rc));
    (void)::ftruncate(fd_, 0);
    return false;
  }
  held_ = true;
  return true;
}

void DiskReserve::release_locked() {
  if (::ftruncate(fd_, 0) != 0) {
    spdlog::error("cannot release the disk reserve {}: {}", path_, std::strerror(errno));
    return;
  }
  held_ = false;
  spdlog::warn("the disk holding the database is nearly full ({} bytes free): released the {} byte reserve; "
               "new jobs and fetches get 503 storage_full until space is freed",
               last_free_.value_or(0), bytes_);
}

}  // namespace corral::sqlite
