#include "queue/sqlite/owner_reads.hpp"

#include "queue/stored_json.hpp"

namespace corral::sqlite {
namespace {

core::Result<core::JobState> state_of(Statement& st, int col) {
  auto s = core::parse_job_state(st.text_view(col));
  if (!s) return core::make_error(core::Errc::internal, "a job has an unknown status");
  return *s;
}

// Runs `st`, handing each row to `read`; stops at the first error, the statement's or read's.
template <class Read>
core::Result<void> each_row(Statement& st, Read read) {
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return {};
    if (auto r = read(); !r) return r.error();
  }
}

}  // namespace

core::Result<std::map<queue::CountKey, queue::StateCounts>> read_owner_counts(Database& db, std::string const& owner) {
  auto st = db.prepare(
      "SELECT queue, type, priority, status, count(*) FROM jobs WHERE owner = ?1 GROUP BY queue, type, priority, status");
  st.bind(1, owner);
  std::map<queue::CountKey, queue::StateCounts> out;
  auto done = each_row(st, [&]() -> core::Result<void> {
    auto s = state_of(st, 3);
    if (!s) return s.error();
    out[queue::CountKey{st.text(0), st.text(1), static_cast<int>(st.int64(2))}][static_cast<std::size_t>(*s)] =
        st.int64(4);
    return {};
  });
  if (!done) return done.error();
  return out;
}

core::Result<std::map<std::string, core::TimePoint>> read_owner_oldest_ready(Database& db, std::string const& owner) {
  auto st = db.prepare("SELECT queue, min(run_at) FROM jobs WHERE owner = ?1 AND status = 'queued' GROUP BY queue");
  st.bind(1, owner);
  std::map<std::string, core::TimePoint> out;
  auto done = each_row(st, [&]() -> core::Result<void> {
    out[st.text(0)] = core::from_unix_micros(st.int64(1));
    return {};
  });
  if (!done) return done.error();
  return out;
}

core::Result<std::vector<queue::OwnerJobRow>> read_owner_window(Database& db, std::string const& owner,
                                                                std::int64_t since_us) {
  auto st = db.prepare("SELECT queue, type, status, run_at, attempts FROM jobs WHERE owner = ?1 AND updated_at >= ?2");
  st.bind(1, owner).bind(2, since_us);
  std::vector<queue::OwnerJobRow> out;
  auto done = each_row(st, [&]() -> core::Result<void> {
    auto s = state_of(st, 2);
    if (!s) return s.error();
    auto attempts = queue::parse_stored_attempts(st.text_view(4));
    if (!attempts) return attempts.error();
    out.push_back({st.text(0), st.text(1), *s, core::from_unix_micros(st.int64(3)), std::move(*attempts)});
    return {};
  });
  if (!done) return done.error();
  return out;
}

}  // namespace corral::sqlite
