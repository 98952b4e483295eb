#include "queue/sqlite/sqlite_queue.hpp"

#include "queue/sqlite/database.hpp"
#include "queue/sqlite/dependency_store.hpp"
#include "queue/sqlite/disk_reserve.hpp"
#include "queue/sqlite/file_check.hpp"
#include "queue/sqlite/engine.hpp"
#include "queue/sqlite/file_lock.hpp"
#include "queue/sqlite/group_writer.hpp"
#include "queue/sqlite/migrate.hpp"
#include "queue/parked_fetch.hpp"
#include "queue/sqlite/api_key_store.hpp"
#include "queue/sqlite/queue_attributes_store.hpp"
#include "queue/sqlite/reader_pool.hpp"
#include "queue/sqlite/schedule_store.hpp"
#include "queue/schedule_plan.hpp"
#include "queue/sqlite/owner_reads.hpp"
#include "queue/sqlite/stats_store.hpp"
#include "queue/health_checks.hpp"
#include "queue/rollup.hpp"
#include "queue/long_poll.hpp"
#include "queue/event_service.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>

namespace corral::sqlite {
namespace {

namespace asio = boost::asio;
using queue::Task;
using SteadyClock = std::chrono::steady_clock;

core::TimePoint wall_now() {
  return std::chrono::time_point_cast<core::Micros>(std::chrono::system_clock::now());
}

class SqliteQueue final : public queue::EventQueueService {
 public:
  SqliteQueue(FileLock lock, std::unique_ptr<DiskReserve> reserve, Database db, SqliteOptions options)
      : lock_(std::move(lock)), reserve_(std::move(reserve)), db_(std::move(db)),
        events_(options.event_window),
        engine_(db_, std::move(options.job_types), waiters_, events_), wal_(db_, options.path, options.wal_max_bytes),
        readers_(std::move(options.path), std::move(options.vfs)), retention_(std::move(options.retention)),
        commit_on_caller_(options.commit_on_caller) {
    engine_.set_delivery_body(std::move(options.delivery_body));
  }

  core::Result<void> start() {
    if (auto r = engine_.set_retention(retention_); !r) return r;
    auto const began = SteadyClock::now();
    if (auto r = engine_.load(); !r) return r;
    if (auto r = engine_.release_delivery_claims(); !r) return r;
    spdlog::info("recovered {} waiting or running jobs in {} ms", engine_.active_jobs(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - began).count());
    writer_ = std::make_unique<GroupWriter>(db_, engine_, &wal_, &commits_, commit_on_caller_);
    return {};
  }

  ~SqliteQueue() override {
    waiters_.close();
    if (writer_) stop_writer();
  }

  Task<queue::EnqueueResult> enqueue(core::EnqueueRequest req) override {
    co_return co_await write<queue::EnqueueResult>(
        [&req](Engine& e, core::TimePoint now) { return e.enqueue(req, now); }, kNewWork);
  }

  Task<std::vector<queue::EnqueueResult>> enqueue_batch(std::vector<core::EnqueueRequest> reqs) override {
    co_return co_await write<std::vector<queue::EnqueueResult>>(
        [&reqs](Engine& e, core::TimePoint now) { return e.enqueue_batch(reqs, now); }, kNewWork);
  }

  Task<core::Job> get(std::string id, queue::GetWait wait) override {
    auto read = [this, &id]() -> Task<core::Job> { co_return read_job(id); };
    co_return co_await queue::get_with_wait(waiters_, id, wait, read);
  }

  Task<queue::JobPage> list(queue::ListQuery query) override {
    co_return readers_.with_store([&query](JobStore& store) -> core::Result<queue::JobPage> {
      auto probe = query;
      probe.limit = query.limit + 1;  // one more tells whether there is a next page
      auto jobs = store.job_list(probe);
      if (!jobs) return jobs.error();
      auto page = queue::page_of(std::move(*jobs), query);
      if (query.count) {
        auto counted = store.job_count(query);
        if (!counted) return counted.error();
        queue::set_total(page, *counted);
      }
      return page;
    });
  }

