// Read-only connections for get and list, one per concurrent reader, created on demand and reused.
// In WAL mode readers see the last commit and never block the writer.
//
// Thread-safe.
#pragma once

#include "queue/sqlite/database.hpp"
#include "queue/sqlite/job_store.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace corral::sqlite {

class ReaderPool {
 public:
  struct Reader {
    Database db;
    JobStore store;
    explicit Reader(Database d) : db(std::move(d)), store(db) {}
  };

  ReaderPool(std::string path, std::string vfs) : path_(std::move(path)), vfs_(std::move(vfs)) {}

  // Runs fn(Database&) on a pooled connection, for statements outside the JobStore (stats).
  template <class Fn>
  auto with_db(Fn&& fn) -> decltype(fn(std::declval<Database&>())) {
    return with_reader([&fn](Reader& r) { return fn(r.db); });
  }

  // Runs fn(JobStore&) on a pooled connection.
  template <class Fn>
  auto with_store(Fn&& fn) -> decltype(fn(std::declval<JobStore&>())) {
    return with_reader([&fn](Reader& r) { return fn(r.store); });
  }

 private:
  template <class Fn>
  auto with_reader(Fn&& fn) -> decltype(fn(std::declval<Reader&>())) {
    auto reader = acquire();
    if (!reader) return reader.error();
    auto result = fn(**reader);
    release(std::move(*reader));
    return result;
  }

  core::Result<std::unique_ptr<Reader>> acquire();
  void release(std::unique_ptr<Reader> r);

  std::string path_;
  std::string vfs_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Reader>> idle_;  // GUARDED_BY(mutex_)
};

}  // namespace corral::sqlite
