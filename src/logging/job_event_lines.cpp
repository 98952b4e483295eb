#include "logging/job_event_lines.hpp"

#include "core/job_state.hpp"
#include "logging/log_line.hpp"
#include "wire/time_format.hpp"

#include <spdlog/spdlog.h>

namespace corral::logging {

namespace {

spdlog::level::level_enum level_of(core::JobEventKind kind) {
  bool const routine = kind == core::JobEventKind::heartbeat || kind == core::JobEventKind::progress;
  return routine ? spdlog::level::debug : spdlog::level::info;
}

// Whether the kind leaves the job's new state open (retried again, or failed for good).
bool tells_status(core::JobEventKind kind) {
  return kind == core::JobEventKind::lease_expired || kind == core::JobEventKind::timed_out;
}

}  // namespace

void log_job_events(std::span<EventPtr const> events, Via via) {
  Lines lines;
  for (auto const& ptr : events) {
    auto const& e = *ptr;
    if (!e.local) continue;
    auto const kind = core::to_string(e.kind);
    char message[32] = "job ";
    kind.copy(message + 4, sizeof message - 5);
    lines.line(level_of(e.kind), message)
        .field("kind", kind)
        .field("job_id", e.job_id)
        .field("type", e.type)
        .field("queue", e.queue)
        .field("attempt", e.attempt)
        .field("worker_id", e.worker_id)
        .field("trace_id", e.trace_id);
    if (tells_status(e.kind)) lines.field("status", core::to_string(e.status));
    if (e.queue_wait) lines.seconds("queue_wait_s", *e.queue_wait);
    if (e.run_time) lines.seconds("run_time_s", *e.run_time);
    if (e.run_at && e.status != core::JobState::queued) lines.field("run_at", wire::format_rfc3339(*e.run_at));
    if (e.error) lines.field("error_code", e.error->code).field("error_message", e.error->message);
  }
  lines.write(via);
}

JobEventLines::JobEventLines() : thread_([this] { run(); }) {}

JobEventLines::~JobEventLines() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void JobEventLines::append(std::span<EventPtr const> events) {
  if (!enabled(spdlog::level::debug) && !enabled(spdlog::level::info)) return;
  std::vector<EventPtr> mine;
  mine.reserve(events.size());
  for (auto const& e : events) {
    if (e->local && enabled(level_of(e->kind))) mine.push_back(e);
  }
  if (mine.empty()) return;
  {
    std::lock_guard lock(mutex_);
    queued_events_ += mine.size();
    batches_.push_back(std::move(mine));
    while (queued_events_ > kMaxQueuedEvents && batches_.size() > 1) {
      queued_events_ -= batches_.front().size();
      dropped_events_ += batches_.front().size();
      batches_.pop_front();
    }
  }
  wake_.notify_one();
}

void JobEventLines::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !batches_.empty(); });
    if (batches_.empty()) break;   // stopping, and every batch written
    auto batch = std::move(batches_.front());
    batches_.pop_front();
    queued_events_ -= batch.size();
    lock.unlock();
    // Written here, not queued for the logging thread: a lone commit's lines then wake one
    // thread, not two (about 1.2 context switches and 20 µs of CPU per one-job enqueue,
    // docs/benchmarks.md). This thread may wait on stderr; the commits never do.
    log_job_events(batch, Via::this_thread);
    lock.lock();
  }
  if (dropped_events_ > 0) {
    spdlog::warn("{} job change lines were dropped because logging did not keep up", dropped_events_);
  }
}

}  // namespace corral::logging