  Task<void> remove(std::string id) override {
    co_return co_await write<void>([&id](Engine& e, core::TimePoint now) { return e.remove(id, now); });
  }

  // One write op per batch of kPruneBatch rows looked at, each its own turn on the writer, so the
  // writes submitted meanwhile are not held up behind the whole prune.
  Task<std::int64_t> prune(queue::PruneRequest req) override {
    if (auto bad = queue::check_prune(req)) co_return *bad;
    std::optional<std::int64_t> cutoff;   // fixed by the writer's clock at the first batch
    std::int64_t pruned = 0;
    for (auto state : req.statuses) {
      std::optional<std::int64_t> after = 0;
      while (after) {
        auto step = co_await write<Engine::PruneStep>([&](Engine& e, core::TimePoint now) {
          if (!cutoff) cutoff = core::to_unix_micros(now - req.older_than);
          return e.prune_step(state, *after, *cutoff, req.queue, queue::kPruneBatch, now);
        });
        if (!step) co_return step.error();
        pruned += step->pruned;
        after = step->resume_after;
      }
    }
    co_return pruned;
  }

  // A fetch that may wait is one write op: it claims, or parks on the writer until a batch makes
  // work ready for it and claims within that batch (parked_fetch.hpp). Not write<>: its answer comes
  // through the ParkedFetch, and a failed batch must answer it from the writer thread, at once,
  // so that no later batch claims jobs for a fetch whose caller has already been told it failed.
  Task<std::vector<core::Job>> fetch(queue::FetchRequest req) override {
    // A long-poll's asker may have hung up before we got to it.
    if (req.abandoned && req.abandoned()) co_return std::vector<core::Job>{};
    if (req.wait.count() <= 0 || waiters_.closed()) {
      co_return co_await write<std::vector<core::Job>>(
          [&req](Engine& e, core::TimePoint now) { return e.claim(req, now); }, kNewWork);
    }
    auto const deadline = SteadyClock::now() + req.wait;
    auto fetch =
        std::make_shared<queue::ParkedFetch>(std::move(req), co_await asio::this_coro::executor, deadline, &parked_fetches_);
    WriteOp op;
    op.apply = [fetch, reserve = reserve_.get()](Engine& e, core::TimePoint now) -> std::optional<core::Error> {
      if (auto full = reserve->refusal()) {
        fetch->answer(std::move(*full));
        return std::nullopt;
      }
      if (auto r = e.claim_or_park(fetch, now); !r) return r.error();
      return std::nullopt;
    };
    op.settle = [fetch, reserve = reserve_.get()](std::optional<core::Error> const& batch_error) {
      if (!batch_error) return;  // answered by the engine, after the commit or later
      if (batch_error->code == core::Errc::storage_full) reserve->recheck();
      fetch->answer(*batch_error);
    };
    writer_->submit(std::move(op));
    // Nothing wakes a fetch parked on the writer (ParkedFetch::wake): the writer itself claims
    // whatever becomes ready, so the answer is always there.
    auto answer = co_await fetch->wait();
    co_return std::move(*answer);
  }


  Task<std::vector<queue::QueueInfo>> queues() override { co_return engine_.stats(); }

  Task<std::vector<queue::QueueInfo>> owner_queues(std::string owner) override {
    auto counts = readers_.with_db([&owner](Database& db) { return read_owner_counts(db, owner); });
    if (!counts) co_return counts.error();
    co_return queue::owner_queue_infos(engine_.stats(), *counts);
  }

  // A look on a reader first: an idle outbox costs the writer nothing (no commit every poll).
  Task<queue::ClaimedDeliveries> claim_deliveries(queue::DeliveryClaim claim) override {
    auto next = readers_.with_db([](Database& db) { return OutboxStore(db).delivery_next_due(); });
    if (!next) co_return next.error();
    auto const now = wall_now();
    if (!*next || **next > now) co_return queue::ClaimedDeliveries{{}, now, *next};
    co_return co_await write<queue::ClaimedDeliveries>(
        [&claim](Engine& e, core::TimePoint now) { return e.claim_deliveries(claim, now); });
  }

