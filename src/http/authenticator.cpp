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
}

boost::asio::awaitable<bool> Authenticator::keys_exist() {
  std::optional<bool> known;
  {
    std::lock_guard lock(mutex_);
    if (!admin_hash_.empty() || known_to_exist_) {
      known = true;
    } else if (checked_at_ && Clock::now() - *checked_at_ < kKeyCacheTtl) {
      known = false;
    }
  }
  if (known) co_return *known;
  auto count = co_await queue_.count_api_keys();
  // A store that cannot say closes this request, not the server: a passing outage must not
  // leave a server without keys asking for one.
  if (!count) co_return true;
  bool exist = false;
  {
    std::lock_guard lock(mutex_);
    checked_at_ = Clock::now();
    if (*count > 0) known_to_exist_ = true;
    exist = known_to_exist_;
  }
  co_return exist;
}

boost::asio::awaitable<core::Result<auth::Principal>> Authenticator::authenticate(std::string_view authorization) {
  auto const token = bearer_token(authorization);
  if (token.empty()) co_return unauthenticated("this request needs an API key: send Authorization: Bearer KEY");
  auto const digest = auth::hash_key(token);
  if (!admin_hash_.empty() && auth::same_digest(digest, admin_hash_)) {
    co_return auth::Principal{"admin_key", "admin_key", auth::Role::admin, std::nullopt, {}};
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

void Authenticator::key_created() {
  std::lock_guard lock(mutex_);
  known_to_exist_ = true;
}

void Authenticator::key_revoked() {
  std::lock_guard lock(mutex_);
  cache_.clear();
}

}  // namespace corral::http
