// Who sent a request: the API key of its Authorization: Bearer header, looked up by its SHA-256
// digest (auth/key_text.hpp), or the admin_key setting's key.
//
// Cache: a key found in the store is remembered for kKeyCacheTtl, so that a busy client costs one
// lookup per key every few seconds, not one per request. A revoke through this node forgets the
// whole cache at once; another node (PostgreSQL) forgets it when its entry expires, so a revoked
// key works for at most kKeyCacheTtl anywhere (docs/security.md). Unknown keys are not cached: a
// key just created on another node works at once, and a stream of wrong keys cannot fill memory.
// Every key, known or not, well-formed or not, goes through the same hash and lookup, so a wrong
// key and an unknown one are told apart by nothing.
//
// Whether keys exist: with no admin_key and no stored key, every route is open (quick starts,
// tests). A key created here closes this node at once; other nodes learn of it within
// kKeyCacheTtl. Keys are never deleted (a revoke keeps the row), so once closed stays closed.
// An open server answers that from two atomics (known_open), so its requests pay neither a
// coroutine frame nor a lock for a check that is not there.
//
// Dashboard sessions (auth/session_token.hpp): a key signs in once and the browser then sends a
// signed token in a cookie. The token names the key by id, so the key's record is looked up by id,
// through a cache filled from the list of keys and kept as the digest cache is.
//
// Rate limits: the node's buckets (http/rate_limiter.hpp), one per key id, live here with the
// keys they limit.
//
// Thread-safe.
#pragma once

#include "auth/principal.hpp"
#include "auth/session_token.hpp"
#include "core/token_bucket.hpp"
#include "http/rate_limiter.hpp"
#include "queue/queue_service.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace corral::http {

inline constexpr std::chrono::seconds kKeyCacheTtl{5};

struct AuthSettings {
  std::optional<std::string> admin_key;   // the admin_key setting: a first admin key
  bool metrics_open = false;              // /metrics without a key
  core::RateLimit rate_limit;             // of every key; off by default
  // Signs dashboard sessions; empty: a random one of this process, so sessions end when it stops
  // and another node does not accept them (the auth_secret setting).
  std::string auth_secret;
  std::chrono::seconds session_ttl{std::chrono::hours(12)};
};

// A signed-in dashboard: the key it acts as and its token's claims.
struct Session {
  auth::Principal principal;
  auth::SessionClaims claims;
  std::string token;   // the cookie's value
};

class Authenticator {
 public:
  Authenticator(queue::QueueService& queue, AuthSettings settings);

  // Whether any key exists (admin_key, or one stored), or storage_unavailable when the store
  // cannot say. Neither answer of an outage is a guess: "no" would open a closed server, and "yes"
  // would tell a client of an open one that it needs a key it was never given.
  boost::asio::awaitable<core::Result<bool>> keys_exist();
  // True when this node knows, without asking the store, that no key exists: the store said so
  // less than kKeyCacheTtl ago. False means "ask keys_exist".
  bool known_open() const;
  // The key of `authorization` (the header's value), or unauthenticated for a missing, unknown
  // or revoked key, or storage_unavailable when the store cannot say.
  boost::asio::awaitable<core::Result<auth::Principal>> authenticate(std::string_view authorization);

  // Exchanges `key` (the key itself, not a header) for a new session of session_ttl.
  boost::asio::awaitable<core::Result<Session>> sign_in(std::string_view key);
  // The session of a cookie's token: unauthenticated when it is malformed, forged, expired, or its
  // key is revoked.
  boost::asio::awaitable<core::Result<Session>> session(std::string_view token);

  // The SQS credentials of a live key: its id is the access key id, and its secret access key is
  // derived from auth_secret and the id (sqs_secret). unauthenticated for an unknown or revoked
  // id; forbidden while auth_secret is not set (a secret of this process alone would change at
  // every restart and differ between nodes).
  struct SqsKey {
    auth::Principal principal;
    std::string secret;
  };
  boost::asio::awaitable<core::Result<SqsKey>> sqs_key(std::string const& access_key_id);
  // The secret access key of key `key_id`, or none while auth_secret is not set.
  std::optional<std::string> sqs_secret(std::string_view key_id) const;

  bool has_admin_key() const { return !admin_hash_.empty(); }
  bool metrics_open() const { return settings_.metrics_open; }
  core::RateLimit const& rate_limit() const { return settings_.rate_limit; }
  // Takes one request's token of `key_id`. None: go on. Else the Retry-After seconds of the 429.
  std::optional<std::int64_t> take_token(std::string const& key_id) { return limiter_.take(key_id); }
  // A key was created through this node: closed from now on.
  void key_created();
  // A key was revoked through this node: it stops working here at once.
  void key_revoked();

 private:
  using Clock = std::chrono::steady_clock;
  struct Cached {
    auth::Principal principal;
    Clock::time_point expires;
  };

  struct KnownKey {
    auth::Principal principal;
    std::string digest;
  };

  boost::asio::awaitable<core::Result<auth::Principal>> authenticate_key(std::string_view key);
  // The live key of `id` (the admin_key's too), through by_id_.
  boost::asio::awaitable<core::Result<KnownKey>> key_by_id(std::string const& id);

  queue::QueueService& queue_;
  AuthSettings settings_;
  std::string admin_hash_;
  bool secret_configured_ = false;   // auth_secret was set, rather than made for this process
  std::mutex mutex_;                                    // of cache_
  std::map<std::string, Cached, std::less<>> cache_;   // by key digest; live keys only
  std::map<std::string, KnownKey, std::less<>> by_id_;  // live keys by id, filled from the list
  std::optional<Clock::time_point> by_id_until_;
  std::atomic<bool> known_to_exist_ = false;
  // Until when the last count of stored keys (zero) holds, in Clock ticks; the epoch: ask.
  std::atomic<Clock::rep> open_until_ = 0;
  RateLimiter limiter_;
};

// Blocking, for start-up (before the server runs): how many keys the store holds.
core::Result<std::int64_t> count_stored_keys(queue::QueueService& queue);

// Whether `listen` (HOST:PORT, as ServerOptions takes it) is a loopback address.
bool is_loopback_listen(std::string const& listen);

// The principal of a stored key.
auth::Principal principal_of(queue::ApiKey const& key);

}  // namespace corral::http