  Task<void> report_delivery(queue::DeliveryReport report) override {
    co_return co_await write<void>([&report](Engine& e, core::TimePoint) { return e.report_delivery(report); });
  }

  Task<std::int64_t> deliveries_pending() override {
    co_return readers_.with_db([](Database& db) { return OutboxStore(db).delivery_count(); });
  }

  // Counts and oldest ready work from the engine's memory; the window from the rollups.
  Task<api::Stats> stats(api::StatsQuery query) override {
    api::Stats out;
    out.window = query.window;
    out.now = wall_now();
    auto const first_s = queue::window_start_s(query.window, out.now);
    if (query.owner) {
      co_return readers_.with_db([&](Database& db) -> core::Result<api::Stats> {
        auto counts = read_owner_counts(db, *query.owner);
        if (!counts) return counts.error();
        queue::fill_counts(out, *counts, query);
        auto oldest = read_owner_oldest_ready(db, *query.owner);
        if (!oldest) return oldest.error();
        queue::fill_oldest_ready(out, *oldest, query);
        auto jobs = read_owner_window(db, *query.owner, first_s * 1'000'000);
        if (!jobs) return jobs.error();
        queue::fill_window_from_jobs(out, *jobs, query);
        return std::move(out);
      });
    }
    queue::fill_counts(out, engine_.detail_counts(), query);
    queue::fill_oldest_ready(out, engine_.oldest_ready(), query);
    co_return readers_.with_db([&](Database& db) -> core::Result<api::Stats> {
      // What the table holds, and what the writer has summed since it last wrote it.
      auto rows = read_rollups(db, queue::span_of(query.window), first_s, query.queue, query.type);
      if (!rows) return rows.error();
      auto unwritten = engine_.unwritten_rollups(queue::span_of(query.window), query.queue, query.type);
      rows->insert(rows->end(), unwritten.begin(), unwritten.end());
      auto errors = read_errors(db, first_s, query.queue, query.type);
      if (!errors) return errors.error();
      auto unwritten_errors = engine_.unwritten_errors(first_s, query.queue, query.type);
      errors->insert(errors->end(), unwritten_errors.begin(), unwritten_errors.end());
      queue::fill_from_rollups(out, *rows, *errors);
      auto sightings = read_sightings(db, first_s * 1'000'000);
      if (!sightings) return sightings.error();
      auto running = read_running_by_worker(db);
      if (!running) return running.error();
      queue::fill_workers(out, *sightings, *running, query);
      return std::move(out);
    });
  }

  Task<api::HealthFacts> health_facts() override {
    api::HealthFacts facts;
    facts.now = wall_now();
    auto const ready = readiness();
    facts.writable = ready.ready;
    facts.not_writable_reason = ready.reason;
    facts.commit_latency_s = writer_->latency().slowest_s();
    co_return readers_.with_db([&](Database& db) -> core::Result<api::HealthFacts> {
      auto const hour_start = queue::window_start_s(api::StatsWindow::hour, facts.now);
      auto rows = read_rollups(db, queue::kMinuteS, hour_start, std::nullopt, std::nullopt);
      if (!rows) return rows.error();
      auto unwritten = engine_.unwritten_rollups(queue::kMinuteS, std::nullopt, std::nullopt);
      rows->insert(rows->end(), unwritten.begin(), unwritten.end());
      auto sightings = read_sightings(db, hour_start * 1'000'000);
      if (!sightings) return sightings.error();
      queue::fill_outcomes(facts, *rows, *sightings);
      auto last_fetch = read_last_fetch_by_queue(db);
      if (!last_fetch) return last_fetch.error();
      facts.queues = queue::queue_health_of(engine_.stats(), engine_.oldest_ready(), *last_fetch);
      return std::move(facts);
    });
  }

  Task<queue::QueueInfo> pause(std::string name) override { co_return co_await set_paused(std::move(name), true); }
  Task<queue::QueueInfo> resume(std::string name) override { co_return co_await set_paused(std::move(name), false); }
  Task<queue::QueueInfo> update_queue(std::string name, queue::QueueUpdate update) override {
    if (auto bad = core::check_name("queue", name)) co_return *bad;
    co_return co_await write<queue::QueueInfo>(
        [&name, &update](Engine& e, core::TimePoint) { return e.update_queue(name, update); });
  }

