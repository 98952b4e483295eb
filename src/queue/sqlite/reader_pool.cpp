#include "queue/sqlite/reader_pool.hpp"

namespace corral::sqlite {

core::Result<std::unique_ptr<ReaderPool::Reader>> ReaderPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto r = std::move(idle_.back());
      idle_.pop_back();
      return r;
    }
  }
  auto db = Database::open(path_, Database::Mode::read_only, vfs_);
  if (!db) return db.error();
  return std::make_unique<Reader>(std::move(*db));
}

void ReaderPool::release(std::unique_ptr<Reader> r) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(r));
}

}  // namespace corral::sqlite
