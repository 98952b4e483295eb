// Handlers for /api/v1/schedules: create, list, get, change, pause, resume, delete. Each change
// wakes the server's ticker, so a new next_run_at is waited for from now.
#include "http/handlers.hpp"

#include "schedules/ticker.hpp"
#include "wire/schedule_json.hpp"

namespace corral::http::schedules {

using boost::asio::awaitable;

namespace {

// The saved schedule's reply, once the ticker knows of it.
Response saved(int status, core::Result<api::Schedule> const& s, Context& ctx) {
  if (!s) return respond::error(s.error());
  if (ctx.schedules) ctx.schedules->wake();
  return respond::json(status, wire::to_json(*s));
}

// Reads the schedule, applies `change` and saves it back (replace: not_found if it went).
awaitable<Response> change_with(Request& req, Context& ctx, api::ScheduleChange const& change) {
  auto current = co_await ctx.queue.get_schedule(req.param("name"));
  if (!current) co_return respond::error(current.error());
  auto s = co_await ctx.queue.save_schedule(change.applied_to(std::move(*current)), queue::SaveMode::replace);
  co_return saved(200, s, ctx);
}

}  // namespace

// POST /api/v1/schedules: 201 with the schedule and its next_run_at; 409 if the name is taken.
awaitable<Response> create(Request& req, Context& ctx) {
  auto s = parse_body_with(req, ctx, wire::parse_schedule);
  if (!s) co_return respond::error(s.error());
  auto r = co_await ctx.queue.save_schedule(std::move(*s), queue::SaveMode::create);
  co_return saved(201, r, ctx);
}

// GET /api/v1/schedules: {"schedules": [...]} by name.
awaitable<Response> list(Request&, Context& ctx) {
  auto all = co_await ctx.queue.list_schedules();
  if (!all) co_return respond::error(all.error());
  boost::json::array out;
  for (auto const& s : *all) out.push_back(wire::to_json(s));
  co_return respond::json(200, boost::json::object{{"schedules", std::move(out)}});
}

// GET /api/v1/schedules/{name}
awaitable<Response> get(Request& req, Context& ctx) {
  auto s = co_await ctx.queue.get_schedule(req.param("name"));
  if (!s) co_return respond::error(s.error());
  co_return respond::json(200, wire::to_json(*s));
}

// PATCH /api/v1/schedules/{name}: the fields given replace the schedule's; next_run_at is
// computed again from now.
awaitable<Response> update(Request& req, Context& ctx) {
  auto change = parse_body_with(req, ctx, wire::parse_schedule_change);
  if (!change) co_return respond::error(change.error());
  co_return co_await change_with(req, ctx, *change);
}

// POST /api/v1/schedules/{name}/pause: no tick runs until resumed.
awaitable<Response> pause(Request& req, Context& ctx) {
  co_return co_await change_with(req, ctx, api::ScheduleChange{.paused = true});
}

// POST /api/v1/schedules/{name}/resume: runs again from the next tick after now; ticks that
// came while paused are not run.
awaitable<Response> resume(Request& req, Context& ctx) {
  co_return co_await change_with(req, ctx, api::ScheduleChange{.paused = false});
}

// DELETE /api/v1/schedules/{name}: 204; the jobs it enqueued stay.
awaitable<Response> remove(Request& req, Context& ctx) {
  auto r = co_await ctx.queue.delete_schedule(req.param("name"));
  if (!r) co_return respond::error(r.error());
  if (ctx.schedules) ctx.schedules->wake();
  co_return respond::no_content();
}

}  // namespace corral::http::schedules
