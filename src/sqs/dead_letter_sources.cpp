// ListDeadLetterSourceQueues: the queues whose redrive policy names this one, found by reading
// every queue's record in name order, a page at a time. There is no index from a target to its
// sources: queues are few (SQS counts them in thousands per account), and this call is rare.
#include "sqs/actions.hpp"
#include "sqs/params.hpp"

#include <boost/json/parse.hpp>

namespace corral::sqs {
namespace actions {

using boost::json::object;

ActionResult list_dead_letter_source_queues(ActionContext& ctx, object const& params) {
  auto target = co_await load_queue(ctx, params);
  if (!target) co_return target.error();
  auto token = optional_text(params, "NextToken");
  auto max = optional_integer(params, "MaxResults", 1, 1000);
  if (!token) co_return token.error();
  if (!max) co_return max.error();
  auto const wanted = static_cast<std::size_t>(max->value_or(1000));

  boost::json::array urls;
  std::string after = token->value_or("");
  std::string last;
  bool more = true;
  while (more && urls.size() < wanted) {
    queue::QueueAttributesQuery query{"", after, 1000};
    auto page = co_await ctx.queue.list_queue_attributes(query);
    if (!page) co_return from_core(page.error());
    more = page->size() == static_cast<std::size_t>(query.limit);
    for (auto const& record : *page) {
      after = record.queue;
      boost::system::error_code ec;
      auto parsed = boost::json::parse(record.attributes, ec);
      if (ec || !parsed.is_object()) continue;
      auto const config = config_of(record.queue, parsed.get_object());
      if (!config.redrive || config.redrive->dead_letter_queue != target->name) continue;
      urls.emplace_back(queue_url(ctx.settings, ctx.host, record.queue));
      last = record.queue;
      if (urls.size() == wanted) break;
    }
  }
  object out;
  out["queueUrls"] = std::move(urls);
  // A full page given MaxResults may have more after it.
  if (*max && out["queueUrls"].as_array().size() == wanted) out["NextToken"] = last;
  co_return out;
}

}  // namespace actions
}  // namespace corral::sqs
