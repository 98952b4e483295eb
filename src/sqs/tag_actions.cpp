// Queue tags: kept in the queue's attribute record, under kTagsMember (queue_config.hpp), beside
// its attributes. A tag change reads the record and writes it back whole, as SetQueueAttributes
// does: of two changes to one queue at the same moment, the last written wins.
#include "sqs/actions.hpp"
#include "sqs/params.hpp"

#include <boost/json/serialize.hpp>

namespace corral::sqs {
namespace {

using boost::asio::awaitable;
using boost::json::object;

constexpr std::size_t kMaxTags = 50;

// `change` applied to the queue's tags, then the record written back.
template <class Change>
ActionResult change_tags(ActionContext& ctx, object const& params, Change const& change) {
  auto record = co_await load_record(ctx, params);
  if (!record) co_return record.error();
  // Plain references, not a structured binding: g++ 12 keeps those badly across a co_await.
  auto const& stored = record->first;
  auto& attributes = record->second;
  object tags;
  if (auto const* t = attributes.if_contains(kTagsMember); t && t->is_object()) tags = t->get_object();
  if (auto bad = change(tags)) co_return *bad;
  if (tags.size() > kMaxTags) co_return invalid_value("Tags", "A queue can have at most 50 tags.");
  attributes[kTagsMember] = std::move(tags);
  auto text = boost::json::serialize(attributes);
  auto written = co_await ctx.queue.set_queue_attributes(stored.queue, std::move(text));
  if (!written) co_return written.error().code == core::Errc::not_found ? no_queue() : from_core(written.error());
  co_return object();
}

}  // namespace

Outcome<object> read_tags(object const& params, std::string_view name) {
  auto given = text_map(params, name);
  if (!given) return given.error();
  if (given->size() > kMaxTags) return invalid_value(name, "A queue can have at most 50 tags.");
  object out;
  for (auto& [key, value] : *given) {
    if (key.empty() || key.size() > 128 || value.size() > 256) {
      return invalid_value(name, "Tag keys must be 1 to 128 characters, values at most 256.");
    }
    out[key] = std::move(value);
  }
  return out;
}

namespace actions {

ActionResult tag_queue(ActionContext& ctx, object const& params) {
  auto given = read_tags(params, "Tags");
  if (!given) co_return given.error();
  auto add = [&given](object& tags) -> std::optional<Error> {
    for (auto const& [k, v] : *given) tags[k] = v;
    return std::nullopt;
  };
  co_return co_await change_tags(ctx, params, add);
}

ActionResult untag_queue(ActionContext& ctx, object const& params) {
  auto keys = text_list(params, "TagKeys");
  if (!keys) co_return keys.error();
  auto remove = [&keys](object& tags) -> std::optional<Error> {
    for (auto const& k : *keys) tags.erase(k);
    return std::nullopt;
  };
  co_return co_await change_tags(ctx, params, remove);
}

ActionResult list_queue_tags(ActionContext& ctx, object const& params) {
  auto record = co_await load_record(ctx, params);
  if (!record) co_return record.error();
  object out;
  auto const* tags = record->second.if_contains(kTagsMember);
  if (tags && tags->is_object() && !tags->get_object().empty()) out["Tags"] = *tags;
  co_return out;
}

}  // namespace actions
}  // namespace corral::sqs
