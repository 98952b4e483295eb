#include "queue/sqlite/file_check.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace corral::sqlite {
namespace {

namespace fs = std::filesystem;

std::uint32_t big_endian(unsigned char const* p, int n) {
  std::uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

core::Error refused(std::string const& path, std::string const& problem) {
  return core::make_error(core::Errc::storage_unavailable,
                          path + " is not a usable Corral database: " + problem +
                              "; the server refuses to start rather than start empty or write over it "
                              "(restore it from a backup, or move it away to start a new database)");
}

std::uintmax_t size_or_zero(fs::path const& p) {
  std::error_code ec;
  auto n = fs::file_size(p, ec);
  return ec ? 0 : n;
}

}  // namespace

core::Result<void> check_file_header(std::string const& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return {};
  auto const size = fs::file_size(path, ec);
  if (ec) return refused(path, "cannot read its size (" + ec.message() + ")");
  bool const has_wal = size_or_zero(path + "-wal") > 0;
  if (size == 0) {
    if (has_wal) return refused(path, "the file is empty but its WAL (" + path + "-wal) is not");
    return {};
  }
  constexpr std::size_t kHeader = 100;
  if (size < kHeader) {
    return refused(path, "the file is " + std::to_string(size) + " bytes, shorter than a SQLite header (truncated?)");
  }
  std::array<unsigned char, kHeader> h{};
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(h.data()), kHeader)) return refused(path, "cannot read its header");
  if (std::memcmp(h.data(), "SQLite format 3", 16) != 0) {
    return refused(path, "its first 16 bytes are not the SQLite header (not a SQLite database, or a corrupt header)");
  }
  std::uint32_t page_size = big_endian(&h[16], 2);
  if (page_size == 1) page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) {
    return refused(path, "its header is corrupt (page size " + std::to_string(page_size) + ")");
  }
  // The page count at offset 28 is valid when "version-valid-for" (92) equals the change counter (24).
  std::uint32_t const pages = big_endian(&h[28], 4);
  bool const count_valid = pages > 0 && big_endian(&h[92], 4) == big_endian(&h[24], 4);
  auto const expected = static_cast<std::uintmax_t>(pages) * page_size;
  if (count_valid && !has_wal && size < expected) {
    return refused(path, "the file is truncated: its header says " + std::to_string(pages) + " pages of " +
                             std::to_string(page_size) + " bytes (" + std::to_string(expected) +
                             " bytes), the file has " + std::to_string(size));
  }
  return {};
}

core::Result<void> check_structure(Database& db, std::string const& path) {
  auto const size = size_or_zero(path);
  if (size > kQuickCheckMaxBytes) {
    spdlog::info("{} is {} MiB: skipping PRAGMA quick_check at start-up (done up to {} MiB); start-up reads the "
                 "schema and every waiting or running job; run sqlite3 {} 'PRAGMA integrity_check' to check it all",
                 path, size >> 20, kQuickCheckMaxBytes >> 20, path);
    return {};
  }
  // Up to 5 problems, enough to name what is wrong without reading a flood. sqlite3_exec rather
  // than a Statement: on a damaged file even preparing may fail, and that is an answer too.
  auto const began = std::chrono::steady_clock::now();
  std::string problems;
  auto collect = [](void* out, int, char** values, char**) {
    std::string const line = values[0] ? values[0] : "";
    auto& all = *static_cast<std::string*>(out);
    if (line != "ok") all += (all.empty() ? "" : "; ") + line;
    return 0;
  };
  if (int rc = sqlite3_exec(db.handle(), "PRAGMA quick_check(5)", collect, &problems, nullptr); rc != SQLITE_OK) {
    return refused(path, "PRAGMA quick_check failed: " + std::string(sqlite3_errmsg(db.handle())));
  }
  if (!problems.empty()) return refused(path, "PRAGMA quick_check found corruption: " + problems);
  spdlog::info("PRAGMA quick_check of {} ({} MiB) passed in {} ms", path, size >> 20,
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count());
  return {};
}

}  // namespace corral::sqlite
