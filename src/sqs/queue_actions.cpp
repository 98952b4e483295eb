// The queue actions: a queue is its attribute record (its messages are the jobs of the queue of
// that name). Deleting or purging a queue cancels its jobs that have not ended (queue/bulk):
// those waiting are cancelled at once, those leased when their lease ends, never to be received
// again; ended jobs stay for Corral's history and retention.
#include "sqs/actions.hpp"
#include "sqs/params.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace corral::sqs {
namespace {

using boost::asio::awaitable;
using boost::json::object;

}  // namespace

Error no_queue() { return make_error(errors::kQueueDoesNotExist, "The specified queue does not exist."); }

awaitable<Outcome<std::pair<queue::QueueAttributes, object>>> load_record(ActionContext& ctx, object const& params) {
  auto url = required_text(params, "QueueUrl");
  if (!url) co_return url.error();
  auto name = queue_name_of_url(*url);
  auto record = co_await ctx.queue.get_queue_attributes(std::move(name));
  if (!record) co_return record.error().code == core::Errc::not_found ? no_queue() : from_core(record.error());
  boost::system::error_code ec;
  auto parsed = boost::json::parse(record->attributes, ec);
  object attributes = !ec && parsed.is_object() ? parsed.get_object() : object();
  co_return std::pair(std::move(*record), std::move(attributes));
}

namespace {

// A redrive policy must name a queue that exists.
awaitable<std::optional<Error>> check_redrive_target(ActionContext& ctx, QueueConfig const& config) {
  if (!config.redrive) co_return std::nullopt;
  auto target = co_await ctx.queue.get_queue_attributes(config.redrive->dead_letter_queue);
  if (!target) {
    if (target.error().code != core::Errc::not_found) co_return from_core(target.error());
    co_return invalid_value("RedrivePolicy", "Dead letter target does not exist.");
  }
  boost::system::error_code ec;
  auto parsed = boost::json::parse(target->attributes, ec);
  bool const target_fifo = !ec && parsed.is_object() && config_of(target->queue, parsed.get_object()).fifo;
  if (target_fifo != config.fifo) {
    co_return invalid_value("RedrivePolicy", "Dead-letter queue must be same type of queue as the source.");
  }
  co_return std::nullopt;
}

// Cancels every job of `name` that has not ended.
awaitable<std::optional<Error>> cancel_messages(ActionContext& ctx, std::string const& name) {
  queue::BulkRequest req;
  req.action = queue::BulkAction::cancel;
  req.filter = queue::JobFilter{};
  req.filter->queue = name;
  req.filter->statuses = {core::JobState::queued, core::JobState::scheduled, core::JobState::retrying,
                          core::JobState::running};
  auto done = co_await ctx.queue.bulk(std::move(req));
  if (!done) co_return from_core(done.error());
  co_return std::nullopt;
}

constexpr char kNameRule[] = "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.";
constexpr char kFifoNameRule[] =
    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with "
    ".fifo suffix and be 1 to 80 in length.";

std::string seconds_text(core::TimePoint t) { return std::to_string(core::to_unix_micros(t) / 1'000'000); }

constexpr std::string_view kComputed[] = {
    "QueueArn", "CreatedTimestamp", "LastModifiedTimestamp", "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed", "RedrivePolicy"};

}  // namespace

awaitable<Outcome<QueueConfig>> load_queue(ActionContext& ctx, object const& params) {
  auto record = co_await load_record(ctx, params);
  if (!record) co_return record.error();
  co_return config_of(record->first.queue, record->second);
}

