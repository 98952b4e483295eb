#include "support/fault_vfs.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace corral::test {
namespace {

// Old contents are kept per aligned block: the first write to a block since its file's last sync
// saves what the block held then; later writes to it need nothing more.
constexpr std::int64_t kBlock = 4096;

struct FileState {
  std::int64_t synced_size = 0;                // the size at the last good sync
  std::map<std::int64_t, std::string> saved;   // block index -> its durable contents
  bool poisoned = false;                       // a sync failed: nothing since becomes durable
  bool main_db = false;                        // its "-shm" index is dropped at a power cut
};

struct State {
  mutable std::mutex mutex;
  sqlite3_vfs* real = nullptr;
  std::map<std::string, FileState> files;      // by the path SQLite opened
  bool power_on = true;
  std::int64_t io_calls = 0;                   // writes and syncs, for the power cut
  std::optional<std::int64_t> cut_at;
  std::int64_t write_calls = 0, sync_calls = 0;
  std::optional<std::int64_t> fail_write_at, fail_sync_at;
  int write_fault_rc = SQLITE_IOERR_WRITE;     // what the injected write fails with
  bool reads_fail_after_failed_write = false;  // armed: the next failed write sets reads_failing
  bool reads_failing = false;
  FaultVfs::Counters counters;

  // One write or sync is about to happen: is there still power for it?
  bool tick() {
    ++io_calls;
    if (cut_at && io_calls >= *cut_at) power_on = false;
    return power_on;
  }
};

State& state() {
  static State s;
  return s;
}

struct FaultFile {
  sqlite3_file base;
  sqlite3_file* real;   // the unix VFS's file, allocated right after this struct
  FileState* tracked;   // null for temporary files, which need no durability
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f)->real; }
FileState* tracked_of(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f)->tracked; }

std::int64_t file_size(sqlite3_file* real) {
  sqlite3_int64 size = 0;
  if (real->pMethods->xFileSize(real, &size) != SQLITE_OK) throw std::runtime_error("fault vfs: xFileSize failed");
  return size;
}

// Saves the durable contents of every block in [begin, end) that has none saved yet. Caller
// holds the mutex.
void save_blocks(sqlite3_file* real, FileState& fs, std::int64_t begin, std::int64_t end) {
  end = std::min(end, fs.synced_size);
  for (std::int64_t b = begin / kBlock; b * kBlock < end; ++b) {
    if (fs.saved.contains(b)) continue;
    std::int64_t const start = b * kBlock;
    std::string bytes(static_cast<std::size_t>(std::min(kBlock, fs.synced_size - start)), '\0');
    // A short read zero-fills, which is what a read past the end would show.
    int const rc = real->pMethods->xRead(real, bytes.data(), static_cast<int>(bytes.size()), start);
    if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) throw std::runtime_error("fault vfs: saving a block failed");
    fs.saved.emplace(b, std::move(bytes));
  }
}

int f_close(sqlite3_file* f) {
  auto* real = real_of(f);
  int const rc = real->pMethods->xClose(real);
  real->pMethods = nullptr;
  return rc;
}

int f_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  if (tracked_of(f)) {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    if (s.reads_failing) return SQLITE_IOERR_READ;
  }
  return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}

int f_write(sqlite3_file* f, void const* buf, int n, sqlite3_int64 off) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  auto* fs = tracked_of(f);
  auto* real = real_of(f);
  if (fs) {
    bool const injected = s.fail_write_at && ++s.write_calls == *s.fail_write_at;
    if (!s.tick() || injected) {
      ++s.counters.failed_writes;
      if (s.reads_fail_after_failed_write) s.reads_failing = true;
      return injected ? s.write_fault_rc : SQLITE_IOERR_WRITE;
    }
    save_blocks(real, *fs, off, off + n);
    ++s.counters.writes;
  }
  return real->pMethods->xWrite(real, buf, n, off);
}

int f_truncate(sqlite3_file* f, sqlite3_int64 size) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  auto* fs = tracked_of(f);
  auto* real = real_of(f);
  if (fs) {
    if (!s.power_on) return SQLITE_IOERR_TRUNCATE;
    save_blocks(real, *fs, size, fs->synced_size);
  }
  return real->pMethods->xTruncate(real, size);
}

