// Handlers for /api/v1/keys: create (the key shown this once), list (never a key), revoke.
#include "http/handlers.hpp"

#include "auth/key_text.hpp"
#include "http/authenticator.hpp"
#include "wire/key_json.hpp"
#include "wire/time_format.hpp"

#include <algorithm>

namespace corral::http::keys {

using boost::asio::awaitable;

namespace {

boost::json::object to_json(queue::ApiKey const& key) {
  boost::json::array queues;
  for (auto const& q : key.queues) queues.emplace_back(q);
  boost::json::object o{{"id", key.id},
                        {"name", key.name},
                        {"role", key.role},
                        {"owner", key.owner ? boost::json::value(*key.owner) : boost::json::value(nullptr)},
                        {"queues", std::move(queues)},
                        {"created_at", wire::format_rfc3339(key.created_at)}};
  o["revoked_at"] = key.revoked_at ? boost::json::value(wire::format_rfc3339(*key.revoked_at)) : nullptr;
  return o;
}

}  // namespace

// POST /api/v1/keys: 201 with the key's record and, this once, the key itself.
awaitable<Response> create(Request& req, Context& ctx) {
  auto body = parse_body_with(req, ctx, wire::parse_key_request);
  if (!body) co_return respond::error(body.error());
  auto const role = auth::parse_role(body->role);
  if (!role) {
    co_return respond::error(
        core::make_error(core::Errc::invalid_argument, "role must be one of admin, producer, worker, viewer"));
  }
  auto const key = auth::generate_key();
  queue::ApiKey record{auth::generate_key_id(), body->name, std::string(auth::to_string(*role)), body->owner,
                       body->queues, auth::hash_key(key), {}, std::nullopt};
  auto stored = co_await ctx.queue.create_api_key(std::move(record));
  if (!stored) co_return respond::error(stored.error());
  if (ctx.auth) ctx.auth->key_created();
  auto out = to_json(*stored);
  out["key"] = key;
  co_return respond::json(201, out);
}

// GET /api/v1/keys: {"keys": [...]}, revoked ones included, in order of creation.
awaitable<Response> list(Request&, Context& ctx) {
  auto keys = co_await ctx.queue.list_api_keys();
  if (!keys) co_return respond::error(keys.error());
  boost::json::array out;
  for (auto const& k : *keys) out.push_back(to_json(k));
  co_return respond::json(200, boost::json::object{{"keys", std::move(out)}});
}

// DELETE /api/v1/keys/{key_id}: 200 with the record, revoked_at set (revoking again keeps it).
awaitable<Response> revoke(Request& req, Context& ctx) {
  auto key = co_await ctx.queue.revoke_api_key(req.param("key_id"));
  if (!key) co_return respond::error(key.error());
  if (ctx.auth) ctx.auth->key_revoked();
  co_return respond::json(200, to_json(*key));
}

// GET /api/v1/keys/{key_id}/sqs-credentials: the SQS access key id and secret access key of a
// live key (docs/security.md, "SQS"). The secret is made from auth_secret and the id, so it can
// be shown again; 409 wrong_state while auth_secret is not set, or for a revoked key.
awaitable<Response> sqs_credentials(Request& req, Context& ctx) {
  auto const& id = req.param("key_id");
  auto const secret = ctx.auth ? ctx.auth->sqs_secret(id) : std::nullopt;
  if (!secret) {
    co_return respond::error(core::make_error(
        core::Errc::wrong_state, "SQS credentials need the auth_secret setting, from which each key's secret is made"));
  }
  if (!(id == "admin_key" && ctx.auth->has_admin_key())) {
    auto keys = co_await ctx.queue.list_api_keys();
    if (!keys) co_return respond::error(keys.error());
    auto key = std::find_if(keys->begin(), keys->end(), [&](auto const& k) { return k.id == id; });
    if (key == keys->end()) co_return respond::error(core::make_error(core::Errc::not_found, "key " + id + " not found"));
    if (key->revoked_at) {
      co_return respond::error(core::make_error(core::Errc::wrong_state, "key " + id + " is revoked"));
    }
  }
  co_return respond::json(200, boost::json::object{{"access_key_id", id}, {"secret_access_key", *secret}});
}

}  // namespace corral::http::keys
