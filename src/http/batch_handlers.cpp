// GET /api/v1/batches/{id}: a batch made by POST /api/v1/jobs/batch with "batch".
#include "http/handlers.hpp"

#include "wire/batch_json.hpp"

namespace corral::http::batches {

using boost::asio::awaitable;

awaitable<Response> get(Request& req, Context& ctx) {
  auto const& id = req.param("id");
  auto batch = co_await ctx.queue.get_batch(id);
  if (!batch) co_return respond::error(batch.error());
  // Another owner's batch looks like no batch at all, as another owner's job does.
  if (req.principal && !req.principal->sees_owner(batch->owner)) {
    co_return respond::error(core::make_error(core::Errc::not_found, "batch " + id + " not found"));
  }
  co_return respond::json(200, wire::to_json(*batch));
}

}  // namespace corral::http::batches
