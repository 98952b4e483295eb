// The writer's batch apply on a real SQLite file: one transaction that enqueues a batch of jobs,
// claims them and completes each, as the group writer runs it, then the after-commit work (index,
// counts, wake-ups). synchronous=OFF here, so the figure is the CPU cost of a batch, not the
// disk's fsync (the server runs with FULL; one fsync per batch comes on top).
#include "queue/sqlite/database.hpp"
#include "queue/sqlite/engine.hpp"
#include "queue/sqlite/migrate.hpp"
#include "queue/waiters.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <stdexcept>

namespace corral::sqlite {
namespace {

void check(core::Result<void> const& r) {
  if (!r) throw std::runtime_error(r.error().message);
}

struct Fixture {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "corral-micro-writer";
  Database db;
  queue::Waiters waiters;
  std::unique_ptr<Engine> engine;

  Fixture() {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    db = std::move(*Database::open((dir / "bench.db").string(), Database::Mode::read_write));
    {
      auto mode = db.prepare("PRAGMA journal_mode = WAL");
      (void)mode.step();
    }
    check(db.exec("PRAGMA synchronous = OFF"));
    check(migrate(db));
    engine = std::make_unique<Engine>(db, core::JobTypeTable{}, waiters);
    check(engine->load());
  }
  ~Fixture() {
    engine.reset();
    db = Database{};
    std::filesystem::remove_all(dir);
  }
};

void writer_batch_enqueue_claim_complete(benchmark::State& state) {
  Fixture f;
  auto const jobs = static_cast<std::size_t>(state.range(0));
  core::EnqueueRequest req;
  req.type = "bench.noop";
  req.queue = "bench";
  req.payload = R"({"data":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","sent_ns":1})";
  std::vector<core::EnqueueRequest> const batch(jobs, req);
  queue::FetchRequest fetch{.queues = {"bench"}, .worker_id = "bench-1", .count = static_cast<int>(jobs)};
  for (auto _ : state) {
    auto const now = core::TimePoint{} + std::chrono::hours(24 * 365 * 56);
    check(f.db.exec("BEGIN IMMEDIATE"));
    auto enqueued = f.engine->enqueue_batch(batch, now);
    check(f.db.exec("COMMIT"));
    f.engine->after_commit();

    check(f.db.exec("BEGIN IMMEDIATE"));
    auto claimed = f.engine->claim(fetch, now);
    check(f.db.exec("COMMIT"));
    f.engine->after_commit();

    check(f.db.exec("BEGIN IMMEDIATE"));
    for (auto const& job : *claimed) {
      core::Event done{core::EventKind::complete};
      done.lease_token = *job.lease_token;
      auto r = f.engine->apply_event(job.id, done, now);
      benchmark::DoNotOptimize(r);
    }
    check(f.db.exec("COMMIT"));
    f.engine->after_commit();
    if (!enqueued || !claimed || claimed->size() != jobs) throw std::runtime_error("the batch did not run");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * jobs));
}
BENCHMARK(writer_batch_enqueue_claim_complete)->Arg(100);

}  // namespace
}  // namespace corral::sqlite
