#include "queue/sqlite/stats_store.hpp"

namespace corral::sqlite {
namespace {

// Binds the optional queue and type filters as ?N and ?N+1 (NULL: any).
void bind_filters(Statement& st, int first, std::optional<std::string> const& queue,
                  std::optional<std::string> const& type) {
  st.bind(first, queue).bind(first + 1, type);
}

template <class Row, class Read>
core::Result<std::vector<Row>> rows_of(Statement& st, Read read) {
  std::vector<Row> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(read(st));
  }
}

template <class Read>
core::Result<std::map<std::string, std::int64_t>> map_of(Statement& st, Read read) {
  std::map<std::string, std::int64_t> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    read(st, out);
  }
}

}  // namespace

StatsWriter::StatsWriter(Database& db)
    : db_(db),
      rollup_add_(db.prepare(
          "INSERT INTO stats_rollups (span_s, start_s, queue, type, metric, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
          " ON CONFLICT (span_s, start_s, queue, type, metric) DO UPDATE SET n = n + excluded.n")),
      error_add_(db.prepare(
          "INSERT INTO stats_errors (start_s, queue, type, code, n, message, last_seen)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (start_s, queue, type, code) DO UPDATE"
          " SET n = n + excluded.n, message = excluded.message, last_seen = max(last_seen, excluded.last_seen)")),
      sighting_add_(db.prepare(
          "INSERT INTO workers_seen (worker_id, queue, last_seen) VALUES (?1, ?2, ?3)"
          " ON CONFLICT (worker_id, queue) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)")) {}

core::Result<void> StatsWriter::add(queue::Rollup const& rollup) {
  for (auto const& [key, n] : rollup.counts()) {
    rollup_add_.bind(1, key.span_s).bind(2, key.start_s).bind_static(3, key.queue).bind_static(4, key.type);
    rollup_add_.bind(5, key.metric).bind(6, n);
    if (auto r = rollup_add_.run(); !r) return r;
  }
  for (auto const& [key, tally] : rollup.errors()) {
    error_add_.bind(1, key.start_s).bind_static(2, key.queue).bind_static(3, key.type).bind_static(4, key.code);
    error_add_.bind(5, tally.count).bind_static(6, tally.message).bind(7, tally.last_seen_us);
    if (auto r = error_add_.run(); !r) return r;
  }
  return {};
}

core::Result<void> StatsWriter::add(SightingMap const& sightings) {
  for (auto const& [key, at] : sightings) {
    sighting_add_.bind_static(1, key.first).bind_static(2, key.second).bind(3, core::to_unix_micros(at));
    if (auto r = sighting_add_.run(); !r) return r;
  }
  return {};
}

core::Result<void> StatsWriter::trim(core::TimePoint now) {
  auto const cutoff_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() -
                        queue::kRollupKeepS;
  auto const cutoff = std::to_string(cutoff_s);
  // span_s first, so the primary key finds the old rows of each span without a scan.
  for (auto span : {queue::kMinuteS, queue::kHourS}) {
    if (auto r = db_.exec("DELETE FROM stats_rollups WHERE span_s = " + std::to_string(span) + " AND start_s < " +
                          cutoff);
        !r) {
      return r;
    }
  }
  if (auto r = db_.exec("DELETE FROM stats_errors WHERE start_s < " + cutoff); !r) return r;
  return db_.exec("DELETE FROM workers_seen WHERE last_seen < " + std::to_string(cutoff_s * 1'000'000));
}

core::Result<std::vector<queue::RollupRow>> read_rollups(Database& db, std::int64_t span_s, std::int64_t first_s,
                                                         std::optional<std::string> const& queue,
                                                         std::optional<std::string> const& type) {
  auto st = db.prepare(
      "SELECT start_s, type, metric, sum(n) FROM stats_rollups WHERE span_s = ?1 AND start_s >= ?2"
      " AND (?3 IS NULL OR queue = ?3) AND (?4 IS NULL OR type = ?4) GROUP BY start_s, type, metric");
  st.bind(1, span_s).bind(2, first_s);
  bind_filters(st, 3, queue, type);
  return rows_of<queue::RollupRow>(st, [](Statement& s) {
    return queue::RollupRow{s.int64(0), "", s.text(1), static_cast<int>(s.int64(2)), s.int64(3)};
  });
}

core::Result<std::vector<queue::ErrorRow>> read_errors(Database& db, std::int64_t first_s,
                                                       std::optional<std::string> const& queue,
                                                       std::optional<std::string> const& type) {
  auto st = db.prepare(
      "SELECT type, code, n, message, last_seen FROM stats_errors WHERE start_s >= ?1"
      " AND (?2 IS NULL OR queue = ?2) AND (?3 IS NULL OR type = ?3)");
  st.bind(1, first_s);
  bind_filters(st, 2, queue, type);
  return rows_of<queue::ErrorRow>(st, [](Statement& s) {
    return queue::ErrorRow{s.text(0), s.text(1), s.int64(2), s.text(3), s.int64(4)};
  });
}

core::Result<std::vector<queue::SightingRow>> read_sightings(Database& db, std::int64_t since_us) {
  auto st = db.prepare("SELECT worker_id, queue, last_seen FROM workers_seen WHERE last_seen >= ?1");
  st.bind(1, since_us);
  return rows_of<queue::SightingRow>(st, [](Statement& s) {
    return queue::SightingRow{s.text(0), s.text(1), s.int64(2)};
  });
}

core::Result<std::map<std::string, std::int64_t>> read_running_by_worker(Database& db) {
  // jobs_by_status finds the running jobs: as many as the leases held, whatever the table holds.
  auto st = db.prepare("SELECT coalesce(worker_id, ''), count(*) FROM jobs WHERE status = 'running' GROUP BY 1");
  return map_of(st, [](Statement& s, auto& out) { out[s.text(0)] = s.int64(1); });
}

core::Result<std::map<std::string, std::int64_t>> read_last_fetch_by_queue(Database& db) {
  auto st = db.prepare("SELECT queue, max(last_seen) FROM workers_seen GROUP BY queue");
  return map_of(st, [](Statement& s, auto& out) { out[s.text(0)] = s.int64(1); });
}

}  // namespace corral::sqlite
