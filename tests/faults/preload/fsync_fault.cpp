// An LD_PRELOAD shim for fault tests of the real `corral` binary, which has no fault hooks of its
// own: once the file named by FAULT_FSYNC_TRIGGER exists, the next fsync or fdatasync of the
// process fails with EIO, once. The test creates the file at the moment it wants the disk to
// fail, so the fault lands at a known point whatever the server synced before.
//
// Only the sync calls are wrapped; they are rare (one per commit), so the stat() per call costs
// nothing that matters.
#include <dlfcn.h>
#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>

namespace {

std::atomic<bool> fired{false};

bool fail_this_sync() {
  char const* trigger = std::getenv("FAULT_FSYNC_TRIGGER");
  if (trigger == nullptr || fired.load()) return false;
  struct stat st;
  if (::stat(trigger, &st) != 0) return false;
  return !fired.exchange(true);
}

// The real call, unless this is the sync that fails.
int sync_or_fail(char const* name, int fd) {
  if (fail_this_sync()) {
    errno = EIO;
    return -1;
  }
  auto const next = reinterpret_cast<int (*)(int)>(::dlsym(RTLD_NEXT, name));
  return next(fd);
}

}  // namespace

extern "C" int fsync(int fd) { return sync_or_fail("fsync", fd); }
extern "C" int fdatasync(int fd) { return sync_or_fail("fdatasync", fd); }