int f_sync(sqlite3_file* f, int /*flags*/) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  auto* fs = tracked_of(f);
  if (!fs) return SQLITE_OK;
  bool const injected = s.fail_sync_at && ++s.sync_calls == *s.fail_sync_at;
  if (!s.tick() || injected) {
    ++s.counters.failed_syncs;
    if (injected) fs->poisoned = true;
    return SQLITE_IOERR_FSYNC;
  }
  ++s.counters.syncs;
  if (!fs->poisoned) {
    fs->saved.clear();
    fs->synced_size = file_size(real_of(f));
  }
  return SQLITE_OK;
}

int f_file_size(sqlite3_file* f, sqlite3_int64* size) { return real_of(f)->pMethods->xFileSize(real_of(f), size); }
int f_lock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xLock(real_of(f), level); }
int f_unlock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xUnlock(real_of(f), level); }
int f_check_reserved(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int f_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int f_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int f_device_characteristics(sqlite3_file* f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
// The WAL index lives in shared memory, which a power cut loses anyway: pass it through.
int f_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), region, size, extend, out);
}
int f_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void f_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int f_shm_unmap(sqlite3_file* f, int delete_flag) { return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag); }
// No memory-mapped pages are handed out, so every read goes through f_read.
int f_fetch(sqlite3_file*, sqlite3_int64, int, void** out) {
  *out = nullptr;
  return SQLITE_OK;
}
int f_unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

sqlite3_io_methods const kIoMethods = {
    3,           f_close,         f_read,         f_write,      f_truncate,       f_sync,
    f_file_size, f_lock,          f_unlock,       f_check_reserved, f_file_control, f_sector_size,
    f_device_characteristics,     f_shm_map,      f_shm_lock,   f_shm_barrier,    f_shm_unmap,
    f_fetch,     f_unfetch,
};

int v_open(sqlite3_vfs*, char const* name, sqlite3_file* file, int flags, int* out_flags) {
  auto& s = state();
  auto* ff = reinterpret_cast<FaultFile*>(file);
  ff->real = reinterpret_cast<sqlite3_file*>(ff + 1);
  ff->tracked = nullptr;
  int const rc = s.real->xOpen(s.real, name, ff->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (ff->real->pMethods) ff->real->pMethods->xClose(ff->real);
    ff->base.pMethods = nullptr;
    return rc;
  }
  ff->base.pMethods = &kIoMethods;
  if (name && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL))) {
    std::lock_guard lock(s.mutex);
    auto [it, fresh] = s.files.try_emplace(name);
    // A file met for the first time is durable as it stands.
    if (fresh) it->second.synced_size = file_size(ff->real);
    it->second.main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    ff->tracked = &it->second;
  }
  return SQLITE_OK;
}

int v_delete(sqlite3_vfs*, char const* name, int sync_dir) {
  auto& s = state();
  {
    std::lock_guard lock(s.mutex);
    if (!s.power_on) return SQLITE_IOERR_DELETE;
    // Deleting is taken as durable; a file made again later starts empty. The entry stays, since
    // open files point at it.
    if (auto it = s.files.find(name); it != s.files.end()) it->second = FileState{.main_db = it->second.main_db};
  }
  return s.real->xDelete(s.real, name, sync_dir);
}

int v_access(sqlite3_vfs*, char const* name, int flags, int* out) { return state().real->xAccess(state().real, name, flags, out); }
int v_full_pathname(sqlite3_vfs*, char const* name, int n, char* out) {
  return state().real->xFullPathname(state().real, name, n, out);
}
void* v_dl_open(sqlite3_vfs*, char const* name) { return state().real->xDlOpen(state().real, name); }
void v_dl_error(sqlite3_vfs*, int n, char* out) { state().real->xDlError(state().real, n, out); }
void (*v_dl_sym(sqlite3_vfs*, void* h, char const* sym))(void) { return state().real->xDlSym(state().real, h, sym); }
void v_dl_close(sqlite3_vfs*, void* h) { state().real->xDlClose(state().real, h); }
int v_randomness(sqlite3_vfs*, int n, char* out) { return state().real->xRandomness(state().real, n, out); }
int v_sleep(sqlite3_vfs*, int us) { return state().real->xSleep(state().real, us); }
int v_current_time(sqlite3_vfs*, double* out) { return state().real->xCurrentTime(state().real, out); }
int v_get_last_error(sqlite3_vfs*, int n, char* out) { return state().real->xGetLastError(state().real, n, out); }
int v_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return state().real->xCurrentTimeInt64(state().real, out);
}

