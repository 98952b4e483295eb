#include "http/authenticator.hpp"

#include "auth/key_text.hpp"
#include "queue/run_at_start.hpp"

#include <boost/asio/ip/address.hpp>

namespace corral::http {
namespace {

// Entries past this many are dropped all at once: a bound, not an eviction policy, since a
// deployment has tens of keys, not thousands.
constexpr std::size_t kMaxCached = 10'000;

core::Error unauthenticated(std::string message) {
  return core::make_error(core::Errc::unauthenticated, std::move(message));
}

// The token of "Bearer TOKEN" (the scheme in any case), or empty.
std::string_view bearer_token(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  auto token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

// The admin_key setting's key has no stored record: it is known by this id.
constexpr std::string_view kAdminKeyId = "admin_key";

auth::Principal admin_principal() {
  return {std::string(kAdminKeyId), std::string(kAdminKeyId), auth::Role::admin, std::nullopt, {}};
}

}  // namespace

core::Result<std::int64_t> count_stored_keys(queue::QueueService& queue) {
  return queue::run_at_start(queue.count_api_keys());
}

bool is_loopback_listen(std::string const& listen) {
  auto host = listen.substr(0, listen.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto const address = boost::asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

auth::Principal principal_of(queue::ApiKey const& key) {
  return {key.id, key.name, auth::parse_role(key.role).value_or(auth::Role::viewer), key.owner, key.queues};
}

Authenticator::Authenticator(queue::QueueService& queue, AuthSettings settings)
    : queue_(queue), settings_(std::move(settings)), limiter_(settings_.rate_limit) {
  if (settings_.admin_key) admin_hash_ = auth::hash_key(*settings_.admin_key);
  secret_configured_ = !settings_.auth_secret.empty();
  if (!secret_configured_) settings_.auth_secret = auth::random_hex(32);
}

bool Authenticator::known_open() const {
  if (!admin_hash_.empty() || known_to_exist_.load(std::memory_order_relaxed)) return false;
  return Clock::now().time_since_epoch().count() < open_until_.load(std::memory_order_relaxed);
}

boost::asio::awaitable<core::Result<bool>> Authenticator::keys_exist() {
  if (!admin_hash_.empty() || known_to_exist_.load(std::memory_order_relaxed)) co_return true;
  if (known_open()) co_return false;
  auto count = co_await queue_.count_api_keys();
  if (!count) co_return count.error();
  if (*count > 0) {
    known_to_exist_.store(true, std::memory_order_relaxed);
    co_return true;
  }
  // A key created here meanwhile has set known_to_exist_, which known_open reads first.
  open_until_.store((Clock::now() + kKeyCacheTtl).time_since_epoch().count(), std::memory_order_relaxed);
  co_return known_to_exist_.load(std::memory_order_relaxed);
}

boost::asio::awaitable<core::Result<auth::Principal>> Authenticator::authenticate(std::string_view authorization) {
  auto const token = bearer_token(authorization);
  if (token.empty()) co_return unauthenticated("this request needs an API key: send Authorization: Bearer KEY");
  co_return co_await authenticate_key(token);
}

boost::asio::awaitable<core::Result<auth::Principal>> Authenticator::authenticate_key(std::string_view key) {
  auto const digest = auth::hash_key(key);
  if (!admin_hash_.empty() && auth::same_digest(digest, admin_hash_)) {
    co_return admin_principal();
  }
  std::optional<auth::Principal> cached;
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(digest); it != cache_.end() && it->second.expires > Clock::now()) {
      cached = it->second.principal;
    }
  }
  if (cached) co_return std::move(*cached);
  auto found = co_await queue_.find_api_key(digest);
  if (!found) co_return found.error();
  // Unknown and revoked keys get the same answer: which of them a key is, is nobody's business.
  if (!*found || (*found)->revoked_at || !auth::same_digest((*found)->key_hash, digest)) {
    co_return unauthenticated("the API key is not valid");
  }
  auto principal = principal_of(**found);
  {
    std::lock_guard lock(mutex_);
    if (cache_.size() >= kMaxCached) cache_.clear();
    cache_[digest] = Cached{principal, Clock::now() + kKeyCacheTtl};
  }
  co_return principal;
}

boost::asio::awaitable<core::Result<Authenticator::KnownKey>> Authenticator::key_by_id(std::string const& id) {
  if (!admin_hash_.empty() && id == kAdminKeyId) co_return KnownKey{admin_principal(), admin_hash_};
  auto const find = [&]() -> std::optional<KnownKey> {
    std::lock_guard lock(mutex_);
    if (!by_id_until_ || *by_id_until_ <= Clock::now()) return std::nullopt;
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return std::nullopt;
    return it->second;
  };
  auto known = find();
  if (!known) {
    // A session or an SQS signature names its key by id, and the store looks keys up by digest:
    // the list (tens of keys) is read instead, and kept for kKeyCacheTtl. An id not in it is read
    // again, as an unknown digest is, so that a key made a moment ago on another node works.
    auto keys = co_await queue_.list_api_keys();
    if (!keys) co_return keys.error();
    std::lock_guard lock(mutex_);
    by_id_.clear();
    for (auto const& k : *keys) {
      if (!k.revoked_at) by_id_[k.id] = KnownKey{principal_of(k), k.key_hash};
    }
    by_id_until_ = Clock::now() + kKeyCacheTtl;
    auto it = by_id_.find(id);
    known = it == by_id_.end() ? KnownKey{} : it->second;
  }
  if (known->digest.empty()) co_return unauthenticated("the session's key is not valid any more: sign in again");
  co_return std::move(*known);
}

std::optional<std::string> Authenticator::sqs_secret(std::string_view key_id) const {
  if (!secret_configured_) return std::nullopt;
  // A label of its own, so that no session MAC is ever an SQS secret or the reverse.
  return auth::hmac_sha256(settings_.auth_secret, "corral-sqs-secret-access-key-v1|" + std::string(key_id));
}

boost::asio::awaitable<core::Result<Authenticator::SqsKey>> Authenticator::sqs_key(std::string const& access_key_id) {
  auto secret = sqs_secret(access_key_id);
  if (!secret) {
    co_return core::make_error(core::Errc::forbidden,
                               "SQS requests with API keys need the auth_secret setting, from which each key's SQS "
                               "secret access key is made");
  }
  auto key = co_await key_by_id(access_key_id);
  if (!key) co_return key.error();
  co_return SqsKey{std::move(key->principal), std::move(*secret)};
}

boost::asio::awaitable<core::Result<Session>> Authenticator::sign_in(std::string_view key) {
  auto who = co_await authenticate_key(key);
  if (!who) co_return who.error();
  auto const digest = auth::hash_key(key);   // the stored digest, or the admin_key's: the same hash
  auto const expires = std::chrono::system_clock::now() + settings_.session_ttl;
  auth::SessionClaims claims{who->key_id, std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count(),
                             auth::random_hex(16)};
  auto token = auth::sign_session(settings_.auth_secret, claims, digest);
  co_return Session{std::move(*who), std::move(claims), std::move(token)};
}

boost::asio::awaitable<core::Result<Session>> Authenticator::session(std::string_view token) {
  auto const invalid = unauthenticated("the dashboard session is not valid: sign in again");
  auto read = auth::read_session(token);
  if (!read) co_return invalid;
  auto const now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  if (read->claims.expires_unix <= now.count()) co_return unauthenticated("the dashboard session has ended: sign in again");
  auto key = co_await key_by_id(read->claims.key_id);
  if (!key) co_return key.error();
  // A token that does not verify gets the answer of one whose key is gone: which it was is
  // nobody's business.
  if (!auth::session_signed_by(*read, settings_.auth_secret, key->digest)) co_return invalid;
  co_return Session{std::move(key->principal), std::move(read->claims), std::string(token)};
}

void Authenticator::key_created() { known_to_exist_.store(true, std::memory_order_relaxed); }

void Authenticator::key_revoked() {
  std::lock_guard lock(mutex_);
  cache_.clear();
  by_id_until_.reset();
}

}  // namespace corral::http