  Task<queue::QueueAttributesCreated> create_queue_attributes(std::string name, std::string attributes) override {
    co_return co_await write<queue::QueueAttributesCreated>([this, &name, &attributes](Engine&, core::TimePoint now) {
      return queue_attributes_create(db_, name, attributes, now);
    });
  }

  Task<queue::QueueAttributes> get_queue_attributes(std::string name) override {
    co_return readers_.with_db([&name](Database& db) -> core::Result<queue::QueueAttributes> {
      auto found = queue_attributes_get(db, name);
      if (!found) return found.error();
      if (!*found) return core::make_error(core::Errc::not_found, "queue " + name + " has no attributes");
      return std::move(**found);
    });
  }

  Task<std::vector<queue::QueueAttributes>> list_queue_attributes(queue::QueueAttributesQuery query) override {
    co_return readers_.with_db([&query](Database& db) { return queue_attributes_list(db, query); });
  }

  Task<queue::QueueAttributes> set_queue_attributes(std::string name, std::string attributes) override {
    co_return co_await write<queue::QueueAttributes>([this, &name, &attributes](Engine&, core::TimePoint now) {
      return queue_attributes_set(db_, name, attributes, now);
    });
  }

  Task<void> delete_queue_attributes(std::string name) override {
    co_return co_await write<void>([this, &name](Engine&, core::TimePoint) { return queue_attributes_delete(db_, name); });
  }

  Task<queue::ApiKey> create_api_key(queue::ApiKey key) override {
    co_return co_await write<queue::ApiKey>(
        [this, &key](Engine&, core::TimePoint now) { return api_key_create(db_, std::move(key), now); });
  }

  Task<std::vector<queue::ApiKey>> list_api_keys() override {
    co_return readers_.with_db([](Database& db) { return api_key_list(db); });
  }

  Task<queue::ApiKey> revoke_api_key(std::string id) override {
    co_return co_await write<queue::ApiKey>([this, &id](Engine&, core::TimePoint now) { return api_key_revoke(db_, id, now); });
  }

  Task<std::optional<queue::ApiKey>> find_api_key(std::string key_hash) override {
    co_return readers_.with_db([&key_hash](Database& db) { return api_key_find(db, key_hash); });
  }

  Task<std::int64_t> count_api_keys() override {
    co_return readers_.with_db([](Database& db) { return api_key_count(db); });
  }

  Task<queue::Schedule> save_schedule(queue::Schedule s, queue::SaveMode mode) override {
    co_return co_await write<queue::Schedule>([&](Engine&, core::TimePoint now) -> core::Result<queue::Schedule> {
      auto existing = schedule_get(db_, s.name);
      if (!existing) return existing.error();
      auto saved = queue::to_save(std::move(s), *existing, mode, now);
      if (!saved) return saved.error();
      if (auto r = schedule_write(db_, *saved); !r) return r.error();
      return saved;
    });
  }

  Task<api::BatchInfo> get_batch(std::string id) override {
    co_return readers_.with_db([&id](Database& db) -> core::Result<api::BatchInfo> {
      auto found = batch_read(db, id);
      if (!found) return found.error();
      if (!*found) return core::make_error(core::Errc::not_found, "batch " + id + " not found");
      return std::move(**found);
    });
  }

  Task<queue::Schedule> get_schedule(std::string name) override {
    co_return readers_.with_db([&name](Database& db) -> core::Result<queue::Schedule> {
      auto found = schedule_get(db, name);
      if (!found) return found.error();
      if (!*found) return core::make_error(core::Errc::not_found, "schedule " + name + " not found");
      return std::move(**found);
    });
  }

  Task<std::vector<queue::Schedule>> list_schedules() override {
    co_return readers_.with_db([](Database& db) { return schedule_list(db); });
  }