// Writes the durable image of one file back, with POSIX calls: no SQLite connection is open.
void restore_file(std::string const& path, FileState& fs) {
  int const fd = ::open(path.c_str(), O_RDWR);
  if (fd >= 0) {
    for (auto const& [block, bytes] : fs.saved) {
      if (::pwrite(fd, bytes.data(), bytes.size(), block * kBlock) != static_cast<ssize_t>(bytes.size())) {
        ::close(fd);
        throw std::runtime_error("fault vfs: cannot restore " + path);
      }
    }
    if (::ftruncate(fd, fs.synced_size) != 0) {
      ::close(fd);
      throw std::runtime_error("fault vfs: cannot truncate " + path);
    }
    ::close(fd);
  }
  if (fs.main_db) ::unlink((path + "-shm").c_str());
  fs.saved.clear();
  fs.poisoned = false;
}

}  // namespace

FaultVfs& FaultVfs::instance() {
  static FaultVfs vfs;
  static sqlite3_vfs registered = [] {
    auto& s = state();
    sqlite3_initialize();
    s.real = sqlite3_vfs_find(nullptr);
    if (!s.real) throw std::runtime_error("fault vfs: no default SQLite VFS");
    sqlite3_vfs v{};
    v.iVersion = 2;
    v.szOsFile = static_cast<int>(sizeof(FaultFile)) + s.real->szOsFile;
    v.mxPathname = s.real->mxPathname;
    v.zName = kFaultVfsName;
    v.xOpen = v_open;
    v.xDelete = v_delete;
    v.xAccess = v_access;
    v.xFullPathname = v_full_pathname;
    v.xDlOpen = v_dl_open;
    v.xDlError = v_dl_error;
    v.xDlSym = v_dl_sym;
    v.xDlClose = v_dl_close;
    v.xRandomness = v_randomness;
    v.xSleep = v_sleep;
    v.xCurrentTime = v_current_time;
    v.xGetLastError = v_get_last_error;
    v.xCurrentTimeInt64 = v_current_time_int64;
    return v;
  }();
  static int const rc = sqlite3_vfs_register(&registered, 0);
  if (rc != SQLITE_OK) throw std::runtime_error("fault vfs: sqlite3_vfs_register failed");
  return vfs;
}

void FaultVfs::cut_power_after(std::int64_t n) {
  std::lock_guard lock(state().mutex);
  state().cut_at = state().io_calls + n;
}

void FaultVfs::cut_power_now() {
  std::lock_guard lock(state().mutex);
  state().power_on = false;
}

bool FaultVfs::power_is_on() const {
  std::lock_guard lock(state().mutex);
  return state().power_on;
}

void FaultVfs::restore_power() {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  for (auto& [path, fs] : s.files) restore_file(path, fs);
  s.power_on = true;
  s.cut_at.reset();
  s.fail_write_at.reset();
  s.fail_sync_at.reset();
  s.reads_fail_after_failed_write = false;
  s.reads_failing = false;
}

void FaultVfs::fail_write_after(std::int64_t n, WriteFault fault) {
  std::lock_guard lock(state().mutex);
  state().fail_write_at = state().write_calls + n;
  state().write_fault_rc = fault == WriteFault::disk_full ? SQLITE_FULL : SQLITE_IOERR_WRITE;
}

void FaultVfs::fail_reads_from_next_failed_write() {
  std::lock_guard lock(state().mutex);
  state().reads_fail_after_failed_write = true;
}

void FaultVfs::heal_reads() {
  std::lock_guard lock(state().mutex);
  state().reads_fail_after_failed_write = false;
  state().reads_failing = false;
}

void FaultVfs::fail_sync_after(std::int64_t n) {
  std::lock_guard lock(state().mutex);
  state().fail_sync_at = state().sync_calls + n;
}

FaultVfs::Counters FaultVfs::counters() const {
  std::lock_guard lock(state().mutex);
  return state().counters;
}

}  // namespace corral::test
