// Handler for GET /api/v1/stats: counts, rates, durations, errors and workers over a window.
#include "http/handlers.hpp"

#include "wire/stats_json.hpp"

namespace corral::http::stats {

using boost::asio::awaitable;

// GET /api/v1/stats?window=1h|24h|7d&queue=Q&type=T. A key scoped to an owner gets stats of that
// owner's jobs only, without the workers (api::StatsQuery::owner).
awaitable<Response> get(Request& req, Context& ctx) {
  auto query = wire::parse_stats_query(req.query);
  if (!query) co_return respond::error(query.error());
  if (req.principal) query->owner = req.principal->owner;
  auto stats = co_await ctx.queue.stats(std::move(*query));
  if (!stats) co_return respond::error(stats.error());
  co_return respond::json(200, wire::to_json(*stats));
}

}  // namespace corral::http::stats