namespace actions {

ActionResult create_queue(ActionContext& ctx, object const& params) {
  auto name = required_text(params, "QueueName");
  if (!name) co_return name.error();
  auto given = text_map(params, "Attributes");
  if (!given) co_return given.error();
  // A .fifo name without FifoQueue true is judged by the rule of standard names, as SQS does.
  bool const fifo = asks_fifo(*given);
  if (!is_valid_queue_name(*name, fifo)) {
    co_return invalid_value("QueueName", fifo ? kFifoNameRule : kNameRule);
  }
  auto attributes = apply_attributes(default_attributes(fifo), *given);
  if (!attributes) co_return attributes.error();
  if (auto bad = co_await check_redrive_target(ctx, config_of(*name, *attributes))) co_return *bad;
  if (fifo) {
    // One message of a group in flight at a time (fifo.hpp); set before the queue exists for SQS,
    // so that no message is ever sent to it without the limit.
    queue::QueueUpdate one_per_group;
    one_per_group.max_running_per_key = std::optional<int>(1);
    auto limited = co_await ctx.queue.update_queue(*name, std::move(one_per_group));
    if (!limited) co_return from_core(limited.error());
  }
  // The JSON protocol names them "tags", the query protocol's Tag.N entries "Tags".
  auto tags = read_tags(params, params.contains("tags") ? "tags" : "Tags");
  if (!tags) co_return tags.error();
  if (!tags->empty()) (*attributes)[kTagsMember] = std::move(*tags);
  auto text = boost::json::serialize(*attributes);
  auto created = co_await ctx.queue.create_queue_attributes(*name, std::move(text));
  if (!created) co_return from_core(created.error());
  if (!created->created) {
    // Idempotent only with the same attributes: those given must be what the queue has.
    boost::system::error_code ec;
    auto stored = boost::json::parse(created->record.attributes, ec);
    bool same = !ec && stored.is_object();
    if (same) {
      auto applied = apply_attributes(stored.get_object(), *given);
      same = applied && *applied == stored.get_object();
    }
    if (!same) {
      co_return make_error(errors::kQueueAlreadyExists,
                           "A queue already exists with the same name and a different value for attribute(s).");
    }
  }
  object out;
  out["QueueUrl"] = queue_url(ctx.settings, ctx.host, *name);
  co_return out;
}

ActionResult get_queue_url(ActionContext& ctx, object const& params) {
  auto name = required_text(params, "QueueName");
  if (!name) co_return name.error();
  auto record = co_await ctx.queue.get_queue_attributes(*name);
  if (!record) co_return record.error().code == core::Errc::not_found ? no_queue() : from_core(record.error());
  object out;
  out["QueueUrl"] = queue_url(ctx.settings, ctx.host, *name);
  co_return out;
}

ActionResult list_queues(ActionContext& ctx, object const& params) {
  auto prefix = optional_text(params, "QueueNamePrefix");
  auto token = optional_text(params, "NextToken");
  auto max = optional_integer(params, "MaxResults", 1, 1000);
  if (!prefix) co_return prefix.error();
  if (!token) co_return token.error();
  if (!max) co_return max.error();
  if (*token && !*max) co_return invalid_value("MaxResults", "MaxResults is required with NextToken.");
  queue::QueueAttributesQuery query{prefix->value_or(""), token->value_or(""), static_cast<int>(max->value_or(1000))};
  auto records = co_await ctx.queue.list_queue_attributes(query);
  if (!records) co_return from_core(records.error());
  object out;
  boost::json::array urls;
  for (auto const& r : *records) urls.emplace_back(queue_url(ctx.settings, ctx.host, r.queue));
  if (!urls.empty()) out["QueueUrls"] = std::move(urls);
  // A full page may have more after it; SQS pages only when MaxResults is given.
  if (*max && !records->empty() && records->size() == static_cast<std::size_t>(query.limit)) {
    out["NextToken"] = records->back().queue;
  }
  co_return out;
}

ActionResult delete_queue(ActionContext& ctx, object const& params) {
  auto record = co_await load_record(ctx, params);
  if (!record) co_return record.error();
  auto removed = co_await ctx.queue.delete_queue_attributes(record->first.queue);
  if (!removed && removed.error().code != core::Errc::not_found) co_return from_core(removed.error());
  if (auto bad = co_await cancel_messages(ctx, record->first.queue)) co_return *bad;
  co_return object();
}

ActionResult purge_queue(ActionContext& ctx, object const& params) {
  auto record = co_await load_record(ctx, params);
  if (!record) co_return record.error();
  if (auto bad = co_await cancel_messages(ctx, record->first.queue)) co_return *bad;
  co_return object();
}

ActionResult get_queue_attributes(ActionContext& ctx, object const& params) {
  auto record = co_await load_record(ctx, params);
  if (!record) co_return record.error();
  auto names = text_list(params, "AttributeNames");
  if (!names) co_return names.error();
  // Plain references, not a structured binding: g++ 12 keeps those badly across a co_await.
  auto const& stored = record->first;
  auto const& attributes = record->second;

  object all = attributes;
  all.erase(kTagsMember);
  all["QueueArn"] = queue_arn(ctx.settings, stored.queue);
  all["CreatedTimestamp"] = seconds_text(stored.created_at);
  all["LastModifiedTimestamp"] = seconds_text(stored.updated_at);
  auto infos = co_await ctx.queue.queues();
  if (!infos) co_return from_core(infos.error());
  queue::StateCounts counts{};
  for (auto const& info : *infos) {
    if (info.name == stored.queue) counts = info.counts;
  }
  auto count = [&counts](core::JobState s) { return counts[static_cast<int>(s)]; };
  all["ApproximateNumberOfMessages"] = std::to_string(count(core::JobState::queued));
  all["ApproximateNumberOfMessagesNotVisible"] = std::to_string(count(core::JobState::running));
  all["ApproximateNumberOfMessagesDelayed"] =
      std::to_string(count(core::JobState::scheduled) + count(core::JobState::retrying));

  object out;
  object chosen;
  for (auto const& name : *names) {
    if (name == "All") {
      chosen = all;
      break;
    }
    auto const* v = all.if_contains(name);
    bool const known = v || std::find(std::begin(kComputed), std::end(kComputed), name) != std::end(kComputed) ||
                       default_attributes(true).contains(name);
    if (!known) co_return make_error(errors::kInvalidAttributeName, "Unknown Attribute " + name + ".");
    if (v) chosen[name] = *v;
  }
  // Text attributes never set are not shown, as SQS shows none.
  for (auto it = chosen.begin(); it != chosen.end();) {
    it = it->value().is_string() && it->value().get_string().empty() ? chosen.erase(it) : std::next(it);
  }
  if (!chosen.empty()) out["Attributes"] = std::move(chosen);
  co_return out;
}

ActionResult set_queue_attributes(ActionContext& ctx, object const& params) {
  auto record = co_await load_record(ctx, params);
  if (!record) co_return record.error();
  auto given = text_map(params, "Attributes");
  if (!given) co_return given.error();
  auto attributes = apply_attributes(record->second, *given);
  if (!attributes) co_return attributes.error();
  auto const config = config_of(record->first.queue, *attributes);
  if (config.redrive && config.redrive->dead_letter_queue == config.name) {
    co_return invalid_value("RedrivePolicy", "A queue cannot be its own dead-letter queue.");
  }
  if (auto bad = co_await check_redrive_target(ctx, config)) co_return *bad;
  auto text = boost::json::serialize(*attributes);
  auto stored = co_await ctx.queue.set_queue_attributes(record->first.queue, std::move(text));
  if (!stored) co_return stored.error().code == core::Errc::not_found ? no_queue() : from_core(stored.error());
  co_return object();
}

}  // namespace actions
}  // namespace corral::sqs
