// Handlers of the live streams: parse the query and Last-Event-ID, take a place under
// max_streams, work out where the stream starts, and hand the server an EventStream to send.
#include "http/stream_handlers.hpp"

#include "http/event_stream.hpp"
#include "http/key_scope.hpp"
#include "http/respond.hpp"
#include "wire/event_json.hpp"
#include "wire/job_json.hpp"

#include <boost/asio/this_coro.hpp>

#include <chrono>

namespace corral::http::streams {

using boost::asio::awaitable;

namespace {

// The Last-Event-ID header wins over ?last_event_id=: a browser's EventSource reconnects to the
// URL it was given, with the header set to the last id it saw.
core::Result<void> resume_from_header(Request const& req, wire::EventQuery& query) {
  if (req.last_event_id.empty()) return {};
  auto id = wire::parse_last_event_id(req.last_event_id, "Last-Event-ID");
  if (!id) return id.error();
  query.last_event_id = *id;
  return {};
}

Gate::Pass admit(Context const& ctx) {
  return ctx.admission ? ctx.admission->streams.try_enter() : Gate::Pass();
}

core::Error too_many_streams(Context const& ctx) {
  return core::make_error(core::Errc::too_many_streams,
                          std::to_string(ctx.admission->streams.max()) +
                              " event streams are open (max_streams); retry later");
}

Response stream_reply(Context& ctx, Request const& req, Gate::Pass place, EventStreamStart start) {
  Response r;
  r.content_type = "text/event-stream";
  // no-cache: a stream is never stored; X-Accel-Buffering: a proxy (nginx) passes each event on
  // as it comes instead of buffering the reply.
  r.headers = {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}};
  r.stream = std::make_shared<EventStream>(ctx.queue, ctx.admission, std::move(place), ctx.stream_keepalive,
                                           req.client_gone, std::move(start));
  return r;
}

// The longest a resumed job stream waits for this node's log to read what was committed.
constexpr auto kCatchUp = std::chrono::seconds(2);

// Waits, up to kCatchUp, until this node's log holds every event committed up to `seq`. The
// embedded log always does; a PostgreSQL node's tail reads a commit a moment after it, so a
// client that resumes right after a change it made (a complete) could otherwise be told the job
// ended outside the window it asked for.
awaitable<void> catch_up(queue::EventLog& log, std::int64_t seq) {
  auto const deadline = std::chrono::steady_clock::now() + kCatchUp;
  auto const executor = co_await boost::asio::this_coro::executor;
  while (log.last_seq() < seq && std::chrono::steady_clock::now() < deadline && !log.waiters().closed()) {
    auto registration = log.waiters().add({std::string(queue::EventLog::kWaitKey)}, executor);
    registration.consumed();   // every append wakes every waiter: a wake is never passed on
    if (log.last_seq() >= seq) break;
    co_await registration.wait(deadline);
  }
}

// Whether the events kept after `after` end job `id` (its terminal event or deletion is there).
bool ends_after(queue::EventLog const& log, std::int64_t after, std::string const& id) {
  for (;;) {
    auto page = log.read_after(after, 1024);
    if (page.gap) return false;
    for (auto const& e : page.events) {
      if (e->job_id == id && core::ends_job(*e)) return true;
    }
    if (page.events.size() < 1024) return false;
    after = page.events.back()->seq;
  }
}

}  // namespace

// GET /api/v1/events[?queue=&type=&owner=&kind=&last_event_id=&stats=1]
awaitable<Response> events(Request& req, Context& ctx) {
  auto query = wire::parse_event_query(req.query);
  if (!query) co_return respond::error(query.error());
  if (auto refused = scope_events(req, *query)) co_return respond::error(*refused);
  if (auto r = resume_from_header(req, *query); !r) co_return respond::error(r.error());
  auto committed = co_await ctx.queue.committed_event_seq();
  if (!committed) co_return respond::error(committed.error());
  auto place = admit(ctx);
  if (ctx.admission && !place) co_return respond::error(too_many_streams(ctx));
  EventStreamStart start;
  start.resuming = query->last_event_id.has_value();
  start.committed = *committed;
  start.position = query->last_event_id.value_or(*committed);
  // From now: a message with only the position, so a reader that loses the connection before
  // any event resumes from here (EventSource keeps it as its last event id).
  if (!start.resuming) wire::append_sse_message(start.first, start.position, "", "");
  start.query = std::move(*query);
  co_return stream_reply(ctx, req, std::move(place), std::move(start));
}

// GET /api/v1/jobs/{id}/events[?last_event_id=]: the job now (`event: job`), then its events,
// ending after the one that ends it. 404 before any stream for a job that does not exist.
awaitable<Response> job_events(Request& req, Context& ctx) {
  auto const& id = req.param("id");
  auto query = wire::parse_job_event_query(req.query, id);
  if (!query) co_return respond::error(query.error());
  if (auto r = resume_from_header(req, *query); !r) co_return respond::error(r.error());
  EventStreamStart start;
  start.resuming = query->last_event_id.has_value();
  // The position is taken before the job is read, so no change after the snapshot is missed;
  // and it is the deployment's newest committed event, not this node's newest read, so no change
  // the snapshot already shows (its enqueue, on a PostgreSQL node) comes again after it.
  auto committed = co_await ctx.queue.committed_event_seq();
  if (!committed) co_return respond::error(committed.error());
  start.committed = *committed;
  start.position = query->last_event_id.value_or(*committed);
  auto job = co_await ctx.queue.get(id, core::Micros(0));
  if (start.resuming) co_await catch_up(ctx.queue.events(), start.committed);
  bool const end_in_window = start.resuming && ends_after(ctx.queue.events(), start.position, id);
  if (!job && !end_in_window) co_return respond::error(job.error());
  auto place = admit(ctx);
  if (ctx.admission && !place) co_return respond::error(too_many_streams(ctx));
  // A resumed stream gets the events it missed, unless none of them ends a job that has ended
  // (the client saw its end already, or it ended before the window): then the job as it is, and
  // the end.
  if (job && (!start.resuming || (core::is_terminal(job->status) && !end_in_window))) {
    wire::append_sse_message(start.first, start.position, "job", wire::to_json_text(*job));
    start.ended = core::is_terminal(job->status);
  }
  start.query = std::move(*query);
  co_return stream_reply(ctx, req, std::move(place), std::move(start));
}

}  // namespace corral::http::streams