  Task<void> delete_schedule(std::string name) override {
    co_return co_await write<void>([this, &name](Engine&, core::TimePoint) { return schedule_delete(db_, name); });
  }

  // One write op: each due schedule's job and its next run time commit in the same transaction.
  // A look on a reader first, so that a server with nothing due commits nothing.
  Task<queue::ScheduleRunResult> run_due_schedules(queue::ScheduleRunRequest req) override {
    auto next = readers_.with_db([](Database& db) { return schedule_next_due(db); });
    if (!next) co_return next.error();
    if (auto const now = wall_now(); !*next || **next > now) co_return queue::ScheduleRunResult{{}, *next, now};
    co_return co_await write<queue::ScheduleRunResult>(
        [this, &req](Engine& e, core::TimePoint now) -> core::Result<queue::ScheduleRunResult> {
          queue::ScheduleRunResult out;
          out.now = now;
          auto due = schedule_due(db_, now, req.limit);
          if (!due) return due.error();
          for (auto const& s : *due) {
            std::optional<core::JobState> previous;
            if (s.last_job_id) {
              auto state = schedule_job_state(db_, *s.last_job_id);
              if (!state) return state.error();
              previous = *state;
            }
            auto plan = queue::plan_tick(s, now, previous, req.parse);
            if (plan.enqueue) {
              auto r = e.enqueue(*plan.enqueue, now);
              if (!r && spoils_batch(r.error())) return r.error();
              if (r) plan.tick.job_id = plan.after.last_job_id = r->job.id;
              else {
                plan.tick.error = "job: " + r.error().message;
                plan.after.last_tick_at = s.last_tick_at;
              }
            }
            if (auto w = schedule_write(db_, plan.after); !w) return w.error();
            out.ticks.push_back(std::move(plan.tick));
          }
          auto next = schedule_next_due(db_);
          if (!next) return next.error();
          out.next_due = *next;
          return out;
        },
        kNewWork);
  }

  queue::EventLog& events() override { return events_; }

  queue::Readiness readiness() const override {
    if (auto failure = writer_->failure()) return {false, failure->message};
    if (auto full = reserve_->refusal()) return {false, full->message};
    if (waiters_.closed()) return {false, "shutting down"};
    return {true, ""};
  }

  std::vector<queue::BackendStat> backend_stats() const override {
    auto const parked = parked_fetches_.load();
    return {
        queue::long_polls_parked(parked + waiters_.parked()),
        // The embedded backend's own numbers, for /metrics and /readyz.
        {"sqlite_wal_bytes", "Size of the write-ahead log file (bound: wal_max_bytes)",
         static_cast<double>(wal_.wal_bytes()), false},
        {"sqlite_job_cache_bytes", "Memory held by copies of queued jobs in the writer's job cache",
         static_cast<double>(engine_.job_cache_bytes()), false},
        {"sqlite_parked_fetches", "Fetches parked on the writer, waiting for work", static_cast<double>(parked), false},
        {"sqlite_disk_reserve_bytes", "Disk space held in reserve for reports on a full disk (0 once released)",
         static_cast<double>(reserve_->held_bytes()), false},
    };
  }

  queue::CommitMetrics const* commit_metrics() const override { return &commits_; }

  void shutdown() override {
    waiters_.close();
    events_.waiters().close();
    writer_->release_parked();
  }

  void close() override {
    waiters_.close();
    events_.waiters().close();
    stop_writer();
  }

 private:
  // Commits what was submitted, then a last batch (Engine::prepare_to_stop), and stops the writer.
  void stop_writer() {
    writer_->submit(WriteOp{[](Engine& e, core::TimePoint) -> std::optional<core::Error> {
                              e.prepare_to_stop();
                              return std::nullopt;
                            },
                            [](std::optional<core::Error> const&) {}});
    writer_->stop();
  }


  core::Result<core::Job> read_job(std::string const& id) {
    return readers_.with_store([&id](JobStore& store) -> core::Result<core::Job> {
      auto job = store.job_get(id);
      if (!job) return job.error();
      if (!*job) return core::make_error(core::Errc::not_found, "job " + id + " not found");
      return std::move(**job);
    });
  }

