// Start-up checks that refuse a damaged database file rather than serve from it, start it afresh
// or write over it. Each failure names the file and what is wrong with it; neither check writes.
//
// Two steps, bounded so that start-up stays within seconds at millions of jobs:
//  1. check_file_header, before SQLite opens the file, reads its first 100 bytes: the magic
//     string (garbage, or another kind of file), the page size, and, when no WAL is waiting to be
//     replayed, that the file is as long as its header says (a truncated file; with a WAL, a
//     checkpoint cut short may legitimately leave the file shorter until the replay). O(1).
//  2. check_structure, once the file is open, runs PRAGMA quick_check (every page's b-tree
//     structure; not index contents) on files up to kQuickCheckMaxBytes, about 0.8 s of CPU for
//     the 227 MB of a million queued jobs. Larger files get only what start-up reads anyway (the
//     schema, the status index and every waiting or running job's row): a full check would cost
//     seconds per gigabyte on every start; `sqlite3 PATH 'PRAGMA integrity_check'` checks them
//     offline.
//
// A file that does not exist, or is empty with no WAL, is a new database, as SQLite treats it.
#pragma once

#include "core/error.hpp"
#include "queue/sqlite/database.hpp"

#include <cstdint>
#include <string>

namespace corral::sqlite {

inline constexpr std::uint64_t kQuickCheckMaxBytes = 256ull << 20;

core::Result<void> check_file_header(std::string const& path);
core::Result<void> check_structure(Database& db, std::string const& path);

}  // namespace corral::sqlite
