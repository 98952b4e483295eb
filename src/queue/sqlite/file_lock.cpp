#include "queue/sqlite/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace corral::sqlite {

core::Result<FileLock> FileLock::acquire(std::string const& db_path) {
  std::string const path = db_path + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return core::make_error(core::Errc::storage_unavailable,
                            "cannot open lock file " + path + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int const err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return core::make_error(core::Errc::storage_unavailable,
                              "another corral server is already using " + db_path + " (it holds " + path +
                                  "); one server per database file");
    }
    return core::make_error(core::Errc::storage_unavailable, "cannot lock " + path + ": " + std::strerror(err));
  }
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace corral::sqlite
