#include "queue/postgres/postgres_queue.hpp"

#include "queue/postgres/batcher.hpp"
#include "queue/postgres/dependency_rows.hpp"
#include "queue/postgres/event_tail.hpp"
#include "queue/postgres/job_rows.hpp"
#include "queue/postgres/maintenance.hpp"
#include "queue/postgres/migrate.hpp"
#include "queue/postgres/notifier.hpp"
#include "queue/postgres/ops.hpp"
#include "queue/postgres/outbox_queries.hpp"
#include "queue/postgres/pool.hpp"
#include "queue/postgres/api_key_rows.hpp"
#include "queue/postgres/queue_attributes_rows.hpp"
#include "queue/postgres/schedule_ops.hpp"
#include "queue/postgres/schedule_rows.hpp"
#include "queue/postgres/owner_queries.hpp"
#include "queue/postgres/stats_queries.hpp"
#include "queue/health_checks.hpp"
#include "queue/list_sql.hpp"
#include "queue/long_poll.hpp"
#include "queue/event_service.hpp"
#include "queue/postgres/token_alarms.hpp"
#include "queue/waiters.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

namespace corral::postgres {
namespace {

namespace asio = boost::asio;
using queue::Task;

// Cross-node wake-ups can be lost; a waiting get re-reads its job at least this often.
constexpr auto kGetRecheck = std::chrono::seconds(1);

std::string random_node_id() {
  std::random_device rd;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

// What a committed batch means for waiters (notifier.hpp). A job of a limited queue that stops
// running may let a waiting fetch start another.
Wakes wakes_of(Batch const& batch) {
  Wakes wakes;
  for (auto const& c : batch.changes()) {
    if (c.lost_race) continue;
    if (!c.deleted && c.job.status == core::JobState::queued) ++wakes["q:" + c.job.queue];
    else if (c.before == core::JobState::running && c.job.status != core::JobState::running && batch.limited(c.job.queue)) {
      ++wakes["q:" + c.job.queue];
    }
    if (c.deleted || core::is_terminal(c.job.status)) wakes["j:" + c.job.id] = 0;
    else if (c.progressed) wakes[queue::progress_key(c.job.id)] = 0;
  }
  for (auto const& q : batch.resumed()) wakes["q:" + q] = 0;
  if (batch.event_count() > 0) wakes["e"] = 0;
  return wakes;
}

core::Error as_error(DbFailure const& f) { return f.error; }

// The stats of the owner query.owner names, from that owner's jobs (queue/owner_stats.hpp).
core::Result<api::Stats> owner_stats(Connection& conn, api::Stats out, api::StatsQuery const& query,
                                     std::int64_t first_s) {
  auto counts = read_owner_counts(conn, *query.owner);
  if (!counts) return as_error(counts.error());
  queue::fill_counts(out, *counts, query);
  auto oldest = read_owner_oldest_ready(conn, *query.owner);
  if (!oldest) return as_error(oldest.error());
  queue::fill_oldest_ready(out, *oldest, query);
  auto jobs = read_owner_window(conn, *query.owner, first_s * 1'000'000);
  if (!jobs) return as_error(jobs.error());
  queue::fill_window_from_jobs(out, *jobs, query);
  return out;
}

// The write batches a node runs at once: as configured, but leaving a connection of the pool for
// reads and maintenance.
int write_batches(PostgresOptions const& o) { return std::clamp(o.batches, 1, std::max(1, o.pool_size - 1)); }

class PostgresQueue final : public queue::EventQueueService {
 public:
  explicit PostgresQueue(PostgresOptions const& o)
      : options_(o),
        node_(random_node_id()),
        pool_(PoolOptions{o.url, o.pool_size, o.acquire_timeout, static_cast<int>(o.statement_timeout.count())}),
        threads_(static_cast<std::size_t>(std::max(2, o.pool_size))),
        events_(o.event_window),
        batcher_(pool_, threads_, o.job_types, node_, write_batches(o),
                 [this](Batch& b) { return committed(b); },
                 [this](Wakes const& w, Connection& c) { announce(w, c); }, &commits_) {
    batcher_.set_delivery_body(&options_.delivery_body);
    batcher_.set_limited(&limited_);
    batcher_.set_waiting(&waiting_);
  }

  core::Result<void> start() {
    auto conn = pool_.acquire();
    if (!conn) {
      return core::make_error(core::Errc::storage_unavailable,
                              "cannot connect to PostgreSQL: " + conn.error().error.message);
    }
    if (auto r = migrate(**conn); !r) return r;
    auto const changes = limited_.changes();
    auto limited = read_limited_queues(**conn);
    if (!limited) return limited.error().error;
    limited_.replace(std::move(*limited), changes);
    tail_ = std::make_unique<EventTail>(options_.url, node_, events_, options_.event_window.max_events,
                                        options_.event_poll);
    if (auto r = tail_->start(); !r) return r;
    notifier_ = std::make_unique<Notifier>(options_.url, node_, waiters_, [this] { tail_->nudge(); });
    ticker_ = std::make_unique<Ticker>(options_.sweep_interval, [this] { maintain(); });
    spdlog::info("postgres backend ready (node {}, pool of {}, {} write batches at once)", node_, options_.pool_size,
                 write_batches(options_));
    return {};
  }

  ~PostgresQueue() override { close(); }

  Task<queue::EnqueueResult> enqueue(core::EnqueueRequest req) override {
    std::vector<core::EnqueueRequest> reqs;
    reqs.push_back(std::move(req));
    auto r = co_await write<std::vector<queue::EnqueueResult>>([&reqs](auto deliver) {
      return std::make_unique<EnqueueOp>(std::move(reqs), true, std::move(deliver));
    });
    if (!r) co_return r.error();
    co_return std::move(r->front());
  }

  Task<std::vector<queue::EnqueueResult>> enqueue_batch(std::vector<core::EnqueueRequest> reqs) override {
    co_return co_await write<std::vector<queue::EnqueueResult>>([&reqs](auto deliver) {
      return std::make_unique<EnqueueOp>(std::move(reqs), false, std::move(deliver));
    });
  }

  Task<core::Job> get(std::string id, queue::GetWait wait) override {
    auto read = [this, &id] { return read_job(id); };
    co_return co_await queue::get_with_wait(waiters_, id, wait, read, kGetRecheck);
  }

  Task<queue::JobPage> list(queue::ListQuery query) override {
    // Named, not a temporary inside co_await: g++ 12 destroys such a temporary's captures twice.
    auto run = [query = std::move(query)](Connection& conn) -> core::Result<queue::JobPage> {
      auto const sql = queue::list_sql(query, queue::SqlDialect::postgres);
      auto params = text_params(sql.params);
      // One more than the limit tells whether there is a next page.
      auto rows = conn.query(queue::list_select(query, sql, "corral_jobs", query.limit + 1), params);
      if (!rows) return as_error(rows.error());
      auto jobs = read_jobs(*rows);
      if (!jobs) return jobs.error();
      auto page = queue::page_of(std::move(*jobs), query);
      if (query.count) {
        params.resize(sql.count_params);
        auto counted = conn.query(queue::count_sql(sql, "corral_jobs"), params);
        if (!counted) return as_error(counted.error());
        queue::set_total(page, counted->int64(0, 0));
      }
      return page;
    };
    co_return co_await on_db<queue::JobPage>(std::move(run));
  }

  // Batch after batch, each its own transaction, until one is not full.
  Task<std::int64_t> prune(queue::PruneRequest req) override {
    if (auto bad = queue::check_prune(req)) co_return *bad;
    auto run = [this, req = std::move(req)](Connection& conn) -> core::Result<std::int64_t> {
      std::int64_t pruned = 0;
      for (;;) {
        PruneOp op(req, static_cast<int>(queue::kPruneBatch));
        if (auto r = run_alone(conn, op); !r) return as_error(r.error());
        pruned += op.pruned();
        if (!op.full()) return pruned;
      }
    };
    co_return co_await on_db<std::int64_t>(std::move(run));
  }

  Task<void> remove(std::string id) override {
    auto r = co_await write<std::monostate>(
        [&id](auto deliver) { return std::make_unique<RemoveOp>(std::move(id), std::move(deliver)); });
    if (!r) co_return r.error();
    co_return core::Result<void>{};
  }

  Task<std::vector<core::Job>> fetch(queue::FetchRequest req) override {
    auto claim = [this, &req] {
      return write<std::vector<core::Job>>([&req](auto deliver) { return std::make_unique<ClaimOp>(req, std::move(deliver)); });
    };
    auto park = [this](std::shared_ptr<queue::ParkedFetch> const& fetch) { return waiting_.add(fetch); };
    co_return co_await queue::fetch_with_wait(waiters_, req, claim, park, &parked_fetches_);
  }


  Task<queue::ClaimedDeliveries> claim_deliveries(queue::DeliveryClaim claim) override {
    auto run = [claim](Connection& conn) -> core::Result<queue::ClaimedDeliveries> {
      auto r = postgres::claim_deliveries(conn, claim);
      if (!r) return as_error(r.error());
      return std::move(*r);
    };
    co_return co_await on_db<queue::ClaimedDeliveries>(std::move(run));
  }

  Task<void> report_delivery(queue::DeliveryReport report) override {
    auto run = [report = std::move(report)](Connection& conn) -> core::Result<std::monostate> {
      if (auto r = postgres::report_delivery(conn, report); !r) return as_error(r.error());
      return std::monostate{};
    };
    auto r = co_await on_db<std::monostate>(std::move(run));
    if (!r) co_return r.error();
    co_return core::Result<void>{};
  }

  Task<std::int64_t> deliveries_pending() override {
    auto run = [](Connection& conn) -> core::Result<std::int64_t> {
      auto n = count_deliveries(conn);
      if (!n) return as_error(n.error());
      return *n;
    };
    co_return co_await on_db<std::int64_t>(std::move(run));
  }

  Task<std::int64_t> committed_event_seq() override {
    co_return co_await on_db<std::int64_t>([](Connection& conn) -> core::Result<std::int64_t> {
      auto rows = conn.query("corral_event_seq_last", "SELECT last FROM corral_event_seq WHERE id = 1", {});
      if (!rows) return as_error(rows.error());
      return rows->size() > 0 ? rows->int64(0, 0) : 0;
    });
  }

  Task<std::vector<queue::QueueInfo>> queues() override {
    co_return co_await on_db<std::vector<queue::QueueInfo>>(
        [](Connection& conn) -> core::Result<std::vector<queue::QueueInfo>> {
          auto infos = read_queue_infos(conn);
          if (!infos) return as_error(infos.error());
          return std::move(*infos);
        });
  }

  // Its settings row and its own counts: a queued job's GET reads no other queue's.
  Task<std::optional<queue::QueueInfo>> queue_info(std::string name) override {
    // Named, as owner_queues()'s is (g++ 12 and a capture built inside the co_await expression).
    auto run = [name = std::move(name)](Connection& conn) -> core::Result<std::optional<queue::QueueInfo>> {
      auto info = read_queue_info(conn, name);
      if (!info) return as_error(info.error());
      return std::move(*info);
    };
    co_return co_await on_db<std::optional<queue::QueueInfo>>(std::move(run));
  }

  Task<std::vector<queue::QueueInfo>> owner_queues(std::string owner) override {
    // Named, as stats()'s is: built inside the co_await expression, the callable's capture of
    // the parameter was freed wrongly on the database thread (munmap_chunk, g++ 12).
    auto run = [owner = std::move(owner)](Connection& conn) -> core::Result<std::vector<queue::QueueInfo>> {
      auto infos = read_queue_infos(conn);
      if (!infos) return as_error(infos.error());
      auto counts = read_owner_counts(conn, owner);
      if (!counts) return as_error(counts.error());
      return queue::owner_queue_infos(*infos, *counts);
    };
    co_return co_await on_db<std::vector<queue::QueueInfo>>(std::move(run));
  }

  // Everything from the cluster's tables, judged by the database's clock.
  Task<api::Stats> stats(api::StatsQuery query) override {
    auto run = [query = std::move(query)](Connection& conn) -> core::Result<api::Stats> {
      api::Stats out;
      out.window = query.window;
      auto now = db_now(conn);
      if (!now) return as_error(now.error());
      out.now = *now;
      auto const first_s = queue::window_start_s(query.window, out.now);
      if (query.owner) return owner_stats(conn, std::move(out), query, first_s);
      auto counts = read_detail_counts(conn);
      if (!counts) return as_error(counts.error());
      queue::fill_counts(out, *counts, query);
      auto oldest = read_oldest_ready(conn);
      if (!oldest) return as_error(oldest.error());
      queue::fill_oldest_ready(out, *oldest, query);
      auto rows = read_rollups(conn, queue::span_of(query.window), first_s, query.queue, query.type);
      if (!rows) return as_error(rows.error());
      auto errors = read_errors(conn, first_s, query.queue, query.type);
      if (!errors) return as_error(errors.error());
      queue::fill_from_rollups(out, *rows, *errors);
      auto sightings = read_sightings(conn, first_s * 1'000'000);
      if (!sightings) return as_error(sightings.error());
      auto running = read_running_by_worker(conn);
      if (!running) return as_error(running.error());
      queue::fill_workers(out, *sightings, *running, query);
      return out;
    };
    co_return co_await on_db<api::Stats>(std::move(run));
  }

  Task<api::HealthFacts> health_facts() override {
    api::HealthFacts base;
    auto const ready = readiness();
    base.writable = ready.ready;
    base.not_writable_reason = ready.reason;
    base.commit_latency_s = batcher_.latency().slowest_s();
    auto run = [base](Connection& conn) -> core::Result<api::HealthFacts> {
      api::HealthFacts facts = base;
      auto now = db_now(conn);
      if (!now) return as_error(now.error());
      facts.now = *now;
      auto const hour_start = queue::window_start_s(api::StatsWindow::hour, facts.now);
      auto rows = read_rollups(conn, queue::kMinuteS, hour_start, std::nullopt, std::nullopt);
      if (!rows) return as_error(rows.error());
      auto sightings = read_sightings(conn, hour_start * 1'000'000);
      if (!sightings) return as_error(sightings.error());
      queue::fill_outcomes(facts, *rows, *sightings);
      auto infos = read_queue_infos(conn);
      if (!infos) return as_error(infos.error());
      auto oldest = read_oldest_ready(conn);
      if (!oldest) return as_error(oldest.error());
      auto last_fetch = read_last_fetch_by_queue(conn);
      if (!last_fetch) return as_error(last_fetch.error());
      facts.queues = queue::queue_health_of(*infos, *oldest, *last_fetch);
      return facts;
    };
    auto facts = co_await on_db<api::HealthFacts>(std::move(run));
    if (facts) co_return facts;
    // The database does not answer: health reports that, rather than fail as a whole.
    base.now = std::chrono::time_point_cast<core::Micros>(std::chrono::system_clock::now());
    base.writable = false;
    base.not_writable_reason = facts.error().message;
    co_return base;
  }


  // Each a single statement committed on its own: durable when it returns, like every write.
  Task<queue::QueueAttributesCreated> create_queue_attributes(std::string name, std::string attributes) override {
    auto run = [name = std::move(name), attributes = std::move(attributes)](Connection& conn) {
      return queue_attributes_create(conn, name, attributes);
    };
    co_return co_await on_db<queue::QueueAttributesCreated>(std::move(run));
  }

  Task<queue::QueueAttributes> get_queue_attributes(std::string name) override {
    auto run = [name = std::move(name)](Connection& conn) { return queue_attributes_get(conn, name); };
    co_return co_await on_db<queue::QueueAttributes>(std::move(run));
  }

  Task<std::vector<queue::QueueAttributes>> list_queue_attributes(queue::QueueAttributesQuery query) override {
    auto run = [query = std::move(query)](Connection& conn) { return queue_attributes_list(conn, query); };
    co_return co_await on_db<std::vector<queue::QueueAttributes>>(std::move(run));
  }

  Task<queue::QueueAttributes> set_queue_attributes(std::string name, std::string attributes) override {
    auto run = [name = std::move(name), attributes = std::move(attributes)](Connection& conn) {
      return queue_attributes_set(conn, name, attributes);
    };
    co_return co_await on_db<queue::QueueAttributes>(std::move(run));
  }

  Task<void> delete_queue_attributes(std::string name) override {
    auto run = [name = std::move(name)](Connection& conn) { return queue_attributes_delete(conn, name); };
    co_return co_await on_db<void>(std::move(run));
  }

  Task<queue::Schedule> save_schedule(queue::Schedule s, queue::SaveMode mode) override {
    co_return co_await write<queue::Schedule>([&s, mode](auto deliver) {
      return std::make_unique<SaveScheduleOp>(std::move(s), mode, std::move(deliver));
    });
  }

  Task<api::BatchInfo> get_batch(std::string id) override {
    auto run = [id = std::move(id)](Connection& conn) { return batch_read(conn, id); };
    co_return co_await on_db<api::BatchInfo>(std::move(run));
  }

  Task<queue::Schedule> get_schedule(std::string name) override {
    auto run = [name = std::move(name)](Connection& conn) { return schedule_get(conn, name); };
    co_return co_await on_db<queue::Schedule>(std::move(run));
  }

  Task<std::vector<queue::Schedule>> list_schedules() override {
    co_return co_await on_db<std::vector<queue::Schedule>>([](Connection& conn) { return schedule_list(conn); });
  }

  Task<void> delete_schedule(std::string name) override {
    auto run = [name = std::move(name)](Connection& conn) { return schedule_delete(conn, name); };
    co_return co_await on_db<void>(std::move(run));
  }

  // A look first, so that a node with nothing due runs no batch.
  Task<queue::ScheduleRunResult> run_due_schedules(queue::ScheduleRunRequest req) override {
    auto peek = co_await on_db<queue::ScheduleRunResult>([](Connection& conn) { return schedule_peek_due(conn); });
    if (!peek) co_return peek.error();
    if (!peek->next_due || *peek->next_due > peek->now) co_return std::move(*peek);
    co_return co_await write<queue::ScheduleRunResult>(
        [&req](auto deliver) { return std::make_unique<RunSchedulesOp>(req, std::move(deliver)); });
  }

  Task<queue::QueueInfo> pause(std::string name) override { co_return co_await set_paused(std::move(name), true); }
  Task<queue::QueueInfo> resume(std::string name) override { co_return co_await set_paused(std::move(name), false); }
  Task<queue::QueueInfo> update_queue(std::string name, queue::QueueUpdate update) override {
    if (auto bad = core::check_name("queue", name)) co_return *bad;
    auto info = co_await write<queue::QueueInfo>([&name, &update](auto deliver) {
      return std::make_unique<UpdateQueueOp>(name, std::move(update), std::move(deliver));
    });
    // This node claims by the new limits at once; the others from their next maintenance tick.
    if (info) limited_.set(name, info->limits.any() || info->flow.any());
    co_return info;
  }

  Task<queue::ApiKey> create_api_key(queue::ApiKey key) override {
    auto run = [key = std::move(key)](Connection& conn) { return api_key_create(conn, key); };
    co_return co_await on_db<queue::ApiKey>(std::move(run));
  }

  Task<std::vector<queue::ApiKey>> list_api_keys() override {
    co_return co_await on_db<std::vector<queue::ApiKey>>([](Connection& conn) { return api_key_list(conn); });
  }

  Task<queue::ApiKey> revoke_api_key(std::string id) override {
    auto run = [id = std::move(id)](Connection& conn) { return api_key_revoke(conn, id); };
    co_return co_await on_db<queue::ApiKey>(std::move(run));
  }

  Task<std::optional<queue::ApiKey>> find_api_key(std::string key_hash) override {
    auto run = [key_hash = std::move(key_hash)](Connection& conn) { return api_key_find(conn, key_hash); };
    co_return co_await on_db<std::optional<queue::ApiKey>>(std::move(run));
  }

  Task<std::int64_t> count_api_keys() override {
    co_return co_await on_db<std::int64_t>([](Connection& conn) { return api_key_count(conn); });
  }

  queue::EventLog& events() override { return events_; }

  queue::Readiness readiness() const override {
    if (waiters_.closed()) return {false, "shutting down"};
    std::lock_guard lock(mutex_);
    if (!db_problem_.empty()) return {false, db_problem_};
    return {true, ""};
  }

  std::vector<queue::BackendStat> backend_stats() const override {
    auto p = pool_.stats();
    std::vector<queue::BackendStat> out = {
        {"db_pool_size", "Connections this node may hold to PostgreSQL", static_cast<double>(p.size), false},
        {"db_pool_open", "Connections open now", static_cast<double>(p.open), false},
        {"db_pool_in_use", "Connections in use now", static_cast<double>(p.in_use), false},
        {"db_pool_waiting", "Requests waiting for a connection now", static_cast<double>(p.waiting), false},
        {"db_pool_waits_total", "Connection acquires that had to wait", static_cast<double>(p.waits), true},
        {"db_pool_timeouts_total", "Connection acquires that timed out (503)", static_cast<double>(p.timeouts), true},
        {"db_connect_errors_total", "Failed connection attempts", static_cast<double>(p.connect_errors), true},
        queue::long_polls_parked(waiters_.parked() + parked_fetches_.load()),
    };
    if (notifier_) {
      out.push_back({"db_listen_connected", "1 while the LISTEN connection is up",
                     notifier_->listening() ? 1.0 : 0.0, false});
      out.push_back({"db_listen_delivered", "0 if notifications are not delivered (a transaction pooler?)",
                     notifier_->delivered() ? 1.0 : 0.0, false});
      out.push_back({"db_notifications_received_total", "Wake-ups received from other nodes",
                     static_cast<double>(notifier_->received()), true});
    }
    return out;
  }

  queue::CommitMetrics const* commit_metrics() const override { return &commits_; }

  void shutdown() override {
    waiters_.close();
    events_.waiters().close();
  }

  void close() override {
    if (closed_.exchange(true)) return;
    waiters_.close();
    events_.waiters().close();
    alarms_.close();   // a pending timer would hold up the join below until it fired
    if (ticker_) ticker_->stop();
    batcher_.close();
    if (notifier_) notifier_->stop();
    if (tail_) tail_->stop();
    threads_.join();
  }

 private:
  // Runs fn(Connection&) on a database thread with a pooled connection; the result is posted back
  // to the awaiting coroutine's executor.
  template <class T, class Fn>
  Task<T> on_db(Fn fn) {
    return asio::async_initiate<decltype(asio::use_awaitable), void(core::Result<T>)>(
        [this, fn = std::move(fn)](auto handler) mutable {
          asio::post(threads_, [this, fn = std::move(fn), handler = std::move(handler)]() mutable {
            auto conn = pool_.acquire();
            core::Result<T> r = conn ? fn(**conn) : core::Result<T>(conn.error().error);
            auto ex = asio::get_associated_executor(handler);
            asio::post(ex, [handler = std::move(handler), r = std::move(r)]() mutable { std::move(handler)(std::move(r)); });
          });
        },
        asio::use_awaitable);
  }

  // Hands the op made by make_op(deliver) to the batcher and suspends until its batch has
  // committed (or failed). make_op runs before suspending, so it may move the caller's locals.
  template <class T, class MakeOp>
  Task<T> write(MakeOp make_op) {
    return asio::async_initiate<decltype(asio::use_awaitable), void(core::Result<T>)>(
        [this, make_op = std::move(make_op)](auto handler) mutable {
          auto h = std::make_shared<decltype(handler)>(std::move(handler));
          auto deliver = [h](core::Result<T> r) {
            auto ex = asio::get_associated_executor(*h);
            asio::post(ex, [h, r = std::move(r)]() mutable { std::move(*h)(std::move(r)); });
          };
          batcher_.submit(make_op(std::move(deliver)));
        },
        asio::use_awaitable);
  }

  Task<core::Job> read_job(std::string const& id) {
    // Named, not a temporary inside co_await: g++ 12 destroys such a temporary's captures twice.
    auto run = [id](Connection& conn) -> core::Result<core::Job> {
      static std::string const sql = "SELECT " + job_select_list() + " FROM corral_jobs j WHERE j.id = $1";
      auto rows = conn.query("corral_get", sql, {id});
      if (!rows) return as_error(rows.error());
      if (rows->size() == 0) return core::make_error(core::Errc::not_found, "job " + id + " not found");
      return postgres::read_job(*rows, 0);
    };
    co_return co_await on_db<core::Job>(std::move(run));
  }

  Task<core::Job> apply_event(std::string id, core::Event ev) override {
    co_return co_await write<core::Job>([&id, &ev](auto deliver) {
      return std::make_unique<EventOp>(std::move(id), std::move(ev), std::move(deliver));
    });
  }

  // One op for all the events: one commit, each item's own result.
  Task<std::vector<core::Result<core::Job>>> apply_events(std::vector<queue::IdEvent> events) override {
    co_return co_await write<std::vector<core::Result<core::Job>>>([&events](auto deliver) {
      return std::make_unique<EventsOp>(std::move(events), std::move(deliver));
    });
  }

  // One op for all the deletions: one commit, each item's own result.
  Task<std::vector<core::Result<void>>> remove_each(std::vector<std::string> ids) override {
    co_return co_await write<std::vector<core::Result<void>>>([&ids](auto deliver) {
      return std::make_unique<RemovesOp>(std::move(ids), std::move(deliver));
    });
  }

  Task<queue::QueueInfo> set_paused(std::string name, bool paused) {
    if (auto bad = core::check_name("queue", name)) co_return *bad;
    co_return co_await write<queue::QueueInfo>([&name, paused](auto deliver) {
      return std::make_unique<PauseOp>(std::move(name), paused, std::move(deliver));
    });
  }

  // This node's side of a commit: subscribers and local waiters. Returns the wake-ups, for announce().
  Wakes committed(Batch& batch) {
    for (auto const& [queue, wait] : batch.token_waits()) alarms_.set(queue, wait);
    auto wakes = wakes_of(batch);
    for (auto const& [key, n] : wakes) {
      if (key == "e") tail_->nudge();
      else waiters_.notify(key, n == 0 ? SIZE_MAX : n);
    }
    return wakes;
  }

  // Other nodes' side: one small notification per batch, after the commit.
  void announce(Wakes const& wakes, Connection& conn) {
    for (auto const& payload : notify_payloads(node_, wakes)) {
      (void)conn.query("corral_notify", "SELECT pg_notify($1, $2)", {std::string(kChannel), payload});
    }
  }

  // Runs one maintenance op as a batch of its own, published like any other commit.
  DbResult<void> run_alone(Connection& conn, Op& op) {
    Batch batch(conn, options_.job_types, node_);
    batch.set_delivery_body(&options_.delivery_body);
    batch.set_limited(&limited_);
    if (auto r = batch.run({&op}); !r) return r;
    announce(committed(batch), conn);
    return {};
  }

  void note_db(std::optional<core::Error> const& problem) {
    std::lock_guard lock(mutex_);
    if (problem && db_problem_.empty()) spdlog::error("maintenance: {}", problem->message);
    if (!problem && !db_problem_.empty()) spdlog::info("maintenance: the database answers again");
    db_problem_ = problem ? problem->message : "";
  }

  // One maintenance tick (maintenance.hpp).
  void maintain() {
    auto conn = pool_.acquire();
    if (!conn) return note_db(conn.error().error);
    // Limits another node set: claimed by them from now on (limited_claims.hpp).
    auto const changes = limited_.changes();
    auto limited = read_limited_queues(**conn);
    if (!limited) return note_db(limited.error().error);
    limited_.replace(std::move(*limited), changes);
    SweepOp sweep(1000);
    if (auto r = run_alone(**conn, sweep); !r) return note_db(r.error().error);
    note_db(std::nullopt);
    if (++ticks_ % 4 != 0) return;
    if (auto r = fold_counts(**conn); !r) return note_db(r.error().error);
    if (auto r = trim_events(**conn, options_.event_window.max_events); !r) return note_db(r.error().error);
    if (ticks_ % 240 == 0) {
      if (auto r = trim_stats(**conn); !r) return note_db(r.error().error);
    }
    std::vector<std::string> queues;
    for (auto const& key : waiters_.keys("q:")) queues.push_back(key.substr(2));
    auto ready = queues_with_ready_jobs(**conn, queues);
    if (!ready) return note_db(ready.error().error);
    for (auto const& q : *ready) waiters_.notify("q:" + q);
    if (auto r = apply_retention(**conn); !r) return note_db(r.error().error);
  }

  // Queue by queue, each under its own retention ([queues.NAME]), so a queue that keeps its
  // ended jobs for ever holds up no other; one small batch per queue and state each time.
  DbResult<void> apply_retention(Connection& conn) {
    if (!options_.retention.any()) return {};
    auto queues = queues_with_ended_jobs(conn);
    if (!queues) return queues.error();
    for (auto const& name : *queues) {
      for (auto state : {core::JobState::completed, core::JobState::failed, core::JobState::cancelled}) {
        auto const kept = options_.retention.of(state, name);
        if (kept.count() == 0) continue;
        PruneOp prune(queue::PruneRequest{kept, {state}, name}, static_cast<int>(queue::kPruneBatch));
        if (auto r = run_alone(conn, prune); !r) return r;
      }
    }
    return {};
  }

  PostgresOptions options_;
  std::string node_;
  queue::Waiters waiters_;
  Pool pool_;
  asio::thread_pool threads_;
  queue::EventLog events_;
  queue::CommitMetrics commits_;   // before batcher_, which records into it
  LimitedQueues limited_;          // before batcher_, which reads it: the queues with limits, as this node knows
  WaitingFetches waiting_;         // before batcher_, whose batches claim for them
  std::atomic<std::size_t> parked_fetches_{0};   // waiting fetches count themselves here
  TokenAlarms alarms_{threads_.get_executor(), waiters_};   // wakes fetches when a rate-limited queue's token arrives
  Batcher batcher_;
  std::unique_ptr<EventTail> tail_;
  std::unique_ptr<Notifier> notifier_;
  std::unique_ptr<Ticker> ticker_;
  std::uint64_t ticks_ = 0;            // maintenance thread only
  std::atomic<bool> closed_{false};

  mutable std::mutex mutex_;
  std::string db_problem_;                                               // GUARDED_BY(mutex_)
};

}  // namespace

core::Result<std::unique_ptr<queue::QueueService>> open_postgres_queue(PostgresOptions options) {
  auto q = std::make_unique<PostgresQueue>(options);
  if (auto r = q->start(); !r) return r.error();
  return std::unique_ptr<queue::QueueService>(std::move(q));
}

}  // namespace corral::postgres