  Task<core::Job> apply_event(std::string id, core::Event ev) override {
    co_return co_await write<core::Job>(
        [&id, &ev](Engine& e, core::TimePoint now) { return e.apply_event(id, ev, now); });
  }

  Task<std::vector<core::Result<core::Job>>> apply_events(std::vector<queue::IdEvent> events) override {
    co_return co_await write_each<core::Job>(events, [](Engine& e, queue::IdEvent const& item, core::TimePoint now) {
      return e.apply_event(item.first, item.second, now);
    });
  }

  Task<std::vector<core::Result<void>>> remove_each(std::vector<std::string> ids) override {
    co_return co_await write_each<void>(
        ids, [](Engine& e, std::string const& id, core::TimePoint now) { return e.remove(id, now); });
  }

  // One write op for all the items: one commit, and each item's own result, fn(engine, item,
  // now). An error that spoils the batch fails the whole call.
  template <class R, class Items, class Fn>
  Task<std::vector<core::Result<R>>> write_each(Items const& items, Fn fn) {
    using Out = std::vector<core::Result<R>>;
    co_return co_await write<Out>([&items, &fn](Engine& e, core::TimePoint now) -> core::Result<Out> {
      Out out;
      out.reserve(items.size());
      for (auto const& item : items) {
        auto r = fn(e, item, now);
        if (!r && spoils_batch(r.error())) return r.error();
        out.push_back(std::move(r));
      }
      return out;
    });
  }

  Task<queue::QueueInfo> set_paused(std::string name, bool paused) {
    if (auto bad = core::check_name("queue", name)) co_return *bad;
    co_return co_await write<queue::QueueInfo>(
        [&name, paused](Engine& e, core::TimePoint) { return e.set_paused(name, paused); });
  }

  // Ops that take on new work (enqueue, fetch) are refused while the disk reserve is released, so
  // that what is left of the disk goes to the reports on work already running.
  static constexpr bool kNewWork = true;

  // Hands `fn` to the writer and suspends until its batch has committed (or failed). `fn` runs on
  // the writer thread while this coroutine is suspended, so it may capture the caller's locals by
  // reference. The reply is posted back to this coroutine's executor. A `new_work` op is refused
  // on the writer, before it writes anything, while the disk is nearly full: its storage_full
  // then spoils nothing else in the batch.
  template <class T, class Fn>
  Task<T> write(Fn fn, bool new_work = false) {
    return asio::async_initiate<decltype(asio::use_awaitable), void(core::Result<T>)>(
        [this, new_work, fn = std::move(fn)](auto handler) mutable {
          using Handler = decltype(handler);
          auto h = std::make_shared<Handler>(std::move(handler));
          auto slot = std::make_shared<std::optional<core::Result<T>>>();
          WriteOp op;
          op.apply = [fn = std::move(fn), slot, refusal = new_work ? reserve_.get() : nullptr](
                         Engine& e, core::TimePoint now) -> std::optional<core::Error> {
            if (auto full = refusal ? refusal->refusal() : std::nullopt) {
              slot->emplace(std::move(*full));
              return std::nullopt;
            }
            slot->emplace(fn(e, now));
            if (!**slot && spoils_batch((*slot)->error())) return (*slot)->error();
            return std::nullopt;
          };
          op.settle = [h, slot, reserve = reserve_.get()](std::optional<core::Error> const& batch_error) {
            // The disk filled between two looks at it: release the reserve now, for the reports.
            if (batch_error && batch_error->code == core::Errc::storage_full) reserve->recheck();
            core::Result<T> r = batch_error ? core::Result<T>(*batch_error) : std::move(**slot);
            auto ex = asio::get_associated_executor(*h);
            asio::post(ex, [h, r = std::move(r)]() mutable { std::move (*h)(std::move(r)); });
          };
          writer_->submit(std::move(op));
        },
        asio::use_awaitable);
  }

  FileLock lock_;
  std::unique_ptr<DiskReserve> reserve_;
  Database db_;
  queue::Waiters waiters_;
  std::atomic<std::size_t> parked_fetches_{0};   // ParkedFetch counts itself here while parked
  queue::EventLog events_;
  Engine engine_;
  WalBound wal_;
  ReaderPool readers_;
  queue::CommitMetrics commits_;
  queue::Retention retention_;            // handed to the engine at start()
  bool commit_on_caller_;                 // handed to the writer at start()
  std::unique_ptr<GroupWriter> writer_;   // last: stopped first, while the engine still exists
};

core::Result<void> configure(Database& db, std::string const& synchronous, std::uint64_t wal_max_bytes) {
  // WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL at every commit, which
  // is what makes "a 2xx reply means the change is on disk" true.
  auto st = db.prepare("PRAGMA journal_mode = WAL");
  auto row = st.step();
  if (!row) return row.error();
  std::string const mode = st.text(0);
  st.reset();
  if (mode != "wal") {
    return core::make_error(core::Errc::storage_unavailable, "cannot put the database in WAL mode (got " + mode + ")");
  }
  if (synchronous != "FULL" && synchronous != "NORMAL" && synchronous != "OFF") {
    return core::make_error(core::Errc::invalid_argument, "unknown synchronous level " + synchronous);
  }
  if (auto r = db.exec("PRAGMA synchronous = " + synchronous); !r) return r;
  // SQLite's default page cache is 2 MiB: past a few thousand jobs the writer then reads the pages
  // of the rows and index entries it updates back from the OS on every batch. 64 MiB (an upper
  // bound, filled as pages are used) holds the hot part of the table and its indexes.
  if (auto r = db.exec("PRAGMA cache_size = -65536"); !r) return r;
  // A WAL reset after a checkpoint cuts the file back to this size.
  std::uint64_t const limit = wal_max_bytes == 0 ? 64u << 20 : wal_max_bytes;
  return db.exec("PRAGMA journal_size_limit = " + std::to_string(limit));
}

}  // namespace

core::Result<std::unique_ptr<queue::QueueService>> open_sqlite_queue(SqliteOptions options) {
  std::error_code ec;
  auto const parent = std::filesystem::path(options.path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) {
    return core::make_error(core::Errc::storage_unavailable,
                            "cannot create " + parent.string() + ": " + ec.message());
  }
  auto lock = FileLock::acquire(options.path);
  if (!lock) return lock.error();
  // Before SQLite opens the file: on a full disk the reserve left by the last run is given back
  // first, so that SQLite has room for the WAL index and the server can start and serve reads.
  auto reserve = std::make_unique<DiskReserve>(options.path, options.disk_reserve_bytes);
  auto explain = [&](core::Error e) {
    auto const free = reserve->free_bytes();
    if (free && *free < (1u << 20)) {
      e.message += " (the disk holding " + options.path + " has " + std::to_string(*free) + " bytes free)";
    }
    return e;
  };
  if (auto r = check_file_header(options.path); !r) return r.error();
  auto db = Database::open(options.path, Database::Mode::read_write, options.vfs);
  if (!db) return explain(db.error());
  // Reading the schema is the first thing that fails on a file that is not a database (or is
  // corrupt at its header): refuse to start rather than start empty.
  // A full disk fails here too (SQLite cannot create the WAL index): that is no fault of the file.
  if (auto r = db->exec("SELECT count(*) FROM sqlite_master"); !r) {
    if (r.error().code == core::Errc::storage_full) return explain(r.error());
    return explain(core::make_error(core::Errc::storage_unavailable,
                                    options.path + " is not a usable Corral database: " + r.error().message));
  }
  if (auto r = check_structure(*db, options.path); !r) return r.error();
  if (auto r = configure(*db, options.synchronous, options.wal_max_bytes); !r) return explain(r.error());
  if (auto r = migrate(*db); !r) return explain(r.error());
  auto q = std::make_unique<SqliteQueue>(std::move(*lock), std::move(reserve), std::move(*db), std::move(options));
  if (auto r = q->start(); !r) return r.error();
  return std::unique_ptr<queue::QueueService>(std::move(q));
}

}  // namespace corral::sqlite
